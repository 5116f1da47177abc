package dev.jitaccess.caep;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import dev.jitaccess.Ttl;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.jwt.JwtKeyRing;
import dev.jitaccess.testkit.time.FakeClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A fake clock, a runtime, a transmitter signing with a {@link JwtKeyRing} (or, from {@link
 * #withSigner()}, a {@link SetSigner}) and real receivers on loopback that verify every SET with
 * Nimbus against the ring's JWK set, closed together.
 */
final class Rig implements AutoCloseable {
  static final String ISSUER = "https://jit.example.com";
  static final String TOKEN_ISSUER = "https://tokens.jit.example.com";
  static final String AUDIENCE = "https://orders.example.com";

  final FakeClock clock = new FakeClock();
  final JitAccess jit = JitAccess.builder().clock(clock).scheduler(clock).auditSink(e -> { })
      .build();
  /** The key ring SETs are signed with (key {@code caep-1}); null for {@link #withSigner()}. */
  final @Nullable JwtKeyRing ring;
  final CaepTransmitter transmitter;
  final RecordingReceiver server;
  private final List<AutoCloseable> closing = new ArrayList<>();

  Rig() {
    this(b -> b);
  }

  /** SETs signed with a key ring; receivers verify them with the ring's JWK set. */
  Rig(UnaryOperator<CaepTransmitter.Builder> more) {
    this(true, more);
  }

  private Rig(boolean keyRing, UnaryOperator<CaepTransmitter.Builder> more) {
    CaepTransmitter.Builder b = CaepTransmitter.builder().issuer(ISSUER)
        .tokenIssuer(TOKEN_ISSUER).clock(clock);
    if (keyRing) {
      ring = JwtKeyRing.builder().clock(clock).signingKey(ecKey("caep-1")).build();
      b.keyRing(ring);
    } else {
      ring = null;
      b.signer(SetSigner.fromKey(ecKey("caep-1")));
    }
    transmitter = more.apply(b).build();
    server = newServer(AUDIENCE);
  }

  /** SETs signed with a {@link SetSigner} of their own; receivers verify with its JWK set. */
  static Rig withSigner() {
    return new Rig(false, b -> b);
  }

  static ECKey ecKey(String kid) {
    try {
      return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Another receiver on its own port, verifying SETs for {@code audience}. */
  RecordingReceiver newServer(String audience) {
    try {
      JwtKeyRing r0 = ring;
      RecordingReceiver r = new RecordingReceiver(r0 != null ? r0::jwksJson
          : transmitter::jwksJson, ISSUER, TOKEN_ISSUER, audience, clock);
      closing.add(r);
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A receiver builder for {@link #server}, plain http to loopback. */
  CaepReceiver.Builder receiverFor(RecordingReceiver target, String name) {
    return CaepReceiver.builder(transmitter).name(name).endpoint(target.endpoint())
        .audience(AUDIENCE).allowInsecureLocalhostForTests();
  }

  CaepReceiver receiver() {
    return receiverFor(server, "orders-caep").build();
  }

  Grant grant() {
    return jit.request(GrantRequest.builder()
        .subject("ci-job-4711").owner("team-orders").task("export-2026-11")
        .purpose("export the November orders")
        .scope(Scope.parse("read:orders/*"))
        .ttl(Ttl.of(Duration.ofMinutes(10), Duration.ofHours(1))).build());
  }

  /** The grant, revoked, as the teardown would see it. */
  Grant ended(Grant grant, RevocationReason reason) {
    jit.revoke(grant.id(), reason);
    return jit.grant(grant.id()).orElseThrow();
  }

  @Override
  public void close() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    jit.close();
  }
}
