package dev.jitaccess.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.IdentityVerificationException;
import dev.jitaccess.Scope;
import dev.jitaccess.Ttl;
import dev.jitaccess.WorkloadIdentity;
import dev.jitaccess.internal.Validation;
import dev.jitaccess.spi.IdentityVerifier;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Only a workload that proved who it is, to a trusted issuer, gets an identity. */
class JwtIdentityVerifierTest {
  private static final String SPIFFE_ISSUER = "https://spire.example.com";
  private static final String SVID_SUBJECT = "spiffe://example.com/ns/payments/sa/deployer";

  private final FakeClock clock = new FakeClock();
  private final ECKey trustDomainKey = Fixture.ecKey("spire-1");
  private final IdentityVerifier verifier = JwtIdentityVerifier.builder()
      .trustedKeys(new JWKSet(trustDomainKey.toPublicJWK()))
      .issuer(SPIFFE_ISSUER).audience("jit-access").clock(clock).requireSpiffeId().build();

  @Test
  void validJwtSvidYieldsItsSubject() {
    WorkloadIdentity identity = verifier.verify(svid(claims()));
    assertEquals(SVID_SUBJECT, identity.subject());
    assertEquals(SPIFFE_ISSUER, identity.issuer());
    assertEquals(clock.instant().getEpochSecond() + 300, identity.expiresAt().getEpochSecond());
    assertEquals(SVID_SUBJECT, identity.claims().get("sub"));
  }

  @Test
  void svidWithAGenericJwtTypOrNoneIsAccepted() {
    verifier.verify(Fixture.sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("spire-1")
        .type(JOSEObjectType.JWT), claims(), trustDomainKey));
    verifier.verify(Fixture.sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("spire-1"),
        claims(), trustDomainKey));
  }

  @Test
  void requestAsMakesTheVerifiedSubjectTheGrantsSubject() {
    try (var jit = dev.jitaccess.core.JitAccess.builder().clock(clock).scheduler(clock)
        .auditSink(e -> { }).build()) {
      GrantRequest request = verifier.requestAs(svid(claims()), GrantRequest.builder()
          .subject("whatever-the-caller-claims").owner("team-payments").task("deploy-4711")
          .purpose("deploy payments").scope(Scope.parse("write:deployments/payments"))
          .ttl(Ttl.of(Duration.ofMinutes(10))));
      Grant grant = jit.request(request);
      assertEquals(SVID_SUBJECT, grant.subject());
    }
  }

  @Test
  void oidcIdTokenWithRs256IsAccepted() throws JOSEException {
    RSAKey idp = new RSAKeyGenerator(2048).keyID("idp-1").generate();
    IdentityVerifier oidc = JwtIdentityVerifier.builder()
        .trustedKeys(new JWKSet(idp.toPublicJWK())).issuer("https://accounts.example.com")
        .audience("jit-access").clock(clock).build();
    String token = Fixture.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("idp-1"),
        claims().issuer("https://accounts.example.com").subject("batch-runner@example.com"),
        new RSASSASigner(idp));
    assertEquals("batch-runner@example.com", oidc.verify(token).subject());
  }

  @Test
  void aTokenSignedWithAnRsaKeyUnder2048BitsFailsNamingKid() throws JOSEException {
    RSAKey weak = new RSAKeyGenerator(1024, true).keyID("idp-weak").generate();
    IdentityVerifier oidc = JwtIdentityVerifier.builder()
        .trustedKeys(new JWKSet(weak.toPublicJWK())).issuer("https://accounts.example.com")
        .audience("jit-access").clock(clock).build();
    String token = Fixture.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("idp-weak"),
        claims().issuer("https://accounts.example.com").subject("batch-runner@example.com"),
        new RSASSASigner(weak.toPrivateKey(), true));
    assertRule("kid", () -> oidc.verify(token));
  }

  @Test
  void aMaximumTokenLifetimeRefusesLongerTokensAndTokensWithoutIat() {
    IdentityVerifier strict = JwtIdentityVerifier.builder()
        .trustedKeys(new JWKSet(trustDomainKey.toPublicJWK())).issuer(SPIFFE_ISSUER)
        .audience("jit-access").clock(clock).requireSpiffeId()
        .maxTokenLifetime(Duration.ofMinutes(5)).build();
    assertEquals(SVID_SUBJECT, strict.verify(svid(claims())).subject()); // exactly five minutes
    long now = clock.instant().getEpochSecond();
    assertRule("lifetime", () -> strict.verify(svid(claims()
        .expirationTime(new Date((now + 301) * 1000)))));
    assertRule("claims", () -> strict.verify(svid(claims().issueTime(null))));
    assertEquals(SVID_SUBJECT, verifier.verify(svid(claims()
        .expirationTime(new Date((now + 86_400) * 1000)))).subject(), "no maximum by default");
    IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
        () -> JwtIdentityVerifier.builder().maxTokenLifetime(Duration.ZERO));
    assertEquals("maxTokenLifetime must be > 0, was PT0S", zero.getMessage());
  }

  @Test
  void wrongIssuerFailsNamingIss() {
    assertRule("iss", () -> verifier.verify(svid(claims().issuer("https://evil.example.com"))));
  }

  @Test
  void wrongAudienceFailsNamingAud() {
    assertRule("aud", () -> verifier.verify(svid(claims().audience("other-service"))));
  }

  @Test
  void expiredFailsNamingExp() {
    String token = svid(claims());
    clock.advance(Duration.ofMinutes(6));
    assertRule("exp", () -> verifier.verify(token));
  }

  @Test
  void notYetValidFailsNamingNbf() {
    assertRule("nbf", () -> verifier.verify(svid(claims()
        .notBeforeTime(new Date((clock.instant().getEpochSecond() + 60) * 1000)))));
  }

  @Test
  void untrustedKeyFailsNamingKid() {
    ECKey other = Fixture.ecKey("other");
    assertRule("kid", () -> verifier.verify(Fixture.sign(
        new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("other"), claims(), other)));
  }

  @Test
  void forgedSignatureFailsNamingSignature() {
    ECKey other = Fixture.ecKey("spire-1");
    assertRule("signature", () -> verifier.verify(Fixture.sign(
        new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("spire-1"), claims(), other)));
  }

  @Test
  void algNoneFailsNamingAlg() {
    assertRule("alg", () -> verifier.verify(new PlainJWT(claims().build()).serialize()));
  }

  @Test
  void embeddedKeyFailsNamingHeader() {
    ECKey attacker = Fixture.ecKey("spire-1");
    assertRule("header", () -> verifier.verify(Fixture.sign(
        new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("spire-1").jwk(attacker.toPublicJWK()),
        claims(), attacker)));
  }

  @Test
  void missingSubjectFailsNamingClaims() {
    assertRule("claims", () -> verifier.verify(svid(claims().subject(null))));
  }

  @Test
  void nonSpiffeSubjectFailsNamingSubWhenSpiffeIdsAreRequired() {
    assertRule("sub", () -> verifier.verify(svid(claims().subject("root"))));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "spiffe://",
      "spiffe:///ns/payments/sa/deployer",
      "spiffe://example.com/ns/payments/../admin",
      "spiffe://example.com/ns/./payments",
      "spiffe://example.com/ns//payments",
      "spiffe://example.com/ns/payments/",
      "spiffe://example.com/ns/payments?x=1",
      "spiffe://example.com/ns/payments#frag",
      "spiffe://example.com:8443/ns/payments",
      "spiffe://user@example.com/ns/payments",
      "spiffe://EXAMPLE.com/ns/payments",
      "SPIFFE://example.com/ns/payments",
      "spiffe://example.com/ns/pay ments",
      "spiffe://example.com/ns/pay%2Fments"})
  void aSubjectThatIsNotASpiffeIdFailsNamingSub(String subject) {
    assertRule("sub", () -> verifier.verify(svid(claims().subject(subject))));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "spiffe://example.com",
      "spiffe://example.com/ns/payments/sa/deployer",
      "spiffe://prod.example-1_a.com/A.b-c_d/..x/x..",
      "spiffe://example.com/ns/.hidden"})
  void aSpiffeIdIsAccepted(String subject) {
    assertEquals(subject, verifier.verify(svid(claims().subject(subject))).subject());
  }

  @Test
  void grantAccessTokenIsNotAnIdentity() {
    assertRule("typ", () -> verifier.verify(Fixture.sign(new JWSHeader.Builder(JWSAlgorithm.ES256)
        .keyID("spire-1").type(new JOSEObjectType("jit+jwt")), claims(), trustDomainKey)));
    assertRule("typ", () -> verifier.verify(Fixture.sign(new JWSHeader.Builder(JWSAlgorithm.ES256)
        .keyID("spire-1").type(TokenTypes.STATELESS_TOKEN_TYPE), claims(), trustDomainKey)));
  }

  @Test
  void anEmptyCritHeaderFailsNamingCrit() {
    // RFC 7515 forbids an empty crit list; the docs promise that any crit header is refused.
    assertRule("crit", () -> verifier.verify(Fixture.signWithRawHeader(
        "{\"alg\":\"ES256\",\"kid\":\"spire-1\",\"crit\":[]}", claims(), trustDomainKey)));
  }

  @Test
  void garbageFailsNamingFormat() {
    assertRule("format", () -> verifier.verify("garbage"));
    assertRule("format", () -> verifier.verify(null));
    assertRule("size", () -> verifier.verify("x".repeat(100_000)));
  }

  @Test
  void builderRefusesHmac() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JwtIdentityVerifier.builder().algorithms(List.of(JWSAlgorithm.HS256))
            .trustedKeys(new JWKSet()).issuer("i").audience("a").build());
    assertTrue(e.getMessage().startsWith("algorithms must not hold HS256"), e.getMessage());
  }

  // --- one spelling per token ---

  @Test
  void aPaddedOrSpacedSvidFailsNamingFormat() {
    String valid = svid(claims());
    assertEquals(SVID_SUBJECT, verifier.verify(valid).subject());
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char last = valid.charAt(valid.length() - 1); // 86 characters: carries 2 bits, low 4 zero
    String nonCanonical = valid.substring(0, valid.length() - 1)
        + alphabet.charAt(alphabet.indexOf(last) | 1);
    for (String variant : List.of(valid + "=", " " + valid, valid + "\n",
        valid.replaceFirst("\\.", ".\t"), nonCanonical)) {
      assertRule("format", () -> verifier.verify(variant));
    }
  }

  // --- headers ---

  @Test
  void b64FalseWithoutCritFailsNamingCrit() {
    assertRule("crit", () -> verifier.verify(Fixture.signWithRawHeader(
        "{\"alg\":\"ES256\",\"kid\":\"spire-1\",\"b64\":false}", claims(), trustDomainKey)));
    assertRule("crit", () -> verifier.verify(Fixture.signWithRawHeader(
        "{\"alg\":\"ES256\",\"kid\":\"spire-1\",\"b64\":true}", claims(), trustDomainKey)));
  }

  @Test
  void aNullCritFailsNamingCrit() {
    assertRule("crit", () -> verifier.verify(Fixture.signWithRawHeader(
        "{\"alg\":\"ES256\",\"kid\":\"spire-1\",\"crit\":null}", claims(), trustDomainKey)));
  }

  // --- claim types ---

  @Test
  void aNumericSubFailsNamingClaimsInsteadOfBecomingText() {
    IdentityVerifier oidc = JwtIdentityVerifier.builder()
        .trustedKeys(new JWKSet(trustDomainKey.toPublicJWK())).issuer(SPIFFE_ISSUER)
        .audience("jit-access").clock(clock).build();
    String numeric = Fixture.signWithRawPayload(header(),
        Fixture.claimsJsonWith(claims(), "sub", "4711"), trustDomainKey);
    assertRule("claims", () -> oidc.verify(numeric));
    String text = Fixture.signWithRawPayload(header(),
        Fixture.claimsJsonWith(claims(), "sub", "\"4711\""), trustDomainKey);
    assertEquals("4711", oidc.verify(text).subject());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "exp|\"9999999999\"", "nbf|true", "iat|\"x\"", "iss|[\"https://spire.example.com\"]",
      "aud|42", "jti|42", "sub|[]", "exp|null"})
  void aRegisteredClaimOfTheWrongTypeFailsNamingClaimsOnceSigned(String claim, String rawValue) {
    String payload = Fixture.claimsJsonWith(claims(), claim, rawValue);
    assertRule("claims", () -> verifier.verify(
        Fixture.signWithRawPayload(header(), payload, trustDomainKey)));
    ECKey forger = Fixture.ecKey("spire-1");
    assertRule("signature", () -> verifier.verify(
        Fixture.signWithRawPayload(header(), payload, forger)));
  }

  // --- the key must fit the algorithm ---

  @Test
  void anEs256TokenWhoseKidNamesATrustedP384KeyFailsNamingKid() {
    ECKey p384 = Fixture.ecKey("spire-384", Curve.P_384);
    IdentityVerifier both = JwtIdentityVerifier.builder()
        .trustedKeys(new JWKSet(p384.toPublicJWK())).issuer(SPIFFE_ISSUER)
        .audience("jit-access").algorithms(List.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384))
        .clock(clock).build();
    ECKey attacker = Fixture.ecKey("spire-384");
    assertRule("kid", () -> both.verify(Fixture.sign(new JWSHeader.Builder(JWSAlgorithm.ES256)
        .keyID("spire-384"), claims(), attacker)));
    assertEquals(SVID_SUBJECT, both.verify(Fixture.sign(new JWSHeader.Builder(JWSAlgorithm.ES384)
        .keyID("spire-384"), claims(), p384)).subject());
  }

  // --- trusted keys that verify nothing ---

  @Test
  void aTrustedKeyForEncryptionOnlyFailsNamingKid() throws JOSEException {
    for (ECKey key : List.of(
        new ECKeyGenerator(Curve.P_256).keyID("enc-1").keyUse(KeyUse.ENCRYPTION).generate(),
        new ECKeyGenerator(Curve.P_256).keyID("enc-1")
            .keyOperations(Set.of(KeyOperation.ENCRYPT)).generate(),
        new ECKeyGenerator(Curve.P_256).keyID("enc-1")
            .keyOperations(Set.of(KeyOperation.WRAP_KEY)).generate())) {
      IdentityVerifier encryptionKey = JwtIdentityVerifier.builder()
          .trustedKeys(new JWKSet(key.toPublicJWK())).issuer(SPIFFE_ISSUER)
          .audience("jit-access").clock(clock).build();
      assertRule("kid", () -> encryptionKey.verify(Fixture.sign(
          new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("enc-1"), claims(), key)));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {2041, 2047, 2048})
  void aTrustedRsaKeyVerifiesOnlyFrom2048BitsCountedExactly(int bits) throws JOSEException {
    RSAKey rsa = HostileTokenCorpusTest.rsaKey(bits, "idp-rsa");
    IdentityVerifier oidc = JwtIdentityVerifier.builder()
        .trustedKeys(new JWKSet(rsa.toPublicJWK())).issuer(SPIFFE_ISSUER)
        .audience("jit-access").clock(clock).build();
    String token = Fixture.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("idp-rsa"),
        claims(), new RSASSASigner(rsa.toPrivateKey(), true));
    if (bits < 2048) {
      assertRule("kid", () -> oidc.verify(token));
    } else {
      assertEquals(SVID_SUBJECT, oidc.verify(token).subject());
    }
  }

  // --- messages ---

  @Test
  void aSubjectsLineSeparatorsAndBidiControlsNeverReachTheMessage() {
    IdentityVerifier oidc = JwtIdentityVerifier.builder()
        .trustedKeys(new JWKSet(trustDomainKey.toPublicJWK())).issuer(SPIFFE_ISSUER)
        .audience("jit-access").clock(clock).build();
    String subject = "spiffe://example.com/ns\u2028level=INFO msg=granted\u202e\u2029\u0085";
    for (IdentityVerifier each : List.of(verifier, oidc)) {
      IdentityVerificationException e = assertThrows(IdentityVerificationException.class,
          () -> each.verify(svid(claims().subject(subject))));
      assertEquals("sub", e.rule(), e.getMessage());
      assertTrue(e.getMessage().codePoints().allMatch(c -> c >= 0x20 && c < 0x7F),
          e.getMessage());
    }
  }

  // --- time boundaries, by the millisecond (skew 5 s) ---

  @Test
  void expNbfAndIatBoundariesAreExactToTheMillisecond() {
    long now = clock.instant().getEpochSecond();
    Date nbf = new Date((now + 60) * 1000);
    String notYet = svid(claims().notBeforeTime(nbf).issueTime(new Date(now * 1000))
        .expirationTime(new Date((now + 600) * 1000)));
    clock.setTo(nbf.toInstant().minusSeconds(5)); // nbf = now + skew
    assertRule("nbf", () -> verifier.verify(notYet));
    clock.advance(Duration.ofMillis(1));
    assertEquals(SVID_SUBJECT, verifier.verify(notYet).subject());

    long later = clock.instant().getEpochSecond() + 60;
    String issuedAhead = svid(claims().issueTime(new Date(later * 1000))
        .expirationTime(new Date((later + 60) * 1000)));
    clock.setTo(java.time.Instant.ofEpochSecond(later).minusSeconds(5).minusMillis(1));
    assertRule("nbf", () -> verifier.verify(issuedAhead)); // iat = now + skew + 1 ms
    clock.advance(Duration.ofMillis(1)); // iat = now + skew
    assertEquals(SVID_SUBJECT, verifier.verify(issuedAhead).subject());

    java.time.Instant exp = java.time.Instant.ofEpochSecond(later + 60);
    clock.setTo(exp.plusSeconds(5).minusMillis(1));
    assertEquals(SVID_SUBJECT, verifier.verify(issuedAhead).subject());
    clock.advance(Duration.ofMillis(1)); // exp = now - skew
    assertRule("exp", () -> verifier.verify(issuedAhead));
  }

  @Test
  void anEmptyCredentialFailsNamingFormatAndSaysItIsEmpty() {
    IdentityVerificationException e = assertThrows(IdentityVerificationException.class,
        () -> verifier.verify(""));
    assertEquals("format", e.rule());
    assertEquals("identity token rejected: token must not be empty", e.getMessage());
  }

  @Test
  void aSubjectOfTheLongestTextLengthIsAcceptedAndOneLongerFailsNamingSub() {
    IdentityVerifier oidc = JwtIdentityVerifier.builder()
        .trustedKeys(new JWKSet(trustDomainKey.toPublicJWK())).issuer(SPIFFE_ISSUER)
        .audience("jit-access").clock(clock).build();
    String longest = "w".repeat(Validation.MAX_TEXT_LENGTH);
    assertEquals(longest, oidc.verify(svid(claims().subject(longest))).subject());
    IdentityVerificationException e = assertThrows(IdentityVerificationException.class,
        () -> oidc.verify(svid(claims().subject(longest + "w"))));
    assertEquals("sub", e.rule());
    assertEquals("identity token sub must be 1 to " + Validation.MAX_TEXT_LENGTH + " characters",
        e.getMessage());
  }

  @Test
  void theClockSkewSetIsTheToleranceForExp() {
    // Two minutes late: beyond the default skew, and beyond Nimbus's own default of a minute.
    String token = svid(claims());
    clock.advance(Duration.ofSeconds(300 + 120));
    assertRule("exp", () -> verifier.verify(token));
    IdentityVerifier tolerant = JwtIdentityVerifier.builder()
        .trustedKeys(new JWKSet(trustDomainKey.toPublicJWK())).issuer(SPIFFE_ISSUER)
        .audience("jit-access").clock(clock).maxClockSkew(Duration.ofMinutes(5)).build();
    assertEquals(SVID_SUBJECT, tolerant.verify(token).subject());
  }

  private JWTClaimsSet.Builder claims() {
    long now = clock.instant().getEpochSecond();
    return new JWTClaimsSet.Builder().issuer(SPIFFE_ISSUER).subject(SVID_SUBJECT)
        .audience("jit-access").issueTime(new Date(now * 1000))
        .expirationTime(new Date((now + 300) * 1000));
  }

  private static JWSHeader header() {
    return new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("spire-1")
        .type(new JOSEObjectType("JOSE")).build();
  }

  private String svid(JWTClaimsSet.Builder claims) {
    return Fixture.sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("spire-1")
        .type(new JOSEObjectType("JOSE")), claims, trustDomainKey);
  }

  private static void assertRule(String rule, Executable call) {
    IdentityVerificationException e = assertThrows(IdentityVerificationException.class, call);
    assertEquals(rule, e.rule(), e.getMessage());
  }
}
