package dev.jitaccess.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantState;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * Whether a cached grant is still within the store's retention, read without allocating on the
 * JDK's system and fixed clocks: the answer is exactly {@code retainedFrom > now - retention}, on
 * either side of the boundary, as on any other clock.
 */
class RetentionClockTest {
  private static final Instant BASE = Instant.parse("2026-11-23T10:00:00Z");

  private static Purger purger(Clock clock, Duration retention) {
    return new Purger(null, null, clock, retention); // the retention alone touches no database
  }

  private static Clock fixed(Instant now) {
    return Clock.fixed(now, ZoneOffset.UTC);
  }

  /** An offset clock reading {@code now}: never the millisecond path. */
  private static Clock offset(Instant now) {
    return Clock.offset(fixed(now.minusNanos(1)), Duration.ofNanos(1));
  }

  private static Grant grant(Instant issuedAt, Instant expiresAt, Instant notAfter) {
    return Grant.builder().id("AAAAAAAAAAAAAAAAAAAAAA").subject("s").owner("o").task("t")
        .purpose("p").scope(Scope.parse("read:a")).issuedAt(issuedAt).expiresAt(expiresAt)
        .notAfter(notAfter).build();
  }

  @Test
  void theRetentionEndsExactlyOnEitherSideOfTheBoundaryOnEveryClock() {
    qt().withExamples(5_000)
        .forAll(integers().between(0, 999_999_999), longs().between(-3_000_000, 3_000_000),
            longs().between(0, 3_600_000_000_000L), integers().between(0, 1))
        .checkAssert((nanos, delta, retentionNanos, endedNotActive) -> {
          Duration retention = Duration.ofNanos(retentionNanos);
          Instant retainedFrom = BASE.plusNanos(nanos);
          Instant now = retainedFrom.plus(retention).plusNanos(delta); // near the boundary
          boolean exact = retainedFrom.isAfter(now.minus(retention));
          Grant grant = endedNotActive == 1
              ? grant(retainedFrom.minusSeconds(20), retainedFrom.minusSeconds(10),
                  retainedFrom.plusSeconds(10)).end(GrantState.REVOKED, RevocationReason.MANUAL,
                  retainedFrom)
              : grant(retainedFrom.minusSeconds(20), retainedFrom.minusSeconds(10), retainedFrom);
          for (Clock clock : new Clock[] {fixed(now), offset(now)}) {
            Purger purger = purger(clock, retention);
            assertEquals(exact, purger.isRetained(retainedFrom), () -> clock + " " + retention);
            assertEquals(exact, purger.isRetained(grant), () -> clock + " " + grant);
          }
        });
  }

  @Test
  void anActiveGrantWithinItsValidityIsRetainedWithoutReadingItsNotAfter() {
    Grant grant = grant(BASE, BASE.plusSeconds(60), BASE.plusSeconds(120));
    assertTrue(purger(fixed(BASE.plusSeconds(30)), Duration.ZERO).isRetained(grant));
    assertTrue(purger(fixed(BASE.plusSeconds(90)), Duration.ZERO).isRetained(grant),
        "expired, still before its notAfter");
    assertFalse(purger(fixed(BASE.plusSeconds(120)), Duration.ZERO).isRetained(grant));
    assertTrue(purger(fixed(BASE.plusSeconds(120)), Duration.ofNanos(1)).isRetained(grant));
  }

  @Test
  void instantsOutsideTheMillisecondRangeAndLongRetentionsTakeTheExactPath() {
    Clock clock = fixed(BASE);
    assertFalse(purger(clock, Duration.ZERO).isRetained(Instant.MIN));
    assertTrue(purger(clock, Duration.ZERO).isRetained(Instant.MAX));
    assertFalse(purger(clock, Duration.ZERO).isRetained(Instant.EPOCH.minusNanos(1)));
    Duration forever = Duration.ofSeconds(Long.MAX_VALUE);
    assertTrue(purger(clock, forever).isRetained(Instant.EPOCH), "cutoff before every instant");
    assertTrue(purger(fixed(Instant.MAX), Duration.ofDays(1)).isRetained(Instant.MAX));
    assertFalse(purger(fixed(Instant.MAX), Duration.ofDays(1))
        .isRetained(Instant.MAX.minus(Duration.ofDays(1))));
    assertFalse(purger(fixed(Instant.MAX), Duration.ofDays(1)).isRetained(BASE),
        "a clock past the millisecond range");
    assertTrue(purger(fixed(Instant.MIN), Duration.ofDays(1)).isRetained(BASE));
  }
}
