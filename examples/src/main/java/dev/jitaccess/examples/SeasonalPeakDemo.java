package dev.jitaccess.examples;

import dev.jitaccess.Grant;
import dev.jitaccess.Scope;
import dev.jitaccess.core.InMemoryGrantStore;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.governance.Bundle;
import dev.jitaccess.governance.BundleSpec;
import dev.jitaccess.governance.Bundles;
import dev.jitaccess.governance.ExposureReport;
import dev.jitaccess.governance.Governance;
import dev.jitaccess.governance.RiskTiers;
import dev.jitaccess.testkit.time.FakeClock;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The holiday peak: 1,000 seasonal support workers are onboarded into a pre-approved bundle in one
 * call, 300 of them activate a shift's access without anyone approving each one, the exposure
 * report shows what is alive (grouped by owner), and when the bundle's window closes every one of
 * those grants ends at once, which the report after shows. Time is a {@link FakeClock}, so the
 * season passes at once; the printed timings are of the library's work on this machine.
 */
public final class SeasonalPeakDemo {
  static final int WORKERS = 1_000;
  static final int ACTIVATIONS = 300;
  private final PrintStream out;
  private final FakeClock clock = FakeClock.at(Instant.parse("2026-12-20T08:00:00Z"));

  SeasonalPeakDemo(PrintStream out) {
    this.out = out;
  }

  /** Runs the demo on standard output. */
  public static void main(String[] args) {
    new SeasonalPeakDemo(System.out).run();
  }

  void run() {
    InMemoryGrantStore grants = InMemoryGrantStore.builder().clock(clock).scheduler(clock).build();
    try (Governance gov = Governance.builder().runtime(JitAccess.builder()).grants(grants)
        .clock(clock).scheduler(clock).auditSink(event -> { }).notifier(n -> { })
        .build()) {
      Bundles bundles = gov.bundles();
      Instant start = clock.instant();
      bundles.create(new BundleSpec("holiday-2026", "support-leads", "head-of-support",
          Scope.parse("read:tickets/**", "write:tickets/*/notes"), RiskTiers.MEDIUM, start,
          start.plus(Duration.ofDays(14))));
      List<String> workers = new ArrayList<>();
      for (int i = 0; i < WORKERS; i++) {
        workers.add("seasonal-" + i);
      }
      long t0 = System.nanoTime();
      int added = bundles.addMembers("holiday-2026", workers, "head-of-support");
      long onboarding = System.nanoTime() - t0;
      line("onboarded " + added + " seasonal workers into holiday-2026 in one call ("
          + millis(onboarding) + ")");

      clock.advance(Duration.ofDays(13).plusHours(20));
      List<Grant> shift = new ArrayList<>();
      for (int i = 0; i < ACTIVATIONS; i++) {
        shift.add(bundles.activate("holiday-2026", workers.get(i), "shift-2026-12-24",
            "holiday support shift", Scope.parse("read:tickets/**"), Duration.ofHours(4)));
      }
      line(ACTIVATIONS + " workers activated a 4-hour shift grant without a per-request approval");
      ExposureReport before = gov.exposure("groupBy=owner");
      line("exposure before the bundle ends: " + before.totals().live() + " live grants");
      before.toTable().lines().limit(6).forEach(out::println);
      out.println("  ... " + (ACTIVATIONS - 2) + " more rows");
      for (ExposureReport.Group group : before.groups()) {
        line("owner " + group.key() + ": " + group.grants() + " grants, oldest "
            + group.oldestAge());
      }
      long allowed = shift.stream().filter(g -> gov.access().check(g.id(), "read",
          "tickets/7").isAllowed()).count();
      line(allowed + " of " + ACTIVATIONS + " checks allowed");

      long t1 = System.nanoTime();
      clock.setTo(start.plus(Duration.ofDays(14)));
      long ending = System.nanoTime() - t1;
      Bundle ended = bundles.find("holiday-2026").orElseThrow();
      line("the bundle's window closed: " + ended.state() + ", its grants revoked in "
          + millis(ending));
      long stillAllowed = shift.stream().filter(g -> gov.access().check(g.id(), "read",
          "tickets/7").isAllowed()).count();
      line(stillAllowed + " of " + ACTIVATIONS + " checks allowed after the end");
      ExposureReport after = gov.exposure("groupBy=owner");
      line("exposure after the bundle ended: " + after.totals().live() + " live grants");
    }
  }

  private static String millis(long nanos) {
    return String.format("%.1f ms", nanos / 1e6);
  }

  private void line(String text) {
    out.printf("%s  %s%n", clock.instant().toString().substring(0, 16).replace('T', ' '), text);
  }
}
