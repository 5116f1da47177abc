package dev.jitaccess.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Date;
import java.util.Objects;

/**
 * A proof of possession presented with a key-bound token, in the shape of RFC 9449 (DPoP): a JWT
 * with {@code typ dpop+jwt}, the workload's public key in its {@code jwk} header, and the claims
 * {@code htm} (HTTP method), {@code htu} (target URI), {@code iat}, a unique {@code jti} and
 * {@code ath} (base64url SHA-256 of the access token), signed with the workload's private key;
 * together with the method and URI of the request it was presented on, as the server saw them.
 *
 * <p>A workload makes one per request with {@link #sign}; a server passes {@code new
 * DpopProof(headerValue, request.method(), request.uri())} to {@link JwtVerifier#verify(String,
 * String, String, DpopProof)}.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param jwt the compact proof JWT (the {@code DPoP} HTTP header)
 * @param method the HTTP method of the request, as the server received it
 * @param uri the absolute URI of the request, as the server received it
 */
public record DpopProof(String jwt, String method, String uri) {
  /** The JOSE type of a proof. */
  static final JOSEObjectType TYPE = new JOSEObjectType("dpop+jwt");

  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * Checks that no field is null.
   *
   * @throws NullPointerException naming the field
   */
  public DpopProof {
    Objects.requireNonNull(jwt, "jwt must not be null");
    Objects.requireNonNull(method, "method must not be null");
    Objects.requireNonNull(uri, "uri must not be null");
  }

  /**
   * Signs a fresh proof for one request, as a workload does before each call: {@code iat} from
   * {@code clock}, a random 128-bit {@code jti}, {@code ath} of {@code accessToken}.
   *
   * @param key the workload's EC key pair (P-256, P-384 or P-521), private part included
   * @throws IllegalArgumentException if the key holds no private part or has another curve
   */
  public static DpopProof sign(
      ECKey key, String method, String uri, String accessToken, Clock clock) {
    Objects.requireNonNull(key, "key must not be null");
    Objects.requireNonNull(method, "method must not be null");
    Objects.requireNonNull(uri, "uri must not be null");
    Objects.requireNonNull(accessToken, "accessToken must not be null");
    Objects.requireNonNull(clock, "clock must not be null");
    if (!key.isPrivate()) {
      throw new IllegalArgumentException("key must hold the private key, to sign");
    }
    JWSAlgorithm alg;
    if (Curve.P_256.equals(key.getCurve())) {
      alg = JWSAlgorithm.ES256;
    } else if (Curve.P_384.equals(key.getCurve())) {
      alg = JWSAlgorithm.ES384;
    } else if (Curve.P_521.equals(key.getCurve())) {
      alg = JWSAlgorithm.ES512;
    } else {
      throw new IllegalArgumentException(
          "key.crv must be P-256, P-384 or P-521, was " + key.getCurve());
    }
    byte[] nonce = new byte[16];
    RANDOM.nextBytes(nonce);
    JWSHeader header = new JWSHeader.Builder(alg).type(TYPE).jwk(key.toPublicJWK()).build();
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .claim(Claims.HTM, method)
        .claim(Claims.HTU, uri)
        .issueTime(new Date(clock.millis() / 1000 * 1000))
        .jwtID(Base64URL.encode(nonce).toString())
        .claim(Claims.ATH, accessTokenHash(accessToken))
        .build();
    SignedJWT jwt = new SignedJWT(header, claims);
    try {
      jwt.sign(new ECDSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalArgumentException("key must be a usable EC signing key: " + e.getMessage(), e);
    }
    return new DpopProof(jwt.serialize(), method, uri);
  }

  /** The {@code ath} of an access token: base64url SHA-256 of its ASCII bytes. */
  static String accessTokenHash(String accessToken) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(accessToken.getBytes(StandardCharsets.US_ASCII));
      return Base64URL.encode(digest).toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 must be available in every JDK", e);
    }
  }

  /** A summary that does not repeat the proof. */
  @Override
  public String toString() {
    return "DpopProof[" + method + " " + uri + "]";
  }
}
