package dev.jitaccess;

/** The kinds of audit events; each lifecycle step is its own kind. */
public enum AuditEventType {
  /** A grant was minted for a request. */
  ISSUED,
  /** A grant's expiry was moved. */
  RENEWED,
  /** A grant was minted by delegation from another. */
  DELEGATED,
  /** A grant was revoked (including cascades from its parent). */
  REVOKED,
  /** A grant's lifetime ran out. */
  EXPIRED,
  /** A grant's use budget was spent. */
  EXHAUSTED,
  /** A check, request, delegation or renewal was denied. */
  DENIED,
  /** A check was allowed (only when allowed checks are audited). */
  ALLOWED,
  /**
   * A token was minted for a grant, by a token issuer such as {@code jit-jwt}'s: the event names
   * the grant by its reference and the token by its id ({@link AuditEvent#tokenId()}).
   */
  TOKEN_ISSUED
}
