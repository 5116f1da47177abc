package dev.jitaccess;

/** Why a check was denied. */
public enum DenyReason {
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
  BACKEND_FAILURE
}
