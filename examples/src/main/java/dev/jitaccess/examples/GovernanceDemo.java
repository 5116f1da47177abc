package dev.jitaccess.examples;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.Grant;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.governance.AccessRequest;
import dev.jitaccess.governance.EligibilityRule;
import dev.jitaccess.governance.EligibilityRules;
import dev.jitaccess.governance.Governance;
import dev.jitaccess.governance.GovernanceException;
import dev.jitaccess.governance.InMemoryDirectory;
import dev.jitaccess.governance.RequestSpec;
import dev.jitaccess.governance.RiskTiers;
import dev.jitaccess.governance.spi.Notification;
import dev.jitaccess.postgres.Consistency;
import dev.jitaccess.postgres.PostgresGovernanceSchema;
import dev.jitaccess.postgres.PostgresGovernanceStore;
import dev.jitaccess.postgres.PostgresGrantStore;
import dev.jitaccess.postgres.PostgresSchema;
import dev.jitaccess.testkit.time.FakeClock;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * Two replicas of an application governing access on one PostgreSQL (started by the example):
 * a vendor asks on replica A, two approvers from two teams approve on replica B, the vendor
 * activates on A and the grant is allowed on both; at 3 a.m. an on-call engineer breaks the glass
 * on B, nobody reviews it, and at the 45-minute review deadline the grant is revoked and the
 * engineer's break-glass locked until the owner unlocks it. Time is a {@link FakeClock}, so the
 * night passes at once; every decision is made by the library on that clock.
 */
public final class GovernanceDemo {
  private static final Instant EVENING = Instant.parse("2026-12-07T18:00:00Z");
  private final PrintStream out;
  private final FakeClock clock = FakeClock.at(EVENING);

  GovernanceDemo(PrintStream out) {
    this.out = out;
  }

  /** Runs the demo on standard output. */
  public static void main(String[] args) {
    new GovernanceDemo(System.out).run();
  }

  void run() {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
        .setLocaleConfig("locale", "C").start()) {
      run(postgres.getPostgresDatabase());
    } catch (IOException e) {
      throw new UncheckedIOException("PostgreSQL did not start", e);
    }
  }

  private Governance replica(DataSource db, String name) {
    InMemoryDirectory directory = InMemoryDirectory.builder()
        .member("vendor-bob", "vendors").member("oncall-olga", "oncall")
        .member("dba-ann", "dba").team("dba-ann", "databases")
        .member("sec-sue", "dba").team("sec-sue", "security")
        .member("lead-lee", "platform").build();
    EligibilityRules rules = EligibilityRules.of(
        EligibilityRule.builder("vendor-orders").requesters("group:vendors")
            .scope("read:db/orders").tiers(RiskTiers.HIGH).approvers("group:dba")
            .distinctTeams(true).build(),
        EligibilityRule.builder("oncall-payments").requesters("group:oncall")
            .scope("admin:prod/payments").tiers(RiskTiers.HIGH).approvers("group:dba").build());
    return Governance.builder().runtime(JitAccess.builder())
        .grants(PostgresGrantStore.builder().dataSource(db).clock(clock)
            .consistency(Consistency.STRICT).build())
        .store(PostgresGovernanceStore.builder().dataSource(db).build())
        .clock(clock).scheduler(clock).directory(directory).rules(rules)
        .reviewDeadline(Duration.ofMinutes(45))
        .notifier(n -> notified(name, n)).auditSink(e -> audited(name, e)).build();
  }

  private void run(DataSource db) {
    PostgresSchema.apply(db, PostgresSchema.DEFAULT_NAME);
    PostgresGovernanceSchema.apply(db, PostgresSchema.DEFAULT_NAME);
    try (Governance a = replica(db, "A"); Governance b = replica(db, "B")) {
      AccessRequest asked = a.request(RequestSpec.builder().requester("vendor-bob")
          .owner("platform").task("INC-4711").purpose("read the orders that failed to sync")
          .scope("read:db/orders").lifetime(Duration.ofMinutes(30)).tier(RiskTiers.HIGH)
          .justification("orders from the EU shop fail to sync since 17:20, INC-4711").build());
      b.approve(asked.id(), "dba-ann");
      b.approve(asked.id(), "sec-sue");
      Grant vendor = a.activate(asked.id(), "vendor-bob");
      line("A", "vendor-bob's check on A: " + a.access().check(vendor.id(), "read", "db/orders"));
      line("B", "vendor-bob's check on B: " + b.access().check(vendor.id(), "read", "db/orders"));
      try {
        b.approve(asked.id(), "dba-ann");
      } catch (GovernanceException e) {
        line("B", "dba-ann approves again: refused, " + e.getMessage());
      }

      clock.setTo(Instant.parse("2026-12-08T03:00:00Z"));
      Grant glass = b.breakGlass(RequestSpec.builder().requester("oncall-olga")
          .owner("platform").task("SEV1-88").purpose("restart the payment service")
          .scope("admin:prod/payments").lifetime(Duration.ofHours(1)).tier(RiskTiers.HIGH)
          .justification("payments down at 3 a.m., no approver reachable").build());
      line("B", "oncall-olga's check: " + b.access().check(glass.id(), "admin", "prod/payments"));
      clock.setTo(Instant.parse("2026-12-08T03:44:59Z"));
      line("A", "03:44:59, still unreviewed; check: "
          + a.access().check(glass.id(), "admin", "prod/payments"));
      clock.setTo(Instant.parse("2026-12-08T03:45:00Z"));
      line("A", "03:45:00 review deadline; check: "
          + a.access().check(glass.id(), "admin", "prod/payments"));
      try {
        a.breakGlass(RequestSpec.builder().requester("oncall-olga").owner("platform")
            .task("SEV1-89").purpose("again").scope("admin:prod/payments")
            .lifetime(Duration.ofMinutes(10)).tier(RiskTiers.HIGH)
            .justification("payments down again, still nobody around").build());
      } catch (GovernanceException e) {
        line("A", "oncall-olga breaks the glass again: refused, " + e.rule());
      }
      line("B", "lead-lee unlocks oncall-olga: " + b.unlockBreakGlass("oncall-olga", "lead-lee"));
    }
  }

  private void audited(String replica, AuditEvent e) {
    switch (e.type()) {
      case REQUESTED: case APPROVED: case ACTIVATED: case BREAK_GLASS: case REVOKED:
      case BREAK_GLASS_LOCKED: case BREAK_GLASS_UNLOCKED:
        line(replica, "audit " + e.type() + (e.actor() == null ? "" : " by " + e.actor())
            + (e.subject() == null ? "" : " for " + e.subject())
            + (e.reason() == null ? "" : " (" + e.reason() + ")")
            + (e.detail() == null ? "" : ": " + e.detail()));
        break;
      default:
        break;
    }
  }

  private void notified(String replica, Notification n) {
    line(replica, "notify " + n.kind() + " to " + new java.util.TreeSet<>(n.recipients()));
  }

  private void line(String replica, String text) {
    out.printf("%s  %s  %s%n", clock.instant().toString().substring(11, 19), replica, text);
  }
}
