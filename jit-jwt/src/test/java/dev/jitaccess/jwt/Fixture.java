package dev.jitaccess.jwt;

import dev.jitaccess.DenialCode;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.jitaccess.Decision;
import dev.jitaccess.DenyReason;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.Scope;
import dev.jitaccess.Ttl;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.testkit.time.FakeClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.function.UnaryOperator;

/** A runtime, a key ring, an issuer and a live verifier on one fake clock. */
final class Fixture implements AutoCloseable {
  static final String ISSUER = "https://jit.example.com";
  static final String AUDIENCE = "orders-api";
  static final JOSEObjectType JIT_TYPE = new JOSEObjectType("at+jwt");

  final FakeClock clock = new FakeClock();
  final JitAccess jit = JitAccess.builder().clock(clock).scheduler(clock).auditSink(e -> { })
      .build();
  final ECKey signingKey = ecKey("key-1");
  final JwtKeyRing ring = JwtKeyRing.builder().clock(clock).signingKey(signingKey).build();
  final JwtIssuer issuer = JwtIssuer.builder()
      .jit(jit).keyRing(ring).issuer(ISSUER).clock(clock).build();
  final JwtVerifier verifier = JwtVerifier.builder()
      .keyRing(ring).issuer(ISSUER).audience(AUDIENCE).clock(clock).liveCheck(jit).build();

  static ECKey ecKey(String kid) {
    return ecKey(kid, Curve.P_256);
  }

  static ECKey ecKey(String kid, Curve curve) {
    try {
      return new ECKeyGenerator(curve).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  Grant grant(String scope) {
    return grant(scope, b -> b);
  }

  Grant grant(String scope, UnaryOperator<GrantRequest.Builder> more) {
    return jit.request(more.apply(GrantRequest.builder()
        .subject("ci-job-4711").owner("team-orders").task("export-2026-11")
        .purpose("export the November orders")
        .scope(Scope.parse(scope))
        .ttl(Ttl.of(Duration.ofMinutes(10)))).build());
  }

  /** Claims an honest issuer would write for {@code grant}, valid for 60 s from now. */
  JWTClaimsSet.Builder claimsFor(Grant grant) {
    Instant now = clock.instant();
    long iat = now.getEpochSecond();
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER).subject(grant.subject()).audience(AUDIENCE)
        .issueTime(new Date(iat * 1000)).notBeforeTime(new Date(iat * 1000))
        .expirationTime(new Date((iat + 60) * 1000))
        .jwtID("token-" + clock.millis())
        .claim("client_id", grant.subject())
        .claim("scope", grant.scope().toString())
        .claim("grant_ref", grant.reference())
        .claim("task", grant.task())
        .claim("owner", grant.owner());
  }

  JWSHeader.Builder header() {
    return new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(signingKey.getKeyID()).type(JIT_TYPE);
  }

  /** Signs with the ring's own key: only the changed header or claims can make it fail. */
  String sign(JWSHeader.Builder header, JWTClaimsSet.Builder claims) {
    return sign(header, claims, signingKey);
  }

  static String sign(JWSHeader.Builder header, JWTClaimsSet.Builder claims, ECKey key) {
    try {
      return sign(header, claims, new ECDSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sign(JWSHeader.Builder header, JWTClaimsSet.Builder claims, JWSSigner signer) {
    SignedJWT jwt = new SignedJWT(header.build(), claims.build());
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }

  /**
   * A token whose header is exactly {@code headerJson}, signed by {@code key}: for headers that
   * Nimbus's builder would not write, such as an empty {@code crit} list.
   */
  static String signWithRawHeader(String headerJson, JWTClaimsSet.Builder claims, ECKey key) {
    Base64URL header = Base64URL.encode(headerJson);
    String input = header + "." + new Payload(claims.build().toJSONObject()).toBase64URL();
    try {
      Base64URL signature = new ECDSASigner(key).sign(JWSHeader.parse(header),
          input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + signature;
    } catch (JOSEException | java.text.ParseException e) {
      throw new IllegalStateException(e);
    }
  }

  static JWTClaimsSet claimsOf(String token) {
    try {
      return SignedJWT.parse(token).getJWTClaimsSet();
    } catch (java.text.ParseException e) {
      throw new AssertionError(e);
    }
  }

  static JWSHeader headerOf(String token) {
    try {
      return SignedJWT.parse(token).getHeader();
    } catch (java.text.ParseException e) {
      throw new AssertionError(e);
    }
  }

  /** Verifies without throwing and expects a denial for exactly {@code reason}. */
  static Decision assertDenied(DenialCode reason, JwtVerifier verifier, String token,
      String action, String resource, DpopProof proof) {
    Decision decision = assertDoesNotThrow(() -> verifier.verify(token, action, resource, proof));
    assertNotNull(decision);
    assertTrue(decision.isDenied(), () -> "expected a denial for " + reason + ", was " + decision);
    assertEquals(reason, decision.code(), decision::toString);
    assertEquals(reason.reason(), decision.reason(), decision::toString);
    return decision;
  }

  Decision assertDenied(DenialCode reason, String token) {
    return assertDenied(reason, verifier, token, "read", "orders/42", null);
  }

  static void assertAllowed(Decision decision) {
    assertTrue(decision.isAllowed(), () -> "expected allow, was " + decision);
  }

  @Override
  public void close() {
    jit.close();
  }

  /**
   * A token whose payload is exactly {@code payloadJson}, signed by {@code key}: for claims of
   * types Nimbus's builder would not write, such as a numeric {@code sub}.
   */
  static String signWithRawPayload(JWSHeader header, String payloadJson, ECKey key) {
    String input = header.toBase64URL() + "." + Base64URL.encode(payloadJson);
    try {
      Base64URL signature = new ECDSASigner(key).sign(header,
          input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + signature;
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The JSON of {@code claims} with the member {@code name} set to the raw JSON text {@code
   * rawValue} (replacing it if present): {@code "42"}, {@code "null"}, {@code "[1]"}.
   */
  static String claimsJsonWith(JWTClaimsSet.Builder claims, String name, String rawValue) {
    java.util.Map<String, Object> json = new java.util.LinkedHashMap<>(
        claims.build().toJSONObject());
    json.remove(name);
    String rest = com.nimbusds.jose.util.JSONObjectUtils.toJSONString(json);
    return "{\"" + name + "\":" + rawValue + (json.isEmpty() ? "" : ",") + rest.substring(1);
  }
}
