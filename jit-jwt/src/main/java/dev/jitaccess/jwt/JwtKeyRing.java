package dev.jitaccess.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.jitaccess.internal.Validation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The signing keys of a {@link JwtIssuer}, rotated by {@code kid}, and the verification keys for a
 * {@link JwtVerifier} and for other services (as a JWKS).
 *
 * <pre>{@code
 * JwtKeyRing ring = JwtKeyRing.builder().clock(clock)
 *     .signingKey(new ECKeyGenerator(Curve.P_256).keyID("2026-11").generate())
 *     .build();
 * String jwks = ring.jwksJson();                  // publish for other services
 * ring.rotate(new ECKeyGenerator(Curve.P_256).keyID("2026-12").generate());
 * }</pre>
 *
 * <p>After {@link #rotate(JWK)}, new tokens are signed with the new key; the previous key is
 * retired: it keeps verifying until the last token it signed has expired plus a grace period (for
 * clock skew), and is then dropped, by the injected clock. A retired key that never signed is
 * dropped at once. A {@code kid} is never used for a second key, so a verifier that caches keys by
 * {@code kid} cannot keep verifying with the wrong one. Every key is checked when it joins the
 * ring (its algorithm fits it, and it signs), so a bad rotation fails there, not on every
 * later issue. The verification keys are an immutable {@link JWKSet} swapped atomically, so
 * verification never takes a lock.
 *
 * <p>Thread-safe: signing, rotation and reads may come from any thread.
 */
public final class JwtKeyRing {
  private final Clock clock;
  private final Set<JWSAlgorithm> algorithms;
  private final long graceMillis;
  private final ReentrantLock lock = new ReentrantLock();
  /** The current key first, then the retired ones still verifying. Guarded by {@link #lock}. */
  private final List<Entry> entries = new ArrayList<>();
  /** Every {@code kid} this ring has held. Guarded by {@link #lock}. */
  private final Set<String> usedKeyIds = new HashSet<>();
  private final AtomicReference<ImmutableJWKSet<SecurityContext>> verifying =
      new AtomicReference<>();
  private volatile long nextPruneMillis = Long.MAX_VALUE;
  private final JWKSource<SecurityContext> source = this::select;

  private JwtKeyRing(Clock clock, Set<JWSAlgorithm> algorithms, Duration grace, JWK first) {
    this.clock = clock;
    this.algorithms = algorithms;
    this.graceMillis = grace.toMillis();
    Entry entry = entry(first, "signingKey");
    entries.add(entry);
    usedKeyIds.add(entry.kid);
    publish();
  }

  /** A builder: a signing key is required; see {@link Builder}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Makes {@code next} the signing key. The previous one is retired: it keeps verifying until the
   * last token it signed has expired (plus the grace period), then it is dropped.
   *
   * @throws IllegalArgumentException naming the rule, if the key has no {@code kid}, has a {@code
   *     kid} this ring has held before, is not an EC, RSA or (with {@code allowHmac}) octet key,
   *     holds no private key, its {@code use} or {@code key_ops} exclude signing, its algorithm is
   *     not allowed or does not fit it, it cannot sign, or its public half does not verify what its
   *     private half signs
   */
  public void rotate(JWK next) {
    Entry entry = entry(next, "next");
    lock.lock();
    try {
      if (usedKeyIds.contains(entry.kid)) {
        throw new IllegalArgumentException("next.kid must not be a kid this ring has held, was "
            + entry.kid + ": a verifier that caches keys by kid would keep the earlier key");
      }
      usedKeyIds.add(entry.kid);
      entries.add(0, entry);
      pruneLocked(clock.millis());
    } finally {
      lock.unlock();
    }
  }

  /** The {@code kid} new tokens are signed with. */
  public String currentKeyId() {
    lock.lock();
    try {
      return entries.get(0).kid;
    } finally {
      lock.unlock();
    }
  }

  /** The {@code kid}s that verify now: the current key and the retired ones not yet dropped. */
  public Set<String> verifyingKeyIds() {
    Set<String> ids = new LinkedHashSet<>();
    for (JWK jwk : verifyingKeys().getKeys()) {
      ids.add(jwk.getKeyID());
    }
    return ids;
  }

  /**
   * The public keys that verify now, for services that verify tokens themselves. Symmetric (HMAC)
   * keys are never included.
   */
  public JWKSet publicJwkSet() {
    return verifyingKeys().toPublicJWKSet();
  }

  /** {@link #publicJwkSet()} as JWKS JSON, for a {@code /.well-known/jwks.json} endpoint. */
  public String jwksJson() {
    return publicJwkSet().toString(true);
  }

  /** The verification keys as a Nimbus key source, pruned by the clock on each read. */
  JWKSource<SecurityContext> jwkSource() {
    return source;
  }

  private List<JWK> select(JWKSelector selector, @Nullable SecurityContext context)
      throws KeySourceException {
    return verifyingSource().get(selector, context);
  }

  private JWKSet verifyingKeys() {
    return verifyingSource().getJWKSet();
  }

  private ImmutableJWKSet<SecurityContext> verifyingSource() {
    long now = clock.millis();
    if (now >= nextPruneMillis) {
      lock.lock();
      try {
        pruneLocked(now);
      } finally {
        lock.unlock();
      }
    }
    return verifying.get();
  }

  /**
   * Signs {@code claims} as a compact JWS of JOSE type {@code type} with the current key (header
   * {@code alg}, {@code kid}, {@code typ}), for another kind of signed object published under this
   * ring's JWK set, such as a Security Event Token ({@code secevent+jwt}). The key keeps verifying
   * until at least {@code verifyUntil} (plus the grace period), even after a rotation.
   *
   * <p>The types this module's own tokens and proofs carry ({@code at+jwt}, {@code
   * application/at+jwt}, {@code jit-stateless+jwt}, {@code dpop+jwt}), and the generic {@code JWT}
   * and {@code JOSE}, are refused, so that nothing signed here passes for an access token; so is
   * a symmetric current key, whose signatures no one holding only the published keys can check.
   *
   * @param type the {@code typ}: a media type ending in {@code +jwt}
   * @param verifyUntil the latest time a receiver may verify what is signed (for claims with an
   *     {@code exp}, at least it)
   * @return the compact serialization
   * @throws IllegalArgumentException naming the rule, if {@code type} is refused or {@code
   *     verifyUntil} is before the claims' {@code exp}
   * @throws IllegalStateException if the current key is symmetric, or signing fails
   */
  public String sign(JOSEObjectType type, JWTClaimsSet claims, Instant verifyUntil) {
    Objects.requireNonNull(type, "type must not be null");
    Objects.requireNonNull(claims, "claims must not be null");
    Objects.requireNonNull(verifyUntil, "verifyUntil must not be null");
    TokenTypes.checkForeign(type);
    java.util.Date exp = claims.getExpirationTime();
    if (exp != null && verifyUntil.isBefore(exp.toInstant())) {
      throw new IllegalArgumentException("verifyUntil must not be before the claims' exp");
    }
    return sign(claims, verifyUntil, type, true);
  }

  /**
   * Signs {@code claims} (whose {@code exp} is {@code expiresAt}) as a token of {@code type} with
   * the current key, and records that the key must keep verifying until then.
   */
  String sign(JWTClaimsSet claims, Instant expiresAt, JOSEObjectType type) {
    return sign(claims, expiresAt, type, false);
  }

  /** As {@link #sign(JWTClaimsSet, Instant, JOSEObjectType)}; refuses an HMAC current key if asked. */
  private String sign(JWTClaimsSet claims, Instant expiresAt, JOSEObjectType type,
      boolean publishedKeyOnly) {
    Entry current;
    long exp = expiresAt.toEpochMilli();
    lock.lock();
    try {
      current = entries.get(0);
      if (publishedKeyOnly && current.verificationKey instanceof OctetSequenceKey) {
        throw new IllegalStateException("the current key is symmetric (HMAC): what it signs "
            + "cannot be checked with the published keys");
      }
      current.latestExpMillis = Math.max(current.latestExpMillis, exp);
    } finally {
      lock.unlock();
    }
    JWSHeader header = new JWSHeader.Builder(current.algorithm)
        .keyID(current.kid)
        .type(type)
        .build();
    SignedJWT jwt = new SignedJWT(header, claims);
    try {
      jwt.sign(current.signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("signing with key " + current.kid + " failed", e);
    }
    return jwt.serialize();
  }

  private void pruneLocked(long now) {
    long next = Long.MAX_VALUE;
    for (int i = entries.size() - 1; i >= 1; i--) {
      Entry e = entries.get(i);
      long dropAt = e.latestExpMillis == Long.MIN_VALUE
          ? Long.MIN_VALUE
          : saturatedAdd(e.latestExpMillis, graceMillis);
      if (now >= dropAt) {
        entries.remove(i);
      } else {
        next = Math.min(next, dropAt);
      }
    }
    nextPruneMillis = next;
    publish();
  }

  private void publish() {
    List<JWK> keys = new ArrayList<>();
    for (Entry e : entries) {
      keys.add(e.verificationKey);
    }
    verifying.set(new ImmutableJWKSet<>(new JWKSet(keys)));
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }

  private Entry entry(JWK key, String field) {
    Objects.requireNonNull(key, () -> field + " must not be null");
    String kid = key.getKeyID();
    if (kid == null || kid.isBlank()) {
      throw new IllegalArgumentException(field + ".kid must be set");
    }
    Validation.name(kid, field + ".kid");
    if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
      throw new IllegalArgumentException(field + ".use must be sig, was " + key.getKeyUse());
    }
    if (key.getKeyOperations() != null && !key.getKeyOperations().contains(KeyOperation.SIGN)) {
      throw new IllegalArgumentException(
          field + ".key_ops must include sign, was " + key.getKeyOperations());
    }
    if (!(key instanceof ECKey || key instanceof RSAKey || key instanceof OctetSequenceKey)) {
      throw new IllegalArgumentException(field + " must be an EC, RSA or (with allowHmac) octet "
          + "key, was " + key.getKeyType());
    }
    JWSAlgorithm alg = algorithmOf(key, field);
    if (!algorithms.contains(alg)) {
      throw new IllegalArgumentException(
          field + ".alg must be one of " + algorithms + ", was " + alg);
    }
    if (!(key instanceof OctetSequenceKey)) {
      requirePrivate(key.isPrivate(), field);
    }
    // Counted here, in exact bits, so that the refusal names them.
    if (key instanceof RSAKey && Algorithms.rsaBits((RSAKey) key) < Algorithms.MIN_RSA_BITS) {
      throw new IllegalArgumentException(field + " must be an RSA key of at least "
          + Algorithms.MIN_RSA_BITS + " bits, had " + Algorithms.rsaBits((RSAKey) key));
    }
    JWSSigner signer;
    try { // Nimbus refuses some keys here, an RSA key under 2048 bits with an unchecked exception
      signer = key instanceof ECKey ? new ECDSASigner((ECKey) key)
          : key instanceof RSAKey ? new RSASSASigner((RSAKey) key)
          : new MACSigner((OctetSequenceKey) key);
    } catch (JOSEException | RuntimeException e) {
      throw unusable(field, alg, e);
    }
    JWK verificationKey = key instanceof OctetSequenceKey ? key : key.toPublicJWK();
    if (!signer.supportedJWSAlgorithms().contains(alg)) {
      throw new IllegalArgumentException(field + ".alg must fit the key: this " + key.getKeyType()
          + " key signs " + signer.supportedJWSAlgorithms() + ", alg was " + alg);
    }
    // A test signature, checked with the half that is published: a key that cannot sign, or
    // whose private half does not belong to its public half, fails here, not on every later issue.
    boolean verified;
    try {
      JWSObject probe = new JWSObject(new JWSHeader(alg), new Payload(field));
      probe.sign(signer);
      JWSVerifier verifier = key instanceof ECKey ? new ECDSAVerifier((ECKey) verificationKey)
          : key instanceof RSAKey ? new RSASSAVerifier((RSAKey) verificationKey)
          : new MACVerifier((OctetSequenceKey) verificationKey);
      verified = probe.verify(verifier);
    } catch (JOSEException | RuntimeException e) {
      throw unusable(field, alg, e);
    }
    if (!verified) {
      throw new IllegalArgumentException(field + " must be a key pair: a signature made with its "
          + "private half does not verify with its public half");
    }
    return new Entry(kid, alg, signer, verificationKey);
  }

  private static IllegalArgumentException unusable(String field, JWSAlgorithm alg, Exception e) {
    return new IllegalArgumentException(
        field + " must be a usable " + alg + " signing key: " + e.getMessage(), e);
  }

  private static void requirePrivate(boolean isPrivate, String field) {
    if (!isPrivate) {
      throw new IllegalArgumentException(field + " must hold the private key, to sign");
    }
  }

  private static JWSAlgorithm algorithmOf(JWK key, String field) {
    if (key.getAlgorithm() != null) {
      return JWSAlgorithm.parse(key.getAlgorithm().getName());
    }
    if (key instanceof ECKey) {
      Curve curve = ((ECKey) key).getCurve();
      if (Curve.P_256.equals(curve)) {
        return JWSAlgorithm.ES256;
      }
      if (Curve.P_384.equals(curve)) {
        return JWSAlgorithm.ES384;
      }
      if (Curve.P_521.equals(curve)) {
        return JWSAlgorithm.ES512;
      }
      throw new IllegalArgumentException(field + ".crv must be P-256, P-384 or P-521, was "
          + curve);
    }
    if (key instanceof OctetSequenceKey) {
      return JWSAlgorithm.HS256;
    }
    throw new IllegalArgumentException(field + ".alg must be set for a " + key.getKeyType()
        + " key");
  }

  /** One key. The latest exp is guarded by the ring's lock. */
  private static final class Entry {
    final String kid;
    final JWSAlgorithm algorithm;
    final JWSSigner signer;
    final JWK verificationKey;
    long latestExpMillis = Long.MIN_VALUE;

    Entry(String kid, JWSAlgorithm algorithm, JWSSigner signer, JWK verificationKey) {
      this.kid = kid;
      this.algorithm = algorithm;
      this.signer = signer;
      this.verificationKey = verificationKey;
    }
  }

  /**
   * Builds a {@link JwtKeyRing}. Each setter may be called once. Not thread-safe.
   *
   * <p>Defaults: the system UTC clock; algorithms {@code ES256} only; HMAC not allowed; a retired
   * key is kept {@value #DEFAULT_RETIREMENT_GRACE_SECONDS} seconds after the last token it signed
   * expires.
   */
  public static final class Builder {
    /** Default time a retired key keeps verifying after its last token expired. */
    public static final long DEFAULT_RETIREMENT_GRACE_SECONDS = 60;
    private static final Duration MAX_RETIREMENT_GRACE = Duration.ofMinutes(5);

    private @Nullable Clock clock;
    private @Nullable JWK signingKey;
    private Set<JWSAlgorithm> algorithms = Algorithms.DEFAULT;
    private boolean algorithmsSet;
    private boolean allowHmac;
    private Duration retirementGrace = Duration.ofSeconds(DEFAULT_RETIREMENT_GRACE_SECONDS);
    private boolean graceSet;

    private Builder() {}

    /** The clock that decides when a retired key is dropped. */
    public Builder clock(Clock clock) {
      if (this.clock != null) {
        throw new IllegalStateException("clock was already set");
      }
      this.clock = Objects.requireNonNull(clock, "clock must not be null");
      return this;
    }

    /** The first signing key (required): an EC, RSA or (with {@link #allowHmac()}) octet JWK. */
    public Builder signingKey(JWK signingKey) {
      if (this.signingKey != null) {
        throw new IllegalStateException("signingKey was already set");
      }
      this.signingKey = Objects.requireNonNull(signingKey, "signingKey must not be null");
      return this;
    }

    /** The algorithms keys may sign with; {@code ES256} by default. */
    public Builder algorithms(Collection<JWSAlgorithm> algorithms) {
      if (algorithmsSet) {
        throw new IllegalStateException("algorithms was already set");
      }
      this.algorithms = Set.copyOf(Objects.requireNonNull(algorithms, "algorithms must not be null"));
      this.algorithmsSet = true;
      return this;
    }

    /**
     * Permits HMAC algorithms in {@link #algorithms}. Off by default: a shared secret lets every
     * verifier mint tokens too.
     */
    public Builder allowHmac() {
      this.allowHmac = true;
      return this;
    }

    /**
     * How long a retired key keeps verifying after the last token it signed has expired, to cover
     * verifiers' clock skew: set it to at least the largest {@code maxClockSkew} of the verifiers
     * (the default covers their default of 5 s). From 0 to 5 minutes, the largest skew a verifier
     * accepts: past that no verifier takes the token, so the key has nothing left to verify.
     */
    public Builder retirementGrace(Duration grace) {
      if (graceSet) {
        throw new IllegalStateException("retirementGrace was already set");
      }
      Objects.requireNonNull(grace, "retirementGrace must not be null");
      if (grace.isNegative() || grace.compareTo(MAX_RETIREMENT_GRACE) > 0) {
        throw new IllegalArgumentException(
            "retirementGrace must be in [PT0S, " + MAX_RETIREMENT_GRACE + "], was " + grace);
      }
      this.retirementGrace = grace;
      this.graceSet = true;
      return this;
    }

    /**
     * The ring.
     *
     * @throws NullPointerException if no signing key was set
     * @throws IllegalArgumentException naming the rule, if the algorithms or the key are invalid
     */
    public JwtKeyRing build() {
      JWK first = Objects.requireNonNull(signingKey, "signingKey must be set");
      return new JwtKeyRing(clock == null ? Clock.systemUTC() : clock,
          Algorithms.allowList(algorithms, allowHmac, "algorithms"), retirementGrace, first);
    }
  }
}
