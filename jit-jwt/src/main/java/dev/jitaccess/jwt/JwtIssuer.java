package dev.jitaccess.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantState;
import dev.jitaccess.GrantStateException;
import dev.jitaccess.GrantStatus;
import dev.jitaccess.UnknownGrantException;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.internal.Validation;
import dev.jitaccess.spi.AuditSink;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Mints a compact, signed JWT (JWS) for an ACTIVE grant, so that the grant can travel to another
 * service.
 *
 * <pre>{@code
 * JwtIssuer issuer = JwtIssuer.builder()
 *     .jit(jit).keyRing(ring).issuer("https://jit.example.com").clock(clock).build();
 * String token = issuer.issue(grant.id(), "orders-api");
 * }</pre>
 *
 * <p>An RFC 9068 JWT access token. Header: {@code alg} of the ring's current key, its {@code kid},
 * {@code typ at+jwt} ({@code jit-stateless+jwt} for {@link #issueStateless}, the only type a
 * stateless verifier accepts). Claims: {@code iss}, {@code sub} and {@code client_id} (the grant's
 * subject), {@code aud}, {@code iat} and {@code nbf} (now), {@code exp}, {@code jti} (128 random
 * bits, fresh for every token), {@code scope} (canonical {@link dev.jitaccess.Scope} text, which
 * is RFC 9068's space-separated list), {@code grant_ref} (the grant's {@link
 * dev.jitaccess.GrantReference}, never its id: the id is the handle checks are made with, and
 * every holder of a token can read its claims), {@code task}, {@code owner}; for a delegated
 * grant, {@code act} (RFC 8693): nested
 * objects whose {@code sub} is each ancestor's subject, the parent outermost; and {@code cnf.jkt}
 * (the RFC 7638 thumbprint of the workload's public key) for a key-bound token. {@code exp} is the
 * earliest of the grant's {@code expiresAt} and now plus the token lifetime (or the stateless
 * lifetime), rounded down to the second, so a token never outlives its grant.
 *
 * <p>With an {@link Builder#auditSink audit sink}, every token minted is recorded as a {@link
 * AuditEventType#TOKEN_ISSUED} event naming the grant by its reference and the token by its
 * {@code jti}, so that a token seen later (in a denial, a log) can be traced to its grant.
 *
 * <p>Thread-safe.
 */
public final class JwtIssuer {
  private static final System.Logger LOG = System.getLogger(JwtIssuer.class.getName());
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private final JitAccess jit;
  private final JwtKeyRing ring;
  private final String issuer;
  private final Clock clock;
  private final Duration tokenLifetime;
  private final Duration statelessLifetime;
  private final @Nullable AuditSink audit;

  private JwtIssuer(Builder b) {
    this.jit = Objects.requireNonNull(b.jit, "jit must be set");
    this.ring = Objects.requireNonNull(b.ring, "keyRing must be set");
    this.issuer = Validation.name(b.issuer, "issuer");
    this.clock = b.clock == null ? Clock.systemUTC() : b.clock;
    this.tokenLifetime = b.tokenLifetime;
    this.statelessLifetime = b.statelessLifetime;
    this.audit = b.auditSink;
  }

  /** A builder; jit, keyRing and issuer are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A bearer token for the grant, for a verifier with a live grant check.
   *
   * @throws UnknownGrantException if no grant has this id
   * @throws GrantStateException if the grant or one of its ancestors is not ACTIVE, has expired,
   *     or the grant expires within a second
   * @throws IllegalArgumentException naming the field, if the audience is blank
   */
  public String issue(String grantId, String audience) {
    return mint(grantId, audience, null, tokenLifetime, TokenTypes.ACCESS_TOKEN_TYPE);
  }

  /**
   * A token bound to the workload's public key ({@code cnf.jkt}): the verifier then requires a
   * proof of possession ({@link DpopProof}) signed with the matching private key.
   *
   * @throws IllegalArgumentException naming {@code workloadKey} and the rule, if it holds a private
   *     key or could not verify a proof: an RSA key under 2048 bits, a {@code use} other than
   *     {@code sig}, {@code key_ops} without {@code verify}
   * @throws UnknownGrantException if no grant has this id
   * @throws GrantStateException if the grant or one of its ancestors is not ACTIVE, has expired,
   *     or the grant expires within a second
   */
  public String issue(String grantId, String audience, JWK workloadKey) {
    return mint(grantId, audience, Objects.requireNonNull(workloadKey, "workloadKey must not be null"),
        tokenLifetime, TokenTypes.ACCESS_TOKEN_TYPE);
  }

  /**
   * A token for a stateless verifier (one that has only the JWKS), with the short stateless
   * lifetime: such a verifier cannot see a revocation, which therefore takes effect only when this
   * token expires. Bound to {@code workloadKey} if it is not null. A grant with a use budget gets
   * no stateless token: a verifier that cannot see the grant cannot count its uses.
   *
   * @throws UnknownGrantException if no grant has this id
   * @throws GrantStateException if the grant or one of its ancestors is not ACTIVE, has expired,
   *     or the grant expires within a second
   * @throws IllegalArgumentException if the grant has a use budget
   */
  public String issueStateless(String grantId, String audience, @Nullable JWK workloadKey) {
    Validation.id(grantId, "grantId");
    Grant grant = jit.grant(grantId).orElseThrow(() -> new UnknownGrantException("grantId", grantId));
    if (grant.useBudget().isPresent()) {
      throw new IllegalArgumentException("grant " + Validation.redactId(grantId) + " has a "
          + "useBudget, which a stateless verifier cannot enforce; issue a token for a verifier "
          + "with a live check instead");
    }
    return mint(grantId, audience, workloadKey, statelessLifetime, TokenTypes.STATELESS_TOKEN_TYPE);
  }

  private String mint(String grantId, String audience, @Nullable JWK workloadKey,
      Duration lifetime, JOSEObjectType type) {
    Validation.id(grantId, "grantId");
    Validation.name(audience, "audience");
    String thumbprint = workloadKey == null ? null : thumbprint(workloadKey);
    // The runtime's one definition of usable: the grant and every ancestor ACTIVE and within
    // their validity by its clock. The runtime may still be ending the descendants of a revoked
    // grant (with a cascade executor, or after a cascade the store failed); its checks deny them
    // meanwhile by walking the same chain, so no token is minted for them either.
    GrantStatus status = jit.status(grantId);
    Grant grant = status.grant().orElseThrow(() -> new UnknownGrantException("grantId", grantId));
    if (!status.isUsable()) {
      if (status.ancestors().isEmpty() && !grant.isActive()) {
        throw new GrantStateException(grantId, grant.state(), "mint a token");
      }
      throw new GrantStateException(status.state().orElse(GrantState.REVOKED), "grant "
          + grant.reference() + " must be usable, with every ancestor, to mint a token; "
          + status.denial().orElseThrow() + status.detail().map(d -> ": " + d).orElse(""));
    }
    Instant now = clock.instant();
    long iat = now.getEpochSecond();
    // Compared before adding, so that no lifetime, however long, overflows.
    Instant until = Duration.between(now, grant.expiresAt()).compareTo(lifetime) <= 0
        ? grant.expiresAt() : now.plus(lifetime);
    long exp = until.getEpochSecond(); // rounded down: never after the grant's expiresAt
    if (exp <= iat) {
      throw new GrantStateException(GrantState.ACTIVE, "grant " + Validation.redactId(grantId)
          + " must live at least until the next second to mint a token, expires at "
          + grant.expiresAt());
    }
    String tokenId = newTokenId();
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
        .issuer(issuer)
        .subject(grant.subject())
        .audience(audience)
        .issueTime(new Date(iat * 1000))
        .notBeforeTime(new Date(iat * 1000))
        .expirationTime(new Date(exp * 1000))
        .jwtID(tokenId)
        .claim(Claims.CLIENT_ID, grant.subject())
        .claim(Claims.SCOPE, grant.scope().toString())
        .claim(Claims.GRANT_REF, grant.reference())
        .claim(Claims.TASK, grant.task())
        .claim(Claims.OWNER, grant.owner());
    Map<String, Object> act = actorChain(grant, status.ancestors());
    if (act != null) {
      claims.claim(Claims.ACT, act);
    }
    if (thumbprint != null) {
      claims.claim(Claims.CNF, Map.of(Claims.JKT, thumbprint));
    }
    String token = ring.sign(claims.build(), Instant.ofEpochSecond(exp), type);
    recordIssue(grant, tokenId, audience, now, Instant.ofEpochSecond(exp), type,
        thumbprint != null);
    return token;
  }

  /** 128 bits from a {@link SecureRandom}, unpadded base64url: 22 characters. */
  private static String newTokenId() {
    byte[] bits = new byte[16];
    RANDOM.nextBytes(bits);
    return BASE64URL.encodeToString(bits);
  }

  private void recordIssue(Grant grant, String tokenId, String audience, Instant now,
      Instant expiresAt, JOSEObjectType type, boolean bound) {
    AuditSink sink = audit;
    if (sink == null) {
      return;
    }
    try {
      sink.record(AuditEvent.builder(AuditEventType.TOKEN_ISSUED, now).grant(grant)
          .tokenId(tokenId).scope(grant.scope().toString()).expiresAt(expiresAt)
          .detail("typ " + type + ", aud " + audience + (bound ? ", bound to a key" : ""))
          .build());
    } catch (Throwable e) { // an Error too: the token is minted; the failure is logged
      LOG.log(System.Logger.Level.ERROR, "AuditSink " + sink + " failed to record a token issue",
          e);
    }
  }

  /**
   * The RFC 8693 {@code act} claim of a delegated grant, or null for a top-level one: one nested
   * object per ancestor ({@code chain} is parent first), the parent outermost.
   */
  private static @Nullable Map<String, Object> actorChain(Grant grant, List<Grant> chain) {
    if (chain.size() > Claims.MAX_ACT_DEPTH) {
      throw new IllegalStateException("grant " + grant.reference()
          + " must have at most " + Claims.MAX_ACT_DEPTH + " ancestors");
    }
    List<String> ancestors = new ArrayList<>();
    for (Grant ancestor : chain) {
      ancestors.add(ancestor.subject());
    }
    Map<String, Object> act = null;
    for (int i = ancestors.size() - 1; i >= 0; i--) {
      Map<String, Object> level = new LinkedHashMap<>();
      level.put("sub", ancestors.get(i));
      if (act != null) {
        level.put(Claims.ACT, act);
      }
      act = level;
    }
    return act;
  }

  private static String thumbprint(JWK key) {
    if (key.isPrivate()) {
      throw new IllegalArgumentException(
          "workloadKey must be a public key; never hand a private key to the issuer");
    }
    // The verifier refuses every proof such a key signs: a token bound to it is never usable.
    String untrustable = Algorithms.untrustable(key);
    if (untrustable != null) {
      throw new IllegalArgumentException(
          "workloadKey must be a key a proof of possession may be verified with: " + untrustable);
    }
    try {
      return key.computeThumbprint().toString();
    } catch (JOSEException e) {
      throw new IllegalArgumentException("workloadKey must have an RFC 7638 thumbprint: "
          + e.getMessage(), e);
    }
  }

  /**
   * Builds a {@link JwtIssuer}. Each setter may be called once. Not thread-safe.
   *
   * <p>Defaults: the system UTC clock; token lifetime {@value #DEFAULT_TOKEN_LIFETIME_SECONDS}
   * seconds; stateless token lifetime {@value #DEFAULT_STATELESS_LIFETIME_SECONDS} seconds.
   */
  public static final class Builder {
    /** Default longest life of a token for a verifier with a live grant check. */
    public static final long DEFAULT_TOKEN_LIFETIME_SECONDS = 300;
    /** Default longest life of a token for a stateless verifier. */
    public static final long DEFAULT_STATELESS_LIFETIME_SECONDS = 60;

    private @Nullable JitAccess jit;
    private @Nullable JwtKeyRing ring;
    private @Nullable String issuer;
    private @Nullable Clock clock;
    private Duration tokenLifetime = Duration.ofSeconds(DEFAULT_TOKEN_LIFETIME_SECONDS);
    private boolean tokenLifetimeSet;
    private Duration statelessLifetime = Duration.ofSeconds(DEFAULT_STATELESS_LIFETIME_SECONDS);
    private boolean statelessLifetimeSet;
    private @Nullable AuditSink auditSink;

    private Builder() {}

    /**
     * Receives a {@link AuditEventType#TOKEN_ISSUED} event for every token minted. Its exceptions
     * are logged and never stop a token.
     */
    public Builder auditSink(AuditSink auditSink) {
      requireUnset(this.auditSink, "auditSink");
      this.auditSink = Objects.requireNonNull(auditSink, "auditSink must not be null");
      return this;
    }

    /** The runtime whose grants are minted (required). */
    public Builder jit(JitAccess jit) {
      requireUnset(this.jit, "jit");
      this.jit = Objects.requireNonNull(jit, "jit must not be null");
      return this;
    }

    /** The signing keys (required). */
    public Builder keyRing(JwtKeyRing ring) {
      requireUnset(this.ring, "keyRing");
      this.ring = Objects.requireNonNull(ring, "keyRing must not be null");
      return this;
    }

    /** The {@code iss} claim, for example the issuing service's URL (required). */
    public Builder issuer(String issuer) {
      requireUnset(this.issuer, "issuer");
      this.issuer = Validation.name(issuer, "issuer");
      return this;
    }

    /** The clock that stamps {@code iat}, {@code nbf} and {@code exp}. */
    public Builder clock(Clock clock) {
      requireUnset(this.clock, "clock");
      this.clock = Objects.requireNonNull(clock, "clock must not be null");
      return this;
    }

    /**
     * The longest life of a token for a verifier with a live grant check; {@code >= 1s}.
     */
    public Builder tokenLifetime(Duration lifetime) {
      if (tokenLifetimeSet) {
        throw new IllegalStateException("tokenLifetime was already set");
      }
      this.tokenLifetime = atLeastASecond(lifetime, "tokenLifetime");
      this.tokenLifetimeSet = true;
      return this;
    }

    /**
     * The longest life of a token for a stateless verifier, which sees revocation only at
     * {@code exp}; {@code >= 1s}. Keep it short.
     */
    public Builder statelessLifetime(Duration lifetime) {
      if (statelessLifetimeSet) {
        throw new IllegalStateException("statelessLifetime was already set");
      }
      this.statelessLifetime = atLeastASecond(lifetime, "statelessLifetime");
      this.statelessLifetimeSet = true;
      return this;
    }

    /**
     * The issuer.
     *
     * @throws NullPointerException naming the first required field not set
     */
    public JwtIssuer build() {
      return new JwtIssuer(this);
    }

    private static Duration atLeastASecond(Duration value, String field) {
      Objects.requireNonNull(value, () -> field + " must not be null");
      if (value.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException(field + " must be >= PT1S, was " + value);
      }
      return value;
    }

    private static void requireUnset(@Nullable Object current, String name) {
      if (current != null) {
        throw new IllegalStateException(name + " was already set");
      }
    }
  }
}
