package dev.jitaccess.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.jitaccess.DenyReason;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantReference;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import dev.jitaccess.Ttl;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** A revoked grant checked a million times through a real runtime: the trail stays small. */
class DenialFloodTest {
  private static final int FLOOD = 1_000_000;

  @Test
  void millionDenialsOfARevokedGrantLogOneLinePerWindowAndOneSummary() {
    FakeClock clock = new FakeClock();
    RecordingLogger log = new RecordingLogger();
    Slf4jAuditSink sink = Slf4jAuditSink.builder().clock(clock).logger(log).build();
    InMemoryGrantStore store = InMemoryGrantStore.builder().clock(clock).scheduler(clock).build();
    try (JitAccess jit = JitAccess.builder().clock(clock).scheduler(clock).store(store)
        .auditSink(sink).build()) {
      Grant grant = jit.request(GrantRequest.builder()
          .subject("ci-job").owner("team-a").task("deploy-42").purpose("flood test")
          .scope(Scope.parse("write:orders/*"))
          .ttl(Ttl.of(Duration.ofMinutes(10), Duration.ofMinutes(30))).build());
      jit.revoke(grant.id(), RevocationReason.ANOMALY);
      assertEquals(2, log.lines(Level.INFO).size(), "ISSUED and REVOKED");
      String ref = GrantReference.of(grant.id());
      Instant firstAt = clock.instant();

      for (int i = 0; i < FLOOD; i++) {
        assertEquals(DenyReason.REVOKED, jit.check(grant.id(), "write", "orders/1").reason());
      }

      List<RecordingLogger.Line> warn = log.lines(Level.WARN);
      assertEquals(1, warn.size(), "one line for the first denial, the rest counted");
      RecordingLogger.Line first = warn.get(0);
      assertEquals("DENIED grant=" + ref + " subject=ci-job owner=team-a task=deploy-42"
          + " reason=REVOKED action=write resource=orders/1",
          first.message());
      assertNull(first.get("count"));

      clock.advance(Duration.ofSeconds(61));
      assertEquals(DenyReason.REVOKED, jit.check(grant.id(), "write", "orders/1").reason());

      warn = log.lines(Level.WARN);
      assertEquals(3, warn.size(), "a summary and the next window's first line");
      RecordingLogger.Line summary = warn.get(1);
      assertEquals((long) FLOOD - 1, summary.get("count"));
      assertEquals("PT1M", summary.get("window"));
      assertEquals(firstAt.toString(), summary.get("first"));
      assertEquals(firstAt.toString(), summary.get("last"));
      assertEquals(ref, summary.get("grant"));
      assertEquals("DENIED grant=" + ref + " reason=REVOKED count=999999 window=PT1M first="
          + firstAt + " last=" + firstAt, summary.message());
      RecordingLogger.Line reopened = warn.get(2);
      assertNull(reopened.get("count"));
      assertEquals(clock.instant().toString(), reopened.get("at"));

      assertEquals(5, log.lines().size(), "ISSUED, REVOKED, first line, summary, first line");
      for (RecordingLogger.Line line : log.lines()) {
        assertFalse(line.rendered().contains(grant.id()), () -> "grant id in " + line);
        Slf4jAuditSinkTest.assertSafe(line.rendered());
      }
    }
  }
}
