package dev.jitaccess.console;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;

/**
 * Reads form fields: required text (trimmed, at most a length, no control characters), and
 * durations written {@code 30m}, {@code 2h}, {@code 7d}, {@code 90s} or ISO-8601 ({@code PT2H}).
 * A bad field is a {@link ConsoleInputException} naming it and the rule. Stateless.
 */
final class Forms {
  private Forms() {}

  static String required(@Nullable String value, String field, int max) {
    String v = optional(value, field, max);
    if (v == null) {
      throw new ConsoleInputException(field + " is required.");
    }
    return v;
  }

  static @Nullable String optional(@Nullable String value, String field, int max) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.strip();
    if (v.length() > max) {
      throw new ConsoleInputException(field + " must be at most " + max + " characters.");
    }
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
        throw new ConsoleInputException(field + " must not contain control characters.");
      }
    }
    return v;
  }

  static Duration duration(@Nullable String value, String field, Duration absent) {
    String v = optional(value, field, 32);
    if (v == null) {
      return absent;
    }
    Duration d;
    if (v.startsWith("P") || v.startsWith("p")) {
      try {
        d = Duration.parse(v);
      } catch (DateTimeParseException bad) {
        throw new ConsoleInputException(field + " must be like 30m, 2h, 7d or PT2H.");
      }
    } else {
      d = shortDuration(v, field);
    }
    if (d.isNegative()) {
      throw new ConsoleInputException(field + " must not be negative.");
    }
    return d;
  }

  private static Duration shortDuration(String v, String field) {
    String digits = v.substring(0, v.length() - 1);
    if (digits.isEmpty() || digits.length() > 9
        || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new ConsoleInputException(field + " must be like 30m, 2h, 7d or PT2H.");
    }
    long n = Long.parseLong(digits);
    switch (v.charAt(v.length() - 1)) {
      case 's':
        return Duration.ofSeconds(n);
      case 'm':
        return Duration.ofMinutes(n);
      case 'h':
        return Duration.ofHours(n);
      case 'd':
        return Duration.ofDays(n);
      default:
        throw new ConsoleInputException(field + " must be like 30m, 2h, 7d or PT2H.");
    }
  }
}
