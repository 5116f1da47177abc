package dev.jitaccess;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** The millisecond fast path of {@link Grant#isWithinValidity(Clock)}. */
final class Validity {
  /**
   * The classes of {@link Clock#systemUTC()} and {@link Clock#fixed}: their milliseconds are their
   * instant's, rounded down.
   */
  private static final Class<? extends Clock> SYSTEM_CLOCK = Clock.systemUTC().getClass();
  private static final Class<? extends Clock> FIXED_CLOCK =
      Clock.fixed(Instant.EPOCH, ZoneOffset.UTC).getClass();

  /** Beyond this many seconds from the epoch, epoch milliseconds overflow a long. */
  private static final long MAX_MILLIS_SECONDS = Long.MAX_VALUE / 1000 - 1;

  private Validity() {}

  /**
   * True only if the clock is a system or fixed clock whose millisecond reading lies more than a
   * millisecond inside [issued, expires); false means "ask the full-precision instant".
   */
  static boolean byMillis(Clock clock, long issuedSeconds, int issuedNanos, long expiresSeconds,
      int expiresNanos) {
    Class<?> type = clock.getClass();
    if ((type != SYSTEM_CLOCK && type != FIXED_CLOCK)
        || issuedSeconds <= -MAX_MILLIS_SECONDS || expiresSeconds >= MAX_MILLIS_SECONDS) {
      return false;
    }
    long millis;
    try {
      millis = clock.millis();
    } catch (ArithmeticException outOfMillisRange) {
      return false;
    }
    // The true now is in [millis, millis + 1) ms.
    long issuedCeil = issuedSeconds * 1000 + (issuedNanos + 999_999) / 1_000_000;
    long expiresFloor = expiresSeconds * 1000 + expiresNanos / 1_000_000;
    // millis < expiresFloor, not millis + 1 <= expiresFloor: that overflows at Long.MAX_VALUE.
    return millis >= issuedCeil && millis < expiresFloor;
  }
}
