package dev.jitaccess.jwt;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.jitaccess.DenyReason;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantReference;
import dev.jitaccess.Scope;
import dev.jitaccess.core.JitAccess;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What {@link JwtVerifier} reads from a verified access token's claims beyond Nimbus's checks:
 * its {@code jti}, {@code scope} and key binding, and, for a live check, the grant its {@code
 * grant_ref} refers to, which must agree with the token. Each refusal is a {@link Denial}.
 */
final class AccessClaims {
  private AccessClaims() {}

  static void checkTokenId(JWTClaimsSet claims) throws Denial {
    Object jti = claims.getClaim("jti");
    if (!(jti instanceof String) || ((String) jti).isEmpty()
        || ((String) jti).length() > Claims.MAX_JTI_LENGTH) {
      throw new Denial(JwtDenialCode.INVALID_CLAIM,
          "jti claim must be a string of 1 to " + Claims.MAX_JTI_LENGTH + " characters");
    }
  }

  /** The token's scope, which the claims check found present and a string. */
  static Scope scope(JWTClaimsSet claims) throws Denial {
    try {
      return Scope.parse((String) claims.getClaim(Claims.SCOPE));
    } catch (IllegalArgumentException e) {
      throw new Denial(JwtDenialCode.INVALID_CLAIM, "scope claim must be a valid scope: "
          + e.getMessage());
    }
  }

  /** The thumbprint the token is bound to ({@code cnf.jkt}), or null for a bearer token. */
  static @Nullable String boundKey(JWTClaimsSet claims) throws Denial {
    Object cnf = claims.getClaim(Claims.CNF);
    if (cnf == null) {
      return null;
    }
    if (!(cnf instanceof Map)) {
      throw new Denial(JwtDenialCode.INVALID_CLAIM, "cnf claim must be an object");
    }
    Object jkt = ((Map<?, ?>) cnf).get(Claims.JKT);
    if (!(jkt instanceof String) || ((String) jkt).isEmpty()) {
      // A confirmation method this verifier does not know: fail closed.
      throw new Denial(JwtDenialCode.INVALID_CLAIM, "cnf claim must hold a jkt string");
    }
    return (String) jkt;
  }

  /**
   * The grant the token's {@code grant_ref} refers to, which must exist with the token's {@code
   * sub}, {@code client_id}, {@code scope} and {@code task}.
   */
  static Grant matchingGrant(JitAccess jit, JWTClaimsSet claims, Scope scope) throws Denial {
    String reference = grantReference(claims);
    Optional<Grant> live;
    try {
      live = jit.grantByReference(reference);
    } catch (Throwable e) {
      throw new Denial(DenyReason.BACKEND_FAILURE, "grant lookup failed: " + e);
    }
    if (live.isEmpty()) {
      throw new Denial(DenyReason.UNKNOWN_GRANT, "no grant has the token's grant_ref");
    }
    Grant grant = live.get();
    if (!grant.subject().equals(claims.getSubject())
        || !grant.subject().equals(claims.getClaim(Claims.CLIENT_ID))) {
      throw new Denial(JwtDenialCode.TOKEN_GRANT_MISMATCH,
          "token sub and client_id must be the grant's subject");
    }
    if (!grant.scope().equals(scope)) {
      throw new Denial(JwtDenialCode.TOKEN_GRANT_MISMATCH, "token scope must be the grant's scope");
    }
    Object task = claims.getClaim(Claims.TASK);
    if (task != null && !grant.task().equals(task)) {
      throw new Denial(JwtDenialCode.TOKEN_GRANT_MISMATCH, "token task must be the grant's task");
    }
    return grant;
  }

  /** The token's {@code grant_ref}, which the claims check found present and a string. */
  private static String grantReference(JWTClaimsSet claims) throws Denial {
    Object reference = claims.getClaim(Claims.GRANT_REF);
    if (!(reference instanceof String) || !GrantReference.isWellFormed((String) reference)) {
      throw new Denial(JwtDenialCode.INVALID_CLAIM, "grant_ref claim must be a grant reference ("
          + GrantReference.PREFIX + " and 16 base64url characters)");
    }
    return (String) reference;
  }
}
