package dev.jitaccess.jwt;

import dev.jitaccess.DenialCode;

import static dev.jitaccess.jwt.Fixture.assertAllowed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import dev.jitaccess.DenyReason;
import dev.jitaccess.Grant;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rotation by kid: a retired key verifies exactly as long as a token it signed can be valid. */
class KeyRotationTest {
  private final Fixture f = new Fixture();
  private final Grant grant = f.grant("read:orders/*");

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void afterRotationNewTokensAreSignedWithTheNewKey() {
    f.ring.rotate(Fixture.ecKey("key-2"));
    String token = f.issuer.issue(grant.id(), Fixture.AUDIENCE);
    assertEquals("key-2", Fixture.headerOf(token).getKeyID());
    assertEquals("key-2", f.ring.currentKeyId());
    assertAllowed(f.verifier.verify(token, "read", "orders/42"));
  }

  @Test
  void retiredKeyKeepsVerifyingUntilTheLastTokenItSignedHasExpired() {
    String old = f.issuer.issue(grant.id(), Fixture.AUDIENCE); // exp = now + 300 s
    Instant exp = Fixture.claimsOf(old).getExpirationTime().toInstant();
    f.ring.rotate(Fixture.ecKey("key-2"));

    f.clock.setTo(exp.minusSeconds(1));
    assertAllowed(f.verifier.verify(old, "read", "orders/42"));
    assertEquals(Set.of("key-1", "key-2"), f.ring.verifyingKeyIds());

    f.clock.setTo(exp.plusSeconds(60)); // the default retirement grace
    assertEquals(Set.of("key-2"), f.ring.verifyingKeyIds());
    assertFalse(f.ring.jwksJson().contains("key-1"));
  }

  @Test
  void retiredKeyIsDroppedByTheClockSoItsOldTokensNameAnUnknownKey() {
    String old = f.issuer.issue(grant.id(), Fixture.AUDIENCE);
    f.ring.rotate(Fixture.ecKey("key-2"));
    f.clock.advance(Duration.ofMinutes(7)); // exp (5 min) + grace (1 min) has passed
    Fixture.assertDenied(JwtDenialCode.UNKNOWN_KEY, f.verifier, old, "read", "orders/42", null);
    assertEquals(Set.of("key-2"), f.ring.verifyingKeyIds());
  }

  @Test
  void aTokenSignedByADroppedKeyIsUnknownEvenIfItsClaimsStillLookValid() {
    String forged = f.sign(f.header(), f.claimsFor(grant)
        .expirationTime(java.util.Date.from(f.clock.instant().plusSeconds(3600))));
    f.ring.rotate(Fixture.ecKey("key-2")); // key-1 never signed through the ring: dropped at once
    Fixture.assertDenied(JwtDenialCode.UNKNOWN_KEY, f.verifier, forged, "read", "orders/42", null);
  }

  @Test
  void retiredKeyThatNeverSignedIsDroppedAtOnce() {
    f.ring.rotate(Fixture.ecKey("key-2"));
    assertEquals(Set.of("key-2"), f.ring.verifyingKeyIds());
  }

  @Test
  void theLatestExpiryPerKeyDecidesNotTheFirst() {
    f.issuer.issue(grant.id(), Fixture.AUDIENCE);
    f.clock.advance(Duration.ofMinutes(2));
    String later = f.issuer.issue(grant.id(), Fixture.AUDIENCE);
    Instant laterExp = Fixture.claimsOf(later).getExpirationTime().toInstant();
    f.ring.rotate(Fixture.ecKey("key-2"));
    f.clock.setTo(laterExp.minusSeconds(1));
    assertAllowed(f.verifier.verify(later, "read", "orders/42"));
  }

  @Test
  void severalRotationsKeepEveryKeyThatStillHasLiveTokens() {
    String t1 = f.issuer.issue(grant.id(), Fixture.AUDIENCE);
    f.ring.rotate(Fixture.ecKey("key-2"));
    String t2 = f.issuer.issue(grant.id(), Fixture.AUDIENCE);
    f.ring.rotate(Fixture.ecKey("key-3"));
    String t3 = f.issuer.issue(grant.id(), Fixture.AUDIENCE);
    assertEquals(Set.of("key-1", "key-2", "key-3"), f.ring.verifyingKeyIds());
    for (String t : List.of(t1, t2, t3)) {
      assertAllowed(f.verifier.verify(t, "read", "orders/42"));
    }
  }

  @Test
  void jwksHoldsOnlyPublicKeys() throws Exception {
    f.ring.rotate(Fixture.ecKey("key-2"));
    JWKSet published = JWKSet.parse(f.ring.jwksJson());
    for (JWK key : published.getKeys()) {
      assertFalse(key.isPrivate(), key.getKeyID());
    }
    assertFalse(f.ring.jwksJson().contains("\"d\""));
  }

  @Test
  void aStatelessVerifierWithThePublishedJwksVerifiesTheRingsTokens() throws Exception {
    JwtVerifier stateless = JwtVerifier.builder()
        .trustedKeys(JWKSet.parse(f.ring.jwksJson())).issuer(Fixture.ISSUER)
        .audience(Fixture.AUDIENCE).clock(f.clock).stateless().build();
    assertAllowed(stateless.verify(f.issuer.issueStateless(grant.id(), Fixture.AUDIENCE, null),
        "read", "orders/42"));
  }

  @Test
  void hmacKeysAreNeverPublished() throws Exception {
    OctetSequenceKey secret = new OctetSequenceKeyGenerator(256).keyID("mac-1").generate();
    JwtKeyRing ring = JwtKeyRing.builder().clock(f.clock).signingKey(secret)
        .algorithms(List.of(JWSAlgorithm.HS256)).allowHmac().build();
    assertEquals(0, ring.publicJwkSet().getKeys().size());
    assertEquals(Set.of("mac-1"), ring.verifyingKeyIds());
  }

  @Test
  void aRingWhoseCurrentKeyIsHmacRefusesToSignAnythingButItsOwnTokens() throws Exception {
    OctetSequenceKey secret = new OctetSequenceKeyGenerator(256).keyID("mac-1").generate();
    JwtKeyRing ring = JwtKeyRing.builder().clock(f.clock).signingKey(secret)
        .algorithms(List.of(JWSAlgorithm.HS256)).allowHmac().build();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> ring.sign(
        new com.nimbusds.jose.JOSEObjectType("secevent+jwt"),
        new com.nimbusds.jwt.JWTClaimsSet.Builder().issuer("https://jit.example").build(),
        f.clock.instant()));
    assertEquals("the current key is symmetric (HMAC): what it signs cannot be checked with "
        + "the published keys", e.getMessage());
    assertEquals(0, ring.publicJwkSet().getKeys().size());
  }

  @Test
  void rotatingToAKidStillInTheRingIsRefused() {
    f.issuer.issue(grant.id(), Fixture.AUDIENCE);
    f.ring.rotate(Fixture.ecKey("key-2"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> f.ring.rotate(Fixture.ecKey("key-1")));
    assertEquals("next.kid must not be a kid this ring has held, was key-1: a verifier that "
        + "caches keys by kid would keep the earlier key", e.getMessage());
  }

  @Test
  void aKidIsNeverUsedForASecondKeyEvenAfterItsKeyWasDropped() {
    f.ring.rotate(Fixture.ecKey("key-2")); // key-1 never signed: dropped at once
    assertEquals(Set.of("key-2"), f.ring.verifyingKeyIds());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> f.ring.rotate(Fixture.ecKey("key-1")));
    assertTrue(e.getMessage().startsWith("next.kid must not be a kid this ring has held"),
        e.getMessage());
    assertEquals("key-2", f.ring.currentKeyId(), "a refused rotation changes nothing");
  }

  @Test
  void rotatingToAPublicKeyIsRefused() {
    ECKey publicOnly = Fixture.ecKey("key-2").toPublicJWK();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> f.ring.rotate(publicOnly));
    assertEquals("next must hold the private key, to sign", e.getMessage());
  }

  @Test
  void keysWithoutAKidAreRefused() throws Exception {
    ECKey noKid = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256)
        .generate();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JwtKeyRing.builder().signingKey(noKid).build());
    assertEquals("signingKey.kid must be set", e.getMessage());
  }

  @Test
  void hmacIsRefusedUnlessExplicitlyAllowed() throws Exception {
    OctetSequenceKey secret = new OctetSequenceKeyGenerator(256).keyID("mac-1").generate();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JwtKeyRing.builder().signingKey(secret).algorithms(List.of(JWSAlgorithm.HS256))
            .build());
    assertTrue(e.getMessage().startsWith("algorithms must not hold HS256 unless allowHmac()"),
        e.getMessage());
    IllegalArgumentException byDefault = assertThrows(IllegalArgumentException.class,
        () -> JwtKeyRing.builder().signingKey(secret).build());
    assertTrue(byDefault.getMessage().startsWith("signingKey.alg must be one of"),
        byDefault.getMessage());
  }

  @Test
  void keyOutsideTheAllowListIsRefused() {
    ECKey p384 = Fixture.ecKey("key-384", com.nimbusds.jose.jwk.Curve.P_384);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> f.ring.rotate(p384));
    assertEquals("next.alg must be one of [ES256], was ES384", e.getMessage());
  }

  // --- keys checked when they join the ring ---

  @Test
  void aKeyWhoseAlgDoesNotFitItsCurveIsRefusedAtRotation() throws JOSEException {
    ECKey p384 = new ECKeyGenerator(Curve.P_384).keyID("k384").algorithm(JWSAlgorithm.ES256)
        .generate();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> f.ring.rotate(p384));
    assertTrue(e.getMessage().startsWith("next.alg must fit the key: this EC key signs [ES384]"),
        e.getMessage());
    assertEquals(f.signingKey.getKeyID(), f.ring.currentKeyId(), "the ring keeps signing");
    assertAllowed(f.verifier.verify(f.issuer.issue(grant.id(), Fixture.AUDIENCE), "read",
        "orders/42"));
  }

  @Test
  void anRsaKeyThatClaimsAnEcAlgIsRefusedAtRotation() throws JOSEException {
    RSAKey rsa = new RSAKeyGenerator(2048).keyID("rsa-es").algorithm(JWSAlgorithm.ES256)
        .generate();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> f.ring.rotate(rsa));
    assertTrue(e.getMessage().startsWith("next.alg must fit the key: this RSA key signs"),
        e.getMessage());
  }

  @Test
  void anHmacSecretTooShortForItsAlgIsRefusedAtBuild() throws JOSEException {
    OctetSequenceKey mac = new OctetSequenceKeyGenerator(256).keyID("mac")
        .algorithm(JWSAlgorithm.HS512).generate();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JwtKeyRing.builder().clock(f.clock).signingKey(mac)
            .algorithms(List.of(JWSAlgorithm.HS512)).allowHmac().build());
    assertTrue(e.getMessage().startsWith("signingKey.alg must fit the key: this oct key signs "
        + "[HS256]"), e.getMessage());
  }

  @Test
  void anRsaKeyUnder2048BitsIsRefusedNamingTheField() throws JOSEException {
    RSAKey small = new RSAKeyGenerator(1024, true).keyID("rsa-small")
        .algorithm(JWSAlgorithm.RS256).generate();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JwtKeyRing.builder().clock(f.clock).signingKey(small)
            .algorithms(List.of(JWSAlgorithm.RS256)).build());
    assertEquals("signingKey must be an RSA key of at least 2048 bits, had 1024", e.getMessage());
  }

  @Test
  void anRsaSigningKeyOf2047BitsIsRefusedNamingTheFieldThoughNimbusSizesItAs2048() {
    RSAKey weak = HostileTokenCorpusTest.rsaKey(2047, "rsa-2047");
    assertEquals(2048, weak.size(), "Nimbus counts whole bytes");
    RSAKey withAlg = new RSAKey.Builder(weak).algorithm(JWSAlgorithm.RS256).build();
    IllegalArgumentException atBuild = assertThrows(IllegalArgumentException.class,
        () -> JwtKeyRing.builder().clock(f.clock).signingKey(withAlg)
            .algorithms(List.of(JWSAlgorithm.RS256)).build());
    assertEquals("signingKey must be an RSA key of at least 2048 bits, had 2047",
        atBuild.getMessage());
    JwtKeyRing ring = JwtKeyRing.builder().clock(f.clock)
        .signingKey(new RSAKey.Builder(HostileTokenCorpusTest.rsaKey(2048, "rsa-2048"))
            .algorithm(JWSAlgorithm.RS256).build())
        .algorithms(List.of(JWSAlgorithm.RS256)).build();
    IllegalArgumentException atRotation = assertThrows(IllegalArgumentException.class,
        () -> ring.rotate(withAlg));
    assertEquals("next must be an RSA key of at least 2048 bits, had 2047",
        atRotation.getMessage());
    assertEquals("rsa-2048", ring.currentKeyId(), "a refused rotation changes nothing");
  }

  @Test
  void anRsaKeyOf2048BitsSignsAndVerifies() throws JOSEException {
    RSAKey rsa = new RSAKeyGenerator(2048).keyID("rsa-1").algorithm(JWSAlgorithm.RS256)
        .generate();
    JwtKeyRing ring = JwtKeyRing.builder().clock(f.clock).signingKey(rsa)
        .algorithms(List.of(JWSAlgorithm.RS256)).build();
    JwtIssuer issuer = JwtIssuer.builder().jit(f.jit).keyRing(ring).issuer(Fixture.ISSUER)
        .clock(f.clock).build();
    JwtVerifier verifier = JwtVerifier.builder().keyRing(ring).issuer(Fixture.ISSUER)
        .audience(Fixture.AUDIENCE).algorithms(List.of(JWSAlgorithm.RS256)).clock(f.clock)
        .liveCheck(f.jit).build();
    assertAllowed(verifier.verify(issuer.issue(grant.id(), Fixture.AUDIENCE), "read",
        "orders/42"));
  }

  @Test
  void theRetirementGraceIsBetweenZeroAndTheLargestClockSkew() {
    JwtKeyRing.Builder b = JwtKeyRing.builder();
    IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
        () -> b.retirementGrace(Duration.ofSeconds(Long.MAX_VALUE)));
    assertEquals("retirementGrace must be in [PT0S, PT5M], was PT2562047788015215H30M7S",
        tooLong.getMessage());
    assertThrows(IllegalArgumentException.class, () -> b.retirementGrace(Duration.ofMillis(-1)));
    JwtKeyRing ring = b.retirementGrace(Duration.ofMinutes(5)).clock(f.clock)
        .signingKey(Fixture.ecKey("k")).build();
    assertEquals(Set.of("k"), ring.verifyingKeyIds());
  }

  // --- a key pair must be one pair, for signing ---

  @Test
  void anEcKeyWhosePrivateHalfBelongsToAnotherKeyIsRefusedAtRotation() {
    ECKey a = Fixture.ecKey("key-a");
    ECKey b = Fixture.ecKey("key-b");
    ECKey mismatched = new ECKey.Builder(a.getCurve(), a.getX(), a.getY()).d(b.getD())
        .keyID("key-2").build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> f.ring.rotate(mismatched));
    assertEquals("next must be a key pair: a signature made with its private half does not "
        + "verify with its public half", e.getMessage());
    assertEquals(f.signingKey.getKeyID(), f.ring.currentKeyId(), "the ring keeps signing");
    assertEquals(Set.of(f.signingKey.getKeyID()), f.ring.verifyingKeyIds(),
        "the refused key is never published");
    assertAllowed(f.verifier.verify(f.issuer.issue(grant.id(), Fixture.AUDIENCE), "read",
        "orders/42"));
  }

  @Test
  void anRsaKeyWhosePrivateHalfBelongsToAnotherKeyIsRefusedAtBuild() throws JOSEException {
    RSAKey a = new RSAKeyGenerator(2048).generate();
    RSAKey b = new RSAKeyGenerator(2048).generate();
    RSAKey mismatched = new RSAKey.Builder(a.getModulus(), a.getPublicExponent())
        .privateExponent(b.getPrivateExponent()).keyID("rsa-1").algorithm(JWSAlgorithm.RS256).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JwtKeyRing.builder().clock(f.clock).signingKey(mismatched)
            .algorithms(List.of(JWSAlgorithm.RS256)).build());
    assertEquals("signingKey must be a key pair: a signature made with its private half does "
        + "not verify with its public half", e.getMessage());
  }

  @Test
  void aKeyWhoseKeyOpsLeaveOutSignIsRefused() throws JOSEException {
    ECKey verifyOnly = new ECKeyGenerator(Curve.P_256).keyID("key-2")
        .keyOperations(Set.of(KeyOperation.VERIFY)).generate();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> f.ring.rotate(verifyOnly));
    assertEquals("next.key_ops must include sign, was [verify]", e.getMessage());
    assertEquals(f.signingKey.getKeyID(), f.ring.currentKeyId(), "a refused rotation changes nothing");
  }

  @Test
  void aKeyWhoseKeyOpsIncludeSignIsAccepted() throws JOSEException {
    ECKey signing = new ECKeyGenerator(Curve.P_256).keyID("key-2")
        .keyOperations(Set.of(KeyOperation.SIGN, KeyOperation.VERIFY)).generate();
    f.ring.rotate(signing);
    assertEquals("key-2", f.ring.currentKeyId());
    assertAllowed(f.verifier.verify(f.issuer.issue(grant.id(), Fixture.AUDIENCE), "read",
        "orders/42"));
  }

  @Test
  void anOctetKeyPairIsRefusedNamingItsKeyType() throws JOSEException {
    OctetKeyPair ed = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(new byte[32]))
        .d(Base64URL.encode(new byte[32])).keyID("ed-1").build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> f.ring.rotate(ed));
    assertEquals("next must be an EC, RSA or (with allowHmac) octet key, was OKP", e.getMessage());
  }
}
