package dev.jitaccess.internal;

import java.text.Normalizer;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Argument checks whose messages name the field and the rule, so that every rejection reads like
 * {@code "subject must not be blank"}. Not an API.
 */
public final class Validation {
  /** Longest accepted name, id or free text, in characters (1 KiB). */
  public static final int MAX_TEXT_LENGTH = 1024;

  private Validation() {}

  /**
   * Checks a name such as a subject, owner or task id: not null, at most 1 KiB, not blank (only
   * white space, no-break spaces included, or characters that show nothing), and no character that
   * would let a caller forge lines in the audit log or make two names that read alike differ:
   * control characters, line and paragraph separators, format characters (zero-width characters,
   * bidirectional controls, the byte order mark), unpaired surrogates, and the characters that
   * render as nothing or change nothing visible: the Hangul fillers, the blank Braille pattern,
   * the combining grapheme joiner and the variation selectors. Names are compared, so one name has
   * one spelling: white space at either end is refused ({@code "deploy-42 "} is not {@code
   * "deploy-42"}), and the name is returned in Unicode normalization form NFC, so that the composed
   * and decomposed spellings of one name are the same name.
   *
   * @return the name in NFC
   */
  public static String name(@Nullable String value, String field) {
    check(value, field, false);
    if (isSpace(value.codePointAt(0))
        || isSpace(value.codePointBefore(value.length()))) {
      throw new IllegalArgumentException(
          field + " must not begin or end with white space, was " + value.length() + " characters");
    }
    return nfc(value);
  }

  private static boolean isSpace(int c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c);
  }

  /** {@code value} in NFC; the value itself when it is ASCII or already in NFC. */
  private static String nfc(String value) {
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) >= 0x80) {
        if (Normalizer.isNormalized(value, Normalizer.Form.NFC)) {
          return value;
        }
        String normal = Normalizer.normalize(value, Normalizer.Form.NFC);
        if (normal.length() > MAX_TEXT_LENGTH) {
          throw new IllegalArgumentException("name must be at most " + MAX_TEXT_LENGTH
              + " characters in NFC, was " + normal.length());
        }
        return normal;
      }
    }
    return value;
  }

  /**
   * Checks free text such as a purpose: as {@link #name}, except that format characters other
   * than the bidirectional controls, and the characters that show nothing, are allowed, since
   * writing needs them (the zero-width joiner and non-joiner of many scripts and of emoji
   * sequences, the variation selectors of emoji). Text is read, not compared. A text made only of
   * characters that show nothing is blank.
   */
  public static String text(@Nullable String value, String field) {
    return check(value, field, true);
  }

  private static String check(@Nullable String value, String field, boolean joinersAllowed) {
    Objects.requireNonNull(value, () -> field + " must not be null");
    if (value.length() > MAX_TEXT_LENGTH) {
      throw new IllegalArgumentException(
          field + " must be at most " + MAX_TEXT_LENGTH + " characters, was " + value.length());
    }
    boolean blank = true;
    for (int i = 0; i < value.length(); ) {
      int c = value.codePointAt(i);
      int type = Character.getType(c);
      boolean refused = type == Character.CONTROL || type == Character.LINE_SEPARATOR
          || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE
          || (type == Character.FORMAT && (!joinersAllowed || isBidiControl(c)));
      if (refused) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "%s must not contain control, %sline-separator or unpaired surrogate characters, "
                + "found U+%04X at index %d",
            field, joinersAllowed ? "bidirectional, " : "format, ", c, i));
      }
      boolean invisible = isInvisible(c);
      if (invisible && !joinersAllowed) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "%s must not contain characters that show nothing (fillers, variation selectors), "
                + "found U+%04X at index %d", field, c, i));
      }
      blank &= Character.isWhitespace(c) || Character.isSpaceChar(c) || invisible
          || type == Character.FORMAT;
      i += Character.charCount(c);
    }
    if (blank) {
      throw new IllegalArgumentException(field + " must not be blank");
    }
    return value;
  }

  /**
   * Characters that are not format characters but render as nothing, or change nothing a reader
   * sees: the Hangul fillers, the blank Braille pattern, the combining grapheme joiner, the
   * variation selectors.
   */
  private static boolean isInvisible(int c) {
    return c == 0x115F || c == 0x1160 || c == 0x3164 || c == 0xFFA0 || c == 0x2800
        || c == 0x034F || (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF);
  }

  /** The bidirectional controls: marks, embeddings, overrides and isolates. */
  private static boolean isBidiControl(int c) {
    return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E)
        || (c >= 0x2066 && c <= 0x2069);
  }

  /**
   * Whether {@code id} has the form of a grant id: 1 to 1024 characters of the URL-safe base64
   * alphabet. Never throws.
   */
  public static boolean isWellFormedId(@Nullable String id) {
    if (id == null) {
      return false;
    }
    int length = id.length();
    if (length == 0 || length > MAX_TEXT_LENGTH) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = id.charAt(i);
      boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Checks a grant id: see {@link #isWellFormedId(String)}. */
  public static String id(@Nullable String value, String field) {
    Objects.requireNonNull(value, () -> field + " must not be null");
    if (!isWellFormedId(value)) {
      // Never echoed: a near-miss id (a real one with a stray character) is still a secret.
      throw new IllegalArgumentException(field
          + " must be 1 to " + MAX_TEXT_LENGTH + " URL-safe base64 characters [A-Za-z0-9_-], was "
          + describeBadId(value));
    }
    return value;
  }

  private static String describeBadId(String value) {
    if (value.isEmpty()) {
      return "empty";
    }
    if (value.length() > MAX_TEXT_LENGTH) {
      return value.length() + " characters";
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_';
      if (!ok) {
        return String.format(Locale.ROOT, "%d characters with U+%04X at index %d (%s)",
            value.length(), (int) c, i, redactId(value));
      }
    }
    return value.length() + " characters";
  }

  /** Checks that a duration is present and strictly positive. */
  public static Duration positive(@Nullable Duration value, String field) {
    Objects.requireNonNull(value, () -> field + " must not be null");
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(field + " must be > 0, was " + value);
    }
    return value;
  }

  /**
   * A caller's value as it may appear in an error message or an audit event: at most 64
   * characters (then the length), with every character that could forge a line or reorder what a
   * reader sees replaced by {@code ?}: control characters, line and paragraph separators, format
   * characters (bidirectional controls, zero-width characters) and unpaired surrogates. Returns
   * the value itself, without copying, when it is short and clean.
   */
  public static String abbreviate(String value) {
    if (value.length() <= 64 && isClean(value)) {
      return value;
    }
    StringBuilder out = new StringBuilder();
    int limit = Math.min(value.length(), 64);
    for (int i = 0; i < limit; i++) {
      char c = value.charAt(i);
      out.append(isUnsafe(value, i) ? '?' : c);
    }
    if (value.length() > limit) {
      out.append("...(").append(value.length()).append(" chars)");
    }
    return out.toString();
  }

  private static boolean isClean(String value) {
    for (int i = 0; i < value.length(); i++) {
      if (isUnsafe(value, i)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isUnsafe(String value, int i) {
    char c = value.charAt(i);
    if (c >= 0x20 && c < 0x7F) {
      return false;
    }
    if (Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(value.charAt(i - 1))) {
      return isUnsafeCodePoint(value.codePointAt(i - 1)); // the second half of a pair
    }
    return isUnsafeCodePoint(value.codePointAt(i));
  }

  /**
   * Whether a code point could forge a line or reorder what a reader sees: control characters,
   * line and paragraph separators, format characters (bidirectional controls, zero-width
   * characters) and unpaired surrogates.
   */
  public static boolean isUnsafeCodePoint(int codePoint) {
    int type = Character.getType(codePoint);
    return type == Character.CONTROL || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR || type == Character.FORMAT
        || type == Character.SURROGATE;
  }

  /**
   * A grant id as it may appear in exception messages and logs: its {@link
   * dev.jitaccess.GrantReference}, enough to correlate, nothing to use.
   */
  public static String redactId(String id) {
    return dev.jitaccess.GrantReference.of(id);
  }
}
