package dev.jitaccess.caep;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.jitaccess.jwt.JwtKeyRing;
import dev.jitaccess.GrantReference;
import dev.jitaccess.spi.AuditSink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Signs the Security Event Tokens that its {@link CaepReceiver receivers} push, and learns which
 * tokens each grant holds, so that a SET can name a grant's tokens one by one.
 *
 * <pre>{@code
 * CaepTransmitter caep = CaepTransmitter.builder()
 *     .issuer("https://jit.example.com")            // iss of every SET
 *     .tokenIssuer("https://jit.example.com")       // the JwtIssuer's issuer, for jwt_id subjects
 *     .keyRing(ring)                                // JwtIssuer's ring: one JWK set
 *     .clock(clock)
 *     .build();
 * JwtIssuer tokens = JwtIssuer.builder()...auditSink(caep.auditTap()).build();
 * }</pre>
 *
 * <p><b>Which tokens a grant holds.</b> A SET about a grant names each of its tokens in SSF's
 * {@code jwt_id} format ({@code {"format": "jwt_id", "iss": token issuer, "jti": ...}}), never by
 * the grant's id. The transmitter learns them from {@code jit-jwt}'s {@code TOKEN_ISSUED} audit
 * events through {@link #auditTap()}, or from {@link #tokenIssued(String, String, Instant)} (to
 * replay them from a durable audit trail after a restart, say). It keeps them in memory until
 * each token's {@code exp} plus the {@linkplain Builder#tokenRetention retention}, bounded in
 * grants and tokens per grant. Where it cannot vouch that it knows every token of a grant (none
 * known, a bound reached, a token id it could not read), a SET names the grant itself too, in the
 * {@linkplain Builder#fallbackSubject fallback format}: the grant's reference ({@code opaque},
 * which every {@code jit-jwt} token carries as {@code grant_ref}) or its holder ({@code
 * iss_sub}).
 *
 * <p><b>Keys.</b> SETs are signed with {@code jit-jwt}'s {@link JwtKeyRing} ({@link
 * Builder#keyRing}): its current key, published in its JWK set, which keeps a retired key
 * verifying through a rotation. A {@link SetSigner} ({@link Builder#signer}) signs with a key of
 * the SETs' own instead; after {@link #rotate(SetSigner)} the previous key stays published until
 * the next rotation. {@link #publicJwkSet()} is what receivers verify with.
 *
 * <p>Thread-safe.
 */
public final class CaepTransmitter {
  private static final JOSEObjectType SET_TYPE = new JOSEObjectType(CaepEvents.SET_TYPE);
  private static final Duration SET_VERIFY_WINDOW =
      Duration.ofMinutes(Builder.SET_VERIFY_MINUTES);
  private final String issuer;
  private final String tokenIssuer;
  private final Clock clock;
  private final GrantSubjectFormat fallback;
  private final TokenIndex tokens;
  private final ReentrantLock keyLock = new ReentrantLock();
  /** Every {@code kid} used here. Guarded by {@link #keyLock}. */
  private final Set<String> usedKeyIds = new HashSet<>();
  private volatile @Nullable Keys keys;

  /** Set when SETs are signed with a {@link JwtKeyRing}; then {@link #keys} is null. */
  private final @Nullable JwtKeyRing ring;

  private record Keys(SetSigner current, @Nullable SetSigner previous) {}

  private CaepTransmitter(Builder b) {
    this.issuer = Objects.requireNonNull(b.issuer, "issuer must be set");
    this.tokenIssuer = b.tokenIssuer == null ? issuer : b.tokenIssuer;
    if ((b.signer == null) == (b.ring == null)) {
      throw new IllegalStateException("exactly one of keyRing and signer must be set");
    }
    this.clock = b.clock == null ? Clock.systemUTC() : b.clock;
    this.fallback = b.fallback;
    this.tokens = new TokenIndex(clock, b.maxTrackedGrants, b.maxTokensPerGrant, b.retention);
    this.ring = b.ring;
    SetSigner signer = b.signer;
    this.keys = signer == null ? null : new Keys(signer, null);
    if (signer != null) {
      this.usedKeyIds.add(signer.keyId());
    }
  }

  /** A builder; issuer, and a key ring or a signer, are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The {@code iss} of every SET. */
  public String issuer() {
    return issuer;
  }

  /** The {@code iss} written in {@code jwt_id} subjects: the issuer of the grants' tokens. */
  public String tokenIssuer() {
    return tokenIssuer;
  }

  /**
   * Records that the grant with this reference holds the token {@code tokenId} (its {@code jti}),
   * which expires at {@code expiresAt}.
   *
   * @throws IllegalArgumentException naming the field, if the reference is not a well-formed
   *     grant reference or the token id is not 1 to 256 visible ASCII characters
   */
  public void tokenIssued(String grantReference, String tokenId, Instant expiresAt) {
    requireReference(grantReference);
    Objects.requireNonNull(tokenId, "tokenId must not be null");
    Objects.requireNonNull(expiresAt, "expiresAt must not be null");
    if (!isTokenId(tokenId, 256)) {
      throw new IllegalArgumentException("tokenId must be 1 to 256 visible ASCII characters");
    }
    tokens.add(grantReference, tokenId, expiresAt);
  }

  /**
   * An audit sink that records the {@code TOKEN_ISSUED} events of a {@code JwtIssuer} (give it to
   * the issuer's builder, or fan the runtime's audit trail out to it). Other events are ignored.
   * It never throws.
   */
  public AuditSink auditTap() {
    return new AuditTap(this, null, List.of());
  }

  /**
   * As {@link #auditTap()}, and for every {@code RENEWED} event also pushes a
   * token-claims-change with the grant's new expiry to each of {@code receivers}, on {@code
   * executor} (never on the thread that renewed). A delivery that fails is logged with the
   * receiver's name and the cause, and not retried: a receiver that misses it keeps the earlier,
   * shorter expiry.
   */
  public AuditSink auditTap(Executor executor, Collection<CaepReceiver> receivers) {
    Objects.requireNonNull(executor, "executor must not be null");
    List<CaepReceiver> copy = List.copyOf(Objects.requireNonNull(receivers,
        "receivers must not be null"));
    for (CaepReceiver receiver : copy) {
      if (receiver.transmitter() != this) {
        throw new IllegalArgumentException("receivers must be built on this transmitter, "
            + receiver.name() + " was not");
      }
    }
    return new AuditTap(this, executor, copy);
  }

  /**
   * The public keys receivers verify SETs with: with a key ring, its JWK set (the current key and
   * the retired ones still verifying); with a signer, the current key and the previous one.
   */
  public JWKSet publicJwkSet() {
    JwtKeyRing r = ring;
    if (r != null) {
      return r.publicJwkSet();
    }
    Keys k = Objects.requireNonNull(keys);
    List<JWK> published = new ArrayList<>(2);
    published.add(k.current().publicKey());
    if (k.previous() != null) {
      published.add(k.previous().publicKey());
    }
    return new JWKSet(published);
  }

  /** {@link #publicJwkSet()} as JSON, for the stream's {@code jwks_uri}. */
  public String jwksJson() {
    return publicJwkSet().toString(true);
  }

  /** The {@code kid} SETs are signed with now. */
  public String currentKeyId() {
    JwtKeyRing r = ring;
    return r != null ? r.currentKeyId() : Objects.requireNonNull(keys).current().keyId();
  }

  /**
   * Signs new SETs with {@code next}; the current key stays published until the next rotation.
   * Only for a transmitter built with a {@linkplain Builder#signer signer}: one that signs with a
   * key ring rotates with the ring ({@code JwtKeyRing.rotate}).
   *
   * @throws IllegalArgumentException if {@code next}'s {@code kid} was used here before
   * @throws IllegalStateException if this transmitter signs with a key ring
   */
  public void rotate(SetSigner next) {
    Objects.requireNonNull(next, "next must not be null");
    if (ring != null) {
      throw new IllegalStateException("this transmitter signs with a key ring: rotate the ring");
    }
    keyLock.lock();
    try {
      if (!usedKeyIds.add(next.keyId())) {
        throw new IllegalArgumentException("next.kid must not be a kid this transmitter has "
            + "used, was " + next.keyId());
      }
      keys = new Keys(next, Objects.requireNonNull(keys).current());
    } finally {
      keyLock.unlock();
    }
  }

  Clock clock() {
    return clock;
  }

  TokenIndex tokens() {
    return tokens;
  }

  /**
   * The subjects a SET about this grant is sent for: each known token as {@code jwt_id}, and the
   * grant itself in the fallback format unless every token of it is known.
   */
  List<Map<String, Object>> subjectsOf(String grantReference, @Nullable String grantSubject) {
    TokenIndex.Known known = tokens.known(grantReference);
    List<Map<String, Object>> subjects = new ArrayList<>(known.tokenIds().size() + 1);
    for (String tokenId : known.tokenIds()) {
      subjects.add(SecurityEvents.jwtId(tokenIssuer, tokenId));
    }
    if (!known.complete() || known.tokenIds().isEmpty()) {
      subjects.add(fallback == GrantSubjectFormat.ISS_SUB && grantSubject != null
          ? SecurityEvents.issSub(issuer, grantSubject)
          : SecurityEvents.opaque(grantReference));
    }
    return subjects;
  }

  /** One signed SET for {@code audience}. */
  String sign(String audience, @Nullable Map<String, Object> subId, String eventType,
      Map<String, Object> event, @Nullable String txn) throws JOSEException {
    Instant now = clock.instant();
    JWTClaimsSet claims = SecurityEvents.claims(issuer, audience, now, subId, eventType, event,
        txn);
    JwtKeyRing r = ring;
    if (r != null) {
      return r.sign(SET_TYPE, claims, now.plus(SET_VERIFY_WINDOW));
    }
    return Objects.requireNonNull(keys).current().sign(claims);
  }

  static void requireReference(@Nullable String reference) {
    Objects.requireNonNull(reference, "grantReference must not be null");
    if (!GrantReference.isWellFormed(reference)) {
      throw new IllegalArgumentException("grantReference must be " + GrantReference.PREFIX
          + " and 16 base64url characters (a grant's reference, never its id)");
    }
  }

  /** Visible ASCII only, 1 to {@code max} characters. */
  static boolean isTokenId(String value, int max) {
    if (value.isEmpty() || value.length() > max) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        return false;
      }
    }
    return true;
  }

  /**
   * Builds a {@link CaepTransmitter}. Each setter may be called once. Not thread-safe.
   *
   * <p>Defaults: the token issuer is the issuer; the system UTC clock; fallback subject {@link
   * GrantSubjectFormat#OPAQUE}; {@value #DEFAULT_MAX_TRACKED_GRANTS} grants followed, {@value
   * #DEFAULT_MAX_TOKENS_PER_GRANT} tokens each, kept {@value #DEFAULT_TOKEN_RETENTION_HOURS}
   * hours past their {@code exp}.
   */
  public static final class Builder {
    /** How long, at least, the key ring's key keeps verifying a SET after it is signed. */
    public static final long SET_VERIFY_MINUTES = 10;
    /** Default bound on the grants whose tokens are followed. */
    public static final int DEFAULT_MAX_TRACKED_GRANTS = 100_000;
    /** Default bound on the tokens followed per grant. */
    public static final int DEFAULT_MAX_TOKENS_PER_GRANT = 1_000;
    /** Default time a token is followed after its {@code exp}. */
    public static final long DEFAULT_TOKEN_RETENTION_HOURS = 24;
    private static final int MAX_ISSUER_LENGTH = 2048;

    private @Nullable String issuer;
    private @Nullable String tokenIssuer;
    private @Nullable SetSigner signer;
    private @Nullable JwtKeyRing ring;
    private @Nullable Clock clock;
    private GrantSubjectFormat fallback = GrantSubjectFormat.OPAQUE;
    private boolean fallbackSet;
    private int maxTrackedGrants = DEFAULT_MAX_TRACKED_GRANTS;
    private boolean maxTrackedGrantsSet;
    private int maxTokensPerGrant = DEFAULT_MAX_TOKENS_PER_GRANT;
    private boolean maxTokensPerGrantSet;
    private Duration retention = Duration.ofHours(DEFAULT_TOKEN_RETENTION_HOURS);
    private boolean retentionSet;

    private Builder() {}

    /** The {@code iss} of every SET, for example the transmitter's URL (required). */
    public Builder issuer(String issuer) {
      Checks.unset(this.issuer != null, "issuer");
      this.issuer = Checks.text(issuer, "issuer", MAX_ISSUER_LENGTH);
      return this;
    }

    /** The issuer of the grants' tokens ({@code JwtIssuer}'s), for {@code jwt_id} subjects. */
    public Builder tokenIssuer(String tokenIssuer) {
      Checks.unset(this.tokenIssuer != null, "tokenIssuer");
      this.tokenIssuer = Checks.text(tokenIssuer, "tokenIssuer", MAX_ISSUER_LENGTH);
      return this;
    }

    /**
     * Signs SETs with the key ring's current key ({@code kid} in the header), published in the
     * same JWK set as the tokens it signs: serve {@code ring.jwksJson()} (or {@link
     * #jwksJson()}) as the stream's {@code jwks_uri}. A SET's key keeps verifying at least
     * {@value #SET_VERIFY_MINUTES} minutes after it was signed, through a rotation of the ring;
     * every delivery attempt signs afresh. The ring must not hold a symmetric (HMAC) key. Set this
     * or {@link #signer}.
     */
    public Builder keyRing(JwtKeyRing ring) {
      Checks.unset(this.ring != null || this.signer != null, "keyRing");
      this.ring = Objects.requireNonNull(ring, "keyRing must not be null");
      return this;
    }

    /**
     * A key of the SETs' own, instead of the key ring's: for a signer the application holds
     * (KMS, HSM: {@link SetSigner#of}), or to keep SET keys apart from access-token keys. Set this
     * or {@link #keyRing}.
     */
    public Builder signer(SetSigner signer) {
      Checks.unset(this.signer != null || this.ring != null, "signer");
      this.signer = Objects.requireNonNull(signer, "signer must not be null");
      return this;
    }

    /** The clock that stamps {@code iat} and ages the tokens followed. */
    public Builder clock(Clock clock) {
      Checks.unset(this.clock != null, "clock");
      this.clock = Objects.requireNonNull(clock, "clock must not be null");
      return this;
    }

    /** How a SET names a grant whose tokens are not all known; {@code OPAQUE} by default. */
    public Builder fallbackSubject(GrantSubjectFormat format) {
      Checks.unset(fallbackSet, "fallbackSubject");
      this.fallback = Objects.requireNonNull(format, "fallbackSubject must not be null");
      this.fallbackSet = true;
      return this;
    }

    /** How many grants' tokens are followed at most, from 1 to 10,000,000. */
    public Builder maxTrackedGrants(int max) {
      Checks.unset(maxTrackedGrantsSet, "maxTrackedGrants");
      this.maxTrackedGrants = Checks.positive(max, "maxTrackedGrants", 10_000_000);
      this.maxTrackedGrantsSet = true;
      return this;
    }

    /** How many tokens of one grant are followed at most, from 1 to 100,000. */
    public Builder maxTokensPerGrant(int max) {
      Checks.unset(maxTokensPerGrantSet, "maxTokensPerGrant");
      this.maxTokensPerGrant = Checks.positive(max, "maxTokensPerGrant", 100_000);
      this.maxTokensPerGrantSet = true;
      return this;
    }

    /**
     * How long a token is followed after its {@code exp}, so that a session a receiver built on
     * it is still named when its grant ends; from 1 second to 30 days.
     */
    public Builder tokenRetention(Duration retention) {
      Checks.unset(retentionSet, "tokenRetention");
      this.retention = Checks.positive(retention, "tokenRetention", Duration.ofDays(30));
      this.retentionSet = true;
      return this;
    }

    /**
     * The transmitter.
     *
     * @throws NullPointerException naming the first required field not set
     */
    public CaepTransmitter build() {
      return new CaepTransmitter(this);
    }
  }
}
