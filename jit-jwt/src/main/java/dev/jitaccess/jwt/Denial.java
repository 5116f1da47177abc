package dev.jitaccess.jwt;

import dev.jitaccess.DenialCode;

/** A token check failed with {@link #code}. Internal control flow; carries no stack trace. */
final class Denial extends Exception {
  private static final long serialVersionUID = 1L;

  private final DenialCode code;

  /** Longest detail kept: details may quote parts of an attacker's token. */
  static final int MAX_DETAIL_LENGTH = 256;

  Denial(DenialCode code, String detail) {
    super(clean(detail), null, false, false);
    this.code = code;
  }

  /**
   * The detail with every character that could forge or disguise a log line (control characters,
   * line and paragraph separators, format characters such as the bidirectional controls, unpaired
   * surrogates) replaced by {@code ?}, cut to at most 256 characters without splitting a pair.
   */
  static String clean(String detail) {
    StringBuilder out = new StringBuilder(Math.min(detail.length(), MAX_DETAIL_LENGTH) + 3);
    int i = 0;
    while (i < detail.length()) {
      int c = detail.codePointAt(i);
      int size = Character.charCount(c);
      if (out.length() + size > MAX_DETAIL_LENGTH) {
        break;
      }
      int type = Character.getType(c);
      boolean unsafe = type == Character.CONTROL || type == Character.LINE_SEPARATOR
          || type == Character.PARAGRAPH_SEPARATOR || type == Character.FORMAT
          || type == Character.SURROGATE;
      if (unsafe) {
        out.append('?');
      } else {
        out.appendCodePoint(c);
      }
      i += size;
    }
    if (i < detail.length()) {
      out.append("...");
    }
    return out.toString();
  }

  DenialCode code() {
    return code;
  }

  String detail() {
    String message = getMessage();
    return message == null ? code.name() : message;
  }
}
