package dev.jitaccess.console;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * How the console writes values for people: times in UTC to the second, durations as {@code
 * 2h05m}, absent values as a dash. Templates receive only such strings, so nothing they show
 * depends on what an expression may call. Stateless.
 */
final class Views {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private Views() {}

  static String time(@Nullable Instant at) {
    return at == null ? "-" : TIME.format(at);
  }

  static String duration(@Nullable Duration d) {
    if (d == null) {
      return "-";
    }
    boolean negative = d.isNegative();
    long s = Math.abs(d.getSeconds());
    long days = s / 86_400;
    long hours = s % 86_400 / 3600;
    long minutes = s % 3600 / 60;
    long seconds = s % 60;
    String text;
    if (days > 0) {
      text = days + "d" + two(hours) + "h";
    } else if (hours > 0) {
      text = hours + "h" + two(minutes) + "m";
    } else if (minutes > 0) {
      text = minutes + "m" + two(seconds) + "s";
    } else {
      text = seconds + "s";
    }
    return negative ? "-" + text : text;
  }

  static String text(@Nullable Object value) {
    return value == null ? "-" : value.toString();
  }

  static String joined(Collection<?> values) {
    return values.isEmpty() ? "-"
        : values.stream().map(Object::toString).collect(Collectors.joining(", "));
  }

  private static String two(long n) {
    return n < 10 ? "0" + n : Long.toString(n);
  }
}
