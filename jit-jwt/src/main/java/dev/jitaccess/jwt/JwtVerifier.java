package dev.jitaccess.jwt;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.Decision;
import dev.jitaccess.DenialCode;
import dev.jitaccess.DenyReason;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantReference;
import dev.jitaccess.Scope;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.internal.Validation;
import dev.jitaccess.spi.AuditSink;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether a presented grant token allows an action on a resource. Never throws for a bad
 * token: every failure is a {@link Decision} denial whose {@link Decision#code() code} is a
 * {@link JwtDenialCode} (or, past the token, one of the runtime's {@link DenyReason}s).
 *
 * <pre>{@code
 * JwtVerifier verifier = JwtVerifier.builder()
 *     .keyRing(ring).issuer("https://jit.example.com").audience("orders-api")
 *     .clock(clock).liveCheck(jit).build();
 * Decision d = verifier.verify(token, "read", "orders/42");
 * }</pre>
 *
 * <p>The steps, each failing closed with its own reason:
 *
 * <ol>
 *   <li>a size cap, before any parsing ({@link JwtDenialCode#TOKEN_TOO_LARGE});
 *   <li>Nimbus's parser; {@code alg none}, encrypted tokens, an {@code alg} outside the allow-list,
 *       {@code jwk}/{@code jku}/{@code x5u}/{@code x5c} headers (never fetched, never trusted) and
 *       any {@code crit} header are refused;
 *   <li>Nimbus's {@code DefaultJWTProcessor}: {@code typ at+jwt} (or {@code application/at+jwt}) or {@code jit-stateless+jwt}
 *       (stateless mode: only the latter), the key by {@code kid} from the
 *       trusted keys ({@code JWSVerificationKeySelector} with the allow-list), the signature, then
 *       {@code DefaultJWTClaimsVerifier}: exact {@code iss}, this {@code aud}, required {@code exp
 *       iat jti sub client_id scope grant_ref}, {@code exp}/{@code nbf}/{@code iat} by the injected clock with an
 *       explicit clock skew;
 *   <li>for a key-bound token ({@code cnf.jkt}), a {@link DpopProof} (see {@link
 *       #verify(String, String, String, DpopProof)});
 *   <li>the token's {@code scope} must permit the action on the resource;
 *   <li>with a live check: the grant whose reference is the token's {@code grant_ref} (tokens
 *       never carry the grant id) must exist with the token's {@code sub}, {@code client_id},
 *       {@code scope} and {@code task}, and {@link JitAccess#check} must allow, so a revoked, expired or
 *       exhausted grant (or one whose ancestor ended) denies although the token is still valid.
 *       An allowed check spends one use of a grant's budget.
 * </ol>
 *
 * <p>Denials before the live check are reported to the optional {@link Builder#auditSink}; the
 * runtime audits its own checks.
 *
 * <p><b>Stateless mode</b> ({@link Builder#stateless()}) is for services that have only the JWKS:
 * it skips the live check, so a revocation takes effect there only when the token expires. To
 * bound that delay it accepts only tokens minted for it ({@link JwtIssuer#issueStateless}, {@code
 * typ jit-stateless+jwt}: never one minted for a live check, whose grant may have a use budget or
 * be revoked at any moment), and refuses tokens that live longer ({@code exp - iat}) than {@link
 * Builder#statelessMaxLifetime(Duration)} (60 s by default).
 *
 * <p>Thread-safe.
 */
public final class JwtVerifier {
  private static final System.Logger LOG = System.getLogger(JwtVerifier.class.getName());

  private final TokenPipeline pipeline;
  private final @Nullable JitAccess jit;
  private final ProofVerifier proofs;
  private final Clock clock;
  private final @Nullable AuditSink audit;

  private JwtVerifier(TokenPipeline pipeline, @Nullable JitAccess jit, ProofVerifier proofs,
      Clock clock, @Nullable AuditSink audit) {
    this.pipeline = pipeline;
    this.jit = jit;
    this.proofs = proofs;
    this.clock = clock;
    this.audit = audit;
  }

  /** A builder; keys, issuer, audience and the mode (live or stateless) are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Decides a bearer token. A key-bound token ({@code cnf.jkt}) is denied with {@link
   * JwtDenialCode#PROOF_MISSING}. Never throws.
   */
  public Decision verify(
      @Nullable String token, @Nullable String action, @Nullable String resource) {
    return verify(token, action, resource, null);
  }

  /**
   * Decides a token presented with a proof of possession. For a key-bound token the proof must be
   * signed by the bound key, be fresh, be for this request's method and URI and for this token,
   * and must not have been seen before. For an unbound token the proof is ignored. Never throws.
   */
  public Decision verify(@Nullable String token, @Nullable String action,
      @Nullable String resource, @Nullable DpopProof proof) {
    Verification v = new Verification();
    try {
      return decide(token, action, resource, proof, v);
    } catch (Denial d) {
      return denied(d.code(), d.detail(), v.claims, action, resource);
    } catch (Throwable e) { // deeply nested JSON, or an Error from a backend: a denial
      return denied(DenyReason.BACKEND_FAILURE, Denial.clean("verification failed: " + e),
          v.claims, action, resource);
    }
  }

  private Decision decide(@Nullable String token, @Nullable String action,
      @Nullable String resource, @Nullable DpopProof proof, Verification v) throws Denial {
    if (action == null || resource == null) {
      throw new Denial(DenyReason.MALFORMED_REQUEST, "action and resource must not be null");
    }
    String compact = Objects.requireNonNullElse(token, "");
    JWTClaimsSet claims = pipeline.process(compact).claims();
    v.claims = claims;
    AccessClaims.checkTokenId(claims);
    Scope scope = AccessClaims.scope(claims);
    String jkt = AccessClaims.boundKey(claims);
    String replayKey = jkt == null ? null : proofs.verify(proof, compact, jkt);
    if (!scope.permits(action, resource)) {
      throw new Denial(DenyReason.OUT_OF_SCOPE, "token scope does not permit "
          + Validation.abbreviate(action) + " on " + Validation.abbreviate(resource));
    }
    if (jit == null) {
      if (replayKey != null) {
        proofs.remember(replayKey);
      }
      return Decision.allow();
    }
    Grant grant = AccessClaims.matchingGrant(jit, claims, scope);
    // A proof is recorded only for a grant that can still allow, so the token of an ended grant
    // cannot fill the replay cache; and before the check, so a replay spends no use.
    if (replayKey != null && grant.isActive()) {
      proofs.remember(replayKey);
    }
    // The runtime audits its own decision.
    return jit.check(grant.id(), action, resource);
  }

  /** A denial before the live check, reported to the audit sink if there is one. */
  private Decision denied(DenialCode code, String detail, @Nullable JWTClaimsSet claims,
      @Nullable String action, @Nullable String resource) {
    Decision decision = Decision.deny(code, detail);
    if (audit != null) {
      // Claims are reported only once the signature and claims verified; before that they are
      // an attacker's words. The token is named by its jti, its grant by the reference.
      Object reference = claims == null ? null : claims.getClaim(Claims.GRANT_REF);
      Object tokenId = claims == null ? null : claims.getClaim("jti");
      Object subject = claims == null ? null : claims.getClaim("sub");
      try {
        audit.record(AuditEvent.builder(AuditEventType.DENIED, clock.instant())
            .grantRef(reference instanceof String && GrantReference.isWellFormed((String) reference)
                ? (String) reference : null)
            .tokenId(tokenId instanceof String ? (String) tokenId : null)
            .subject(subject instanceof String ? (String) subject : null)
            .reason(code.name()).action(action).resource(resource).detail(detail).build());
      } catch (Throwable e) { // an Error too: the denial stands, and is returned
        LOG.log(System.Logger.Level.ERROR, "AuditSink " + audit + " failed to record a denial", e);
      }
    }
    return decision;
  }

  /** What is known about the token being verified. */
  private static final class Verification {
    @Nullable JWTClaimsSet claims;
  }

  /**
   * Builds a {@link JwtVerifier}. Each setter that takes a value may be called once (a second
   * call throws {@link IllegalStateException}); {@link #stateless()} and {@link #allowHmac()},
   * which take none, are idempotent. Not thread-safe.
   *
   * <p>Required: the trusted keys ({@link #keyRing} or {@link #trustedKeys}), {@link #issuer},
   * {@link #audience}, and exactly one of {@link #liveCheck} and {@link #stateless()}.
   *
   * <p>Defaults: the system UTC clock; algorithms {@code ES256} only (HMAC only with {@link
   * #allowHmac()}); max clock skew {@value #DEFAULT_MAX_CLOCK_SKEW_SECONDS} s; max token size
   * {@value #DEFAULT_MAX_TOKEN_SIZE} characters; stateless max lifetime {@value
   * #DEFAULT_STATELESS_MAX_LIFETIME_SECONDS} s; proofs: {@code ES256}, valid {@value
   * #DEFAULT_PROOF_LIFETIME_SECONDS} s after their {@code iat}, at most {@value
   * #DEFAULT_MAX_REMEMBERED_PROOFS} remembered for replay detection, at most a hundredth of those
   * for one key.
   */
  public static final class Builder {
    /** Default tolerance between the issuer's and the verifier's clocks. */
    public static final long DEFAULT_MAX_CLOCK_SKEW_SECONDS = 5;
    /** Default longest token accepted, in characters; longer ones are not parsed. */
    public static final int DEFAULT_MAX_TOKEN_SIZE = 8192;
    /** Default longest {@code exp - iat} a stateless verifier accepts. */
    public static final long DEFAULT_STATELESS_MAX_LIFETIME_SECONDS = 60;
    /** Default time a proof of possession stays acceptable after its {@code iat}. */
    public static final long DEFAULT_PROOF_LIFETIME_SECONDS = 60;
    /** Default number of proof ids remembered to detect replays. */
    public static final long DEFAULT_MAX_REMEMBERED_PROOFS = 100_000;
    /**
     * By default, one key may have this fraction of the remembered proof ids: one in a hundred
     * (at least one), so that it takes the tokens of a hundred keys to fill the replay cache.
     */
    public static final long DEFAULT_KEYS_TO_FILL_PROOF_CACHE = 100;

    private @Nullable JWKSource<SecurityContext> keys;
    private @Nullable String issuer;
    private @Nullable String audience;
    private @Nullable Clock clock;
    private @Nullable JitAccess jit;
    private boolean stateless;
    private @Nullable Collection<JWSAlgorithm> algorithms;
    private boolean allowHmac;
    private @Nullable Duration maxClockSkew;
    private @Nullable Integer maxTokenSize;
    private @Nullable Duration statelessMaxLifetime;
    private @Nullable Collection<JWSAlgorithm> proofAlgorithms;
    private @Nullable Duration proofLifetime;
    private @Nullable Long maxRememberedProofs;
    private @Nullable Long maxRememberedProofsPerKey;
    private @Nullable AuditSink auditSink;

    private Builder() {}

    /**
     * Receives a {@link AuditEventType#DENIED} event for every token denied before the live check
     * (the runtime audits its own checks). Its exceptions are logged and never change a decision.
     */
    public Builder auditSink(AuditSink auditSink) {
      requireUnset(this.auditSink, "auditSink");
      this.auditSink = Objects.requireNonNull(auditSink, "auditSink must not be null");
      return this;
    }

    /** Trusts the ring's verification keys, as they rotate. */
    public Builder keyRing(JwtKeyRing ring) {
      requireUnset(this.keys, "keys");
      this.keys = Objects.requireNonNull(ring, "keyRing must not be null").jwkSource();
      return this;
    }

    /**
     * Trusts the public keys of a JWKS obtained out of band (for example the issuer's {@link
     * JwtKeyRing#jwksJson()}); private and symmetric keys in it are ignored, and so are RSA keys
     * under 2048 bits (a token they signed is denied as signed by an unknown key). Keys are never
     * fetched.
     */
    public Builder trustedKeys(JWKSet jwks) {
      requireUnset(this.keys, "keys");
      Objects.requireNonNull(jwks, "trustedKeys must not be null");
      this.keys = new ImmutableJWKSet<>(Algorithms.trustable(jwks));
      return this;
    }

    /** The exact {@code iss} accepted (required). */
    public Builder issuer(String issuer) {
      requireUnset(this.issuer, "issuer");
      this.issuer = Validation.name(issuer, "issuer");
      return this;
    }

    /** This service's audience, which {@code aud} must contain (required). */
    public Builder audience(String audience) {
      requireUnset(this.audience, "audience");
      this.audience = Validation.name(audience, "audience");
      return this;
    }

    /** The clock for {@code exp}, {@code nbf}, {@code iat} and proof freshness. */
    public Builder clock(Clock clock) {
      requireUnset(this.clock, "clock");
      this.clock = Objects.requireNonNull(clock, "clock must not be null");
      return this;
    }

    /** Checks every token's grant live in {@code jit} (revoked, expired, exhausted deny). */
    public Builder liveCheck(JitAccess jit) {
      requireUnset(this.jit, "liveCheck");
      this.jit = Objects.requireNonNull(jit, "jit must not be null");
      return this;
    }

    /**
     * Verifies signature, claims and scope only, with no live grant check: a revocation takes
     * effect here only when the token expires. Only tokens of {@link JwtIssuer#issueStateless}
     * ({@code typ jit-stateless+jwt}) are accepted, and those living longer than {@link
     * #statelessMaxLifetime} are refused.
     */
    public Builder stateless() {
      this.stateless = true;
      return this;
    }

    /** The {@code alg} allow-list; {@code ES256} by default. */
    public Builder algorithms(Collection<JWSAlgorithm> algorithms) {
      requireUnset(this.algorithms, "algorithms");
      this.algorithms = Set.copyOf(Objects.requireNonNull(algorithms, "algorithms must not be null"));
      return this;
    }

    /** Permits HMAC algorithms in {@link #algorithms}; off by default. */
    public Builder allowHmac() {
      this.allowHmac = true;
      return this;
    }

    /** Tolerance between clocks for {@code exp}, {@code nbf} and {@code iat}; 0 to 5 minutes. */
    public Builder maxClockSkew(Duration skew) {
      requireUnset(this.maxClockSkew, "maxClockSkew");
      Objects.requireNonNull(skew, "maxClockSkew must not be null");
      if (skew.isNegative() || skew.compareTo(Duration.ofMinutes(5)) > 0) {
        throw new IllegalArgumentException("maxClockSkew must be in [PT0S, PT5M], was " + skew);
      }
      this.maxClockSkew = skew;
      return this;
    }

    /** Longest token (and proof) accepted, in characters; 256 to 1 MiB. */
    public Builder maxTokenSize(int characters) {
      requireUnset(this.maxTokenSize, "maxTokenSize");
      if (characters < 256 || characters > 1 << 20) {
        throw new IllegalArgumentException(
            "maxTokenSize must be in [256, 1048576], was " + characters);
      }
      this.maxTokenSize = characters;
      return this;
    }

    /** Longest {@code exp - iat} accepted in stateless mode; {@code > 0}. */
    public Builder statelessMaxLifetime(Duration lifetime) {
      requireUnset(this.statelessMaxLifetime, "statelessMaxLifetime");
      this.statelessMaxLifetime = Validation.positive(lifetime, "statelessMaxLifetime");
      return this;
    }

    /**
     * The {@code alg} allow-list for proofs of possession; asymmetric only, {@code ES256} by
     * default. Whatever the list, a proof's key must be one a trusted key could be: an RSA key
     * has at least 2048 bits, and a key's {@code use}, if any, is {@code sig}.
     */
    public Builder proofAlgorithms(Collection<JWSAlgorithm> algorithms) {
      requireUnset(this.proofAlgorithms, "proofAlgorithms");
      this.proofAlgorithms = Set.copyOf(
          Objects.requireNonNull(algorithms, "proofAlgorithms must not be null"));
      return this;
    }

    /** How long after its {@code iat} a proof is accepted; 1 s to 10 minutes. */
    public Builder proofLifetime(Duration lifetime) {
      requireUnset(this.proofLifetime, "proofLifetime");
      Objects.requireNonNull(lifetime, "proofLifetime must not be null");
      if (lifetime.compareTo(Duration.ofSeconds(1)) < 0
          || lifetime.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new IllegalArgumentException("proofLifetime must be in [PT1S, PT10M], was " + lifetime);
      }
      this.proofLifetime = lifetime;
      return this;
    }

    /**
     * How many proof ids are remembered to detect replays; {@code > 0}. Each id is kept for the
     * proof lifetime plus twice the clock skew and a second. Size it above the number of proofs
     * one verifier accepts in that time: when it holds that many unexpired ids, a new proof is
     * denied ({@link DenyReason#BACKEND_FAILURE}) rather than an id forgotten, since a forgotten
     * id could be replayed. Proofs for the token of a grant that has ended are not recorded.
     */
    public Builder maxRememberedProofs(long count) {
      requireUnset(this.maxRememberedProofs, "maxRememberedProofs");
      if (count <= 0) {
        throw new IllegalArgumentException("maxRememberedProofs must be > 0, was " + count);
      }
      this.maxRememberedProofs = count;
      return this;
    }

    /**
     * How many of the remembered proof ids one key (one token's {@code cnf.jkt}) may hold at once;
     * {@code > 0}. A proof past its key's quota is denied ({@link JwtDenialCode#PROOF_RATE_LIMITED})
     * until the key's older ids expire, so that the holder of one live bound token cannot fill the
     * replay cache and deny every other token's proofs. Size it above the proofs one client sends
     * with one token in a proof window (the proof lifetime plus twice the clock skew and a
     * second). Defaults to {@code maxRememberedProofs / }{@value
     * #DEFAULT_KEYS_TO_FILL_PROOF_CACHE} (at least 1); a quota above {@code maxRememberedProofs}
     * is allowed, and then only the whole cache's bound applies.
     */
    public Builder maxRememberedProofsPerKey(long count) {
      requireUnset(this.maxRememberedProofsPerKey, "maxRememberedProofsPerKey");
      if (count <= 0) {
        throw new IllegalArgumentException(
            "maxRememberedProofsPerKey must be > 0, was " + count);
      }
      this.maxRememberedProofsPerKey = count;
      return this;
    }

    /**
     * The verifier.
     *
     * @throws NullPointerException naming the first required field not set
     * @throws IllegalStateException if both or neither of liveCheck and stateless are set
     * @throws IllegalArgumentException naming the rule, if an allow-list is invalid
     */
    public JwtVerifier build() {
      JWKSource<SecurityContext> trusted = Objects.requireNonNull(keys,
          "keys must be set with keyRing(...) or trustedKeys(...)");
      String iss = Objects.requireNonNull(issuer, "issuer must be set");
      String aud = Objects.requireNonNull(audience, "audience must be set");
      if (stateless == (jit != null)) {
        throw new IllegalStateException(
            "exactly one of liveCheck(jit) and stateless() must be set");
      }
      Clock c = clock == null ? Clock.systemUTC() : clock;
      Set<JWSAlgorithm> algs = Algorithms.allowList(
          algorithms == null ? Algorithms.DEFAULT : algorithms, allowHmac, "algorithms");
      Set<JWSAlgorithm> proofAlgs = Algorithms.allowList(
          proofAlgorithms == null ? Algorithms.DEFAULT : proofAlgorithms, false, "proofAlgorithms");
      Duration skew = maxClockSkew == null
          ? Duration.ofSeconds(DEFAULT_MAX_CLOCK_SKEW_SECONDS) : maxClockSkew;
      int size = maxTokenSize == null ? DEFAULT_MAX_TOKEN_SIZE : maxTokenSize;
      Duration maxLifetime = !stateless ? null : statelessMaxLifetime == null
          ? Duration.ofSeconds(DEFAULT_STATELESS_MAX_LIFETIME_SECONDS) : statelessMaxLifetime;
      TokenPipeline pipeline = new TokenPipeline(size, algs, false,
          stateless
              ? new TypeCheck(JwtDenialCode.WRONG_TOKEN_TYPE, TokenTypes.STATELESS_TOKEN_TYPE)
              : new TypeCheck(JwtDenialCode.WRONG_TOKEN_TYPE, TokenTypes.ACCESS_TOKEN_TYPE,
                  TokenTypes.ACCESS_TOKEN_MEDIA_TYPE, TokenTypes.STATELESS_TOKEN_TYPE),
          new TrustedKeySelector(algs, trusted),
          new TokenClaimsCheck(c, iss, aud, Claims.ACCESS_REQUIRED, Claims.ACCESS_STRINGS, skew,
              maxLifetime));
      long remembered =
          maxRememberedProofs == null ? DEFAULT_MAX_REMEMBERED_PROOFS : maxRememberedProofs;
      long perKey = maxRememberedProofsPerKey == null
          ? Math.max(1, remembered / DEFAULT_KEYS_TO_FILL_PROOF_CACHE) : maxRememberedProofsPerKey;
      ProofVerifier proofs = new ProofVerifier(c, proofAlgs, size,
          proofLifetime == null ? Duration.ofSeconds(DEFAULT_PROOF_LIFETIME_SECONDS) : proofLifetime,
          skew, remembered, perKey);
      return new JwtVerifier(pipeline, jit, proofs, c, auditSink);
    }

    private static void requireUnset(@Nullable Object current, String name) {
      if (current != null) {
        throw new IllegalStateException(name + " was already set");
      }
    }
  }
}
