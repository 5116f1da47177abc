package dev.jitaccess.caep;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Argument checks whose messages name the field and the rule. Stateless. */
final class Checks {
  private Checks() {}

  /** 1 to {@code max} characters, none of them a control character, not blank. */
  static String text(@Nullable String value, String field, int max) {
    Objects.requireNonNull(value, () -> field + " must not be null");
    if (value.isBlank() || value.length() > max) {
      throw new IllegalArgumentException(field + " must be 1 to " + max
          + " characters and not blank, had " + value.length());
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
          || c == '\u2028' || c == '\u2029') {
        throw new IllegalArgumentException(field + " must not contain control or format "
            + "characters, had one at offset " + i);
      }
    }
    return value;
  }

  /** Strictly between zero and {@code max}, inclusive of {@code max}. */
  static Duration positive(@Nullable Duration value, String field, Duration max) {
    Objects.requireNonNull(value, () -> field + " must not be null");
    if (value.isNegative() || value.isZero() || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(field + " must be > PT0S and <= " + max + ", was "
          + value);
    }
    return value;
  }

  /** From 1 to {@code max}. */
  static int positive(int value, String field, int max) {
    if (value < 1 || value > max) {
      throw new IllegalArgumentException(field + " must be in [1, " + max + "], was " + value);
    }
    return value;
  }

  /** Throws if a builder's setter is called a second time. */
  static void unset(boolean set, String field) {
    if (set) {
      throw new IllegalStateException(field + " was already set");
    }
  }
}
