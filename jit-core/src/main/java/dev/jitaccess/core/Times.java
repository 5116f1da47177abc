package dev.jitaccess.core;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;

/** Instant arithmetic that never overflows silently. */
final class Times {
  private Times() {}

  /**
   * {@code instant + amount}.
   *
   * @throws IllegalArgumentException naming {@code field}, if the result is past Instant.MAX
   */
  static Instant plus(Instant instant, Duration amount, String field) {
    try {
      return instant.plus(amount);
    } catch (DateTimeException | ArithmeticException e) {
      throw new IllegalArgumentException(
          field + " " + amount + " from " + instant + " is beyond the last representable instant", e);
    }
  }

  /** {@code instant + amount}, or {@link Instant#MAX} if that is past it. */
  static Instant saturatedPlus(Instant instant, Duration amount) {
    try {
      Instant sum = instant.plus(amount);
      return sum.isAfter(Instant.MAX) ? Instant.MAX : sum;
    } catch (DateTimeException | ArithmeticException e) {
      return amount.isNegative() ? Instant.MIN : Instant.MAX;
    }
  }

  /** The later of two instants. */
  static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  /** The earlier of two instants. */
  static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  /** Nanoseconds from {@code from} to {@code to}, saturated to the long range. */
  static long saturatedNanos(Instant from, Instant to) {
    long seconds = to.getEpochSecond() - from.getEpochSecond();
    long nanos = to.getNano() - from.getNano();
    if (seconds > Long.MAX_VALUE / 1_000_000_000L - 1) {
      return Long.MAX_VALUE;
    }
    if (seconds < Long.MIN_VALUE / 1_000_000_000L + 1) {
      return Long.MIN_VALUE;
    }
    return seconds * 1_000_000_000L + nanos;
  }
}
