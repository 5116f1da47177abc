package dev.jitaccess.caep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusds.jwt.SignedJWT;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import dev.jitaccess.Ttl;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.jwt.JwtIssuer;
import dev.jitaccess.jwt.JwtKeyRing;
import dev.jitaccess.teardown.TeardownResult;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The transmitter wired as an application would: the runtime's audit trail and jit-jwt's issuer
 * both feed its audit tap, and the receiver is called as a teardown downstream. The teardown
 * engine ({@code Teardown}) is not on main yet, so {@code revoke} is called directly, as the
 * engine would call it once the grant has ended.
 */
class JwtIssuerIntegrationTest {
  private final FakeClock clock = new FakeClock();
  private CaepTransmitter caep;
  private RecordingReceiver server;
  private CaepReceiver receiver;
  private JitAccess jit;
  private JwtIssuer tokens;
  /** One ring signs the tokens and the SETs, published in one JWK set. */
  private JwtKeyRing ring;

  @BeforeEach
  void wire() throws Exception {
    ring = JwtKeyRing.builder().clock(clock).signingKey(Rig.ecKey("tokens-1")).build();
    caep = CaepTransmitter.builder().issuer(Rig.ISSUER).tokenIssuer(Rig.TOKEN_ISSUER)
        .keyRing(ring).clock(clock).build();
    server = new RecordingReceiver(ring::jwksJson, Rig.ISSUER, Rig.TOKEN_ISSUER, Rig.AUDIENCE,
        clock);
    receiver = CaepReceiver.builder(caep).name("orders-caep").endpoint(server.endpoint())
        .audience(Rig.AUDIENCE).allowInsecureLocalhostForTests().build();
    jit = JitAccess.builder().clock(clock).scheduler(clock)
        .auditSink(caep.auditTap(Runnable::run, List.of(receiver))).build();
    tokens = JwtIssuer.builder().jit(jit).keyRing(ring).issuer(Rig.TOKEN_ISSUER).clock(clock)
        .auditSink(caep.auditTap()).build();
  }

  @AfterEach
  void close() {
    assertEquals(List.of(), server.problems());
    server.close();
    jit.close();
  }

  private Grant grant() {
    return jit.request(GrantRequest.builder()
        .subject("agent-7").owner("team-orders").task("reconcile-2026-11")
        .purpose("reconcile November").scope(Scope.parse("read:orders/*"))
        .ttl(Ttl.of(Duration.ofMinutes(10), Duration.ofHours(1))).build());
  }

  private static String jti(String token) throws Exception {
    return SignedJWT.parse(token).getJWTClaimsSet().getJWTID();
  }

  @Test
  void tokensMintedByJwtIssuerAreNamedByTheirJtiWhenTheirGrantEnds() throws Exception {
    Grant grant = grant();
    String first = tokens.issue(grant.id(), "orders-api");
    String second = tokens.issueStateless(grant.id(), "billing-api", null);
    jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);

    TeardownResult result = receiver.revoke(jit.grant(grant.id()).orElseThrow(),
        RevocationReason.TASK_COMPLETED);

    assertEquals(TeardownResult.Kind.DONE, result.kind());
    for (RecordingReceiver.Received r : server.received()) {
      assertEquals("tokens-1", r.set().getHeader().getKeyID(), "the ring's key, as the tokens'");
      assertEquals(SignedJWT.parse(first).getHeader().getKeyID(),
          r.set().getHeader().getKeyID());
    }
    assertEquals(Set.of(Map.of("format", "jwt_id", "iss", Rig.TOKEN_ISSUER, "jti", jti(first)),
            Map.of("format", "jwt_id", "iss", Rig.TOKEN_ISSUER, "jti", jti(second))),
        server.received().stream().map(RecordingReceiver.Received::subId)
            .collect(Collectors.toSet()));
    for (String payload : server.payloads()) {
      assertEquals(-1, payload.indexOf(first.substring(first.lastIndexOf('.') + 1)));
      assertEquals(-1, payload.indexOf(grant.id()));
    }
  }

  @Test
  void aRenewalInTheRuntimePushesTokenClaimsChangeWithTheNewExpiry() throws Exception {
    Grant grant = grant();
    String token = tokens.issue(grant.id(), "orders-api");
    clock.advance(Duration.ofMinutes(5));

    Grant renewed = jit.renew(grant.id(), Duration.ofMinutes(10));

    List<RecordingReceiver.Received> got = server.received();
    assertEquals(1, got.size());
    assertEquals(CaepEvents.TOKEN_CLAIMS_CHANGE, got.get(0).eventType());
    assertEquals(Map.of("exp", renewed.expiresAt().getEpochSecond()),
        got.get(0).event().get("claims"));
    assertEquals(jti(token), got.get(0).subId().get("jti"));
    assertEquals(grant.reference() + ":exp:" + renewed.expiresAt().getEpochSecond(),
        got.get(0).claims().getClaim("txn"));
  }

  @Test
  void aGrantThatNeverHadATokenIsNamedByItsReference() {
    Grant grant = grant();
    jit.revoke(grant.id(), RevocationReason.MANUAL);

    receiver.revoke(jit.grant(grant.id()).orElseThrow(), RevocationReason.MANUAL);

    assertEquals(List.of(Map.of("format", "opaque", "id", grant.reference())),
        server.received().stream().map(RecordingReceiver.Received::subId)
            .collect(Collectors.toList()));
  }
}
