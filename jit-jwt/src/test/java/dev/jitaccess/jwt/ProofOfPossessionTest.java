package dev.jitaccess.jwt;

import dev.jitaccess.DenialCode;

import static dev.jitaccess.jwt.Fixture.assertAllowed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.jitaccess.DenyReason;
import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.testkit.time.FakeClock;
import java.math.BigInteger;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A key-bound token is usable only with a fresh proof signed by the bound key, once. */
class ProofOfPossessionTest {
  private static final String URI = "https://orders.example.com/orders/42";

  private final Fixture f = new Fixture();
  private final Grant grant = f.grant("read:orders/*");
  private final ECKey workload = Fixture.ecKey("workload");
  private final String token = f.issuer.issue(grant.id(), Fixture.AUDIENCE, workload.toPublicJWK());

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void boundTokenCarriesTheThumbprintOfTheWorkloadKey() throws JOSEException {
    Object cnf = Fixture.claimsOf(token).getClaim("cnf");
    assertEquals(Map.of("jkt", workload.computeThumbprint().toString()), cnf);
  }

  @ParameterizedTest
  @ValueSource(ints = {1024, 2047})
  void theIssuerRefusesToBindATokenToAnRsaKeyUnder2048Bits(int bits) throws JOSEException {
    RSAKey small = new RSAKeyGenerator(bits, true).generate();
    assertEquals(bits, Algorithms.rsaBits(small));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> f.issuer.issue(grant.id(), Fixture.AUDIENCE, small.toPublicJWK()));
    assertEquals("workloadKey must be a key a proof of possession may be verified with: an RSA "
        + "key must have at least 2048 bits, had " + bits, e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> f.issuer.issueStateless(grant.id(), Fixture.AUDIENCE, small.toPublicJWK()));
  }

  @Test
  void theIssuerBindsATokenToA2048BitRsaKey() throws JOSEException {
    RSAKey rsa = new RSAKeyGenerator(2048).generate();
    String bound = f.issuer.issue(grant.id(), Fixture.AUDIENCE, rsa.toPublicJWK());
    assertEquals(Map.of("jkt", rsa.computeThumbprint().toString()),
        Fixture.claimsOf(bound).getClaim("cnf"));
  }

  @Test
  void theIssuerRefusesToBindATokenToAKeyForEncryption() {
    ECKey encryption = new ECKey.Builder(Fixture.ecKey("enc")).keyUse(KeyUse.ENCRYPTION).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> f.issuer.issue(grant.id(), Fixture.AUDIENCE, encryption.toPublicJWK()));
    assertEquals("workloadKey must be a key a proof of possession may be verified with: a key's "
        + "use must be sig, was enc", e.getMessage());
  }

  @Test
  void theIssuerStillRefusesAPrivateKeyFirst() {
    ECKey encryption = new ECKey.Builder(Fixture.ecKey("enc")).keyUse(KeyUse.ENCRYPTION).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> f.issuer.issue(grant.id(), Fixture.AUDIENCE, encryption));
    assertEquals("workloadKey must be a public key; never hand a private key to the issuer",
        e.getMessage());
  }

  @Test
  void theExampleProofOfRfc9449Verifies() throws Denial {
    // RFC 9449, section 7.1, figure 13: a proof for a resource request, with its access token,
    // and the thumbprint of its key (section 6.1, figure 9).
    String proof = "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6Ik"
        + "VDIiwieCI6Imw4dEZyaHgtMzR0VjNoUklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCR"
        + "nMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERWclUwQ2R2R1JE"
        + "QSIsImNydiI6IlAtMjU2In19.eyJqdGkiOiJlMWozVl9iS2ljOC1MQUVCIiwiaHRtIj"
        + "oiR0VUIiwiaHR1IjoiaHR0cHM6Ly9yZXNvdXJjZS5leGFtcGxlLm9yZy9wcm90ZWN0Z"
        + "WRyZXNvdXJjZSIsImlhdCI6MTU2MjI2MjYxOCwiYXRoIjoiZlVIeU8ycjJaM0RaNTNF"
        + "c05yV0JiMHhXWG9hTnk1OUlpS0NBcWtzbVFFbyJ9.2oW9RP35yRqzhrtNP86L-Ey71E"
        + "OptxRimPPToA1plemAgR6pxHF8y6-yqyVnmcw6Fy1dqd-jfxSYoMxhAJpLjA";
    String accessToken = "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU";
    String jkt = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I";
    assertEquals("fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo",
        DpopProof.accessTokenHash(accessToken));
    ProofVerifier verifier = new ProofVerifier(FakeClock.at(Instant.ofEpochSecond(1562262618)),
        Set.of(JWSAlgorithm.ES256), 8192, Duration.ofSeconds(60), Duration.ofSeconds(5), 10, 10);
    assertEquals(jkt + ".e1j3V_bKic8-LAEB", verifier.verify(new DpopProof(proof, "GET",
        "https://resource.example.org/protectedresource"), accessToken, jkt));
  }

  @ParameterizedTest
  @CsvSource({"P-384, ES384", "P-521, ES512"})
  void aWorkloadSignsWithTheAlgorithmOfItsCurveAndItsProofIsAllowed(String crv, String alg) {
    ECKey key = Fixture.ecKey("workload-" + crv, Curve.parse(crv));
    String bound = f.issuer.issue(grant.id(), Fixture.AUDIENCE, key.toPublicJWK());
    DpopProof proof = DpopProof.sign(key, "GET", URI, bound, f.clock);
    assertEquals(JWSAlgorithm.parse(alg), Fixture.headerOf(proof.jwt()).getAlgorithm());
    JwtVerifier verifier = JwtVerifier.builder().keyRing(f.ring).issuer(Fixture.ISSUER)
        .audience(Fixture.AUDIENCE).clock(f.clock).liveCheck(f.jit)
        .proofAlgorithms(List.of(JWSAlgorithm.parse(alg))).build();
    assertAllowed(verifier.verify(bound, "read", "orders/42", proof));
  }

  @Test
  void aWorkloadCannotSignWithAPublicKeyOrAnotherCurve() {
    IllegalArgumentException publicOnly = assertThrows(IllegalArgumentException.class,
        () -> DpopProof.sign(workload.toPublicJWK(), "GET", URI, token, f.clock));
    assertEquals("key must hold the private key, to sign", publicOnly.getMessage());
    // The JDK generates no secp256k1 keys: d = 1, whose public point is the curve's generator.
    ECKey k256 = new ECKey.Builder(Curve.SECP256K1,
        Base64URL.encode(new BigInteger(
            "79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798", 16)),
        Base64URL.encode(new BigInteger(
            "483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8", 16)))
        .d(Base64URL.encode(BigInteger.ONE)).build();
    IllegalArgumentException curve = assertThrows(IllegalArgumentException.class,
        () -> DpopProof.sign(k256, "GET", URI, token, f.clock));
    assertEquals("key.crv must be P-256, P-384 or P-521, was secp256k1", curve.getMessage());
  }

  @Test
  void aProofsSummaryNamesTheRequestAndNotTheProof() {
    DpopProof proof = proof("GET", URI);
    assertEquals("DpopProof[GET " + URI + "]", proof.toString());
  }

  @Test
  void freshProofFromTheBoundKeyIsAllowed() {
    assertAllowed(f.verifier.verify(token, "read", "orders/42", proof("GET", URI)));
  }

  @Test
  void eachRequestWithItsOwnProofIsAllowed() {
    assertAllowed(f.verifier.verify(token, "read", "orders/42", proof("GET", URI)));
    f.clock.advance(Duration.ofSeconds(1));
    assertAllowed(f.verifier.verify(token, "read", "orders/42", proof("GET", URI)));
  }

  @Test
  void stolenTokenWithoutAProofIsDenied() {
    f.assertDenied(JwtDenialCode.PROOF_MISSING, token);
  }

  @Test
  void stolenTokenWithAProofSignedByTheThiefsKeyIsDenied() {
    ECKey thief = Fixture.ecKey("thief");
    DpopProof forged = DpopProof.sign(thief, "GET", URI, token, f.clock);
    assertDenied(JwtDenialCode.PROOF_KEY_MISMATCH, forged);
  }

  @Test
  void proofForAnotherMethodIsDenied() {
    DpopProof post = DpopProof.sign(workload, "POST", URI, token, f.clock);
    assertDenied(JwtDenialCode.PROOF_TARGET_MISMATCH, new DpopProof(post.jwt(), "GET", URI));
  }

  @Test
  void proofForAnotherTargetIsDenied() {
    DpopProof other = DpopProof.sign(workload, "GET", "https://orders.example.com/orders/43",
        token, f.clock);
    assertDenied(JwtDenialCode.PROOF_TARGET_MISMATCH, new DpopProof(other.jwt(), "GET", URI));
    DpopProof otherHost = DpopProof.sign(workload, "GET", "https://evil.example.com/orders/42",
        token, f.clock);
    assertDenied(JwtDenialCode.PROOF_TARGET_MISMATCH, new DpopProof(otherHost.jwt(), "GET", URI));
  }

  @Test
  void proofTargetIgnoresQueryFragmentDefaultPortAndCase() {
    DpopProof proof = DpopProof.sign(workload, "GET", "HTTPS://Orders.Example.com:443/orders/42",
        token, f.clock);
    assertAllowed(f.verifier.verify(token, "read", "orders/42",
        new DpopProof(proof.jwt(), "GET", URI + "?page=2#top")));
  }

  @Test
  void proofForAnotherAccessTokenIsDenied() {
    String otherToken = f.issuer.issue(f.grant("read:orders/*").id(), Fixture.AUDIENCE,
        workload.toPublicJWK());
    DpopProof forOther = DpopProof.sign(workload, "GET", URI, otherToken, f.clock);
    assertDenied(JwtDenialCode.PROOF_TARGET_MISMATCH, forOther);
  }

  @Test
  void replayedProofIsDenied() {
    DpopProof once = proof("GET", URI);
    assertAllowed(f.verifier.verify(token, "read", "orders/42", once));
    assertDenied(JwtDenialCode.PROOF_REPLAYED, once);
  }

  @Test
  void replayedProofIsStillDeniedNearTheEndOfItsWindowAndStaleAfter() {
    DpopProof once = proof("GET", URI);
    assertAllowed(f.verifier.verify(token, "read", "orders/42", once));
    f.clock.advance(Duration.ofSeconds(60));
    assertDenied(JwtDenialCode.PROOF_REPLAYED, once);
    f.clock.advance(Duration.ofSeconds(10));
    assertDenied(JwtDenialCode.PROOF_STALE, once);
  }

  @Test
  void aProofFirstUsedAtTheStartOfItsWindowIsStillRememberedAtItsLastMillisecond() {
    // The workload's clock runs 5 s ahead (within the skew): its proof's iat is now + 5 s.
    long start = f.clock.instant().getEpochSecond() + 1;
    f.clock.setTo(Instant.ofEpochSecond(start)); // the first instant it is accepted
    long iat = start + 5;
    DpopProof early = signed(claims("GET", URI, token).issueTime(new Date(iat * 1000)), workload);
    assertAllowed(f.verifier.verify(token, "read", "orders/42", early));
    f.clock.setTo(Instant.ofEpochSecond(iat + 60 + 5)); // the last: iat + life + skew
    assertDenied(JwtDenialCode.PROOF_REPLAYED, early);
    f.clock.setTo(Instant.ofEpochSecond(iat + 60 + 5).plusMillis(1));
    assertDenied(JwtDenialCode.PROOF_STALE, early);
  }

  @Test
  void aFullReplayCacheDeniesNewProofsRatherThanForgetAnId() {
    JwtVerifier small = JwtVerifier.builder().keyRing(f.ring).issuer(Fixture.ISSUER)
        .audience(Fixture.AUDIENCE).clock(f.clock).liveCheck(f.jit).maxRememberedProofs(3)
        .maxRememberedProofsPerKey(4).build();
    DpopProof victims = proof("GET", URI);
    assertAllowed(small.verify(token, "read", "orders/42", victims));
    for (int i = 0; i < 2; i++) {
      f.clock.advance(Duration.ofMillis(1)); // a new jti per proof
      assertAllowed(small.verify(token, "read", "orders/42", proof("GET", URI)));
    }
    f.clock.advance(Duration.ofMillis(1));
    Fixture.assertDenied(DenyReason.BACKEND_FAILURE, small, token, "read", "orders/42",
        proof("GET", URI));
    Fixture.assertDenied(JwtDenialCode.PROOF_REPLAYED, small, token, "read", "orders/42", victims);
    f.clock.advance(Duration.ofSeconds(60 + 5 + 5 + 1)); // every id has expired
    assertAllowed(small.verify(token, "read", "orders/42", proof("GET", URI)));
  }

  @Test
  void theHolderOfOneBoundTokenCannotFillTheReplayCacheForTheOthers() {
    JwtVerifier small = JwtVerifier.builder().keyRing(f.ring).issuer(Fixture.ISSUER)
        .audience(Fixture.AUDIENCE).clock(f.clock).liveCheck(f.jit).maxRememberedProofs(4)
        .maxRememberedProofsPerKey(2).build();
    ECKey attackerKey = Fixture.ecKey("attacker");
    Grant attackers = f.grant("read:orders/*", b -> b.task("attacker"));
    String attackerToken =
        f.issuer.issue(attackers.id(), Fixture.AUDIENCE, attackerKey.toPublicJWK());
    for (int i = 0; i < 2; i++) {
      f.clock.advance(Duration.ofMillis(1));
      assertAllowed(small.verify(attackerToken, "read", "orders/42",
          DpopProof.sign(attackerKey, "GET", URI, attackerToken, f.clock)));
    }
    for (int i = 0; i < 20; i++) {
      f.clock.advance(Duration.ofMillis(1));
      Fixture.assertDenied(JwtDenialCode.PROOF_RATE_LIMITED, small, attackerToken, "read",
          "orders/42", DpopProof.sign(attackerKey, "GET", URI, attackerToken, f.clock));
    }
    assertAllowed(small.verify(token, "read", "orders/42", proof("GET", URI)));
    f.clock.advance(Duration.ofMillis(1));
    assertAllowed(small.verify(token, "read", "orders/42", proof("GET", URI)));
    f.clock.advance(Duration.ofSeconds(60 + 5 + 5 + 1)); // the attacker's ids have expired
    assertAllowed(small.verify(attackerToken, "read", "orders/42",
        DpopProof.sign(attackerKey, "GET", URI, attackerToken, f.clock)));
  }

  @Test
  void byDefaultOneKeyMayHoldAHundredthOfTheRememberedProofs() {
    JwtVerifier verifier = JwtVerifier.builder().keyRing(f.ring).issuer(Fixture.ISSUER)
        .audience(Fixture.AUDIENCE).clock(f.clock).liveCheck(f.jit).maxRememberedProofs(300)
        .build();
    for (int i = 0; i < 3; i++) {
      f.clock.advance(Duration.ofMillis(1));
      assertAllowed(verifier.verify(token, "read", "orders/42", proof("GET", URI)));
    }
    f.clock.advance(Duration.ofMillis(1));
    Fixture.assertDenied(JwtDenialCode.PROOF_RATE_LIMITED, verifier, token, "read", "orders/42",
        proof("GET", URI));
  }

  @Test
  void proofsForTheTokenOfAnEndedGrantAreNotRemembered() {
    JwtVerifier small = JwtVerifier.builder().keyRing(f.ring).issuer(Fixture.ISSUER)
        .audience(Fixture.AUDIENCE).clock(f.clock).liveCheck(f.jit).maxRememberedProofs(2)
        .build();
    Grant revoked = f.grant("read:orders/*", b -> b.task("revoked"));
    String revokedToken = f.issuer.issue(revoked.id(), Fixture.AUDIENCE, workload.toPublicJWK());
    f.jit.revoke(revoked.id(), RevocationReason.ANOMALY);
    for (int i = 0; i < 5; i++) {
      f.clock.advance(Duration.ofMillis(1));
      Fixture.assertDenied(DenyReason.REVOKED, small, revokedToken, "read", "orders/42",
          DpopProof.sign(workload, "GET", URI, revokedToken, f.clock));
    }
    assertAllowed(small.verify(token, "read", "orders/42", proof("GET", URI)));
  }

  @Test
  void aStatelessVerifierRemembersAProofAndDeniesItsReplay() throws ParseException {
    JwtVerifier stateless = JwtVerifier.builder()
        .trustedKeys(JWKSet.parse(f.ring.jwksJson()))
        .issuer(Fixture.ISSUER).audience(Fixture.AUDIENCE).clock(f.clock).stateless().build();
    String bound = f.issuer.issueStateless(grant.id(), Fixture.AUDIENCE, workload.toPublicJWK());
    DpopProof once = DpopProof.sign(workload, "GET", URI, bound, f.clock);
    assertAllowed(stateless.verify(bound, "read", "orders/42", once));
    Fixture.assertDenied(JwtDenialCode.PROOF_REPLAYED, stateless, bound, "read", "orders/42",
        once);
    f.clock.advance(Duration.ofSeconds(60)); // the end of its window: still remembered
    Fixture.assertDenied(JwtDenialCode.PROOF_REPLAYED, stateless, bound, "read", "orders/42",
        once);
  }

  @Test
  void staleProofIsDenied() {
    DpopProof old = proof("GET", URI);
    f.clock.advance(Duration.ofSeconds(60 + 5 + 1));
    assertDenied(JwtDenialCode.PROOF_STALE, old);
  }

  @Test
  void backdatedProofIsDenied() {
    assertDenied(JwtDenialCode.PROOF_STALE, backdated(token, 120));
  }

  @Test
  void proofFromTheFutureIsDenied() {
    assertDenied(JwtDenialCode.PROOF_STALE, signed(claims("GET", URI, token)
        .issueTime(new Date((f.clock.instant().getEpochSecond() + 60) * 1000)), workload));
  }

  @Test
  void proofWithoutItsKeyInTheHeaderIsDenied() {
    DpopProof proof = new DpopProof(Fixture.sign(new JWSHeader.Builder(JWSAlgorithm.ES256)
        .type(DpopProof.TYPE), claims("GET", URI, token), workload), "GET", URI);
    assertDenied(JwtDenialCode.PROOF_INVALID, proof);
  }

  @Test
  void proofWithTheWrongTypIsDenied() {
    DpopProof proof = new DpopProof(Fixture.sign(new JWSHeader.Builder(JWSAlgorithm.ES256)
        .type(new JOSEObjectType("at+jwt")).jwk(workload.toPublicJWK()),
        claims("GET", URI, token), workload), "GET", URI);
    assertDenied(JwtDenialCode.PROOF_INVALID, proof);
  }

  @Test
  void proofWithASignatureThatDoesNotVerifyIsDenied() {
    DpopProof good = proof("GET", URI);
    String jwt = good.jwt().substring(0, good.jwt().lastIndexOf('.') + 1)
        + Base64URL.encode(new byte[64]);
    assertDenied(JwtDenialCode.PROOF_INVALID, new DpopProof(jwt, "GET", URI));
  }

  @Test
  void proofSignedWithHmacIsDenied() throws JOSEException {
    DpopProof proof = new DpopProof(Fixture.sign(new JWSHeader.Builder(JWSAlgorithm.HS256)
        .type(DpopProof.TYPE).jwk(workload.toPublicJWK()), claims("GET", URI, token),
        new MACSigner(new byte[32])), "GET", URI);
    assertDenied(JwtDenialCode.PROOF_INVALID, proof);
  }

  @Test
  void proofMissingAClaimIsDenied() {
    assertDenied(JwtDenialCode.PROOF_INVALID,
        signed(claims("GET", URI, token).claim("ath", null), workload));
    assertDenied(JwtDenialCode.PROOF_INVALID,
        signed(claims("GET", URI, token).jwtID(null), workload));
  }

  @Test
  void garbageProofIsDenied() {
    assertDenied(JwtDenialCode.PROOF_INVALID, new DpopProof("garbage", "GET", URI));
    assertDenied(JwtDenialCode.PROOF_INVALID, new DpopProof("x".repeat(100_000), "GET", URI));
  }

  @Test
  void proofDoesNotRescueAnOtherwiseBadToken() {
    f.clock.advance(Duration.ofMinutes(6));
    assertDenied(JwtDenialCode.TOKEN_EXPIRED, proof("GET", URI));
  }

  private DpopProof proof(String method, String uri) {
    return DpopProof.sign(workload, method, uri, token, f.clock);
  }

  private JWTClaimsSet.Builder claims(String method, String uri, String accessToken) {
    return new JWTClaimsSet.Builder()
        .claim("htm", method).claim("htu", uri)
        .issueTime(new Date(f.clock.instant().getEpochSecond() * 1000))
        .jwtID("proof-" + f.clock.instant().toEpochMilli())
        .claim("ath", DpopProof.accessTokenHash(accessToken));
  }

  private DpopProof backdated(String accessToken, long seconds) {
    return signed(claims("GET", URI, accessToken)
        .issueTime(new Date((f.clock.instant().getEpochSecond() - seconds) * 1000)), workload);
  }

  private static DpopProof signed(JWTClaimsSet.Builder claims, ECKey key) {
    return new DpopProof(Fixture.sign(new JWSHeader.Builder(JWSAlgorithm.ES256)
        .type(DpopProof.TYPE).jwk(key.toPublicJWK()), claims, key), "GET", URI);
  }

  private void assertDenied(DenialCode reason, DpopProof proof) {
    Fixture.assertDenied(reason, f.verifier, token, "read", "orders/42", proof);
  }
}
