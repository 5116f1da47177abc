package dev.jitaccess.governance;

import java.time.Duration;

/** Durations as people read them in a table: the two largest units, such as {@code 2h05m}. */
final class Durations {
  private Durations() {}

  /** {@code d} in days, hours, minutes and seconds, two units at most; {@code 0s} below a second. */
  static String compact(Duration d) {
    if (d.isNegative()) {
      return "-" + compact(d.negated());
    }
    long s = d.getSeconds();
    long days = s / 86_400;
    long hours = s % 86_400 / 3_600;
    long minutes = s % 3_600 / 60;
    long seconds = s % 60;
    if (days > 0) {
      return days + "d" + two(hours) + "h";
    }
    if (hours > 0) {
      return hours + "h" + two(minutes) + "m";
    }
    if (minutes > 0) {
      return minutes + "m" + two(seconds) + "s";
    }
    return seconds + "s";
  }

  private static String two(long n) {
    return n < 10 ? "0" + n : Long.toString(n);
  }
}
