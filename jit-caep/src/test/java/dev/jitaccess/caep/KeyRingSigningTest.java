package dev.jitaccess.caep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.jwt.JwtKeyRing;
import dev.jitaccess.teardown.TeardownResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SETs signed with jit-jwt's key ring: its current key and {@code kid}, verified by a real receiver
 * with the ring's JWK set; through a rotation, a SET signed before it still verifies during the
 * overlap.
 */
class KeyRingSigningTest {
  private Rig rig;

  @AfterEach
  void close() throws Exception {
    if (rig != null) {
      assertEquals(List.of(), rig.server.problems(), "every SET must verify at the receiver");
      rig.close();
    }
  }

  private static SignedJWT verify(String compact, String jwks) throws Exception {
    DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
    p.setJWSTypeVerifier(
        new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType(CaepEvents.SET_TYPE)));
    p.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256,
        new ImmutableJWKSet<>(JWKSet.parse(jwks))));
    p.setJWTClaimsSetVerifier((claims, context) -> { });
    p.process(compact, null);
    return SignedJWT.parse(compact);
  }

  @Test
  void aRevokedGrantsSetIsSignedWithTheRingsCurrentKeyAndVerifiesWithItsJwks() {
    rig = new Rig();
    JwtKeyRing ring = Objects.requireNonNull(rig.ring);
    Grant grant = rig.grant();
    TeardownResult result = rig.receiver().revoke(rig.ended(grant, RevocationReason.MANUAL),
        RevocationReason.MANUAL);

    assertEquals(TeardownResult.Kind.DONE, result.kind());
    RecordingReceiver.Received got = rig.server.received().get(0);
    assertEquals("caep-1", got.set().getHeader().getKeyID());
    assertEquals(CaepEvents.SET_TYPE, got.set().getHeader().getType().getType());
    assertEquals(ring.publicJwkSet().toJSONObject(), rig.transmitter.publicJwkSet()
        .toJSONObject(), "one JWK set: the ring's");
    assertEquals("caep-1", rig.transmitter.currentKeyId());
  }

  @Test
  void aSetSignedBeforeARotationStillVerifiesDuringTheOverlapAndNewSetsUseTheNewKey()
      throws Exception {
    rig = new Rig();
    JwtKeyRing ring = Objects.requireNonNull(rig.ring);
    String before = rig.transmitter.sign(Rig.AUDIENCE, Map.of("format", "opaque", "id", "s-1"),
        CaepEvents.VERIFICATION, Map.of(), null);

    ring.rotate(Rig.ecKey("caep-2"));
    rig.receiver().sendVerification("after");

    assertEquals("caep-2", rig.server.received().get(0).set().getHeader().getKeyID());
    assertEquals(Set.of("caep-1", "caep-2"), ring.verifyingKeyIds());
    rig.clock.advance(Duration.ofMinutes(CaepTransmitter.Builder.SET_VERIFY_MINUTES));
    assertEquals("caep-1", verify(before, ring.jwksJson()).getHeader().getKeyID(),
        "still published through the overlap");

    rig.clock.advance(Duration.ofMinutes(2)); // past the window and the ring's 60 s grace
    assertEquals(Set.of("caep-2"), ring.verifyingKeyIds());
    assertThrows(BadJOSEException.class, () -> verify(before, ring.jwksJson()));
  }

  @Test
  void aTransmitterOnARingIsRotatedThroughTheRingAndTakesOnlyOneKeySource() {
    rig = new Rig();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> rig.transmitter.rotate(SetSigner.fromKey(Rig.ecKey("caep-9"))));
    assertEquals("this transmitter signs with a key ring: rotate the ring", e.getMessage());
    JwtKeyRing ring = Objects.requireNonNull(rig.ring);
    assertThrows(IllegalStateException.class, () -> CaepTransmitter.builder().keyRing(ring)
        .signer(SetSigner.fromKey(Rig.ecKey("k"))));
    IllegalStateException none = assertThrows(IllegalStateException.class,
        () -> CaepTransmitter.builder().issuer(Rig.ISSUER).build());
    assertEquals("exactly one of keyRing and signer must be set", none.getMessage());
  }

  @Test
  void theRingRefusesToSignAccessTokenTypesOrPastAnExpItMustNotOutlive() {
    rig = new Rig();
    JwtKeyRing ring = Objects.requireNonNull(rig.ring);
    JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(Rig.ISSUER).build();
    for (String type : List.of("at+jwt", "application/at+jwt", "jit-stateless+jwt", "JWT",
        "dpop+jwt", "+jwt")) {
      assertThrows(IllegalArgumentException.class,
          () -> ring.sign(new JOSEObjectType(type), claims, rig.clock.instant()), type);
    }
    JWTClaimsSet expiring = new JWTClaimsSet.Builder().expirationTime(
        java.util.Date.from(rig.clock.instant().plusSeconds(60))).build();
    IllegalArgumentException early = assertThrows(IllegalArgumentException.class,
        () -> ring.sign(new JOSEObjectType("secevent+jwt"), expiring, rig.clock.instant()));
    assertEquals("verifyUntil must not be before the claims' exp", early.getMessage());
    String ok = ring.sign(new JOSEObjectType("secevent+jwt"), claims, rig.clock.instant());
    assertTrue(ok.split("\\.").length == 3);
    assertFalse(ok.isEmpty());
  }
}
