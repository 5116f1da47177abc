package dev.jitaccess.caep;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What pushing one or more SETs to a receiver came to: every SET accepted ({@code 202}), a failure
 * that may pass (retry later) or one that will not (unrecoverable), with the HTTP status of the
 * last response, if there was one, and a cause. A cause names the receiver's error code or the
 * transport failure, never a grant id, a token or a SET. Immutable and thread-safe.
 */
public final class Delivery {
  /** The kinds of outcome. */
  public enum Outcome {
    /** The receiver answered {@code 202 Accepted} to every SET. */
    ACCEPTED,
    /** Not delivered, and it may work later: a 5xx, a 429, a timeout, a connection failure. */
    RETRY,
    /** Not delivered, and sending the same again will not help: most 4xx, a redirect. */
    UNRECOVERABLE
  }

  private final Outcome outcome;
  private final int status;
  private final int accepted;
  private final @Nullable String cause;

  private Delivery(Outcome outcome, int status, int accepted, @Nullable String cause) {
    this.outcome = outcome;
    this.status = status;
    this.accepted = accepted;
    this.cause = cause;
  }

  static Delivery accepted(int count) {
    return new Delivery(Outcome.ACCEPTED, 202, count, null);
  }

  static Delivery retry(int status, String cause) {
    return new Delivery(Outcome.RETRY, status, 0, Objects.requireNonNull(cause, "cause"));
  }

  static Delivery unrecoverable(int status, String cause) {
    return new Delivery(Outcome.UNRECOVERABLE, status, 0, Objects.requireNonNull(cause, "cause"));
  }

  /** The same failure, after {@code count} earlier SETs of the same call were accepted. */
  Delivery afterAccepted(int count) {
    return new Delivery(outcome, status, count, cause);
  }

  /** What came of it. */
  public Outcome outcome() {
    return outcome;
  }

  /** Whether every SET was accepted. */
  public boolean isAccepted() {
    return outcome == Outcome.ACCEPTED;
  }

  /** The HTTP status of the last response, or 0 if there was none (a timeout, no connection). */
  public int status() {
    return status;
  }

  /** How many SETs the receiver accepted. */
  public int setsAccepted() {
    return accepted;
  }

  /** Why it was not delivered; empty when accepted. */
  public Optional<String> cause() {
    return Optional.ofNullable(cause);
  }

  @Override
  public String toString() {
    return outcome + (status == 0 ? "" : " " + status) + (cause == null ? "" : " (" + cause + ")");
  }
}
