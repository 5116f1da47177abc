package dev.jitaccess.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantReference;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import dev.jitaccess.Ttl;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The sink behind a real runtime: every kind of event, and never a grant id. */
class Slf4jAuditSinkRuntimeTest {
  @Test
  void noLineOfAWholeLifecycleContainsAGrantIdOnlyItsReference() {
    FakeClock clock = new FakeClock();
    RecordingLogger log = new RecordingLogger();
    Slf4jAuditSink sink = Slf4jAuditSink.builder().clock(clock).logger(log).build();
    InMemoryGrantStore store = InMemoryGrantStore.builder().clock(clock).scheduler(clock).build();
    Grant parent;
    Grant child;
    Grant expiring;
    try (JitAccess jit = JitAccess.builder().clock(clock).scheduler(clock).store(store)
        .auditSink(sink).allowedChecks(AllowedCheckAudit.EACH).build()) {
      GrantRequest.Builder request = GrantRequest.builder()
          .subject("ci-job").owner("team-a").task("deploy-42").purpose("release")
          .scope(Scope.parse("write:orders/**"))
          .ttl(Ttl.of(Duration.ofMinutes(5), Duration.ofMinutes(30)));
      parent = jit.request(request.build());
      expiring = jit.request(request.build());
      jit.check(parent.id(), "write", "orders/1");
      jit.check(parent.id(), "delete", "orders/1");
      jit.renew(parent.id(), Duration.ofMinutes(10));
      child = jit.delegate(parent.id(), Scope.parse("write:orders/1"), Duration.ofMinutes(1),
          "helper");
      jit.check(child.id(), "write", "orders/1");
      jit.revoke(parent.id(), RevocationReason.TASK_COMPLETED);
      jit.check(child.id(), "write", "orders/1");
      jit.check("bm90LWEtZ3JhbnQtbm90LWEtZ3JhbnQt", "write", "orders/1");
      clock.advance(Duration.ofMinutes(10));
      sink.flush();
    }

    List<RecordingLogger.Line> lines = log.lines();
    Set<Object> events = lines.stream().map(l -> l.get("event")).collect(Collectors.toSet());
    assertEquals(Set.of("ISSUED", "ALLOWED", "DENIED", "RENEWED", "DELEGATED", "REVOKED",
        "EXPIRED"), events);
    for (RecordingLogger.Line line : lines) {
      String rendered = line.rendered();
      for (Grant g : List.of(parent, child, expiring)) {
        assertFalse(rendered.contains(g.id()), () -> "grant id in " + rendered);
      }
      assertFalse(line.keyValues().containsValue(null));
      assertFalse(rendered.contains("null"), rendered);
      Object grant = line.get("grant");
      assertTrue(grant == null || ((String) grant).matches("gr_[A-Za-z0-9_-]{16}"), rendered);
    }
    assertTrue(lines.stream().anyMatch(l -> GrantReference.of(child.id()).equals(l.get("grant"))
        && GrantReference.of(parent.id()).equals(l.get("parent"))));
  }
}
