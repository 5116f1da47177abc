package dev.jitaccess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Grant#isWithinValidity(Clock)} against the exact answer, {@code issuedAt <= now <
 * expiresAt}, on the JDK's fixed and system clocks (which take the millisecond fast path when now is
 * more than a millisecond from both ends) and on an offset clock (which never does).
 */
class GrantValidityClockTest {
  private static final String ID = "AAAAAAAAAAAAAAAAAAAAAA";
  /** Five milliseconds past a second: its millisecond product survives int arithmetic. */
  private static final Instant EXPIRES = Instant.parse("2026-11-23T10:01:01.005Z");
  private static final Instant ISSUED = Instant.parse("2026-11-23T10:00:00.007Z");

  private static Grant grant(Instant issuedAt, Instant expiresAt) {
    return Grant.builder().id(ID).subject("subject").owner("owner").task("task").purpose("purpose")
        .scope(Scope.parse("read:a")).issuedAt(issuedAt).expiresAt(expiresAt).notAfter(expiresAt)
        .build();
  }

  private static Grant issued(Instant issuedAt, Instant expiresAt) {
    GrantRequest request = GrantRequest.builder().subject("s").owner("o").task("t").purpose("p")
        .scope("read:a").ttl(Ttl.of(Duration.ofDays(1))).build();
    return Grant.issue(ID, request, request.scope(), issuedAt, expiresAt, expiresAt, null);
  }

  private static Clock fixed(Instant now) {
    return Clock.fixed(now, ZoneOffset.UTC);
  }

  /** An offset clock that reads {@code now}: it never takes the millisecond path. */
  private static Clock offset(Instant now) {
    return Clock.offset(fixed(now.minusNanos(1)), Duration.ofNanos(1));
  }

  private static boolean exact(Grant grant, Instant now) {
    return !now.isBefore(grant.issuedAt()) && now.isBefore(grant.expiresAt());
  }

  @ParameterizedTest(name = "at expiresAt {0} ns: {1}")
  @CsvSource({
      "-60000000000, true", // a minute before
      "-2000000, true",
      "-1000001, true",
      "-1000000, true",
      "-999999, true",
      "-5000001, true", // the millisecond before the second
      "-5000000, true", // on the second
      "-1, true",
      "0, false",
      "1, false",
      "999999, false",
      "1000000, false",
      "1000001, false",
      "995000000, false", // the next second
      "60000000000, false",
  })
  void theEndIsExactAroundAnExpiryFiveMillisecondsPastASecond(long nanos, boolean within) {
    Instant now = EXPIRES.plusNanos(nanos);
    for (Grant g : new Grant[] {grant(ISSUED, EXPIRES), issued(ISSUED, EXPIRES)}) {
      assertEquals(within, g.isWithinValidity(fixed(now)), () -> "fixed at " + now);
      assertEquals(within, g.isWithinValidity(offset(now)), () -> "offset at " + now);
    }
  }

  @ParameterizedTest(name = "at issuedAt {0} ns: {1}")
  @CsvSource({
      "-60000000000, false",
      "-7000001, false", // the millisecond before the second
      "-7000000, false", // on the second
      "-5000000, false",
      "-2000000, false",
      "-1000001, false",
      "-1000000, false",
      "-999999, false",
      "-1, false",
      "0, true",
      "1, true",
      "999999, true",
      "1000000, true",
      "1000001, true",
      "2000000, true",
      "60000000000, true",
  })
  void theStartIsExactAroundAnIssueSevenMillisecondsPastASecond(long nanos, boolean within) {
    Instant now = ISSUED.plusNanos(nanos);
    for (Grant g : new Grant[] {grant(ISSUED, EXPIRES), issued(ISSUED, EXPIRES)}) {
      assertEquals(within, g.isWithinValidity(fixed(now)), () -> "fixed at " + now);
      assertEquals(within, g.isWithinValidity(offset(now)), () -> "offset at " + now);
    }
  }

  @Test
  void aStartBetweenMillisecondsIsExactOnBothSides() {
    Instant issuedAt = Instant.parse("2026-11-23T10:00:00.004300Z"); // 0.3 ms past a millisecond
    Grant g = grant(issuedAt, EXPIRES);
    assertFalse(g.isWithinValidity(fixed(issuedAt.minusNanos(1))));
    assertFalse(g.isWithinValidity(fixed(issuedAt.minusNanos(300_000)))); // the millisecond
    assertFalse(g.isWithinValidity(fixed(issuedAt.minusNanos(1_300_000))));
    assertFalse(g.isWithinValidity(fixed(issuedAt.minusMillis(4))));
    assertTrue(g.isWithinValidity(fixed(issuedAt)));
    assertTrue(g.isWithinValidity(fixed(issuedAt.plusNanos(700_000)))); // the next millisecond
    assertTrue(g.isWithinValidity(fixed(issuedAt.plusMillis(5))));
  }

  @Test
  void anEndBetweenMillisecondsIsExactOnBothSides() {
    Instant expiresAt = Instant.parse("2026-11-23T10:01:01.005300Z");
    Grant g = grant(ISSUED, expiresAt);
    assertTrue(g.isWithinValidity(fixed(expiresAt.minusNanos(1))));
    assertTrue(g.isWithinValidity(fixed(expiresAt.minusNanos(300_000)))); // the millisecond
    assertTrue(g.isWithinValidity(fixed(expiresAt.minusNanos(1_300_000))));
    assertFalse(g.isWithinValidity(fixed(expiresAt)));
    assertFalse(g.isWithinValidity(fixed(expiresAt.plusNanos(699_999))));
    assertFalse(g.isWithinValidity(fixed(expiresAt.plusNanos(700_000)))); // the next millisecond
    assertFalse(g.isWithinValidity(fixed(expiresAt.plusMillis(5))));
  }

  @Test
  void farFromBothEndsTheAnswerIsTheIntervalsOnEveryClock() {
    Grant g = grant(ISSUED, EXPIRES);
    Instant middle = ISSUED.plusSeconds(30);
    assertTrue(g.isWithinValidity(fixed(middle)));
    assertTrue(g.isWithinValidity(offset(middle)));
    assertFalse(g.isWithinValidity(fixed(ISSUED.minus(Duration.ofDays(400)))));
    assertFalse(g.isWithinValidity(offset(ISSUED.minus(Duration.ofDays(400)))));
    assertFalse(g.isWithinValidity(fixed(EXPIRES.plus(Duration.ofDays(400)))));
    assertFalse(g.isWithinValidity(offset(EXPIRES.plus(Duration.ofDays(400)))));
    assertFalse(g.isWithinValidity(fixed(Instant.EPOCH)));
    assertFalse(g.isWithinValidity(fixed(Instant.ofEpochMilli(-1))));
    assertFalse(g.isWithinValidity(fixed(Instant.ofEpochMilli(Long.MIN_VALUE))));
  }

  @Test
  void grantsBeforeTheEpochAreExactToo() {
    Instant issuedAt = Instant.parse("1969-12-31T23:59:58.007Z");
    Instant expiresAt = Instant.parse("1969-12-31T23:59:59.005Z");
    Grant g = grant(issuedAt, expiresAt);
    assertFalse(g.isWithinValidity(fixed(issuedAt.minusNanos(1))));
    assertFalse(g.isWithinValidity(fixed(issuedAt.minusMillis(3))));
    assertTrue(g.isWithinValidity(fixed(issuedAt)));
    assertTrue(g.isWithinValidity(fixed(issuedAt.plusMillis(500))));
    assertTrue(g.isWithinValidity(fixed(expiresAt.minusNanos(1))));
    assertFalse(g.isWithinValidity(fixed(expiresAt)));
    assertFalse(g.isWithinValidity(fixed(expiresAt.plusMillis(3))));
    assertFalse(g.isWithinValidity(fixed(Instant.EPOCH)));
  }

  @Test
  void theSystemClockAgreesWithTheIntervalAroundNow() {
    Instant now = Instant.now();
    Clock system = Clock.systemUTC();
    assertTrue(grant(now.minusSeconds(3600), now.plusSeconds(3600)).isWithinValidity(system));
    assertFalse(grant(now.minusSeconds(7200), now.minusSeconds(3600)).isWithinValidity(system));
    assertFalse(grant(now.plusSeconds(3600), now.plusSeconds(7200)).isWithinValidity(system));
    assertTrue(issued(now.minusSeconds(3600), now.plusSeconds(3600)).isWithinValidity(system));
    assertFalse(issued(now.minusSeconds(7200), now.minusSeconds(3600)).isWithinValidity(system));
    assertFalse(issued(now.plusSeconds(3600), now.plusSeconds(7200)).isWithinValidity(system));
  }

  @Test
  void aGrantReachingPastTheMillisecondRangeIsExactOnAFixedClock() {
    Instant now = Instant.parse("2026-11-23T10:00:00Z");
    Grant endless = grant(now.minusSeconds(60), Instant.MAX);
    assertTrue(endless.isWithinValidity(fixed(now)));
    assertFalse(endless.isWithinValidity(fixed(now.minusSeconds(61))));
    Grant ancient = grant(Instant.MIN, now);
    assertTrue(ancient.isWithinValidity(fixed(now.minusSeconds(60))));
    assertFalse(ancient.isWithinValidity(fixed(now)));
    assertFalse(ancient.isWithinValidity(fixed(now.plusSeconds(60))));
  }

  @Test
  void onAFixedClockTheAnswerIsExactlyTheHalfOpenInterval() {
    // Ends at arbitrary nanoseconds; instants within a few milliseconds of either end.
    qt().withExamples(5_000)
        .forAll(integers().between(0, 999_999_999), integers().between(0, 999_999_999),
            longs().between(-4_000_000, 4_000_000), integers().between(0, 1))
        .checkAssert((issuedNanos, expiresNanos, delta, nearEnd) -> {
          Instant issuedAt = Instant.parse("2026-11-23T10:00:00Z").plusNanos(issuedNanos);
          Instant expiresAt = Instant.parse("2026-11-23T10:00:10Z").plusNanos(expiresNanos);
          Grant g = grant(issuedAt, expiresAt);
          Instant now = (nearEnd == 1 ? expiresAt : issuedAt).plusNanos(delta);
          assertEquals(exact(g, now), g.isWithinValidity(fixed(now)), () -> g + " at " + now);
          assertEquals(exact(g, now), g.isWithinValidity(offset(now)), () -> g + " at " + now);
        });
  }
}
