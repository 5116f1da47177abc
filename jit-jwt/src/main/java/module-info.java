/**
 * Signed, short-lived JWTs for JIT Access grants, on Nimbus JOSE+JWT: {@link
 * dev.jitaccess.jwt.JwtIssuer} mints them, {@link dev.jitaccess.jwt.JwtVerifier} verifies them
 * (with a live grant check, or statelessly), {@link dev.jitaccess.jwt.JwtKeyRing} rotates the
 * signing keys and publishes the JWKS, and {@link dev.jitaccess.jwt.JwtIdentityVerifier} verifies a
 * workload's JWT-SVID or OIDC ID token at request time.
 */
module dev.jitaccess.jwt {
  requires transitive dev.jitaccess;
  requires transitive dev.jitaccess.core;
  requires transitive com.nimbusds.jose.jwt;
  requires com.github.benmanes.caffeine;
  requires static transitive org.jspecify;

  exports dev.jitaccess.jwt;
}
