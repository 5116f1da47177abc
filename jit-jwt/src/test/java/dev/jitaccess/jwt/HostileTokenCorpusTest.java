package dev.jitaccess.jwt;

import dev.jitaccess.DenialCode;

import static dev.jitaccess.jwt.Fixture.assertAllowed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import dev.jitaccess.DenyReason;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantReference;
import dev.jitaccess.RevocationReason;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tokens an attacker (or a confused client) might present. Each must be denied with its own
 * reason, without the verifier throwing.
 */
class HostileTokenCorpusTest {
  private final Fixture f = new Fixture();
  private final Grant grant = f.grant("read:orders/*");

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void theHonestTokenIsAllowedSoEveryDenialBelowIsCausedByItsOneChange() {
    assertAllowed(f.verifier.verify(f.sign(f.header(), f.claimsFor(grant)), "read", "orders/42"));
    assertAllowed(f.verifier.verify(f.issuer.issue(grant.id(), Fixture.AUDIENCE), "read",
        "orders/42"));
  }

  // --- algorithm and signature ---

  @Test
  void algNoneIsDenied() {
    String token = new PlainJWT(f.claimsFor(grant).build()).serialize();
    f.assertDenied(JwtDenialCode.UNTRUSTED_ALGORITHM, token);
  }

  @Test
  void hs256SignedWithThePublicKeyBytesIsDenied() throws JOSEException {
    byte[] publicKeyBytes = f.signingKey.toECPublicKey().getEncoded();
    String token = Fixture.sign(new JWSHeader.Builder(JWSAlgorithm.HS256)
        .keyID(f.signingKey.getKeyID()).type(Fixture.JIT_TYPE), f.claimsFor(grant),
        new MACSigner(publicKeyBytes));
    f.assertDenied(JwtDenialCode.UNTRUSTED_ALGORITHM, token);
  }

  @Test
  void hs256SignedWithThePublicJwkJsonIsDenied() throws JOSEException {
    byte[] jwkBytes = f.signingKey.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
    String token = Fixture.sign(new JWSHeader.Builder(JWSAlgorithm.HS256)
        .keyID(f.signingKey.getKeyID()).type(Fixture.JIT_TYPE), f.claimsFor(grant),
        new MACSigner(jwkBytes));
    f.assertDenied(JwtDenialCode.UNTRUSTED_ALGORITHM, token);
  }

  @Test
  void hs256WithThePublicKeyBytesIsDeniedEvenByAVerifierThatAllowsHmac() throws JOSEException {
    JwtVerifier hmacToo = JwtVerifier.builder().keyRing(f.ring).issuer(Fixture.ISSUER)
        .audience(Fixture.AUDIENCE).clock(f.clock).liveCheck(f.jit)
        .algorithms(List.of(JWSAlgorithm.ES256, JWSAlgorithm.HS256)).allowHmac().build();
    byte[] publicKeyBytes = f.signingKey.toECPublicKey().getEncoded();
    String token = Fixture.sign(new JWSHeader.Builder(JWSAlgorithm.HS256)
        .keyID(f.signingKey.getKeyID()).type(Fixture.JIT_TYPE), f.claimsFor(grant),
        new MACSigner(publicKeyBytes));
    // The EC key is never used as an HMAC secret: no octet key has this kid.
    Fixture.assertDenied(JwtDenialCode.UNKNOWN_KEY, hmacToo, token, "read", "orders/42", null);
  }

  @Test
  void es256WithRAndSZeroIsDenied() {
    String token = withSignature(honest(), new byte[64]);
    f.assertDenied(JwtDenialCode.BAD_SIGNATURE, token);
  }

  @Test
  void es256SignatureOfTheWrongLengthIsDenied() {
    String valid = honest();
    byte[] signature = Base64URL.from(valid.substring(valid.lastIndexOf('.') + 1)).decode();
    byte[] longer = java.util.Arrays.copyOf(signature, 72);
    f.assertDenied(JwtDenialCode.BAD_SIGNATURE, withSignature(valid, longer));
    byte[] shorter = java.util.Arrays.copyOf(signature, 63);
    f.assertDenied(JwtDenialCode.BAD_SIGNATURE, withSignature(valid, shorter));
  }

  @Test
  void es256SignatureInDerFormIsDenied() throws JOSEException {
    String valid = honest();
    byte[] signature = Base64URL.from(valid.substring(valid.lastIndexOf('.') + 1)).decode();
    byte[] der = com.nimbusds.jose.crypto.impl.ECDSA.transcodeSignatureToDER(signature);
    f.assertDenied(JwtDenialCode.BAD_SIGNATURE, withSignature(valid, der));
  }

  @Test
  void rs256OutsideTheAllowListIsDenied() throws JOSEException {
    RSAKey rsa = new RSAKeyGenerator(2048).keyID(f.signingKey.getKeyID()).generate();
    String token = Fixture.sign(new JWSHeader.Builder(JWSAlgorithm.RS256)
        .keyID(rsa.getKeyID()).type(Fixture.JIT_TYPE), f.claimsFor(grant), new RSASSASigner(rsa));
    f.assertDenied(JwtDenialCode.UNTRUSTED_ALGORITHM, token);
  }

  @Test
  void aTrustedRsaKeyUnder2048BitsVerifiesNothing() throws JOSEException {
    RSAKey weak = new RSAKeyGenerator(1024, true).keyID("weak-1").generate();
    RSAKey strong = new RSAKeyGenerator(2048).keyID("strong-1").generate();
    JwtVerifier verifier = JwtVerifier.builder()
        .trustedKeys(new com.nimbusds.jose.jwk.JWKSet(List.of(weak.toPublicJWK(),
            strong.toPublicJWK())))
        .issuer(Fixture.ISSUER).audience(Fixture.AUDIENCE).algorithms(List.of(JWSAlgorithm.RS256))
        .clock(f.clock).liveCheck(f.jit).build();
    String byWeak = Fixture.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("weak-1")
        .type(Fixture.JIT_TYPE), f.claimsFor(grant), new RSASSASigner(weak.toPrivateKey(), true));
    Fixture.assertDenied(JwtDenialCode.UNKNOWN_KEY, verifier, byWeak, "read", "orders/42", null);
    String byStrong = Fixture.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("strong-1")
        .type(Fixture.JIT_TYPE), f.claimsFor(grant), new RSASSASigner(strong));
    assertAllowed(verifier.verify(byStrong, "read", "orders/42"));
  }

  @Test
  void es384OutsideTheAllowListIsDenied() {
    ECKey p384 = Fixture.ecKey("key-1", Curve.P_384);
    String token = Fixture.sign(new JWSHeader.Builder(JWSAlgorithm.ES384)
        .keyID("key-1").type(Fixture.JIT_TYPE), f.claimsFor(grant), p384);
    f.assertDenied(JwtDenialCode.UNTRUSTED_ALGORITHM, token);
  }

  @Test
  void unknownKidIsDenied() {
    ECKey other = Fixture.ecKey("key-unknown");
    String token = Fixture.sign(new JWSHeader.Builder(JWSAlgorithm.ES256)
        .keyID("key-unknown").type(Fixture.JIT_TYPE), f.claimsFor(grant), other);
    f.assertDenied(JwtDenialCode.UNKNOWN_KEY, token);
  }

  @Test
  void missingKidIsDenied() {
    String token = f.sign(new JWSHeader.Builder(JWSAlgorithm.ES256).type(Fixture.JIT_TYPE),
        f.claimsFor(grant));
    f.assertDenied(JwtDenialCode.UNKNOWN_KEY, token);
  }

  @Test
  void anotherKeyClaimingATrustedKidIsDenied() {
    ECKey attacker = Fixture.ecKey(f.signingKey.getKeyID());
    String token = Fixture.sign(f.header(), f.claimsFor(grant), attacker);
    f.assertDenied(JwtDenialCode.BAD_SIGNATURE, token);
  }

  @Test
  void tamperedPayloadIsDenied() {
    String valid = honest();
    String[] parts = valid.split("\\.");
    String widened = Base64URL.from(parts[1]).decodeToString()
        .replace("read:orders/*", "read:orders/**");
    assertTrue(widened.contains("read:orders/**"));
    String token = parts[0] + "." + Base64URL.encode(widened) + "." + parts[2];
    f.assertDenied(JwtDenialCode.BAD_SIGNATURE, token);
  }

  @Test
  void tamperedSignatureIsDenied() {
    String valid = honest();
    byte[] signature = Base64URL.from(valid.substring(valid.lastIndexOf('.') + 1)).decode();
    signature[10] ^= 0x01;
    f.assertDenied(JwtDenialCode.BAD_SIGNATURE, withSignature(valid, signature));
  }

  // --- header ---

  @Test
  void unknownCritHeaderIsDenied() {
    String token = f.sign(f.header().criticalParams(Set.of("x-policy"))
        .customParam("x-policy", "strict"), f.claimsFor(grant));
    f.assertDenied(JwtDenialCode.UNSUPPORTED_CRITICAL_HEADER, token);
  }

  @Test
  void anEmptyCritListIsDenied() {
    // RFC 7515 forbids it, and the docs promise that any crit header is refused.
    String token = Fixture.signWithRawHeader("{\"alg\":\"ES256\",\"kid\":\""
        + f.signingKey.getKeyID() + "\",\"typ\":\"at+jwt\",\"crit\":[]}", f.claimsFor(grant),
        f.signingKey);
    f.assertDenied(JwtDenialCode.UNSUPPORTED_CRITICAL_HEADER, token);
  }

  @Test
  void missingTypIsDenied() {
    String token = f.sign(new JWSHeader.Builder(JWSAlgorithm.ES256)
        .keyID(f.signingKey.getKeyID()), f.claimsFor(grant));
    f.assertDenied(JwtDenialCode.WRONG_TOKEN_TYPE, token);
  }

  @Test
  void genericJwtTypIsDenied() {
    String token = f.sign(f.header().type(JOSEObjectType.JWT), f.claimsFor(grant));
    f.assertDenied(JwtDenialCode.WRONG_TOKEN_TYPE, token);
  }

  @Test
  void aDpopProofTypPresentedAsAnAccessTokenIsDenied() {
    String token = f.sign(f.header().type(new JOSEObjectType("dpop+jwt")), f.claimsFor(grant));
    f.assertDenied(JwtDenialCode.WRONG_TOKEN_TYPE, token);
  }

  @Test
  void embeddedJwkHeaderIsNeverTrusted() {
    ECKey attacker = Fixture.ecKey("attacker");
    String token = Fixture.sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("attacker")
        .type(Fixture.JIT_TYPE).jwk(attacker.toPublicJWK()), f.claimsFor(grant), attacker);
    f.assertDenied(JwtDenialCode.UNTRUSTED_KEY_REFERENCE, token);
  }

  @Test
  void embeddedJwkHeaderIsDeniedEvenWithTheTrustedKeyAndKid() {
    String token = f.sign(f.header().jwk(f.signingKey.toPublicJWK()), f.claimsFor(grant));
    f.assertDenied(JwtDenialCode.UNTRUSTED_KEY_REFERENCE, token);
  }

  @Test
  void jkuHeaderIsDeniedAndNeverFetched() throws IOException {
    try (ServerSocketChannel trap = listeningTrap()) {
      URI jku = URI.create("http://127.0.0.1:" + port(trap) + "/jwks.json");
      String token = f.sign(f.header().jwkURL(jku), f.claimsFor(grant));
      f.assertDenied(JwtDenialCode.UNTRUSTED_KEY_REFERENCE, token);
      assertNull(trap.accept(), "the jku URL must never be contacted");
    }
  }

  @Test
  void x5uHeaderIsDeniedAndNeverFetched() throws IOException {
    try (ServerSocketChannel trap = listeningTrap()) {
      URI x5u = URI.create("http://127.0.0.1:" + port(trap) + "/cert.pem");
      String token = f.sign(f.header().x509CertURL(x5u), f.claimsFor(grant));
      f.assertDenied(JwtDenialCode.UNTRUSTED_KEY_REFERENCE, token);
      assertNull(trap.accept(), "the x5u URL must never be contacted");
    }
  }

  @Test
  void x5cHeaderIsDenied() {
    String token = f.sign(f.header().x509CertChain(List.of(Base64.encode("not a cert"))),
        f.claimsFor(grant));
    f.assertDenied(JwtDenialCode.UNTRUSTED_KEY_REFERENCE, token);
  }

  // --- claims and time ---

  @Test
  void missingExpIsDenied() {
    String token = f.sign(f.header(), f.claimsFor(grant).expirationTime(null));
    f.assertDenied(JwtDenialCode.INVALID_CLAIM, token);
  }

  @Test
  void missingJtiIsDenied() {
    String token = f.sign(f.header(), f.claimsFor(grant).jwtID(null));
    f.assertDenied(JwtDenialCode.INVALID_CLAIM, token);
  }

  @Test
  void missingScopeIsDenied() {
    String token = f.sign(f.header(), f.claimsFor(grant).claim("scope", null));
    f.assertDenied(JwtDenialCode.INVALID_CLAIM, token);
  }

  @Test
  void scopeOfTheWrongTypeIsDenied() {
    String token = f.sign(f.header(), f.claimsFor(grant).claim("scope", List.of("read:orders/*")));
    f.assertDenied(JwtDenialCode.INVALID_CLAIM, token);
  }

  @Test
  void expiredTokenIsDenied() {
    String token = f.issuer.issue(grant.id(), Fixture.AUDIENCE);
    f.clock.advance(Duration.ofMinutes(6));
    f.assertDenied(JwtDenialCode.TOKEN_EXPIRED, token);
  }

  @Test
  void expJustBeyondTheSkewIsDeniedAndJustWithinIsAllowed() {
    String token = f.sign(f.header(), f.claimsFor(grant)); // skew 5 s
    java.time.Instant exp = Fixture.claimsOf(token).getExpirationTime().toInstant();
    f.clock.setTo(exp.plusSeconds(5).minusMillis(1));
    assertAllowed(f.verifier.verify(token, "read", "orders/42"));
    f.clock.advance(Duration.ofMillis(1));
    f.assertDenied(JwtDenialCode.TOKEN_EXPIRED, token);
  }

  @Test
  void nbfInTheFutureIsDenied() {
    long now = f.clock.instant().getEpochSecond();
    String token = f.sign(f.header(), f.claimsFor(grant).notBeforeTime(new Date((now + 30) * 1000)));
    f.assertDenied(JwtDenialCode.TOKEN_NOT_YET_VALID, token);
  }

  @Test
  void iatInTheFutureBeyondTheSkewIsDenied() {
    long now = f.clock.instant().getEpochSecond();
    String token = f.sign(f.header(), f.claimsFor(grant).issueTime(new Date((now + 30) * 1000)));
    f.assertDenied(JwtDenialCode.TOKEN_NOT_YET_VALID, token);
  }

  @Test
  void wrongAudienceIsDenied() {
    String token = f.sign(f.header(), f.claimsFor(grant).audience("payments-api"));
    f.assertDenied(JwtDenialCode.WRONG_AUDIENCE, token);
  }

  @Test
  void anAudienceArrayIsAllowedOnlyIfItHoldsThisService() {
    assertAllowed(f.verifier.verify(f.sign(f.header(), f.claimsFor(grant)
        .audience(List.of("payments-api", Fixture.AUDIENCE))), "read", "orders/42"));
    f.assertDenied(JwtDenialCode.WRONG_AUDIENCE, f.sign(f.header(), f.claimsFor(grant)
        .audience(List.of("payments-api", "billing-api"))));
  }

  @Test
  void tokenIssuedForAnotherAudienceByTheRealIssuerIsDenied() {
    f.assertDenied(JwtDenialCode.WRONG_AUDIENCE, f.issuer.issue(grant.id(), "payments-api"));
  }

  @Test
  void wrongIssuerIsDenied() {
    String token = f.sign(f.header(), f.claimsFor(grant).issuer("https://evil.example.com"));
    f.assertDenied(JwtDenialCode.WRONG_ISSUER, token);
  }

  // --- structure and size ---

  @Test
  void jweIsDenied() throws JOSEException {
    EncryptedJWT jwe = new EncryptedJWT(
        new JWEHeader.Builder(JWEAlgorithm.DIR, EncryptionMethod.A128GCM).type(Fixture.JIT_TYPE)
            .keyID(f.signingKey.getKeyID()).build(),
        f.claimsFor(grant).build());
    jwe.encrypt(new DirectEncrypter(new byte[16]));
    f.assertDenied(JwtDenialCode.UNSUPPORTED_TOKEN, jwe.serialize());
  }

  @Test
  void tokenOverTheSizeCapIsDeniedBeforeParsing() {
    String token = f.sign(f.header(), f.claimsFor(grant).claim("pad", "x".repeat(9000)));
    f.assertDenied(JwtDenialCode.TOKEN_TOO_LARGE, token);
    f.assertDenied(JwtDenialCode.TOKEN_TOO_LARGE, "!".repeat(1 << 20));
  }

  @Test
  void deeplyNestedClaimsAreDenied() {
    String nested = "[".repeat(2500) + "]".repeat(2500);
    String payload = "{\"iss\":\"" + Fixture.ISSUER + "\",\"x\":" + nested + "}";
    String header = Base64URL.encode(f.header().build().toString()).toString();
    String token = header + "." + Base64URL.encode(payload) + "." + Base64URL.encode(new byte[64]);
    assertTrue(token.length() < JwtVerifier.Builder.DEFAULT_MAX_TOKEN_SIZE);
    f.assertDenied(JwtDenialCode.MALFORMED_TOKEN, token);
  }

  @Test
  void deeplyNestedClaimsInAValidlySignedTokenAreDenied() {
    Object nested = "leaf";
    for (int i = 0; i <= Claims.MAX_DEPTH; i++) {
      nested = java.util.Map.of("n", nested);
    }
    String token = f.sign(f.header(), f.claimsFor(grant).claim("x", nested));
    f.assertDenied(JwtDenialCode.INVALID_CLAIM, token);
  }

  @Test
  void invalidBase64UrlIsDenied() {
    f.assertDenied(JwtDenialCode.MALFORMED_TOKEN, "eyJ!bGc*.e30%.sig+/=");
  }

  @Test
  void garbageIsDenied() {
    f.assertDenied(JwtDenialCode.MALFORMED_TOKEN, "not-a-jwt");
    f.assertDenied(JwtDenialCode.MALFORMED_TOKEN, "");
    f.assertDenied(JwtDenialCode.MALFORMED_TOKEN, "a.b.c.d");
    f.assertDenied(JwtDenialCode.MALFORMED_TOKEN,
        Base64URL.encode("[]") + "." + Base64URL.encode("{}") + ".");
  }

  @Test
  void nullTokenIsDenied() {
    f.assertDenied(JwtDenialCode.MALFORMED_TOKEN, null);
  }

  @Test
  void payloadThatIsNotAJsonObjectIsDenied() {
    String header = Base64URL.encode(f.header().build().toString()).toString();
    String token = header + "." + Base64URL.encode("[1,2]") + "." + Base64URL.encode(new byte[64]);
    f.assertDenied(JwtDenialCode.MALFORMED_TOKEN, token);
  }

  // --- one spelling per token (RFC 7515: strict, canonical, unpadded base64url) ---

  @Test
  void paddingOnAnyPartIsDenied() {
    String valid = honest();
    String[] parts = valid.split("\\.");
    for (int i = 0; i < 3; i++) {
      for (String pad : List.of("=", "==", "===")) {
        String[] padded = parts.clone();
        padded[i] = parts[i] + pad;
        f.assertDenied(JwtDenialCode.MALFORMED_TOKEN, String.join(".", padded));
      }
    }
    assertAllowed(f.verifier.verify(valid, "read", "orders/42"));
  }

  @Test
  void whitespaceOrControlCharactersAroundTheTokenAreDenied() {
    String valid = honest();
    for (String around : List.of(" ", "\t", "\n", "\r\n", "\u0000", "\u000b", "\u00a0",
        "\u2028", "\ufeff")) {
      f.assertDenied(JwtDenialCode.MALFORMED_TOKEN, around + valid);
      f.assertDenied(JwtDenialCode.MALFORMED_TOKEN, valid + around);
    }
  }

  @Test
  void whitespaceInsideAnyPartIsDenied() {
    String valid = honest();
    int[] dots = {valid.indexOf('.'), valid.lastIndexOf('.')};
    for (int at : new int[] {5, dots[0] + 5, dots[1] + 5, dots[0], dots[1] + 1}) {
      for (String space : List.of(" ", "\n", "\t")) {
        f.assertDenied(JwtDenialCode.MALFORMED_TOKEN,
            valid.substring(0, at) + space + valid.substring(at));
      }
    }
  }

  @Test
  void theStandardBase64AlphabetIsDenied() {
    String valid = honest();
    while (valid.indexOf('-') < 0 && valid.indexOf('_') < 0) {
      valid = honest(); // ECDSA signatures differ every time: one will hold a - or _
    }
    // Nimbus decodes + as - and / as _: the same bytes, another spelling.
    String standard = valid.replace('-', '+').replace('_', '/');
    assertTrue(java.util.Arrays.equals(Base64URL.from(valid.split("\\.")[2]).decode(),
        Base64URL.from(standard.split("\\.")[2]).decode()));
    f.assertDenied(JwtDenialCode.MALFORMED_TOKEN, standard);
  }

  @Test
  void foreignCharactersInsideTheSignatureAreDenied() {
    String valid = honest();
    int at = valid.lastIndexOf('.') + 20;
    for (String foreign : List.of("!", "%", "*", "~", "\u00e9", "\u200b", "\u202e", "\u0007",
        "\ud83d\ude80", "\uff21")) {
      String token = valid.substring(0, at) + foreign + valid.substring(at);
      f.assertDenied(JwtDenialCode.MALFORMED_TOKEN, token);
    }
  }

  @Test
  void aSignatureWhoseLastCharacterHasNonZeroUnusedBitsIsDeniedThoughItDecodesToTheSameBytes() {
    String valid = honest();
    String signature = valid.substring(valid.lastIndexOf('.') + 1);
    assertEquals(2, signature.length() % 4, "64 bytes are 86 characters: the last carries 2 bits");
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    int last = alphabet.indexOf(signature.charAt(signature.length() - 1));
    assertEquals(0, last & 0x0F);
    for (int low = 1; low < 16; low++) {
      String token = valid.substring(0, valid.length() - 1) + alphabet.charAt(last | low);
      assertTrue(java.util.Arrays.equals(Base64URL.from(signature).decode(),
          Base64URL.from(token.substring(token.lastIndexOf('.') + 1)).decode()));
      f.assertDenied(JwtDenialCode.MALFORMED_TOKEN, token);
    }
    assertAllowed(f.verifier.verify(valid, "read", "orders/42"));
  }

  @Test
  void aPayloadWhoseLastCharacterHasNonZeroUnusedBitsIsDenied() {
    String valid = honest();
    for (int pad = 0; valid.split("\\.")[1].length() % 4 != 3; pad++) {
      valid = f.sign(f.header(), f.claimsFor(grant).claim("pad", "x".repeat(pad)));
    }
    String[] parts = valid.split("\\.");
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    int last = alphabet.indexOf(parts[1].charAt(parts[1].length() - 1));
    assertEquals(0, last & 0x03, "4n + 3 characters: the last carries 4 bits");
    for (int low = 1; low < 4; low++) {
      String payload = parts[1].substring(0, parts[1].length() - 1) + alphabet.charAt(last | low);
      f.assertDenied(JwtDenialCode.MALFORMED_TOKEN, parts[0] + "." + payload + "." + parts[2]);
    }
    assertAllowed(f.verifier.verify(valid, "read", "orders/42"));
  }

  @Test
  void aPartOfALengthNoEncodingHasIsDenied() {
    String valid = honest(); // the signature: 86 characters, 4n + 2
    f.assertDenied(JwtDenialCode.MALFORMED_TOKEN, valid + "AAA");
    String[] parts = valid.split("\\.");
    f.assertDenied(JwtDenialCode.MALFORMED_TOKEN, "A" + valid);
    f.assertDenied(JwtDenialCode.MALFORMED_TOKEN,
        parts[0] + "." + parts[1].substring(0, parts[1].length() - (parts[1].length() % 4 + 3) % 4)
            + "." + parts[2]);
  }

  @Test
  void emptyHeaderPayloadOrSignatureIsDenied() {
    String[] parts = honest().split("\\.");
    f.assertDenied(JwtDenialCode.MALFORMED_TOKEN, "." + parts[1] + "." + parts[2]);
    f.assertDenied(JwtDenialCode.MALFORMED_TOKEN, parts[0] + ".." + parts[2]);
    f.assertDenied(JwtDenialCode.MALFORMED_TOKEN, parts[0] + "." + parts[1] + ".");
    f.assertDenied(JwtDenialCode.MALFORMED_TOKEN, "..");
    f.assertDenied(JwtDenialCode.MALFORMED_TOKEN, ".");
  }

  @Test
  void aJwsHasExactlyThreeParts() {
    String valid = honest();
    String[] parts = valid.split("\\.");
    f.assertDenied(JwtDenialCode.MALFORMED_TOKEN, parts[0] + "." + parts[1]);
    f.assertDenied(JwtDenialCode.MALFORMED_TOKEN, parts[0]);
    f.assertDenied(JwtDenialCode.MALFORMED_TOKEN, valid + "." + parts[2]);
    f.assertDenied(JwtDenialCode.MALFORMED_TOKEN, valid + "." + parts[2] + "." + parts[2] + "."
        + parts[2]);
    f.assertDenied(JwtDenialCode.MALFORMED_TOKEN, valid + ".");
  }

  @Test
  void aJweWithAPaddedPartIsMalformedNotUnsupported() throws JOSEException {
    EncryptedJWT jwe = new EncryptedJWT(
        new JWEHeader.Builder(JWEAlgorithm.DIR, EncryptionMethod.A128GCM).type(Fixture.JIT_TYPE)
            .build(), f.claimsFor(grant).build());
    jwe.encrypt(new DirectEncrypter(new byte[16]));
    f.assertDenied(JwtDenialCode.UNSUPPORTED_TOKEN, jwe.serialize());
    f.assertDenied(JwtDenialCode.MALFORMED_TOKEN, " " + jwe.serialize());
  }

  @Test
  void aProofSpelledAnotherWayIsDenied() {
    ECKey workload = Fixture.ecKey("workload");
    String token = f.issuer.issue(grant.id(), Fixture.AUDIENCE, workload.toPublicJWK());
    String uri = "https://orders.example.com/orders/42";
    DpopProof proof = DpopProof.sign(workload, "GET", uri, token, f.clock);
    for (String variant : List.of(proof.jwt() + "=", " " + proof.jwt(), proof.jwt() + "\n",
        proof.jwt().replace(".", ". "))) {
      Fixture.assertDenied(JwtDenialCode.PROOF_INVALID, f.verifier, token, "read", "orders/42",
          new DpopProof(variant, "GET", uri));
    }
    assertAllowed(f.verifier.verify(token, "read", "orders/42", proof));
  }

  @Test
  void theSpellingDetailNamesThePartAndOffsetNotTheToken() {
    String valid = honest();
    int at = valid.lastIndexOf('.') + 3;
    String detail = f.assertDenied(JwtDenialCode.MALFORMED_TOKEN,
        valid.substring(0, at) + "=" + valid.substring(at)).detail();
    assertEquals("token part 3 must be unpadded base64url ([A-Za-z0-9_-] only), had another "
        + "character at offset " + at, detail);
  }

  // --- header parameters that are never accepted ---

  @Test
  void b64FalseWithoutCritIsDenied() {
    // RFC 7797 requires b64 to be listed in crit; either way no unencoded payload is accepted.
    String token = Fixture.signWithRawHeader("{\"alg\":\"ES256\",\"kid\":\""
        + f.signingKey.getKeyID() + "\",\"typ\":\"jit+jwt\",\"b64\":false}", f.claimsFor(grant),
        f.signingKey);
    f.assertDenied(JwtDenialCode.UNSUPPORTED_CRITICAL_HEADER, token);
  }

  @Test
  void anyB64HeaderIsDenied() {
    for (String b64 : List.of("\"b64\":true", "\"b64\":false,\"crit\":[\"b64\"]",
        "\"b\\u0036\\u0034\":true")) {
      String token = Fixture.signWithRawHeader("{\"alg\":\"ES256\",\"kid\":\""
          + f.signingKey.getKeyID() + "\",\"typ\":\"jit+jwt\"," + b64 + "}", f.claimsFor(grant),
          f.signingKey);
      f.assertDenied(JwtDenialCode.UNSUPPORTED_CRITICAL_HEADER, token);
    }
  }

  @Test
  void aNullCritIsDenied() {
    // Nimbus drops a null crit; the header's own JSON still has it.
    for (String crit : List.of("\"crit\":null", "\"cr\\u0069t\":null")) {
      String token = Fixture.signWithRawHeader("{\"alg\":\"ES256\",\"kid\":\""
          + f.signingKey.getKeyID() + "\",\"typ\":\"jit+jwt\"," + crit + "}", f.claimsFor(grant),
          f.signingKey);
      f.assertDenied(JwtDenialCode.UNSUPPORTED_CRITICAL_HEADER, token);
    }
  }

  @Test
  void aHeaderWithADuplicateMemberIsDenied() throws JOSEException {
    Base64URL header = Base64URL.encode("{\"alg\":\"ES256\",\"kid\":\""
        + f.signingKey.getKeyID() + "\",\"typ\":\"jit+jwt\",\"typ\":\"jit+jwt\"}");
    String input = header + "." + Base64URL.encode(f.claimsFor(grant).build().toString());
    Base64URL signature = new com.nimbusds.jose.crypto.ECDSASigner(f.signingKey)
        .sign(f.header().build(), input.getBytes(StandardCharsets.US_ASCII));
    f.assertDenied(JwtDenialCode.MALFORMED_TOKEN, input + "." + signature);
  }

  // --- registered claims of the wrong JSON type: judged after the signature ---

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"nbf|9223372036854776", "nbf|1e300", "exp|-1",
      "iat|-0.5", "exp|253402300800", "nbf|18446744073709551616"})
  void aNumericDateOutsideTheYearsZeroTo9999IsInvalidRatherThanWrappedAround(String claim,
      String rawValue) {
    String payload = Fixture.claimsJsonWith(f.claimsFor(grant), claim, rawValue);
    String token = Fixture.signWithRawPayload(f.header().build(), payload, f.signingKey);
    String detail = f.assertDenied(JwtDenialCode.INVALID_CLAIM, token).detail();
    assertTrue(detail.startsWith(claim + " claim must be a NumericDate from 0 to"), detail);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "jti|42", "exp|\"9999999999\"", "nbf|true", "iss|[\"https://jit.example.com\"]",
      "aud|42", "aud|[42]", "aud|[\"orders-api\",null]", "aud|{}", "iat|\"x\"", "sub|42",
      "sub|{\"id\":\"ci-job-4711\"}", "sub|null", "exp|null", "nbf|null", "iss|null", "jti|null",
      "iat|[1]"})
  void aCorrectlySignedTokenWithARegisteredClaimOfTheWrongTypeIsInvalidClaim(String claim,
      String rawValue) {
    String payload = Fixture.claimsJsonWith(f.claimsFor(grant), claim, rawValue);
    String token = Fixture.signWithRawPayload(f.header().build(), payload, f.signingKey);
    String detail = f.assertDenied(JwtDenialCode.INVALID_CLAIM, token).detail();
    assertTrue(detail.startsWith(claim + " claim must be"), detail);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "jti|42", "exp|\"9999999999\"", "nbf|true", "iss|[\"https://jit.example.com\"]",
      "aud|42", "iat|\"x\"", "sub|42", "sub|null"})
  void aForgedTokenWithARegisteredClaimOfTheWrongTypeIsABadSignature(String claim,
      String rawValue) {
    String payload = Fixture.claimsJsonWith(f.claimsFor(grant), claim, rawValue);
    ECKey attacker = Fixture.ecKey(f.signingKey.getKeyID());
    f.assertDenied(JwtDenialCode.BAD_SIGNATURE,
        Fixture.signWithRawPayload(f.header().build(), payload, attacker));
    String signed = Fixture.signWithRawPayload(f.header().build(), payload, f.signingKey);
    f.assertDenied(JwtDenialCode.BAD_SIGNATURE, withSignature(signed, new byte[64]));
  }

  @Test
  void aMistypedClaimUnderAnUnknownKidIsAnUnknownKey() {
    String payload = Fixture.claimsJsonWith(f.claimsFor(grant), "exp", "\"never\"");
    ECKey other = Fixture.ecKey("key-unknown");
    f.assertDenied(JwtDenialCode.UNKNOWN_KEY, Fixture.signWithRawPayload(
        new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("key-unknown").type(Fixture.JIT_TYPE)
            .build(), payload, other));
  }

  @Test
  void aNumericSubIsInvalidNotAMismatchWithTheGrantsSubject() {
    Grant numeric = f.grant("read:orders/*", b -> b.subject("4711"));
    String payload = Fixture.claimsJsonWith(f.claimsFor(numeric), "sub", "4711");
    String token = Fixture.signWithRawPayload(f.header().build(), payload, f.signingKey);
    f.assertDenied(JwtDenialCode.INVALID_CLAIM, token);
    String asText = Fixture.signWithRawPayload(f.header().build(),
        Fixture.claimsJsonWith(f.claimsFor(numeric), "sub", "\"4711\""), f.signingKey);
    assertAllowed(f.verifier.verify(asText, "read", "orders/42"));
  }

  @Test
  void aFractionalNumericDateIsANumericDate() {
    long exp = f.clock.instant().getEpochSecond() + 60;
    String payload = Fixture.claimsJsonWith(f.claimsFor(grant), "exp", exp + ".5");
    assertAllowed(f.verifier.verify(
        Fixture.signWithRawPayload(f.header().build(), payload, f.signingKey), "read",
        "orders/42"));
  }

  // --- the key must fit the algorithm ---

  @Test
  void anEs256TokenWhoseKidNamesATrustedP384KeyIsAnUnknownKey() {
    ECKey p384 = Fixture.ecKey("key-384", Curve.P_384);
    JwtVerifier verifier = JwtVerifier.builder()
        .trustedKeys(new JWKSet(List.of(p384.toPublicJWK(), f.signingKey.toPublicJWK())))
        .issuer(Fixture.ISSUER).audience(Fixture.AUDIENCE)
        .algorithms(List.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384)).clock(f.clock)
        .liveCheck(f.jit).build();
    ECKey attacker = Fixture.ecKey("key-384");
    String token = Fixture.sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("key-384")
        .type(Fixture.JIT_TYPE), f.claimsFor(grant), attacker);
    Fixture.assertDenied(JwtDenialCode.UNKNOWN_KEY, verifier, token, "read", "orders/42", null);
    String es384 = Fixture.sign(new JWSHeader.Builder(JWSAlgorithm.ES384).keyID("key-384")
        .type(Fixture.JIT_TYPE), f.claimsFor(grant), p384);
    assertAllowed(verifier.verify(es384, "read", "orders/42"));
    String es256 = Fixture.sign(f.header(), f.claimsFor(grant), f.signingKey);
    assertAllowed(verifier.verify(es256, "read", "orders/42"));
  }

  // --- trusted keys that verify nothing: for encryption, or RSA under 2048 bits exactly ---

  @Test
  void aTrustedKeyForEncryptionOnlyVerifiesNothing() throws JOSEException {
    for (ECKey key : List.of(
        new ECKeyGenerator(Curve.P_256).keyID("enc-1").keyUse(KeyUse.ENCRYPTION).generate(),
        new ECKeyGenerator(Curve.P_256).keyID("enc-1")
            .keyOperations(Set.of(KeyOperation.ENCRYPT)).generate(),
        new ECKeyGenerator(Curve.P_256).keyID("enc-1")
            .keyOperations(Set.of(KeyOperation.WRAP_KEY, KeyOperation.ENCRYPT)).generate())) {
      JwtVerifier verifier = trusting(key);
      String token = Fixture.sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("enc-1")
          .type(Fixture.JIT_TYPE), f.claimsFor(grant), key);
      Fixture.assertDenied(JwtDenialCode.UNKNOWN_KEY, verifier, token, "read", "orders/42", null);
    }
  }

  @Test
  void aTrustedKeyForSignaturesVerifies() throws JOSEException {
    for (ECKey key : List.of(
        new ECKeyGenerator(Curve.P_256).keyID("sig-1").keyUse(KeyUse.SIGNATURE).generate(),
        new ECKeyGenerator(Curve.P_256).keyID("sig-1")
            .keyOperations(Set.of(KeyOperation.VERIFY)).generate(),
        new ECKeyGenerator(Curve.P_256).keyID("sig-1")
            .keyOperations(Set.of(KeyOperation.SIGN)).generate())) {
      String token = Fixture.sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("sig-1")
          .type(Fixture.JIT_TYPE), f.claimsFor(grant), key);
      assertAllowed(trusting(key).verify(token, "read", "orders/42"));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {2041, 2042, 2043, 2044, 2045, 2046, 2047})
  void aTrustedRsaKeyOfFewerThan2048BitsCountedExactlyVerifiesNothing(int bits)
      throws JOSEException {
    RSAKey weak = rsaKey(bits, "rsa-weak");
    assertEquals(bits, weak.getModulus().decodeToBigInteger().bitLength());
    JwtVerifier verifier = JwtVerifier.builder().trustedKeys(new JWKSet(weak.toPublicJWK()))
        .issuer(Fixture.ISSUER).audience(Fixture.AUDIENCE).algorithms(List.of(JWSAlgorithm.RS256))
        .clock(f.clock).liveCheck(f.jit).build();
    String token = Fixture.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-weak")
        .type(Fixture.JIT_TYPE), f.claimsFor(grant), new RSASSASigner(weak.toPrivateKey(), true));
    Fixture.assertDenied(JwtDenialCode.UNKNOWN_KEY, verifier, token, "read", "orders/42", null);
  }

  @Test
  void aTrustedRsaKeyOfExactly2048BitsVerifies() throws JOSEException {
    RSAKey rsa = rsaKey(2048, "rsa-2048");
    JwtVerifier verifier = JwtVerifier.builder().trustedKeys(new JWKSet(rsa.toPublicJWK()))
        .issuer(Fixture.ISSUER).audience(Fixture.AUDIENCE).algorithms(List.of(JWSAlgorithm.RS256))
        .clock(f.clock).liveCheck(f.jit).build();
    String token = Fixture.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-2048")
        .type(Fixture.JIT_TYPE), f.claimsFor(grant), new RSASSASigner(rsa));
    assertAllowed(verifier.verify(token, "read", "orders/42"));
  }

  // --- time boundaries, by the millisecond (skew 5 s) ---

  @Test
  void nbfIsValidFromOneMillisecondAfterNbfMinusTheSkew() {
    long now = f.clock.instant().getEpochSecond();
    Date nbf = new Date((now + 60) * 1000);
    String token = f.sign(f.header(), f.claimsFor(grant).notBeforeTime(nbf)
        .expirationTime(new Date((now + 120) * 1000)));
    f.clock.setTo(nbf.toInstant().minusSeconds(5)); // nbf = now + skew
    f.assertDenied(JwtDenialCode.TOKEN_NOT_YET_VALID, token);
    f.clock.advance(Duration.ofMillis(1)); // nbf = now + skew - 1 ms
    assertAllowed(f.verifier.verify(token, "read", "orders/42"));
  }

  @Test
  void iatIsAcceptedUpToTheSkewInTheFutureInclusive() {
    long now = f.clock.instant().getEpochSecond();
    Date iat = new Date((now + 60) * 1000);
    String token = f.sign(f.header(), f.claimsFor(grant).issueTime(iat).notBeforeTime(null)
        .expirationTime(new Date((now + 120) * 1000)));
    f.clock.setTo(iat.toInstant().minusSeconds(5).minusMillis(1)); // iat = now + skew + 1 ms
    f.assertDenied(JwtDenialCode.TOKEN_NOT_YET_VALID, token);
    f.clock.advance(Duration.ofMillis(1)); // iat = now + skew
    assertAllowed(f.verifier.verify(token, "read", "orders/42"));
  }

  @Test
  void expIsValidUntilOneMillisecondBeforeExpPlusTheSkew() {
    String token = honest();
    java.time.Instant exp = Fixture.claimsOf(token).getExpirationTime().toInstant();
    f.clock.setTo(exp.plusSeconds(5).minusMillis(1)); // exp = now - skew + 1 ms
    assertAllowed(f.verifier.verify(token, "read", "orders/42"));
    f.clock.advance(Duration.ofMillis(1)); // exp = now - skew
    String detail = f.assertDenied(JwtDenialCode.TOKEN_EXPIRED, token).detail();
    assertTrue(detail.startsWith("exp " + exp + " has passed"), detail);
  }

  // --- nesting, through arrays and objects, and the actor chain ---

  @Test
  void arraysNestedExactlyToTheDepthLimitAreAllowedAndOneDeeperIsInvalid() {
    // The claim's value is level 1: MAX_DEPTH arrays, the innermost empty, nest MAX_DEPTH deep.
    assertAllowed(f.verifier.verify(withClaim("x", arrays(Claims.MAX_DEPTH - 1, List.of())),
        "read", "orders/42"));
    f.assertDenied(JwtDenialCode.INVALID_CLAIM, withClaim("x", arrays(Claims.MAX_DEPTH,
        List.of())));
    // A leaf inside counts as a level.
    assertAllowed(f.verifier.verify(withClaim("x", arrays(Claims.MAX_DEPTH - 1, "leaf")),
        "read", "orders/42"));
    f.assertDenied(JwtDenialCode.INVALID_CLAIM, withClaim("x", arrays(Claims.MAX_DEPTH, "leaf")));
  }

  @Test
  void arraysAndObjectsCountAlikeAtTheDepthLimit() {
    Object mixed = "leaf";
    for (int i = 1; i < Claims.MAX_DEPTH; i++) {
      mixed = i % 2 == 0 ? List.of(mixed) : java.util.Map.of("n", mixed);
    }
    assertAllowed(f.verifier.verify(withClaim("x", mixed), "read", "orders/42"));
    f.assertDenied(JwtDenialCode.INVALID_CLAIM, withClaim("x", List.of(mixed)));
    f.assertDenied(JwtDenialCode.INVALID_CLAIM, withClaim("x", java.util.Map.of("n", mixed)));
    f.assertDenied(JwtDenialCode.INVALID_CLAIM,
        withClaim("x", List.of("shallow", List.of(mixed), "shallow")));
  }

  @Test
  void anActChainNestedToTheDepthLimitIsAllowedAndOneDeeperIsInvalid() {
    // {"sub": s, "act": {...}}: a chain of n actors nests n + 1 levels (the innermost sub).
    assertAllowed(f.verifier.verify(withClaim(Claims.ACT, actChain(Claims.MAX_DEPTH - 1)),
        "read", "orders/42"));
    f.assertDenied(JwtDenialCode.INVALID_CLAIM,
        withClaim(Claims.ACT, actChain(Claims.MAX_DEPTH)));
    assertTrue(Claims.MAX_ACT_DEPTH < Claims.MAX_DEPTH - 1, "every chain minted fits");
  }

  // --- the live grant ---

  @Test
  void revokedGrantIsDeniedAlthoughTheTokenIsValid() {
    String token = f.issuer.issue(grant.id(), Fixture.AUDIENCE);
    f.jit.revoke(grant.id(), RevocationReason.ANOMALY);
    f.assertDenied(DenyReason.REVOKED, token);
  }

  @Test
  void delegatedGrantWhoseParentWasRevokedIsDenied() {
    Grant child = f.jit.delegate(grant.id(), dev.jitaccess.Scope.parse("read:orders/42"),
        Duration.ofMinutes(5), "sub-agent-1");
    String token = f.issuer.issue(child.id(), Fixture.AUDIENCE);
    assertAllowed(f.verifier.verify(token, "read", "orders/42"));
    f.jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
    f.assertDenied(DenyReason.REVOKED, token);
  }

  @Test
  void exhaustedGrantIsDeniedAlthoughTheTokenIsValid() {
    Grant once = f.grant("read:orders/*", b -> b.useBudget(1));
    String token = f.issuer.issue(once.id(), Fixture.AUDIENCE);
    assertAllowed(f.verifier.verify(token, "read", "orders/42"));
    f.assertDenied(DenyReason.EXHAUSTED, token);
  }

  @Test
  void outOfScopeIsDenied() {
    String token = f.issuer.issue(grant.id(), Fixture.AUDIENCE);
    Fixture.assertDenied(DenyReason.OUT_OF_SCOPE, f.verifier, token, "write", "orders/42", null);
    Fixture.assertDenied(DenyReason.OUT_OF_SCOPE, f.verifier, token, "read", "orders/42/lines",
        null);
  }

  @Test
  void malformedActionOrResourceIsDenied() {
    String token = f.issuer.issue(grant.id(), Fixture.AUDIENCE);
    Fixture.assertDenied(DenyReason.MALFORMED_REQUEST, f.verifier, token, null, "orders/42", null);
    Fixture.assertDenied(DenyReason.MALFORMED_REQUEST, f.verifier, token, "read", null, null);
    Fixture.assertDenied(DenyReason.MALFORMED_REQUEST, f.verifier, token, null, null, null);
    Fixture.assertDenied(DenyReason.OUT_OF_SCOPE, f.verifier, token, "read", "../orders", null);
  }

  @Test
  void tokenWhoseSubjectDisagreesWithTheLiveGrantIsDenied() {
    String token = f.sign(f.header(), f.claimsFor(grant).subject("someone-else"));
    f.assertDenied(JwtDenialCode.TOKEN_GRANT_MISMATCH, token);
  }

  @Test
  void tokenWhoseScopeIsWiderThanTheLiveGrantIsDenied() {
    String token = f.sign(f.header(), f.claimsFor(grant).claim("scope", "read:orders/**"));
    f.assertDenied(JwtDenialCode.TOKEN_GRANT_MISMATCH, token);
  }

  @Test
  void tokenNamingNoGrantIsDenied() {
    String token = f.sign(f.header(),
        f.claimsFor(grant).claim("grant_ref", GrantReference.of("AAAAAAAAAAAAAAAAAAAAAA")));
    f.assertDenied(DenyReason.UNKNOWN_GRANT, token);
  }

  @Test
  void boundTokenWithoutAProofIsDenied() {
    ECKey workload = Fixture.ecKey("workload");
    String token = f.issuer.issue(grant.id(), Fixture.AUDIENCE, workload.toPublicJWK());
    f.assertDenied(JwtDenialCode.PROOF_MISSING, token);
  }

  @Test
  void unknownConfirmationMethodIsDenied() {
    String token = f.sign(f.header(),
        f.claimsFor(grant).claim("cnf", java.util.Map.of("x5t#S256", "abc")));
    f.assertDenied(JwtDenialCode.INVALID_CLAIM, token);
  }

  @Test
  void aCnfThatIsNotAnObjectOrHoldsNoJktStringIsAnInvalidClaim() {
    for (Object cnf : List.of("abc", List.of("jkt"), java.util.Map.of("jkt", 42),
        java.util.Map.of("jkt", ""))) {
      String token = f.sign(f.header(), f.claimsFor(grant).claim("cnf", cnf));
      f.assertDenied(JwtDenialCode.INVALID_CLAIM, token);
    }
  }

  @Test
  void aDeniedTokenNeverSpendsAUse() {
    Grant once = f.grant("read:orders/*", b -> b.useBudget(1));
    String wrongAudience = f.issuer.issue(once.id(), "payments-api");
    f.assertDenied(JwtDenialCode.WRONG_AUDIENCE, wrongAudience);
    assertEquals(0, f.jit.grant(once.id()).orElseThrow().usesConsumed());
  }

  private String withClaim(String name, Object value) {
    return f.sign(f.header(), f.claimsFor(grant).claim(name, value));
  }

  private static Object arrays(int depth, Object innermost) {
    Object value = innermost;
    for (int i = 0; i < depth; i++) {
      value = List.of(value);
    }
    return value;
  }

  private static Object actChain(int actors) {
    java.util.Map<String, Object> chain = java.util.Map.of("sub", "actor-" + actors);
    for (int i = actors - 1; i > 0; i--) {
      chain = java.util.Map.of("sub", "actor-" + i, "act", chain);
    }
    return chain;
  }

  private JwtVerifier trusting(com.nimbusds.jose.jwk.JWK key) {
    return JwtVerifier.builder().trustedKeys(new JWKSet(key.toPublicJWK()))
        .issuer(Fixture.ISSUER).audience(Fixture.AUDIENCE).clock(f.clock).liveCheck(f.jit)
        .build();
  }

  /** An RSA key whose modulus has exactly {@code bits} bits, which the JDK generates for any size. */
  static RSAKey rsaKey(int bits, String kid) {
    try {
      java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
      generator.initialize(bits);
      java.security.KeyPair pair = generator.generateKeyPair();
      return new RSAKey.Builder((java.security.interfaces.RSAPublicKey) pair.getPublic())
          .privateKey(pair.getPrivate()).keyID(kid).build();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private String honest() {
    return f.sign(f.header(), f.claimsFor(grant));
  }

  private static String withSignature(String token, byte[] signature) {
    return token.substring(0, token.lastIndexOf('.') + 1) + Base64URL.encode(signature);
  }

  private static ServerSocketChannel listeningTrap() throws IOException {
    ServerSocketChannel channel = ServerSocketChannel.open();
    channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    channel.configureBlocking(false);
    return channel;
  }

  private static int port(ServerSocketChannel channel) throws IOException {
    return ((InetSocketAddress) channel.getLocalAddress()).getPort();
  }

  @Test
  void aHeaderCannotPutLineSeparatorsOrBidiControlsIntoTheDetail() {
    // Unsigned: the detail of the denial quotes the attacker's alg.
    String header = Base64URL.encode("{\"alg\":\"ES256\\u2028level=INFO msg=allowed\\u202e"
        + "\\u200b\\u2029\",\"kid\":\"key-1\",\"typ\":\"at+jwt\"}").toString();
    String detail = f.assertDenied(JwtDenialCode.UNTRUSTED_ALGORITHM, header + ".e30.AAAA").detail();
    assertTrue(detail.contains("ES256?level=INFO msg=allowed???"), detail);
    assertTrue(detail.codePoints().allMatch(c -> c >= 0x20 && c < 0x7F), detail);
  }

  @Test
  void aLongDetailIsCutWithoutSplittingACharacter() {
    String rocket = new String(Character.toChars(0x1F680));
    String cut = Denial.clean("x".repeat(Denial.MAX_DETAIL_LENGTH - 1) + rocket + "tail");
    assertEquals("x".repeat(Denial.MAX_DETAIL_LENGTH - 1) + "...", cut);
    String kept = Denial.clean("x".repeat(Denial.MAX_DETAIL_LENGTH - 2) + rocket);
    assertEquals("x".repeat(Denial.MAX_DETAIL_LENGTH - 2) + rocket, kept);
    assertEquals("a?b", Denial.clean("a\uD800b"), "an unpaired surrogate is replaced");
  }
}
