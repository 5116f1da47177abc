package dev.jitaccess.jwt;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.jitaccess.DenialCode;
import dev.jitaccess.IdentityVerificationException;
import dev.jitaccess.WorkloadIdentity;
import dev.jitaccess.internal.Validation;
import dev.jitaccess.spi.IdentityVerifier;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Verifies a workload's SPIFFE JWT-SVID or OIDC ID token against a trusted JWKS (given, never
 * fetched), an exact issuer and this service's audience, with Nimbus's processor, and yields the
 * verified subject. Use it so that only a workload that proved who it is can request a grant:
 *
 * <pre>{@code
 * IdentityVerifier identities = JwtIdentityVerifier.builder()
 *     .trustedKeys(JWKSet.parse(trustBundleJwks)).issuer("https://oidc.example.com")
 *     .audience("jit-access").clock(clock).build();
 * Grant grant = jit.request(identities.requestAs(svid, GrantRequest.builder()
 *     .owner("team-payments").task("deploy-4711").purpose("deploy payments")
 *     .scope("write:deployments/payments").ttl(Ttl.of(Duration.ofMinutes(10)))));
 * }</pre>
 *
 * <p>Checks: a size cap before parsing; three parts of strict, canonical, unpadded base64url (one
 * spelling per token); no {@code alg none}, no JWE, {@code alg} in the allow-list ({@code ES256},
 * {@code RS256}, {@code PS256} by default), no {@code jwk}/{@code jku}/{@code x5u}/{@code
 * x5c}/{@code crit}/{@code b64} headers; {@code typ} absent, {@code JWT} or {@code JOSE}; the key
 * by {@code kid} (on the algorithm's curve, for EC); the signature; registered claims of their
 * JSON types (a numeric {@code sub} fails the {@code claims} rule); exact {@code iss}; {@code aud}
 * containing this audience; required {@code sub} and {@code exp}; {@code exp}/{@code nbf}/{@code
 * iat} by the injected clock with an explicit skew; and, for JWT-SVIDs ({@link
 * Builder#requireSpiffeId()}), a subject that is a SPIFFE ID by the standard's grammar. Every
 * failure throws an {@link IdentityVerificationException} whose {@link
 * IdentityVerificationException#rule() rule} names the check: {@code size}, {@code
 * format}, {@code alg}, {@code header}, {@code crit}, {@code typ}, {@code kid}, {@code signature},
 * {@code claims}, {@code iss}, {@code aud}, {@code exp}, {@code nbf}, {@code lifetime} (with
 * {@link Builder#maxTokenLifetime}), {@code sub}.
 *
 * <p>Thread-safe.
 */
public final class JwtIdentityVerifier implements IdentityVerifier {
  /**
   * The SPIFFE ID grammar ({@link #isSpiffeId}): a path segment may not be {@code .} or {@code ..},
   * that is one or two dots followed by the next slash or the end.
   */
  private static final Pattern SPIFFE_ID =
      Pattern.compile("spiffe://[a-z0-9._-]{1,255}(?:/(?!\\.{1,2}(?:/|$))[A-Za-z0-9._-]+)*");

  private final TokenPipeline pipeline;
  private final boolean requireSpiffeId;

  private JwtIdentityVerifier(TokenPipeline pipeline, boolean requireSpiffeId) {
    this.pipeline = pipeline;
    this.requireSpiffeId = requireSpiffeId;
  }

  /** A builder; trustedKeys, issuer and audience are required. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public WorkloadIdentity verify(@Nullable String credential) {
    JWTClaimsSet claims;
    try {
      claims = pipeline.process(credential).claims();
    } catch (Denial d) {
      throw new IdentityVerificationException(ruleOf(d.code()),
          "identity token rejected: " + d.detail());
    }
    // The pipeline refused a sub that is not a JSON string (rule claims); Nimbus would have
    // turned a number into text.
    String subject = claims.getSubject();
    if (subject == null || subject.isBlank() || subject.length() > Validation.MAX_TEXT_LENGTH) {
      throw new IdentityVerificationException("sub", "identity token sub must be 1 to "
          + Validation.MAX_TEXT_LENGTH + " characters");
    }
    if (requireSpiffeId && !isSpiffeId(subject)) {
      throw new IdentityVerificationException("sub", "identity token sub must be a SPIFFE ID "
          + "(spiffe://, a trust domain of [a-z0-9._-], then path segments of [A-Za-z0-9._-] "
          + "other than . and ..; no query, fragment, port or user), was "
          + Denial.clean(Validation.abbreviate(subject)));
    }
    try {
      return new WorkloadIdentity(subject, claims.getIssuer(),
          claims.getExpirationTime().toInstant(), claims.toJSONObject());
    } catch (IllegalArgumentException e) {
      throw new IdentityVerificationException("sub",
          Denial.clean("identity token " + e.getMessage()), e);
    }
  }

  /**
   * Whether {@code id} is a SPIFFE ID as the SPIFFE ID standard defines it: {@code spiffe://}, a
   * trust domain of 1 to 255 lower-case letters, digits, dots, dashes and underscores, and a path
   * of non-empty segments of letters, digits, dots, dashes and underscores, none of them {@code .}
   * or {@code ..}, with no trailing slash. So no port, user, query or fragment, and no upper-case
   * trust domain, which would make two spellings of one workload.
   */
  static boolean isSpiffeId(String id) {
    return SPIFFE_ID.matcher(id).matches();
  }

  private static String ruleOf(DenialCode code) {
    return code instanceof JwtDenialCode ? ((JwtDenialCode) code).rule() : "format";
  }

  /**
   * Builds a {@link JwtIdentityVerifier}. Each setter that takes a value may be called once (a
   * second call throws {@link IllegalStateException}); {@link #requireSpiffeId()}, which takes
   * none, is idempotent. Not thread-safe.
   *
   * <p>Defaults: the system UTC clock; algorithms {@code ES256}, {@code RS256}, {@code PS256};
   * max clock skew {@value JwtVerifier.Builder#DEFAULT_MAX_CLOCK_SKEW_SECONDS} s; max token size
   * {@value JwtVerifier.Builder#DEFAULT_MAX_TOKEN_SIZE} characters; any subject (not only SPIFFE
   * IDs).
   */
  public static final class Builder {
    private @Nullable JWKSet keys;
    private @Nullable String issuer;
    private @Nullable String audience;
    private @Nullable Clock clock;
    private @Nullable Collection<JWSAlgorithm> algorithms;
    private @Nullable Duration maxClockSkew;
    private boolean requireSpiffeId;
    private @Nullable Duration maxTokenLifetime;

    private Builder() {}

    /**
     * The trusted issuer's public keys (required); given, never fetched. Symmetric keys and RSA
     * keys under 2048 bits are ignored: a token they signed fails the {@code kid} rule.
     */
    public Builder trustedKeys(JWKSet jwks) {
      requireUnset(this.keys, "trustedKeys");
      this.keys = Algorithms.trustable(Objects.requireNonNull(jwks, "trustedKeys must not be null"));
      return this;
    }

    /** The exact {@code iss} accepted (required). */
    public Builder issuer(String issuer) {
      requireUnset(this.issuer, "issuer");
      this.issuer = Validation.name(issuer, "issuer");
      return this;
    }

    /** The audience {@code aud} must contain, naming this service (required). */
    public Builder audience(String audience) {
      requireUnset(this.audience, "audience");
      this.audience = Validation.name(audience, "audience");
      return this;
    }

    /** The clock for {@code exp}, {@code nbf} and {@code iat}. */
    public Builder clock(Clock clock) {
      requireUnset(this.clock, "clock");
      this.clock = Objects.requireNonNull(clock, "clock must not be null");
      return this;
    }

    /** The {@code alg} allow-list; asymmetric only. */
    public Builder algorithms(Collection<JWSAlgorithm> algorithms) {
      requireUnset(this.algorithms, "algorithms");
      this.algorithms = Set.copyOf(Objects.requireNonNull(algorithms, "algorithms must not be null"));
      return this;
    }

    /** Tolerance between clocks; 0 to 5 minutes. */
    public Builder maxClockSkew(Duration skew) {
      requireUnset(this.maxClockSkew, "maxClockSkew");
      Objects.requireNonNull(skew, "maxClockSkew must not be null");
      if (skew.isNegative() || skew.compareTo(Duration.ofMinutes(5)) > 0) {
        throw new IllegalArgumentException("maxClockSkew must be in [PT0S, PT5M], was " + skew);
      }
      this.maxClockSkew = skew;
      return this;
    }

    /**
     * Accepts only subjects that are SPIFFE IDs, as JWT-SVIDs carry: {@code spiffe://}, a
     * lower-case trust domain, and a path of non-empty segments of {@code [A-Za-z0-9._-]}, none
     * {@code .} or {@code ..}; no port, user, query or fragment.
     */
    public Builder requireSpiffeId() {
      this.requireSpiffeId = true;
      return this;
    }

    /**
     * The longest life ({@code exp - iat}) of an identity token accepted; {@code > 0}. A token
     * lives until its {@code exp}, and anyone who copies it can request grants as its workload
     * until then: JWT-SVIDs live minutes. With this set, a token must carry {@code iat}. Not set
     * by default, since an issuer may omit {@code iat}.
     */
    public Builder maxTokenLifetime(Duration lifetime) {
      requireUnset(this.maxTokenLifetime, "maxTokenLifetime");
      this.maxTokenLifetime = Validation.positive(lifetime, "maxTokenLifetime");
      return this;
    }

    /**
     * The verifier.
     *
     * @throws NullPointerException naming the first required field not set
     * @throws IllegalArgumentException naming the rule, if the allow-list is invalid
     */
    public JwtIdentityVerifier build() {
      JWKSet trusted = Objects.requireNonNull(keys, "trustedKeys must be set");
      String iss = Objects.requireNonNull(issuer, "issuer must be set");
      String aud = Objects.requireNonNull(audience, "audience must be set");
      Set<JWSAlgorithm> algs = Algorithms.allowList(algorithms == null
          ? List.of(JWSAlgorithm.ES256, JWSAlgorithm.RS256, JWSAlgorithm.PS256)
          : algorithms, false, "algorithms");
      Clock c = clock == null ? Clock.systemUTC() : clock;
      Duration skew = maxClockSkew == null
          ? Duration.ofSeconds(JwtVerifier.Builder.DEFAULT_MAX_CLOCK_SKEW_SECONDS) : maxClockSkew;
      TokenPipeline pipeline = new TokenPipeline(JwtVerifier.Builder.DEFAULT_MAX_TOKEN_SIZE, algs,
          false,
          new TypeCheck(JwtDenialCode.WRONG_TOKEN_TYPE, JOSEObjectType.JWT, JOSEObjectType.JOSE, null),
          new TrustedKeySelector(algs, new ImmutableJWKSet<>(trusted)),
          new TokenClaimsCheck(c, iss, aud, Set.of("sub", "exp"), Set.of("sub"), skew,
              maxTokenLifetime));
      return new JwtIdentityVerifier(pipeline, requireSpiffeId);
    }

    private static void requireUnset(@Nullable Object current, String name) {
      if (current != null) {
        throw new IllegalStateException(name + " was already set");
      }
    }
  }
}
