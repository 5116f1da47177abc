package dev.jitaccess.spring.boot.properties;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code jit.web.jwt.*}: how presented access tokens are verified (jit-jwt's {@code
 * JwtVerifier}, with a live check of every token's grant in the runtime). Issuer and audience are
 * required when the starter builds the verifier; the trusted keys come from {@link
 * #getJwksLocation() jwks-location} or from the application's {@code JwtKeyRing} bean.
 */
public class JwtProperties {
  /** The exact iss accepted (required). */
  private @Nullable String issuer;

  /** This service's audience, which aud must contain (required). */
  private @Nullable String audience;

  /** A JWK set of the issuer's public keys (Spring resource: classpath:, file:), at most 1 MiB; never fetched over the network. */
  private @Nullable String jwksLocation;

  /** Tolerance between the issuer's and this service's clocks, 0 to 5m (default 5s). */
  private @Nullable Duration maxClockSkew;

  /** The JWS algorithms accepted for tokens (default ES256). */
  private List<String> algorithms = new ArrayList<>();

  /** The JWS algorithms accepted for DPoP proofs, announced in the DPoP challenge (default ES256). */
  private List<String> proofAlgorithms = new ArrayList<>();

  /** The exact issuer accepted. */
  public @Nullable String getIssuer() {
    return issuer;
  }

  /** Sets the exact issuer accepted. */
  public void setIssuer(@Nullable String issuer) {
    this.issuer = issuer;
  }

  /** This service's audience. */
  public @Nullable String getAudience() {
    return audience;
  }

  /** Sets this service's audience. */
  public void setAudience(@Nullable String audience) {
    this.audience = audience;
  }

  /** Where the trusted JWK set is; null to use a JwtKeyRing bean. */
  public @Nullable String getJwksLocation() {
    return jwksLocation;
  }

  /** Sets where the trusted JWK set is. */
  public void setJwksLocation(@Nullable String jwksLocation) {
    this.jwksLocation = jwksLocation;
  }

  /** The clock skew tolerated; null for the default. */
  public @Nullable Duration getMaxClockSkew() {
    return maxClockSkew;
  }

  /** Sets the clock skew tolerated. */
  public void setMaxClockSkew(@Nullable Duration maxClockSkew) {
    this.maxClockSkew = maxClockSkew;
  }

  /** The token algorithms; empty for the default. */
  public List<String> getAlgorithms() {
    return algorithms;
  }

  /** Sets the token algorithms. */
  public void setAlgorithms(List<String> algorithms) {
    this.algorithms = algorithms;
  }

  /** The proof algorithms; empty for the default. */
  public List<String> getProofAlgorithms() {
    return proofAlgorithms;
  }

  /** Sets the proof algorithms. */
  public void setProofAlgorithms(List<String> proofAlgorithms) {
    this.proofAlgorithms = proofAlgorithms;
  }

  void validate(Rules rules) {
    blank(rules, "jit.web.jwt.issuer", issuer);
    blank(rules, "jit.web.jwt.audience", audience);
    blank(rules, "jit.web.jwt.jwks-location", jwksLocation);
    if (maxClockSkew != null && (maxClockSkew.isNegative()
        || maxClockSkew.compareTo(Duration.ofMinutes(5)) > 0)) {
      rules.reject("jit.web.jwt.max-clock-skew", "must be in [PT0S, PT5M], was " + maxClockSkew);
    }
  }

  private static void blank(Rules rules, String property, @Nullable String value) {
    if (value != null && value.isBlank()) {
      rules.reject(property, "must not be blank");
    }
  }
}
