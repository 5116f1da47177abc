package dev.jitaccess.caep;

import com.nimbusds.jose.JOSEException;
import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.teardown.TeardownResult;
import dev.jitaccess.teardown.spi.Downstream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * One CAEP receiver, reached by RFC 8935 push, and a teardown {@link Downstream}: when a grant
 * ends, {@link #revoke} pushes a {@code session-revoked} SET for each of the grant's tokens (and
 * for the grant itself where its tokens are not all known) and answers {@link
 * TeardownResult#done(String) done} once the receiver has accepted every one with {@code 202},
 * {@link TeardownResult#retry(String) retry} or {@link TeardownResult#unrecoverable(String)
 * unrecoverable} otherwise, so that delivery is tracked and retried by the teardown ledger.
 *
 * <pre>{@code
 * CaepReceiver orders = CaepReceiver.builder(caep)
 *     .name("orders-caep")
 *     .endpoint(URI.create("https://orders.example.com/caep/events"))
 *     .audience("https://orders.example.com")
 *     .build();
 * }</pre>
 *
 * <p>Every call is synchronous and bounded by the connect and request timeouts (per SET). A
 * retried revocation sends only the SETs this receiver has not yet accepted for that grant (kept
 * in memory for up to 10,000 grants), each signed afresh with a new {@code
 * jti} and the same {@code txn}; a receiver takes a SET sent twice as one revocation. {@link
 * #verify(Grant)} stays {@link dev.jitaccess.teardown.Probe#UNKNOWN}: a push receiver cannot be
 * asked whether a session is really gone. Causes name the receiver and what went wrong, never a
 * grant id, a token or a SET.
 *
 * <p>Thread-safe.
 */
public final class CaepReceiver implements Downstream {
  /** How many grants' partly delivered ends a receiver remembers. */
  static final int MAX_PENDING_GRANTS = 10_000;

  private final CaepTransmitter transmitter;
  private final String name;
  private final URI endpoint;
  private final String audience;
  private final @Nullable String streamId;
  private final PushClient client;
  private final Progress progress = new Progress(MAX_PENDING_GRANTS);

  private CaepReceiver(Builder b) {
    this.transmitter = b.transmitter;
    this.name = Objects.requireNonNull(b.name, "name must be set");
    URI url = Objects.requireNonNull(b.endpoint, "endpoint must be set");
    this.endpoint = Endpoints.check(url, b.insecureLocalhost);
    this.audience = Objects.requireNonNull(b.audience, "audience must be set");
    this.streamId = b.streamId;
    this.client = new PushClient(endpoint, b.connectTimeout, b.requestTimeout, b.authorization,
        b.sslContext);
  }

  /** A builder for a receiver whose SETs {@code transmitter} signs. */
  public static Builder builder(CaepTransmitter transmitter) {
    return new Builder(Objects.requireNonNull(transmitter, "transmitter must not be null"));
  }

  @Override
  public String name() {
    return name;
  }

  /** The URL SETs are pushed to. */
  public URI endpoint() {
    return endpoint;
  }

  /** The {@code aud} of every SET pushed here. */
  public String audience() {
    return audience;
  }

  /**
   * Pushes {@code session-revoked} for the grant (see {@link #sessionRevoked}) and answers as a
   * teardown downstream: done with the grant's reference when every SET was accepted, retry or
   * unrecoverable with the cause otherwise. Never throws for a failed delivery.
   */
  @Override
  public TeardownResult revoke(Grant grant, RevocationReason reason) {
    Delivery delivery;
    try {
      delivery = sessionRevoked(grant, reason);
    } catch (RuntimeException e) {
      return TeardownResult.retry("CAEP receiver " + name + ": session-revoked failed: "
          + e.getClass().getName());
    }
    switch (delivery.outcome()) {
      case ACCEPTED:
        return TeardownResult.done(grant.reference());
      case RETRY:
        return TeardownResult.retry(cause(delivery));
      default:
        return TeardownResult.unrecoverable(cause(delivery));
    }
  }

  /**
   * Pushes a {@code session-revoked} SET for each token the grant is known to hold ({@code
   * jwt_id}), and one for the grant itself unless all of them are known, in order, stopping at
   * the first that is not accepted. Subjects this receiver accepted in an earlier call for the
   * same grant are not sent again, so that a grant with many tokens gets through over several
   * attempts; {@link Delivery#setsAccepted()} counts this call's. Its {@code txn} is the grant's
   * reference and {@code :end}, the same for every SET, receiver and retry of this grant's end.
   */
  public Delivery sessionRevoked(Grant grant, RevocationReason reason) {
    Objects.requireNonNull(grant, "grant must not be null");
    Objects.requireNonNull(reason, "reason must not be null");
    String ref = grant.reference();
    Instant at = grant.endedAt() != null ? grant.endedAt() : transmitter.clock().instant();
    Map<String, Object> event = SecurityEvents.sessionRevoked(at, reason);
    Set<String> earlier = progress.acceptedFor(ref);
    int accepted = 0;
    for (Map<String, Object> subject : transmitter.subjectsOf(ref, grant.subject())) {
      String key = subject.toString();
      if (earlier.contains(key)) {
        continue;
      }
      Delivery one = deliver(subject, CaepEvents.SESSION_REVOKED, event, ref + ":end");
      if (!one.isAccepted()) {
        return one.afterAccepted(accepted);
      }
      progress.accept(ref, key);
      accepted++;
    }
    progress.done(ref);
    return Delivery.accepted(accepted);
  }

  /**
   * Pushes a {@code token-claims-change} SET whose {@code claims} carry the grant's expiry as
   * {@code exp}, for each token the grant is known to hold (and the grant itself unless all are
   * known). Call it after a renewal, with the renewed grant; {@link
   * CaepTransmitter#auditTap(java.util.concurrent.Executor, java.util.Collection)} does it for
   * every {@code RENEWED} event. Its {@code txn} is the grant's reference, {@code :exp:} and the
   * new expiry in epoch seconds.
   */
  public Delivery tokenClaimsChanged(Grant grant) {
    Objects.requireNonNull(grant, "grant must not be null");
    return tokenClaimsChanged(grant.reference(), grant.subject(), grant.expiresAt());
  }

  Delivery tokenClaimsChanged(String grantRef, @Nullable String subject, Instant newExpiry) {
    Instant now = transmitter.clock().instant();
    return deliverAll(transmitter.subjectsOf(grantRef, subject), CaepEvents.TOKEN_CLAIMS_CHANGE,
        SecurityEvents.tokenClaimsChange(now, newExpiry),
        grantRef + ":exp:" + newExpiry.getEpochSecond());
  }

  /**
   * Pushes an SSF verification SET carrying {@code state} (the value the receiver asked to see
   * echoed; null for none), with the stream as its subject if a {@linkplain Builder#streamId
   * stream id} was set, so the receiver can tell that the stream delivers.
   *
   * @throws IllegalArgumentException if {@code state} is longer than 1024 characters or holds
   *     control characters
   */
  public Delivery sendVerification(@Nullable String state) {
    if (state != null) {
      Checks.text(state, "state", 1024);
    }
    Map<String, Object> subject = streamId == null ? null : SecurityEvents.opaque(streamId);
    return deliver(subject, CaepEvents.VERIFICATION, SecurityEvents.verification(state), null);
  }

  CaepTransmitter transmitter() {
    return transmitter;
  }

  private Delivery deliverAll(List<Map<String, Object>> subjects, String eventType,
      Map<String, Object> event, String txn) {
    int accepted = 0;
    for (Map<String, Object> subject : subjects) {
      Delivery one = deliver(subject, eventType, event, txn);
      if (!one.isAccepted()) {
        return one.afterAccepted(accepted);
      }
      accepted++;
    }
    return Delivery.accepted(accepted);
  }

  private Delivery deliver(@Nullable Map<String, Object> subject, String eventType,
      Map<String, Object> event, @Nullable String txn) {
    String set;
    try {
      set = transmitter.sign(audience, subject, eventType, event, txn);
    } catch (JOSEException | RuntimeException e) {
      return Delivery.retry(0, "signing the SET failed: " + e.getClass().getName());
    }
    return client.push(set);
  }

  private String cause(Delivery delivery) {
    return "CAEP receiver " + name + ": " + delivery.cause().orElse(delivery.outcome().name())
        + (delivery.setsAccepted() > 0 ? " (after " + delivery.setsAccepted() + " SETs accepted)"
            : "");
  }

  @Override
  public String toString() {
    return "CaepReceiver[" + name + "]";
  }

  /**
   * Builds a {@link CaepReceiver}. Each setter may be called once. Not thread-safe.
   *
   * <p>Defaults: connect timeout {@value #DEFAULT_CONNECT_TIMEOUT_SECONDS} s, request timeout
   * {@value #DEFAULT_REQUEST_TIMEOUT_SECONDS} s, no {@code Authorization} header, the JDK's
   * default TLS context, no stream id; {@code https} only.
   */
  public static final class Builder {
    /** Default time to wait for a connection. */
    public static final long DEFAULT_CONNECT_TIMEOUT_SECONDS = 2;
    /** Default time to wait for the receiver's answer to one SET. */
    public static final long DEFAULT_REQUEST_TIMEOUT_SECONDS = 5;
    private static final Duration MAX_TIMEOUT = Duration.ofMinutes(1);

    private final CaepTransmitter transmitter;
    private @Nullable String name;
    private @Nullable URI endpoint;
    private @Nullable String audience;
    private @Nullable String streamId;
    private Duration connectTimeout = Duration.ofSeconds(DEFAULT_CONNECT_TIMEOUT_SECONDS);
    private boolean connectTimeoutSet;
    private Duration requestTimeout = Duration.ofSeconds(DEFAULT_REQUEST_TIMEOUT_SECONDS);
    private boolean requestTimeoutSet;
    private @Nullable Supplier<String> authorization;
    private @Nullable SSLContext sslContext;
    private boolean insecureLocalhost;

    private Builder(CaepTransmitter transmitter) {
      this.transmitter = transmitter;
    }

    /** The downstream's name, unique per teardown (required). */
    public Builder name(String name) {
      Checks.unset(this.name != null, "name");
      this.name = Checks.text(name, "name", 128);
      return this;
    }

    /**
     * The receiver's push URL (required): {@code https}, with a host, no user info and no
     * fragment. Checked by {@link #build()}.
     */
    public Builder endpoint(URI endpoint) {
      Checks.unset(this.endpoint != null, "endpoint");
      this.endpoint = Objects.requireNonNull(endpoint, "endpoint must not be null");
      return this;
    }

    /** The {@code aud} of every SET pushed here: the receiver's audience (required). */
    public Builder audience(String audience) {
      Checks.unset(this.audience != null, "audience");
      this.audience = Checks.text(audience, "audience", 2048);
      return this;
    }

    /** The SSF stream id, the subject of verification events ({@code opaque}). */
    public Builder streamId(String streamId) {
      Checks.unset(this.streamId != null, "streamId");
      this.streamId = Checks.text(streamId, "streamId", 256);
      return this;
    }

    /** How long to wait for a connection; more than 0, at most 1 minute. */
    public Builder connectTimeout(Duration timeout) {
      Checks.unset(connectTimeoutSet, "connectTimeout");
      this.connectTimeout = Checks.positive(timeout, "connectTimeout", MAX_TIMEOUT);
      this.connectTimeoutSet = true;
      return this;
    }

    /** How long to wait for the answer to one SET; more than 0, at most 1 minute. */
    public Builder requestTimeout(Duration timeout) {
      Checks.unset(requestTimeoutSet, "requestTimeout");
      this.requestTimeout = Checks.positive(timeout, "requestTimeout", MAX_TIMEOUT);
      this.requestTimeoutSet = true;
      return this;
    }

    /**
     * The {@code Authorization} header value of every push (RFC 8935, section 2.2), asked for
     * each request so that a short-lived credential can be refreshed; never logged.
     */
    public Builder authorization(Supplier<String> authorization) {
      Checks.unset(this.authorization != null, "authorization");
      this.authorization = Objects.requireNonNull(authorization, "authorization must not be null");
      return this;
    }

    /** The TLS context (trust store, client certificate for mutual TLS). */
    public Builder sslContext(SSLContext sslContext) {
      Checks.unset(this.sslContext != null, "sslContext");
      this.sslContext = Objects.requireNonNull(sslContext, "sslContext must not be null");
      return this;
    }

    /**
     * Lets {@link #endpoint} be plain {@code http}, and only to a loopback host ({@code
     * localhost}, {@code 127.0.0.0/8}, {@code [::1]}): for tests against a receiver in the same
     * process. Never in production.
     */
    public Builder allowInsecureLocalhostForTests() {
      this.insecureLocalhost = true;
      return this;
    }

    /**
     * The receiver.
     *
     * @throws NullPointerException naming the first required field not set
     * @throws IllegalArgumentException naming the rule, if the endpoint is not {@code https} (or
     *     {@code http} to a loopback host with {@link #allowInsecureLocalhostForTests()}), has
     *     no host, or carries user info or a fragment
     */
    public CaepReceiver build() {
      return new CaepReceiver(this);
    }
  }
}
