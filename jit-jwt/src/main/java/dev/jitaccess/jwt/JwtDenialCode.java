package dev.jitaccess.jwt;

import dev.jitaccess.DenialCode;
import dev.jitaccess.DenyReason;

/**
 * Why {@link JwtVerifier} refused a token or its proof of possession: the precise {@link
 * DenialCode} of a {@link dev.jitaccess.Decision} whose {@link dev.jitaccess.Decision#reason()
 * reason} is {@link DenyReason#INVALID_TOKEN} (the token) or {@link DenyReason#INVALID_PROOF} (the
 * proof). The verifier's other denials carry the runtime's own reasons ({@code OUT_OF_SCOPE},
 * {@code UNKNOWN_GRANT}, {@code REVOKED}, ...). {@link #name()} is what audit events record.
 */
public enum JwtDenialCode implements DenialCode {
  /** Not a well-formed compact JWT: bad base64url (any spelling but the one canonical one), JSON, structure or nesting. */
  MALFORMED_TOKEN(DenyReason.INVALID_TOKEN, "format"),
  /** Longer than the verifier's size cap; not parsed. */
  TOKEN_TOO_LARGE(DenyReason.INVALID_TOKEN, "size"),
  /** A JWT of a kind that is never accepted, such as an encrypted one (JWE). */
  UNSUPPORTED_TOKEN(DenyReason.INVALID_TOKEN, "format"),
  /** {@code alg} is {@code none} or outside the verifier's allow-list. */
  UNTRUSTED_ALGORITHM(DenyReason.INVALID_TOKEN, "alg"),
  /**
   * The header names a key or a key location ({@code jwk}, {@code jku}, {@code x5u}, {@code
   * x5c}); such keys are never fetched and never trusted.
   */
  UNTRUSTED_KEY_REFERENCE(DenyReason.INVALID_TOKEN, "header"),
  /**
   * The header has {@code crit} (any value, null or empty too), or {@code b64}, which only an
   * RFC 7797 unencoded payload uses: no such token is accepted.
   */
  UNSUPPORTED_CRITICAL_HEADER(DenyReason.INVALID_TOKEN, "crit"),
  /** {@code typ} is missing or not the expected type. */
  WRONG_TOKEN_TYPE(DenyReason.INVALID_TOKEN, "typ"),
  /** {@code kid} is missing or names no trusted key for the token's {@code alg}. */
  UNKNOWN_KEY(DenyReason.INVALID_TOKEN, "kid"),
  /** The signature does not verify with the trusted key {@code kid} names. */
  BAD_SIGNATURE(DenyReason.INVALID_TOKEN, "signature"),
  /** A required claim is missing, or a claim has the wrong JSON type or is malformed. */
  INVALID_CLAIM(DenyReason.INVALID_TOKEN, "claims"),
  /** {@code iss} is not the trusted issuer. */
  WRONG_ISSUER(DenyReason.INVALID_TOKEN, "iss"),
  /** {@code aud} does not name this verifier's audience. */
  WRONG_AUDIENCE(DenyReason.INVALID_TOKEN, "aud"),
  /** {@code exp} has passed, beyond the allowed clock skew. */
  TOKEN_EXPIRED(DenyReason.INVALID_TOKEN, "exp"),
  /** {@code nbf} or {@code iat} is in the future, beyond the allowed clock skew. */
  TOKEN_NOT_YET_VALID(DenyReason.INVALID_TOKEN, "nbf"),
  /**
   * The token lives longer ({@code exp - iat}) than the verifier accepts, so that its revocation
   * could take effect too late.
   */
  TOKEN_LIFETIME_TOO_LONG(DenyReason.INVALID_TOKEN, "lifetime"),
  /** The token's subject, scope or task disagrees with the live grant it refers to. */
  TOKEN_GRANT_MISMATCH(DenyReason.INVALID_TOKEN, "grant"),
  /** The token is bound to a key ({@code cnf.jkt}) but no proof of possession was presented. */
  PROOF_MISSING(DenyReason.INVALID_PROOF, "proof"),
  /**
   * The proof is malformed, wrongly typed or signed, lacks a required claim, or its key is too
   * weak or holds a private part.
   */
  PROOF_INVALID(DenyReason.INVALID_PROOF, "proof"),
  /** The proof is signed by a key other than the one the token is bound to. */
  PROOF_KEY_MISMATCH(DenyReason.INVALID_PROOF, "proof"),
  /** The proof is for another HTTP method or target, or for another access token. */
  PROOF_TARGET_MISMATCH(DenyReason.INVALID_PROOF, "proof"),
  /** The proof's {@code iat} is outside the accepted freshness window. */
  PROOF_STALE(DenyReason.INVALID_PROOF, "proof"),
  /** The proof's {@code jti} was already seen: a replayed proof. */
  PROOF_REPLAYED(DenyReason.INVALID_PROOF, "proof"),
  /**
   * The token's key already has as many proofs within the replay window as the verifier remembers
   * for one key; the proof is denied, so that one key cannot crowd out the others' proofs.
   */
  PROOF_RATE_LIMITED(DenyReason.INVALID_PROOF, "proof");

  private final DenyReason reason;
  private final String rule;

  JwtDenialCode(DenyReason reason, String rule) {
    this.reason = reason;
    this.rule = rule;
  }

  @Override
  public DenyReason reason() {
    return reason;
  }

  /** The rule {@link JwtIdentityVerifier} names for this code. */
  String rule() {
    return rule;
  }
}
