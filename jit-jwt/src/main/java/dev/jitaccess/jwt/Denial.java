package dev.jitaccess.jwt;

import dev.jitaccess.DenyReason;

/** A token check failed for {@link #reason}. Internal control flow; carries no stack trace. */
final class Denial extends Exception {
  private static final long serialVersionUID = 1L;

  private final DenyReason reason;

  Denial(DenyReason reason, String detail) {
    super(detail, null, false, false);
    this.reason = reason;
  }

  DenyReason reason() {
    return reason;
  }

  String detail() {
    String message = getMessage();
    return message == null ? reason.name() : message;
  }
}
