package dev.jitaccess.jwt;

import static dev.jitaccess.jwt.Fixture.assertAllowed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.Base64URL;
import dev.jitaccess.Decision;
import dev.jitaccess.Grant;
import java.net.URI;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A refused token's denial names the check that refused it, in its code and in its detail, and the
 * checks run in the documented order: a token with two faults is denied for the first one.
 */
class TokenDenialDetailTest {
  private final Fixture f = new Fixture();
  private final Grant grant = f.grant("read:orders/*");

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void anEmptyTokenIsSaidToBeEmpty() {
    assertDetail("token must not be empty", JwtDenialCode.MALFORMED_TOKEN, "");
    assertDetail("token must not be empty", JwtDenialCode.MALFORMED_TOKEN, null);
  }

  @Test
  void anEmptyHeaderOrPayloadIsNamed() {
    String[] parts = honest().split("\\.");
    assertDetail("token header must not be empty", JwtDenialCode.MALFORMED_TOKEN,
        "." + parts[1] + "." + parts[2]);
    assertDetail("token payload must not be empty", JwtDenialCode.MALFORMED_TOKEN,
        parts[0] + ".." + parts[2]);
  }

  @Test
  void aTokenOfTwoOrFourPartsIsDeniedCountingItsParts() {
    String[] parts = honest().split("\\.");
    assertDetail("token must be three base64url parts separated by dots (a JWS), had 2",
        JwtDenialCode.MALFORMED_TOKEN, parts[0] + "." + parts[1]);
    assertDetail("token must be three base64url parts separated by dots (a JWS), had 4",
        JwtDenialCode.MALFORMED_TOKEN, honest() + "." + parts[2]);
  }

  @Test
  void theFirstCharacterBeyondAsciiIsOutsideTheAlphabet() {
    String valid = honest();
    for (char c : new char[] {'\u007f', '\u0080', '\u00ff', '\uffff'}) {
      assertDetail("token part 2 must be unpadded base64url ([A-Za-z0-9_-] only), had another "
          + "character at offset " + (valid.indexOf('.') + 1), JwtDenialCode.MALFORMED_TOKEN,
          valid.substring(0, valid.indexOf('.') + 1) + c + valid.substring(valid.indexOf('.') + 1));
    }
  }

  @Test
  void aTokenOfExactlyTheMaximumSizeIsParsedAndOneCharacterMoreIsNot() {
    String token = honest();
    JwtVerifier exact = verifierWithMaxTokenSize(token.length());
    assertAllowed(exact.verify(token, "read", "orders/42"));
    JwtVerifier smaller = verifierWithMaxTokenSize(token.length() - 1);
    Decision d = Fixture.assertDenied(JwtDenialCode.TOKEN_TOO_LARGE, smaller, token, "read",
        "orders/42", null);
    assertEquals("token must be at most " + (token.length() - 1) + " characters, was "
        + token.length(), d.detail());
  }

  @Test
  void anAlgorithmOutsideTheAllowListIsDeniedBeforeTheTypOrAKeyReferenceIsRead()
      throws JOSEException {
    MACSigner hmac = new MACSigner(new byte[32]);
    String wrongTyp = Fixture.sign(new JWSHeader.Builder(JWSAlgorithm.HS256)
        .keyID(f.signingKey.getKeyID()).type(JOSEObjectType.JWT), f.claimsFor(grant), hmac);
    f.assertDenied(JwtDenialCode.UNTRUSTED_ALGORITHM, wrongTyp);
    String withJku = Fixture.sign(new JWSHeader.Builder(JWSAlgorithm.HS256)
        .keyID(f.signingKey.getKeyID()).type(Fixture.JIT_TYPE)
        .jwkURL(URI.create("https://attacker.example.com/jwks")), f.claimsFor(grant), hmac);
    f.assertDenied(JwtDenialCode.UNTRUSTED_ALGORITHM, withJku);
  }

  @Test
  void aCritHeaderIsDeniedNamingItsParameters() {
    String token = f.sign(f.header().criticalParams(Set.of("x-policy"))
        .customParam("x-policy", "strict"), f.claimsFor(grant));
    assertDetail("crit header parameters are not supported, had [x-policy]",
        JwtDenialCode.UNSUPPORTED_CRITICAL_HEADER, token);
  }

  @Test
  void aNullCritOrAB64HeaderIsDeniedNamingTheMember() {
    String nullCrit = Fixture.signWithRawHeader("{\"alg\":\"ES256\",\"kid\":\""
        + f.signingKey.getKeyID() + "\",\"typ\":\"at+jwt\",\"crit\":null}", f.claimsFor(grant),
        f.signingKey);
    assertDetail("crit header is not supported, whatever its value (null too): unencoded "
        + "payloads (RFC 7797) and critical extensions are never accepted",
        JwtDenialCode.UNSUPPORTED_CRITICAL_HEADER, nullCrit);
    String b64 = Fixture.signWithRawHeader("{\"alg\":\"ES256\",\"kid\":\""
        + f.signingKey.getKeyID() + "\",\"typ\":\"at+jwt\",\"b64\":true}", f.claimsFor(grant),
        f.signingKey);
    assertDetail("b64 header is not supported, whatever its value (null too): unencoded "
        + "payloads (RFC 7797) and critical extensions are never accepted",
        JwtDenialCode.UNSUPPORTED_CRITICAL_HEADER, b64);
  }

  @Test
  void headersThatMerelyMentionCritOrB64OrHoldAnEscapeAreAccepted() {
    for (String kid : new String[] {"crit", "b64"}) {
      String token = Fixture.signWithRawHeader("{\"alg\":\"ES256\",\"kid\":\"" + kid
          + "\",\"typ\":\"at+jwt\"}", f.claimsFor(grant), Fixture.ecKey(kid));
      // Signed by a key the verifier does not know: past the header policy, the kid decides.
      f.assertDenied(JwtDenialCode.UNKNOWN_KEY, token);
    }
    String escaped = Fixture.signWithRawHeader("{\"alg\":\"ES256\",\"kid\":\"key\\u002d1\","
        + "\"typ\":\"at+jwt\"}", f.claimsFor(grant), f.signingKey);
    assertAllowed(f.verifier.verify(escaped, "read", "orders/42"));
  }

  @Test
  void aPayloadThatIsNotAJsonObjectIsSaidToBeOne() {
    String header = Base64URL.encode(f.header().build().toString()).toString();
    String token = header + "." + Base64URL.encode("[1,2]") + "." + Base64URL.encode(new byte[64]);
    assertDetail("payload must be a JSON object", JwtDenialCode.MALFORMED_TOKEN, token);
  }

  @Test
  void aMissingTypIsSaidToBeMissing() {
    String token = f.sign(new JWSHeader.Builder(JWSAlgorithm.ES256)
        .keyID(f.signingKey.getKeyID()), f.claimsFor(grant));
    String detail = f.assertDenied(JwtDenialCode.WRONG_TOKEN_TYPE, token).detail();
    assertTrue(detail.startsWith("typ must be one of ") && detail.endsWith(", was missing"),
        detail);
    String generic = f.sign(f.header().type(JOSEObjectType.JWT), f.claimsFor(grant));
    String named = f.assertDenied(JwtDenialCode.WRONG_TOKEN_TYPE, generic).detail();
    assertTrue(named.endsWith(", was JWT"), named);
  }

  @Test
  void aMissingRequiredClaimIsNamed() {
    assertDetail("jti claim must be present", JwtDenialCode.INVALID_CLAIM,
        f.sign(f.header(), f.claimsFor(grant).jwtID(null)));
    assertDetail("grant_ref claim must be present", JwtDenialCode.INVALID_CLAIM,
        f.sign(f.header(), f.claimsFor(grant).claim("grant_ref", null)));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "iss|iss claim must be a string", "sub|sub claim must be a string",
      "jti|jti claim must be a string", "exp|exp claim must be a NumericDate (a JSON number)",
      "nbf|nbf claim must be a NumericDate (a JSON number)",
      "iat|iat claim must be a NumericDate (a JSON number)",
      "aud|aud claim must be a string or an array of strings"})
  void aRegisteredClaimThatIsNullIsOfTheWrongTypeNotMissing(String claim, String detail) {
    String payload = Fixture.claimsJsonWith(f.claimsFor(grant), claim, "null");
    assertDetail(detail, JwtDenialCode.INVALID_CLAIM,
        Fixture.signWithRawPayload(f.header().build(), payload, f.signingKey));
  }

  private void assertDetail(String detail, JwtDenialCode code, String token) {
    assertEquals(detail, f.assertDenied(code, token).detail());
  }

  private JwtVerifier verifierWithMaxTokenSize(int size) {
    return JwtVerifier.builder().keyRing(f.ring).issuer(Fixture.ISSUER).audience(Fixture.AUDIENCE)
        .clock(f.clock).liveCheck(f.jit).maxTokenSize(size).build();
  }

  private String honest() {
    return f.sign(f.header(), f.claimsFor(grant));
  }
}
