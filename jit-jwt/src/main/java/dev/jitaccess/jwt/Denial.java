package dev.jitaccess.jwt;

import dev.jitaccess.DenyReason;

/** A token check failed for {@link #reason}. Internal control flow; carries no stack trace. */
final class Denial extends Exception {
  private static final long serialVersionUID = 1L;

  private final DenyReason reason;

  /** Longest detail kept: details may quote parts of an attacker's token. */
  static final int MAX_DETAIL_LENGTH = 256;

  Denial(DenyReason reason, String detail) {
    super(clean(detail), null, false, false);
    this.reason = reason;
  }

  /** The detail without control characters (no forged log lines) and at most 256 characters. */
  static String clean(String detail) {
    int length = Math.min(detail.length(), MAX_DETAIL_LENGTH);
    StringBuilder out = new StringBuilder(length + 3);
    for (int i = 0; i < length; i++) {
      char c = detail.charAt(i);
      out.append(Character.isISOControl(c) ? '?' : c);
    }
    if (detail.length() > length) {
      out.append("...");
    }
    return out.toString();
  }

  DenyReason reason() {
    return reason;
  }

  String detail() {
    String message = getMessage();
    return message == null ? reason.name() : message;
  }
}
