package dev.jitaccess.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.jitaccess.AuditEventType;
import dev.jitaccess.Decision;
import dev.jitaccess.DenyReason;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The denial-burst detector against a model: random sequences of allowed, out-of-scope and
 * malformed checks and clock advances (on the fake clock, with advances that land on and just
 * before the window's edge) revoke the grant exactly at the check where the model has the last
 * {@code N} probing denials within the window, and never otherwise.
 */
class DenialBurstPropertyTest {
  private static final Map<String, AtomicInteger> SEEN = new ConcurrentHashMap<>();
  /** Clock advances stop here, well before the grant's one-hour expiry. */
  private static final Duration TIME_LIMIT = Duration.ofMinutes(50);

  @Test
  void revokedExactlyWhenTheModelHasNDenialsWithinTheWindow() {
    qt().withExamples(400).forAll(integers().between(1, 5), integers().between(1, 120),
        lists().of(integers().between(0, Integer.MAX_VALUE)).ofSizeBetween(1, 80))
        .checkAssert(DenialBurstPropertyTest::run);
    for (String outcome : List.of("revoked", "never revoked", "edge", "just inside")) {
      assertTrue(SEEN.getOrDefault(outcome, new AtomicInteger()).get() > 0,
          () -> "no run saw '" + outcome + "': " + SEEN);
    }
  }

  /** How a check of the revoked grant denies: REVOKED, until the store releases it. */
  static DenyReason ended(Instant revokedAt, Instant now) {
    return now.isBefore(revokedAt.plus(InMemoryGrantStore.DEFAULT_RETENTION))
        ? DenyReason.REVOKED : DenyReason.UNKNOWN_GRANT;
  }

  static void run(int denials, int windowSeconds, List<Integer> commands) {
    Duration window = Duration.ofSeconds(windowSeconds);
    AnomalyDetectionTest.Detecting d =
        new AnomalyDetectionTest.Detecting(AnomalyDetectors.denialBurst(denials, window));
    Grant grant = d.f.jit.request(Fixture.request()
        .ttl(dev.jitaccess.Ttl.of(Duration.ofHours(1))).build());
    Instant start = d.f.clock.instant();
    List<Instant> modelDenials = new ArrayList<>();
    boolean modelRevoked = false;
    Instant revokedAt = Instant.MAX;
    StringBuilder trace = new StringBuilder("N=" + denials + " window=" + window);
    for (int command : commands) {
      int op = command % 5;
      int arg = command / 5;
      Instant now = d.f.clock.instant();
      if (op == 0 || op == 1) { // a probing denial: out of scope, or malformed
        Decision decision = op == 0 ? d.f.jit.check(grant.id(), "delete", "orders/1")
            : d.f.jit.check(grant.id(), "read", "orders/../1");
        trace.append(" deny@").append(Duration.between(start, now));
        if (modelRevoked) {
          assertEquals(ended(revokedAt, now), decision.reason(), trace::toString);
        } else {
          assertEquals(op == 0 ? DenyReason.OUT_OF_SCOPE : DenyReason.MALFORMED_REQUEST,
              decision.reason(), trace::toString);
          modelDenials.add(now);
          int n = modelDenials.size();
          if (n >= denials) {
            Duration span = Duration.between(modelDenials.get(n - denials), now);
            if (span.compareTo(window) < 0) {
              modelRevoked = true;
              revokedAt = now;
              if (span.compareTo(window.minusNanos(1)) == 0) {
                SEEN.computeIfAbsent("just inside", k -> new AtomicInteger()).incrementAndGet();
              }
            }
          }
        }
      } else if (op == 2) { // an allowed check never counts
        Decision decision = d.f.jit.check(grant.id(), "read", "orders/1");
        assertEquals(modelRevoked ? ended(revokedAt, now) : null, decision.reason(),
            trace::toString);
        trace.append(" allow");
      } else if (Duration.between(start, now).compareTo(TIME_LIMIT) < 0) {
        Duration step = switch (arg % 6) {
          case 0 -> Duration.ZERO;
          case 1 -> Duration.ofNanos(1);
          case 2 -> window.minusNanos(1);
          case 3 -> window;
          case 4 -> window.dividedBy(denials);
          default -> Duration.ofMillis(arg % (windowSeconds * 2_000L));
        };
        if (arg % 6 == 3) {
          SEEN.computeIfAbsent("edge", k -> new AtomicInteger()).incrementAndGet();
        }
        d.f.clock.advance(step);
        trace.append(" +").append(step);
      }
      GrantState expected = modelRevoked ? GrantState.REVOKED : GrantState.ACTIVE;
      GrantState actual = d.f.jit.grant(grant.id()).map(Grant::state)
          .orElse(GrantState.REVOKED); // released after the store's retention: it had ended
      assertEquals(expected, actual, trace::toString);
    }
    assertEquals(modelRevoked ? 1 : 0, d.anomalies().size(), trace::toString);
    assertEquals(modelRevoked ? 1 : 0, d.reports.size(), trace::toString);
    if (modelRevoked) {
      assertEquals(AuditEventType.ANOMALY, d.anomalies().get(0).type());
      assertEquals("denial-burst", d.reports.get(0).detector());
    } else {
      d.f.jit.revoke(grant.id(), dev.jitaccess.RevocationReason.TASK_COMPLETED);
    }
    SEEN.computeIfAbsent(modelRevoked ? "revoked" : "never revoked", k -> new AtomicInteger())
        .incrementAndGet();
    d.f.jit.close();
  }
}
