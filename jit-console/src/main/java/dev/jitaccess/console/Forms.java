package dev.jitaccess.console;

import dev.jitaccess.internal.Durations;
import java.time.Duration;
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
    Duration d = Durations.parse(v);
    if (d == null) {
      throw new ConsoleInputException(field + " must be like 30m, 2h, 7d or PT2H.");
    }
    if (d.isNegative()) {
      throw new ConsoleInputException(field + " must not be negative.");
    }
    return d;
  }

}
