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
  BACKEND_FAILURE,

  // Token (JWT) presentation, used by the jit-jwt verifier.

  /** The token is not a well-formed compact JWT (bad base64url, JSON, structure or nesting). */
  MALFORMED_TOKEN,
  /** The token is longer than the verifier's size cap; it was not parsed. */
  TOKEN_TOO_LARGE,
  /** The token is a JWT of a kind that is never accepted, such as an encrypted one (JWE). */
  UNSUPPORTED_TOKEN,
  /** The token's {@code alg} is {@code none} or outside the verifier's allow-list. */
  UNTRUSTED_ALGORITHM,
  /**
   * The token's header names a key or a key location ({@code jwk}, {@code jku}, {@code x5u},
   * {@code x5c}); such keys are never fetched and never trusted.
   */
  UNTRUSTED_KEY_REFERENCE,
  /** The token's header marks as critical ({@code crit}) a parameter the verifier does not know. */
  UNSUPPORTED_CRITICAL_HEADER,
  /** The token's {@code typ} header is missing or not the expected type. */
  WRONG_TOKEN_TYPE,
  /** The token's {@code kid} is missing or names no trusted key. */
  UNKNOWN_KEY,
  /** The token's signature does not verify with the trusted key it names. */
  BAD_SIGNATURE,
  /** A claim the verifier requires is missing, has the wrong type or is malformed. */
  INVALID_CLAIM,
  /** The token's {@code iss} is not the trusted issuer. */
  WRONG_ISSUER,
  /** The token's {@code aud} does not name this verifier's audience. */
  WRONG_AUDIENCE,
  /** The token's {@code exp} has passed, beyond the allowed clock skew. */
  TOKEN_EXPIRED,
  /** The token's {@code nbf} or {@code iat} is in the future, beyond the allowed clock skew. */
  TOKEN_NOT_YET_VALID,
  /**
   * The token lives longer ({@code exp - iat}) than a stateless verifier accepts, so that its
   * revocation could take effect too late.
   */
  TOKEN_LIFETIME_TOO_LONG,
  /** The token's subject or scope disagrees with the live grant it names. */
  TOKEN_GRANT_MISMATCH,
  /** The token is bound to a key ({@code cnf.jkt}) but no proof of possession was presented. */
  PROOF_MISSING,
  /** The proof of possession is malformed, wrongly typed or signed, or lacks a required claim. */
  PROOF_INVALID,
  /** The proof is signed by a key other than the one the token is bound to. */
  PROOF_KEY_MISMATCH,
  /** The proof is for another HTTP method or target, or for another access token. */
  PROOF_TARGET_MISMATCH,
  /** The proof's {@code iat} is outside the accepted freshness window. */
  PROOF_STALE,
  /** The proof's {@code jti} was already seen: a replayed proof. */
  PROOF_REPLAYED,
  /**
   * The token's key already has as many proofs within the replay window as the verifier remembers
   * for one key; the proof is denied, so that one key cannot crowd out the others' proofs.
   */
  PROOF_RATE_LIMITED
}
