package dev.jitaccess.teardown;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A downstream's answer to a revocation: done (for the grant whose reference it names), retry
 * later with a cause, or unrecoverable with a cause. Immutable.
 */
public final class TeardownResult {
  /** The kinds of answer. */
  public enum Kind {
    /** The access is gone. */
    DONE,
    /** It may work later. */
    RETRY,
    /** It never will. */
    UNRECOVERABLE
  }

  private final Kind kind;
  private final @Nullable String grantReference;
  private final @Nullable String cause;

  private TeardownResult(Kind kind, @Nullable String grantReference, @Nullable String cause) {
    this.kind = kind;
    this.grantReference = grantReference;
    this.cause = cause;
  }

  /**
   * The access of the grant whose {@linkplain dev.jitaccess.Grant#reference() reference} this is
   * is gone. An acknowledgement naming another grant is not one: it is retried.
   */
  public static TeardownResult done(String grantReference) {
    return new TeardownResult(Kind.DONE,
        Objects.requireNonNull(grantReference, "grantReference must not be null"), null);
  }

  /** Try again later; {@code cause} is recorded (never put a secret in it). */
  public static TeardownResult retry(String cause) {
    return new TeardownResult(Kind.RETRY, null, Objects.requireNonNull(cause, "cause"));
  }

  /** It will never work; {@code cause} is recorded and the owner alerted. */
  public static TeardownResult unrecoverable(String cause) {
    return new TeardownResult(Kind.UNRECOVERABLE, null, Objects.requireNonNull(cause, "cause"));
  }

  /** The kind of answer. */
  public Kind kind() {
    return kind;
  }

  /** The reference of the grant acknowledged, for DONE. */
  public @Nullable String grantReference() {
    return grantReference;
  }

  /** Why, for RETRY and UNRECOVERABLE. */
  public @Nullable String cause() {
    return cause;
  }

  @Override
  public String toString() {
    return kind + (cause == null ? "" : "(" + cause + ")");
  }
}
