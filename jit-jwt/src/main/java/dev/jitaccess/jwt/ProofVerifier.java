package dev.jitaccess.jwt;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import dev.jitaccess.DenyReason;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.Key;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Verifies a {@link DpopProof} against a key-bound access token. First, without verifying any
 * signature: the size cap, the parse and the header policy (allow-listed asymmetric {@code alg},
 * no key references but {@code jwk}, no {@code crit}); the {@code jwk} header must be a public key
 * that {@link Algorithms#untrustable} would let verify a token (an RSA modulus of at least 2048
 * bits, {@code use sig}) and its RFC 7638 thumbprint must be the token's {@code cnf.jkt}. Then
 * Nimbus's processor with that key, {@code typ dpop+jwt}, required {@code htm htu iat jti ath},
 * and the freshness of {@code iat} by the injected clock; then {@code htm}/{@code htu}/{@code ath}
 * against the request and the token. The caller then records the {@code jti} ({@link #remember})
 * in a replay cache (Caffeine, ticking with the injected clock) that keeps each id for longer than
 * a proof is accepted, and that denies, rather than forgets an id, when it is full. Each key may
 * hold at most its quota of the cache's ids, so the holder of one bound token cannot fill it for
 * everyone. Thread-safe.
 */
final class ProofVerifier {
  static final int MAX_JTI_LENGTH = 256;

  /** What a request URI and a proof's {@code htu} must be, for {@link #normalizeUri}. */
  static final String USABLE_URI =
      "an absolute http or https URI with a host of letters, digits, '-', '.' or '_', "
      + "or an IP literal, and no userinfo";

  /**
   * An authority whose host {@code java.net.URI} does not find, such as one with {@code _} (legal
   * in DNS): the host, then perhaps a colon and a port of up to five digits (none: the default).
   */
  private static final Pattern REG_NAME_AUTHORITY =
      Pattern.compile("([A-Za-z0-9._-]+)(?::([0-9]{1,5})?)?");

  private final Clock clock;
  private final TokenPipeline pipeline;
  /** Remembered proof ids (thumbprint.jti), each to the thumbprint of the key it was for. */
  private final Cache<String, String> seen;
  private final long maxRemembered;
  private final long maxPerKey;
  /**
   * How many ids each key has in {@link #seen}, expired ones not yet dropped included: counted up
   * before an id is stored, and down when the cache drops it. A key with none has no entry.
   */
  private final ConcurrentHashMap<String, Long> perKey = new ConcurrentHashMap<>();

  ProofVerifier(Clock clock, Set<JWSAlgorithm> algorithms, int maxSize, Duration lifetime,
      Duration skew, long maxRemembered, long maxPerKey) {
    this.clock = clock;
    this.pipeline = new TokenPipeline(maxSize, algorithms, true,
        new TypeCheck(JwtDenialCode.PROOF_INVALID, DpopProof.TYPE),
        new EmbeddedKeySelector(),
        new FreshnessCheck(clock, lifetime, skew));
    // A proof is accepted from iat - skew until iat + lifetime + skew, both ends read in whole
    // milliseconds; its id is kept a second longer than that, so it cannot be used at both ends.
    // No maximumSize: an evicted id could be replayed, so a full cache denies instead (remember).
    this.maxRemembered = maxRemembered;
    this.maxPerKey = maxPerKey;
    this.seen = Caffeine.newBuilder()
        .expireAfterWrite(lifetime.plus(skew).plus(skew).plusSeconds(1))
        .ticker(() -> nanos(clock.instant()))
        .executor(Runnable::run)
        // Called inside the cache's atomic operation for every id it drops (all expire: there
        // is no size bound and nothing is removed by hand).
        .<String, String>evictionListener((id, jkt, cause) -> {
          if (jkt != null) {
            release(jkt);
          }
        })
        .build();
  }

  /**
   * Checks {@code proof} for {@code accessToken}, which is bound to {@code jkt}, and returns the
   * key under which the caller must {@link #remember} it before it allows. The proof's key is
   * checked, and its thumbprint compared with {@code jkt}, before its signature is verified: a
   * proof signed by any other key costs no signature verification.
   */
  String verify(@Nullable DpopProof proof, String accessToken, String jkt) throws Denial {
    if (proof == null) {
      throw new Denial(JwtDenialCode.PROOF_MISSING,
          "token is bound to a key (cnf.jkt); a proof of possession must be presented");
    }
    SignedJWT jwt;
    try {
      jwt = pipeline.parse(proof.jwt());
    } catch (Denial d) {
      throw new Denial(JwtDenialCode.PROOF_INVALID, "proof " + d.detail());
    }
    JWK key = jwt.getHeader().getJWK();
    if (key == null) {
      throw new Denial(JwtDenialCode.PROOF_INVALID, "proof jwk header must carry the public key");
    }
    String thumbprint = thumbprint(key);
    if (!thumbprint.equals(jkt)) {
      throw new Denial(JwtDenialCode.PROOF_KEY_MISMATCH,
          "proof must be signed by the key the token is bound to (cnf.jkt)");
    }
    JWTClaimsSet claims;
    try {
      claims = pipeline.verify(jwt);
    } catch (Denial d) {
      if (d.code() == JwtDenialCode.PROOF_STALE) {
        throw d;
      }
      throw new Denial(JwtDenialCode.PROOF_INVALID, "proof " + d.detail());
    }
    String htm = string(claims, Claims.HTM);
    String htu = string(claims, Claims.HTU);
    String ath = string(claims, Claims.ATH);
    String jti = string(claims, "jti");
    if (!htm.equals(proof.method())) {
      throw new Denial(JwtDenialCode.PROOF_TARGET_MISMATCH,
          "proof htm must be the request method " + proof.method() + ", was " + htm);
    }
    String target = normalizeUri(proof.uri());
    if (target == null) {
      // The server's own input, not the proof's: no proof can match it.
      throw new Denial(DenyReason.MALFORMED_REQUEST, "the request URI must be " + USABLE_URI);
    }
    String claimed = normalizeUri(htu);
    if (claimed == null) {
      throw new Denial(JwtDenialCode.PROOF_TARGET_MISMATCH, "proof htu must be " + USABLE_URI);
    }
    if (!target.equals(claimed)) {
      throw new Denial(JwtDenialCode.PROOF_TARGET_MISMATCH,
          "proof htu must be the request URI " + target + ", was " + claimed);
    }
    if (!ath.equals(DpopProof.accessTokenHash(accessToken))) {
      throw new Denial(JwtDenialCode.PROOF_TARGET_MISMATCH,
          "proof ath must be the hash of the presented access token");
    }
    if (jti.isEmpty() || jti.length() > MAX_JTI_LENGTH) {
      throw new Denial(JwtDenialCode.PROOF_INVALID,
          "proof jti must be 1 to " + MAX_JTI_LENGTH + " characters");
    }
    return thumbprint + "." + jti;
  }

  /**
   * The RFC 7638 thumbprint of a proof's {@code jwk}, once it is known to be a public key that
   * could verify a trusted token too ({@link Algorithms#untrustable}: an RSA modulus of at least
   * {@value Algorithms#MIN_RSA_BITS} bits, counted exactly, a {@code use} of {@code sig}, {@code
   * key_ops} that allow verifying).
   */
  static String thumbprint(JWK key) throws Denial {
    if (key.isPrivate()) {
      throw new Denial(JwtDenialCode.PROOF_INVALID, "proof jwk header must be a public key");
    }
    String untrustable = Algorithms.untrustable(key);
    if (untrustable != null) {
      throw new Denial(JwtDenialCode.PROOF_INVALID, "proof jwk header must be a key that may "
          + "verify: " + untrustable);
    }
    try {
      return key.computeThumbprint().toString();
    } catch (JOSEException e) {
      throw new Denial(JwtDenialCode.PROOF_INVALID, "proof jwk must have a thumbprint");
    }
  }

  /**
   * Records a verified proof's id; denies if it was recorded before (a replay), if its key already
   * has {@code maxPerKey} ids that have not expired, or if the cache holds {@code maxRemembered}
   * such ids: an id it had to forget could be replayed.
   *
   * @param replayKey what {@link #verify} returned: the key's thumbprint, a dot, the proof's id
   */
  void remember(String replayKey) throws Denial {
    if (seen.getIfPresent(replayKey) != null) {
      throw new Denial(JwtDenialCode.PROOF_REPLAYED, "proof jti was already used");
    }
    // A thumbprint is base64url, which has no dot.
    String jkt = replayKey.substring(0, replayKey.indexOf('.'));
    if (!reserve(jkt)) {
      seen.cleanUp(); // drops the expired ids, which gives their keys' counts back
      if (!reserve(jkt)) {
        throw new Denial(JwtDenialCode.PROOF_RATE_LIMITED, "the token's key has " + maxPerKey
            + " proofs within the proof window, as many as one key may have remembered");
      }
    }
    boolean stored = false;
    try {
      if (seen.estimatedSize() >= maxRemembered) {
        seen.cleanUp();
        if (seen.estimatedSize() >= maxRemembered) {
          throw new Denial(DenyReason.BACKEND_FAILURE, "proof replay cache is full ("
              + maxRemembered + " ids within the proof window); a proof is denied rather than "
              + "an id forgotten");
        }
      }
      if (seen.asMap().putIfAbsent(replayKey, jkt) != null) {
        throw new Denial(JwtDenialCode.PROOF_REPLAYED, "proof jti was already used");
      }
      stored = true;
    } finally {
      if (!stored) {
        release(jkt);
      }
    }
  }

  /** Counts one more id for {@code jkt}, unless it has its quota already. */
  private boolean reserve(String jkt) {
    boolean[] reserved = new boolean[1];
    perKey.compute(jkt, (k, count) -> {
      long n = count == null ? 0 : count;
      if (n >= maxPerKey) {
        return count;
      }
      reserved[0] = true;
      return n + 1;
    });
    return reserved[0];
  }

  private void release(String jkt) {
    perKey.computeIfPresent(jkt, (k, count) -> count <= 1 ? null : count - 1);
  }

  /** How many ids {@code jkt} has remembered, expired ones not yet dropped included. */
  long rememberedFor(String jkt) {
    Long count = perKey.get(jkt);
    return count == null ? 0 : count;
  }

  /** How many keys have ids remembered. */
  int keysRemembered() {
    return perKey.size();
  }

  private static String string(JWTClaimsSet claims, String name) throws Denial {
    Object value = claims.getClaim(name);
    if (!(value instanceof String)) {
      throw new Denial(JwtDenialCode.PROOF_INVALID, "proof " + name + " claim must be a string");
    }
    return (String) value;
  }

  /**
   * The URI without query and fragment, scheme and host lower-cased, default port and empty path
   * normalized (RFC 9449 section 4.3); null if it is not {@link #USABLE_URI}. A host that {@code
   * java.net.URI} does not parse as one (it takes an authority such as {@code a_b.example.com}
   * for a registry name) is read from the raw authority here.
   */
  static @Nullable String normalizeUri(String uri) {
    URI u;
    try {
      u = new URI(uri);
    } catch (URISyntaxException e) {
      return null;
    }
    String authority = u.getRawAuthority();
    if (u.getScheme() == null || authority == null || authority.indexOf('@') >= 0) {
      return null;
    }
    String scheme = u.getScheme().toLowerCase(Locale.ROOT);
    int defaultPort;
    if (scheme.equals("https")) {
      defaultPort = 443;
    } else if (scheme.equals("http")) {
      defaultPort = 80;
    } else {
      return null;
    }
    String host = u.getHost();
    int port = u.getPort();
    if (host == null) {
      Matcher m = REG_NAME_AUTHORITY.matcher(authority);
      if (!m.matches()) {
        return null;
      }
      host = m.group(1);
      port = m.group(2) == null ? -1 : Integer.parseInt(m.group(2));
      if (port > 65535) {
        return null;
      }
    }
    port = port == defaultPort ? -1 : port;
    String path = u.getRawPath().isEmpty() ? "/" : u.getRawPath(); // hierarchical: not null
    return scheme + "://" + host.toLowerCase(Locale.ROOT) + (port == -1 ? "" : ":" + port) + path;
  }

  private static long nanos(Instant instant) {
    try {
      return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L),
          instant.getNano());
    } catch (ArithmeticException e) {
      return instant.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  /**
   * Selects the public key carried in the proof's own {@code jwk} header, once {@link #verify}
   * has checked it (present, public, trustable, the bound key) and the pipeline has checked the
   * {@code alg} against the allow-list: the key must fit the {@code alg}.
   */
  private static final class EmbeddedKeySelector implements JWSKeySelector<SecurityContext> {
    @Override
    public List<? extends Key> selectJWSKeys(JWSHeader header, @Nullable SecurityContext context)
        throws KeySourceException {
      JWSAlgorithm alg = header.getAlgorithm();
      JWK jwk = header.getJWK();
      try {
        if (jwk instanceof ECKey && JWSAlgorithm.Family.EC.contains(alg)
            && Curve.forJWSAlgorithm(alg).contains(((ECKey) jwk).getCurve())) {
          return List.of(((ECKey) jwk).toECPublicKey());
        }
        if (jwk instanceof RSAKey && JWSAlgorithm.Family.RSA.contains(alg)) {
          return List.of(((RSAKey) jwk).toRSAPublicKey());
        }
      } catch (JOSEException e) {
        throw new Reasoned.Key(JwtDenialCode.PROOF_INVALID, "jwk header must be a valid key");
      }
      throw new Reasoned.Key(JwtDenialCode.PROOF_INVALID, "jwk header must be a key for " + alg);
    }
  }

  /** Required proof claims, and {@code iat} within the window by the injected clock. */
  private static final class FreshnessCheck extends DefaultJWTClaimsVerifier<SecurityContext> {
    private final Clock clock;
    private final long lifetimeMillis;
    private final long skewMillis;

    FreshnessCheck(Clock clock, Duration lifetime, Duration skew) {
      super(null, null, new HashSet<>(List.of(Claims.HTM, Claims.HTU, "iat", "jti", Claims.ATH)),
          null);
      this.clock = clock;
      this.lifetimeMillis = lifetime.toMillis();
      this.skewMillis = skew.toMillis();
      setMaxClockSkew((int) skew.plusMillis(999).getSeconds());
    }

    @Override
    protected Date currentTime() {
      return new Date(clock.millis());
    }

    @Override
    public void verify(JWTClaimsSet claims, @Nullable SecurityContext context)
        throws BadJWTException {
      try {
        super.verify(claims, context);
      } catch (BadJWTException e) {
        throw new Reasoned.Claims(JwtDenialCode.PROOF_INVALID, String.valueOf(e.getMessage()));
      }
      Date iat;
      try {
        iat = claims.getDateClaim("iat");
      } catch (ParseException e) {
        throw new Reasoned.Claims(JwtDenialCode.PROOF_INVALID, "iat must be a NumericDate");
      }
      long now = clock.millis();
      // iat is present: super.verify requires it.
      if (iat.getTime() + lifetimeMillis + skewMillis < now) {
        throw new Reasoned.Claims(JwtDenialCode.PROOF_STALE, "proof iat " + iat.toInstant()
            + " must be within " + Duration.ofMillis(lifetimeMillis) + " of now");
      }
      if (iat.getTime() - skewMillis > now) {
        throw new Reasoned.Claims(JwtDenialCode.PROOF_STALE,
            "proof iat " + iat.toInstant() + " must not be in the future");
      }
    }
  }
}
