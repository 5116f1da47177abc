package dev.jitaccess.examples;

import dev.jitaccess.AccessDeniedException;
import dev.jitaccess.AuditEvent;
import dev.jitaccess.Decision;
import dev.jitaccess.DelegationRequest;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.Scope;
import dev.jitaccess.Ttl;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.core.TaskGrant;
import dev.jitaccess.testkit.time.FakeClock;
import java.io.PrintStream;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole lifecycle of task-scoped access, printed as a timeline: an export job gets a
 * five-minute grant, delegates a narrower one to an AI agent, renews while the task lives, loses
 * everything the moment the task ends, and a forgotten grant expires on its own. Time is a fake
 * clock so the demo runs instantly and the same way every time.
 */
public final class LifecycleDemo {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

  private final PrintStream out;
  private final FakeClock clock = new FakeClock();
  /** Lines a check caused (its audit events, a teardown), printed after the check's own line. */
  private final List<String> causedByCheck = new ArrayList<>();
  private boolean checking;

  LifecycleDemo(PrintStream out) {
    this.out = out;
  }

  /** Runs the demo on standard output. */
  public static void main(String[] args) {
    new LifecycleDemo(System.out).run();
  }

  void run() {
    try (JitAccess jit = JitAccess.builder()
        .clock(clock)
        .scheduler(clock)
        .auditSink(this::audit)
        .listener((grant, reason) -> line("listener", "tear down " + grant.subject()
            + "'s access to " + grant.scope() + " (" + reason + ")"))
        .build()) {

      GrantRequest export = GrantRequest.builder()
          .subject("export-job-7").owner("team-finance").task("monthly-export-2026-11")
          .purpose("export November invoices")
          .scope(Scope.parse("read:invoices/2026-11/**", "write:exports/2026-11/*"))
          .ttl(Ttl.of(Duration.ofMinutes(5), Duration.ofMinutes(30)))
          .build();

      Grant grant;
      Grant helper;
      try (TaskGrant task = jit.open(export)) {
        grant = task.grant();
        show(jit, grant, "read", "invoices/2026-11/4711");
        show(jit, grant, "write", "exports/2026-11/invoices.csv");
        show(jit, grant, "read", "invoices/2026-10/0001");
        show(jit, grant, "delete", "invoices/2026-11/4711");

        Grant agent = jit.delegate(grant.id(), DelegationRequest.builder()
            .subject("summarizer-agent").scope(Scope.parse("read:invoices/2026-11/*"))
            .ttl(Ttl.of(Duration.ofMinutes(2))).useBudget(2).build());
        show(jit, agent, "read", "invoices/2026-11/4711");
        show(jit, agent, "read", "invoices/2026-11/4712");
        show(jit, agent, "read", "invoices/2026-11/4713");

        advance(Duration.ofMinutes(4));
        Grant renewed = jit.renew(grant.id(), Duration.ofMinutes(5));
        line("renew", "task still running: expires at " + TIME.format(renewed.expiresAt()));
        advance(Duration.ofMinutes(3));
        show(jit, grant, "write", "exports/2026-11/invoices.csv");

        helper = jit.delegate(grant.id(), Scope.parse("write:exports/2026-11/*"),
            Duration.ofMinutes(1), "upload-helper");
        line("task", "export finished: leaving the task's try block");
      }
      show(jit, helper, "write", "exports/2026-11/invoices.csv");
      try {
        jit.require(grant.id(), "read", "invoices/2026-11/4711");
      } catch (AccessDeniedException e) {
        line("require", "throws " + e.getClass().getSimpleName() + ": " + e.reason());
      }

      Grant forgotten = jit.request(export.toBuilder().subject("vendor-support")
          .task("ticket-1234").scope(Scope.parse("read:invoices/2026-11/4711"))
          .ttl(Ttl.of(Duration.ofMinutes(10))).build());
      line("note", "nobody revokes the vendor's grant; the clock will");
      advance(Duration.ofMinutes(10));
      show(jit, forgotten, "read", "invoices/2026-11/4711");
    }
  }

  private void show(JitAccess jit, Grant grant, String action, String resource) {
    checking = true;
    Decision decision;
    try {
      decision = jit.check(grant.id(), action, resource);
    } finally {
      checking = false;
    }
    line("check", String.format("%-16s %-6s %-30s -> %s", grant.subject(), action, resource,
        decision));
    causedByCheck.forEach(out::println);
    causedByCheck.clear();
  }

  private void advance(Duration amount) {
    line("clock", "+" + amount.toMinutes() + " min, to "
        + TIME.format(clock.instant().plus(amount)));
    clock.advance(amount);
  }

  private void audit(AuditEvent event) {
    if (event.type() == dev.jitaccess.AuditEventType.DENIED) {
      return; // denials are visible in the check lines
    }
    line("audit", event.type() + " " + event.subject() + " task=" + event.task()
        + (event.reason() == null ? "" : " reason=" + event.reason())
        + (event.expiresAt() == null ? "" : " until " + TIME.format(event.expiresAt())));
  }

  private void line(String kind, String text) {
    String line = String.format("%s  %-8s %s", TIME.format(clock.instant()), kind, text);
    if (checking) {
      causedByCheck.add(line);
    } else {
      out.println(line);
    }
  }

}
