package dev.jitaccess.jwt;

import dev.jitaccess.DenialCode;

import static dev.jitaccess.jwt.Fixture.assertAllowed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.opts.AllowWeakRSAKey;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.jitaccess.Decision;
import dev.jitaccess.DenyReason;
import dev.jitaccess.Grant;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile proofs of possession: keys that must not verify, keys that are not the bound one,
 * signatures that must never be checked, and targets that must not match. Each is denied with the
 * code that names its defect.
 */
class HostileProofCorpusTest {
  private static final String URI = "https://orders.example.com/orders/42";

  private static RSAKey rsa2048;
  private static RSAKey rsa2047;
  private static RSAKey rsa1024;

  private final Fixture f = new Fixture();
  private final Grant grant = f.grant("read:orders/*");
  private final ECKey workload = Fixture.ecKey("workload");
  private final String token = f.issuer.issue(grant.id(), Fixture.AUDIENCE, workload.toPublicJWK());
  private final JwtVerifier rsaVerifier = JwtVerifier.builder().keyRing(f.ring)
      .issuer(Fixture.ISSUER).audience(Fixture.AUDIENCE).clock(f.clock).liveCheck(f.jit)
      .proofAlgorithms(List.of(JWSAlgorithm.ES256, JWSAlgorithm.RS256)).build();
  private final AtomicLong jtis = new AtomicLong();

  @BeforeAll
  static void rsaKeys() throws JOSEException {
    rsa2048 = new RSAKeyGenerator(2048).generate();
    rsa2047 = new RSAKeyGenerator(2047, true).generate();
    rsa1024 = new RSAKeyGenerator(1024, true).generate();
    assertEquals(2047, Algorithms.rsaBits(rsa2047));
    assertEquals(2048, rsa2047.size(), "Nimbus counts whole bytes");
  }

  @AfterEach
  void close() {
    f.close();
  }

  // The bound key is compared before the signature is verified.

  @Test
  void aProofByAnotherKeyIsAKeyMismatchEvenWithAGarbageSignatureWhichIsNeverVerified() {
    ECKey thief = Fixture.ecKey("thief");
    DpopProof forged = DpopProof.sign(thief, "GET", URI, token, f.clock);
    assertDenied(JwtDenialCode.PROOF_KEY_MISMATCH, new DpopProof(garbleSignature(forged.jwt()),
        "GET", URI));
  }

  @Test
  void aProofByTheBoundKeyWithAGarbageSignatureIsInvalid() {
    DpopProof honest = DpopProof.sign(workload, "GET", URI, token, f.clock);
    assertDenied(JwtDenialCode.PROOF_INVALID, new DpopProof(garbleSignature(honest.jwt()),
        "GET", URI));
  }

  @Test
  void anRsaProofKeyWithAHugeExponentThatIsNotTheBoundKeyIsAKeyMismatch() {
    // A 3071-bit public exponent (under a 3072-bit modulus) makes an RSA verification several
    // times dearer than an honest key's; such a key is turned away by its thumbprint, before any
    // signature is verified.
    BigInteger modulus = BigInteger.ONE.shiftLeft(3071).add(BigInteger.valueOf(2 * 1234567 + 1));
    BigInteger exponent = BigInteger.ONE.shiftLeft(3070).add(BigInteger.ONE);
    RSAKey expensive = new RSAKey.Builder(Base64URL.encode(modulus), Base64URL.encode(exponent))
        .build();
    assertEquals(3072, Algorithms.rsaBits(expensive));
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).type(DpopProof.TYPE)
        .jwk(expensive).build();
    String jwt = header.toBase64URL() + "." + new Payload(claims(URI).build().toJSONObject())
        .toBase64URL() + "." + Base64URL.encode(new byte[384]);
    Fixture.assertDenied(JwtDenialCode.PROOF_KEY_MISMATCH, rsaVerifier, token, "read",
        "orders/42", new DpopProof(jwt, "GET", URI));
  }

  // A proof key meets the rules of a trusted key.

  @Test
  void anRs256ProofFromA2048BitKeyIsAllowed() {
    String bound = f.issuer.issue(grant.id(), Fixture.AUDIENCE, rsa2048.toPublicJWK());
    assertAllowed(rsaVerifier.verify(bound, "read", "orders/42",
        rsaProof(rsa2048, bound, anySizeSigner(rsa2048))));
  }

  @Test
  void anRs256ProofFromA1024BitKeyIsInvalidThoughTheTokenIsBoundToIt() {
    String bound = boundTo(rsa1024);
    Decision d = Fixture.assertDenied(JwtDenialCode.PROOF_INVALID, rsaVerifier, bound, "read",
        "orders/42", rsaProof(rsa1024, bound, anySizeSigner(rsa1024)));
    assertTrue(d.detail().contains("2048 bits, had 1024"), d::toString);
  }

  @Test
  void anRs256ProofFromA2047BitKeyIsInvalidThoughNimbusCallsIt2048Bits() {
    String bound = boundTo(rsa2047);
    Decision d = Fixture.assertDenied(JwtDenialCode.PROOF_INVALID, rsaVerifier, bound, "read",
        "orders/42", rsaProof(rsa2047, bound, anySizeSigner(rsa2047)));
    assertTrue(d.detail().contains("2048 bits, had 2047"), d::toString);
  }

  @Test
  void aProofKeyForEncryptionIsInvalid() {
    ECKey encryption = new ECKey.Builder(Fixture.ecKey("enc")).keyUse(KeyUse.ENCRYPTION).build();
    String bound = boundTo(encryption);
    Fixture.assertDenied(JwtDenialCode.PROOF_INVALID, f.verifier, bound, "read", "orders/42",
        DpopProof.sign(encryption, "GET", URI, bound, f.clock));
  }

  @Test
  void aProofKeyWhoseKeyOpsAllowNoSignatureIsInvalid() {
    ECKey wrapOnly = new ECKey.Builder(Fixture.ecKey("wrap"))
        .keyOperations(Set.of(KeyOperation.WRAP_KEY)).build();
    String bound = boundTo(wrapOnly);
    Fixture.assertDenied(JwtDenialCode.PROOF_INVALID, f.verifier, bound, "read", "orders/42",
        DpopProof.sign(wrapOnly, "GET", URI, bound, f.clock));
  }

  @Test
  void aProofCarryingItsPrivateKeyIsRefusedByTheProofVerifier() throws JOSEException {
    String headerJson = "{\"alg\":\"ES256\",\"typ\":\"dpop+jwt\",\"jwk\":"
        + workload.toJSONString() + "}";
    assertTrue(workload.toJSONString().contains("\"d\""));
    String jwt = signRaw(headerJson, claims(URI), workload);
    Denial d = assertThrows(Denial.class, () -> proofVerifier().verify(
        new DpopProof(jwt, "GET", URI), token, workload.computeThumbprint().toString()));
    assertEquals(JwtDenialCode.PROOF_INVALID, d.code());
    assertFalse(d.detail().contains(workload.getD().toString()), d.detail());
    assertDenied(JwtDenialCode.PROOF_INVALID, new DpopProof(jwt, "GET", URI));
  }

  @Test
  void theProofKeyCheckItselfRefusesAPrivateKey() {
    // Nimbus's parser refuses a private jwk header today; the check does not rely on it.
    Denial d = assertThrows(Denial.class, () -> ProofVerifier.thumbprint(workload));
    assertEquals(JwtDenialCode.PROOF_INVALID, d.code());
    assertEquals("proof jwk header must be a public key", d.detail());
  }

  // claims

  @Test
  void aProofWithoutIatIsInvalid() {
    assertDenied(JwtDenialCode.PROOF_INVALID, signed(claims(URI).issueTime(null)));
  }

  @Test
  void aProofWhoseClaimsAreNotStringsIsInvalid() {
    assertDenied(JwtDenialCode.PROOF_INVALID, signed(claims(URI).claim("htm", 42)));
    assertDenied(JwtDenialCode.PROOF_INVALID, signed(claims(URI).claim("htu", List.of(URI))));
    assertDenied(JwtDenialCode.PROOF_INVALID, signed(claims(URI).claim("ath", true)));
  }

  @Test
  void aProofThatCarriesAnExpPastByMoreThanTheClockSkewIsInvalid() {
    Date tenSecondsAgo = new Date((f.clock.instant().getEpochSecond() - 10) * 1000);
    assertDenied(JwtDenialCode.PROOF_INVALID, signed(claims(URI).expirationTime(tenSecondsAgo)));
  }

  // jti

  @Test
  void aJtiOf256CharactersIsAllowed() {
    assertAllowed(f.verifier.verify(token, "read", "orders/42",
        signed(claims(URI).jwtID("j".repeat(ProofVerifier.MAX_JTI_LENGTH)))));
  }

  @Test
  void aJtiOf257CharactersIsInvalid() {
    assertDenied(JwtDenialCode.PROOF_INVALID,
        signed(claims(URI).jwtID("j".repeat(ProofVerifier.MAX_JTI_LENGTH + 1))));
  }

  @Test
  void anEmptyJtiIsInvalid() {
    assertDenied(JwtDenialCode.PROOF_INVALID, signed(claims(URI).jwtID("")));
  }

  // htu

  @ParameterizedTest
  @ValueSource(strings = {
      "https://orders example.com/orders/42", // malformed
      "https://[::1/orders/42", // malformed
      "/orders/42", // relative
      "orders.example.com/orders/42", // relative
      "https://u@orders.example.com/orders/42", // userinfo
      "https://u:p@orders.example.com/orders/42",
      "ftp://orders.example.com/orders/42", // neither http nor https
      "file:///orders/42",
      "mailto:orders@example.com",
      "https:/orders/42", // no host
      "https:///orders/42",
      "https://orders%2eexample.com/orders/42", // a registry name that is no host
      "https://orders_eu.example.com:99999/orders/42", // a port past 65535
      "https://orders_eu.example.com:4x3/orders/42",
      "https://u@orders_eu.example.com/orders/42",
  })
  void anHtuThatIsNoAbsoluteHttpUriWithAHostIsATargetMismatch(String htu) {
    Decision d = assertDenied(JwtDenialCode.PROOF_TARGET_MISMATCH, signed(claims(htu)));
    assertEquals("proof htu must be " + ProofVerifier.USABLE_URI, d.detail());
  }

  @ParameterizedTest
  @CsvSource({
      "https://orders.example.com:443/orders/42, https://orders.example.com/orders/42",
      "https://orders.example.com/orders/42, https://orders.example.com:443/orders/42",
      "http://h:80/, http://h/",
      "http://h:80/, http://h",
      "http://h, http://h:80/",
      "HTTPS://Orders.Example.COM/orders/42, https://orders.example.com/orders/42?page=2#top",
      "https://orders_eu.example.com/orders/42, https://orders_eu.example.com/orders/42",
      "https://Orders_EU.example.com:443/orders/42, https://orders_eu.example.com/orders/42",
      "https://orders_eu.example.com:8443/x, https://orders_eu.example.com:8443/x?q",
      "https://orders_eu.example.com:/x, https://orders_eu.example.com/x",
      "http://orders_eu.example.com:80/x, http://orders_eu.example.com/x",
      "https://[2001:db8::1]:443/x, https://[2001:db8::1]/x",
  })
  void anHtuThatNormalizesToTheRequestUriIsAllowed(String htu, String requestUri) {
    assertAllowed(f.verifier.verify(token, "read", "orders/42",
        signed(claims(htu), requestUri)));
  }

  @ParameterizedTest
  @CsvSource({
      "https://orders.example.com:80/orders/42, https://orders.example.com/orders/42, "
          + "https://orders.example.com:80/orders/42",
      "http://orders.example.com/orders/42, https://orders.example.com/orders/42, "
          + "http://orders.example.com/orders/42",
      "https://orders.example.com:8443/orders/42, https://orders.example.com/orders/42, "
          + "https://orders.example.com:8443/orders/42",
      "https://orders_us.example.com/orders/42, https://orders_eu.example.com/orders/42, "
          + "https://orders_us.example.com/orders/42",
      "https://orders.example.com/orders/42, https://orders_eu.example.com/orders/42, "
          + "https://orders.example.com/orders/42",
      "https://orders_eu.example.com:8443/x, https://orders_eu.example.com/x, "
          + "https://orders_eu.example.com:8443/x",
  })
  void anHtuForAnotherTargetIsAMismatchNamingBothTargets(String htu, String requestUri,
      String normalizedHtu) {
    Decision d = assertDenied(JwtDenialCode.PROOF_TARGET_MISMATCH, signed(claims(htu),
        requestUri));
    assertEquals("proof htu must be the request URI " + ProofVerifier.normalizeUri(requestUri)
        + ", was " + normalizedHtu, d.detail());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "/orders/42",
      "ftp://orders.example.com/orders/42",
      "https://u@orders.example.com/orders/42",
      "https://orders example.com/orders/42",
      "https:/orders/42",
  })
  void aRequestUriThatIsNoAbsoluteHttpUriWithAHostIsAMalformedRequest(String requestUri) {
    // Were it compared, "https:/orders/42" would match any host's proof for that path.
    Decision d = assertDenied(DenyReason.MALFORMED_REQUEST, signed(claims(requestUri), requestUri));
    assertEquals("the request URI must be " + ProofVerifier.USABLE_URI, d.detail());
  }

  @ParameterizedTest
  @CsvSource(nullValues = "null", value = {
      "https://orders.example.com/orders/42, https://orders.example.com/orders/42",
      "HTTPS://ORDERS.example.com:443, https://orders.example.com/",
      "https://orders.example.com:0443/x, https://orders.example.com/x",
      "http://h:443/x, http://h:443/x",
      "https://h:80/x, https://h:80/x",
      "https://h/a%2Fb?x=1#f, https://h/a%2Fb",
      "https://a_b.Example.com/x, https://a_b.example.com/x",
      "https://a_b.example.com:443/x, https://a_b.example.com/x",
      "https://a_b.example.com:0443/x, https://a_b.example.com/x",
      "https://a_b.example.com:65535/x, https://a_b.example.com:65535/x",
      "https://a_b.example.com:65536/x, null",
      "https://a_b.example.com:123456/x, null",
      "https://a_b.example.com:-1/x, null",
      "https://a_b.example.com:x, null",
      "https://a_b.example.com, https://a_b.example.com/",
      "https://a~b.example.com/x, null",
      "https://a_b.example.com@h/x, null",
      "https://@h/x, null",
      "https://@a_b.example.com/x, null",
      "https://a_b.example.com::443/x, null",
      "https:/x, null",
      "ftp://h/x, null",
      "//h/x, null",
      "https://[::1]:8443/x, https://[::1]:8443/x",
  })
  void normalizedUris(String uri, @Nullable String normalized) {
    assertEquals(normalized, ProofVerifier.normalizeUri(uri));
  }

  @Test
  void twoRegistryNamedHostsNeverNormalizeToTheSameHostlessUri() {
    assertNull(ProofVerifier.normalizeUri("https:/x"));
    assertFalse(ProofVerifier.normalizeUri("https://a_b.example.com/x")
        .equals(ProofVerifier.normalizeUri("https://c_d.example.net/x")));
  }

  private ProofVerifier proofVerifier() {
    return new ProofVerifier(f.clock, Set.of(JWSAlgorithm.ES256), 8192, Duration.ofSeconds(60),
        Duration.ofSeconds(5), 100, 10);
  }

  /** A token for {@link #grant} bound to {@code key}, as an issuer without the key rule mints. */
  private String boundTo(JWK key) {
    try {
      return f.sign(f.header(), f.claimsFor(grant)
          .claim("cnf", Map.of("jkt", key.computeThumbprint().toString())));
    } catch (JOSEException e) {
      throw new AssertionError(e);
    }
  }

  private JWTClaimsSet.Builder claims(String htu) {
    return claims(htu, token);
  }

  private JWTClaimsSet.Builder claims(String htu, String accessToken) {
    return new JWTClaimsSet.Builder()
        .claim("htm", "GET").claim("htu", htu)
        .issueTime(new Date(f.clock.instant().getEpochSecond() * 1000))
        .jwtID("proof-" + jtis.incrementAndGet())
        .claim("ath", DpopProof.accessTokenHash(accessToken));
  }

  private DpopProof signed(JWTClaimsSet.Builder claims) {
    return signed(claims, URI);
  }

  private DpopProof signed(JWTClaimsSet.Builder claims, String requestUri) {
    return new DpopProof(Fixture.sign(new JWSHeader.Builder(JWSAlgorithm.ES256)
        .type(DpopProof.TYPE).jwk(workload.toPublicJWK()), claims, workload), "GET", requestUri);
  }

  private DpopProof rsaProof(RSAKey key, String accessToken, JWSSigner signer) {
    return new DpopProof(Fixture.sign(new JWSHeader.Builder(JWSAlgorithm.RS256)
        .type(DpopProof.TYPE).jwk(key.toPublicJWK()), claims(URI, accessToken), signer),
        "GET", URI);
  }

  /** A signer for an RSA key of any size: Nimbus's refuses keys under 2048 bits by default. */
  private static JWSSigner anySizeSigner(RSAKey key) {
    try {
      return new RSASSASigner(key.toPrivateKey(), Set.of(AllowWeakRSAKey.getInstance()));
    } catch (JOSEException e) {
      throw new AssertionError(e);
    }
  }

  private static String garbleSignature(String jwt) {
    return jwt.substring(0, jwt.lastIndexOf('.') + 1) + Base64URL.encode(new byte[64]);
  }

  private static String signRaw(String headerJson, JWTClaimsSet.Builder claims, ECKey key)
      throws JOSEException {
    String input = Base64URL.encode(headerJson) + "."
        + new Payload(claims.build().toJSONObject()).toBase64URL();
    Base64URL signature = new ECDSASigner(key).sign(new JWSHeader(JWSAlgorithm.ES256),
        input.getBytes(StandardCharsets.US_ASCII));
    return input + "." + signature;
  }

  private Decision assertDenied(DenialCode reason, DpopProof proof) {
    return Fixture.assertDenied(reason, f.verifier, token, "read", "orders/42", proof);
  }
}
