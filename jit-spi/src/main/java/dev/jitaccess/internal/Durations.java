package dev.jitaccess.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;

/** Durations as people type them into a filter or a form. Not API: for the library's modules. */
public final class Durations {
  private Durations() {}

  /**
   * {@code value} as an ISO-8601 duration ({@code PT2H}, {@code -PT5M}, any case), or as a whole
   * number of at most nine digits followed by {@code s}, {@code m}, {@code h} or {@code d}
   * ({@code 90s}, {@code 30m}, {@code 2h}, {@code 7d}); null if it is neither. The caller says
   * what was wrong, in its own words, and decides whether a negative duration is allowed.
   */
  public static @Nullable Duration parse(String value) {
    if (value.isEmpty()) {
      return null;
    }
    char first = value.charAt(0);
    if (first == 'P' || first == 'p' || first == '-' && value.length() > 1
        && (value.charAt(1) == 'P' || value.charAt(1) == 'p')) {
      try {
        return Duration.parse(value);
      } catch (DateTimeParseException bad) {
        return null;
      }
    }
    String digits = value.substring(0, value.length() - 1);
    if (digits.isEmpty() || digits.length() > 9
        || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return null;
    }
    long n = Long.parseLong(digits);
    switch (value.charAt(value.length() - 1)) {
      case 's':
        return Duration.ofSeconds(n);
      case 'm':
        return Duration.ofMinutes(n);
      case 'h':
        return Duration.ofHours(n);
      case 'd':
        return Duration.ofDays(n);
      default:
        return null;
    }
  }
}
