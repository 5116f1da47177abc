package dev.jitaccess.teardown;

import org.jspecify.annotations.Nullable;

/**
 * What one attempt at a downstream found: its revoke call's answer and, after an acknowledgement,
 * its probe's.
 */
final class Outcome {
  /** The kinds of outcome. */
  enum Kind {
    /** Acknowledged, and the probe says denied. */
    VERIFIED,
    /** Acknowledged; the probe cannot tell. */
    ACKNOWLEDGED,
    /** Acknowledged, but the probe found the access still live, or failed: retried. */
    UNCONFIRMED,
    /** Not acknowledged (a retry answer, an exception, a timeout, null, another grant). */
    RETRY,
    /** The downstream says it never will. */
    UNRECOVERABLE
  }

  private final Kind kind;
  private final @Nullable String cause;

  private Outcome(Kind kind, @Nullable String cause) {
    this.kind = kind;
    this.cause = cause;
  }

  static Outcome verified() {
    return new Outcome(Kind.VERIFIED, null);
  }

  static Outcome acknowledged() {
    return new Outcome(Kind.ACKNOWLEDGED, null);
  }

  static Outcome unconfirmed(String cause) {
    return new Outcome(Kind.UNCONFIRMED, cause);
  }

  static Outcome retry(String cause) {
    return new Outcome(Kind.RETRY, cause);
  }

  static Outcome unrecoverable(String cause) {
    return new Outcome(Kind.UNRECOVERABLE, cause);
  }

  Kind kind() {
    return kind;
  }

  @Nullable String cause() {
    return cause;
  }

  /** Whether the downstream acknowledged the revocation. */
  boolean wasAcknowledged() {
    return kind == Kind.VERIFIED || kind == Kind.ACKNOWLEDGED || kind == Kind.UNCONFIRMED;
  }

  @Override
  public String toString() {
    return kind + (cause == null ? "" : "(" + cause + ")");
  }
}
