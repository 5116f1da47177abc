package dev.jitaccess.governance;

import java.util.Objects;

/** The rules for names and free text that governance stores and logs. */
final class Names {
  static final int MAX = 256;
  static final int MAX_TEXT = 1024;

  private Names() {}

  /** A non-blank name of at most 256 characters, without control or bidirectional characters. */
  static String check(String value, String field) {
    return check(value, field, MAX);
  }

  /** Free text: non-blank, at most 1,024 characters, without control or bidirectional characters. */
  static String text(String value, String field) {
    return check(value, field, MAX_TEXT);
  }

  private static String check(String value, String field, int max) {
    Objects.requireNonNull(value, () -> field + " must not be null");
    if (value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank");
    }
    if (value.length() > max) {
      throw new IllegalArgumentException(
          field + " must be at most " + max + " characters, was " + value.length());
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029'
          || Character.getType(c) == Character.FORMAT) {
        throw new IllegalArgumentException(field
            + " must not hold control, line separator or format characters (at index " + i + ")");
      }
    }
    return value;
  }
}
