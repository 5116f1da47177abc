package dev.jitaccess;

/**
 * Why a check was denied: the runtime's reasons. Modules that decide on the runtime's behalf
 * refine {@link #INVALID_TOKEN} and {@link #INVALID_PROOF} with their own {@link DenialCode}s.
 */
public enum DenyReason implements DenialCode {
  /** No grant has this id, or the id is malformed. */
  UNKNOWN_GRANT,
  /** The grant's lifetime has run out (by the configured clock). */
  EXPIRED,
  /** The grant, or one it was delegated from, was revoked. */
  REVOKED,
  /** The grant's use budget is spent. */
  EXHAUSTED,
  /** The grant does not permit this action on this resource. */
  OUT_OF_SCOPE,
  /** The grant's validity has not begun (its issue time is after the clock's now). */
  NOT_YET_VALID,
  /** The action or resource of the request is malformed. */
  MALFORMED_REQUEST,
  /** A policy denied. */
  POLICY_DENIED,
  /** A backend failed; the decision fails closed. */
  BACKEND_FAILURE,
  /**
   * The runtime's view of a store shared with other runtimes is older than its bound, or cannot be
   * known (its follower is disconnected); checks deny until it has caught up.
   */
  STALE_VIEW,

  /**
   * A presented token (for example a JWT access token) was refused: malformed, untrusted, expired,
   * for another audience, or disagreeing with its grant. {@link Decision#code()} gives the
   * presenting module's precise code.
   */
  INVALID_TOKEN,
  /**
   * The proof of possession a key-bound token requires was missing, invalid, stale, for another
   * request, replayed or over its key's quota. {@link Decision#code()} gives the presenting
   * module's precise code.
   */
  INVALID_PROOF,

  /**
   * An anomaly detector the application registered judged this check, or the grant's use, to be
   * misuse (a second source, a burst of probing denials, a check after the task ended): the grant
   * is revoked with {@link RevocationReason#ANOMALY}, so later checks deny {@link #REVOKED}. The
   * detail names the detector.
   */
  ANOMALY;

  /** Itself: a reason of the runtime is its own code. */
  @Override
  public DenyReason reason() {
    return this;
  }
}
