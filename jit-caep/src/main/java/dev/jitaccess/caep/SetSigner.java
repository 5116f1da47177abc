package dev.jitaccess.caep;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.util.Objects;
import java.util.Set;

/**
 * The key a {@link CaepTransmitter} signs Security Event Tokens with, and the public half it
 * publishes, so that receivers verify SETs against the transmitter's JWK set.
 *
 * <pre>{@code
 * SetSigner signer = SetSigner.fromKey(new ECKeyGenerator(Curve.P_256).keyID("caep-2026-11")
 *     .generate());
 * SetSigner inKms = SetSigner.of(kmsBackedSigner, kmsPublicJwk);   // the private key stays there
 * }</pre>
 *
 * <p>Asymmetric keys only: EC (P-256, P-384, P-521) and RSA of at least 2048 bits; {@code ES256},
 * {@code ES384}, {@code ES512}, {@code PS256}, {@code PS384}, {@code PS512}, {@code RS256},
 * {@code RS384} or {@code RS512}. An HMAC secret is refused: every receiver holding it could forge
 * SETs for the others. A key is checked when the signer is made: its {@code kid}, {@code use} and
 * {@code key_ops}, its algorithm against its type and curve, and a test signature that its public
 * half must verify.
 *
 * <p>Thread-safe if the Nimbus signer is (Nimbus's EC and RSA signers are).
 */
public final class SetSigner {
  private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(
      JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512,
      JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
      JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512);
  private static final int MIN_RSA_BITS = 2048;
  private static final int MAX_KID_LENGTH = 256;
  private static final JOSEObjectType SET_TYPE = new JOSEObjectType(CaepEvents.SET_TYPE);

  private final JWSSigner signer;
  private final JWSAlgorithm algorithm;
  private final String keyId;
  private final JWK publicKey;

  private SetSigner(JWSSigner signer, JWSAlgorithm algorithm, String keyId, JWK publicKey) {
    this.signer = signer;
    this.algorithm = algorithm;
    this.keyId = keyId;
    this.publicKey = publicKey;
  }

  /**
   * A signer over an EC or RSA private JWK; its public half is published.
   *
   * @throws IllegalArgumentException naming the field and the rule, if the key has no {@code
   *     kid}, holds no private key, is neither EC nor RSA, excludes signing by {@code use} or
   *     {@code key_ops}, has an algorithm that is not allowed or does not fit it, is an RSA key
   *     under 2048 bits, or its public half does not verify what its private half signs
   */
  public static SetSigner fromKey(JWK privateKey) {
    Objects.requireNonNull(privateKey, "privateKey must not be null");
    String kid = checkKey(privateKey, "privateKey");
    if (!privateKey.isPrivate()) {
      throw new IllegalArgumentException("privateKey must hold the private key, to sign");
    }
    JWSAlgorithm alg = algorithmOf(privateKey, "privateKey");
    JWSSigner signer;
    try {
      signer = privateKey instanceof ECKey ? new ECDSASigner((ECKey) privateKey)
          : new RSASSASigner((RSAKey) privateKey);
    } catch (JOSEException | RuntimeException e) {
      throw new IllegalArgumentException("privateKey must be a usable " + alg + " signing key: "
          + e.getClass().getSimpleName(), e);
    }
    JWK publicKey = privateKey.toPublicJWK();
    probe(signer, alg, publicKey, "privateKey");
    return new SetSigner(signer, alg, kid, publicKey);
  }

  /**
   * A signer the application holds (a KMS or HSM behind Nimbus's {@link JWSSigner}), with the
   * public JWK that verifies it, which is published. The signer must be thread-safe.
   *
   * @throws IllegalArgumentException naming the field and the rule, if {@code publicKey} holds a
   *     private key, has no {@code kid}, is neither EC nor RSA, excludes signing or verifying, has
   *     an algorithm that is not allowed, does not fit it or that the signer does not support, or
   *     does not verify a test signature the signer makes
   */
  public static SetSigner of(JWSSigner signer, JWK publicKey) {
    Objects.requireNonNull(signer, "signer must not be null");
    Objects.requireNonNull(publicKey, "publicKey must not be null");
    if (publicKey.isPrivate()) {
      throw new IllegalArgumentException("publicKey must be the public half only: it is published");
    }
    String kid = checkKey(publicKey, "publicKey");
    JWSAlgorithm alg = algorithmOf(publicKey, "publicKey");
    if (!signer.supportedJWSAlgorithms().contains(alg)) {
      throw new IllegalArgumentException("signer must support publicKey's algorithm " + alg
          + ", supports " + signer.supportedJWSAlgorithms());
    }
    probe(signer, alg, publicKey, "signer");
    return new SetSigner(signer, alg, kid, publicKey);
  }

  /** The {@code kid} written in every SET's header. */
  public String keyId() {
    return keyId;
  }

  /** The {@code alg} written in every SET's header. */
  public JWSAlgorithm algorithm() {
    return algorithm;
  }

  /** The public JWK that verifies this signer's SETs. */
  public JWK publicKey() {
    return publicKey;
  }

  /** Signs {@code claims} as a compact SET: {@code alg}, {@code kid}, {@code typ secevent+jwt}. */
  String sign(JWTClaimsSet claims) throws JOSEException {
    JWSHeader header = new JWSHeader.Builder(algorithm).keyID(keyId).type(SET_TYPE).build();
    SignedJWT set = new SignedJWT(header, claims);
    set.sign(signer);
    return set.serialize();
  }

  private static String checkKey(JWK key, String field) {
    String kid = key.getKeyID();
    if (kid == null || kid.isBlank()) {
      throw new IllegalArgumentException(field + ".kid must be set");
    }
    if (kid.length() > MAX_KID_LENGTH || !kid.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new IllegalArgumentException(field + ".kid must be 1 to " + MAX_KID_LENGTH
          + " visible ASCII characters");
    }
    if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
      throw new IllegalArgumentException(field + ".use must be sig, was " + key.getKeyUse());
    }
    Set<KeyOperation> ops = key.getKeyOperations();
    if (ops != null && !ops.contains(KeyOperation.SIGN) && !ops.contains(KeyOperation.VERIFY)) {
      throw new IllegalArgumentException(field + ".key_ops must include sign or verify, was "
          + ops);
    }
    if (!(key instanceof ECKey || key instanceof RSAKey)) {
      throw new IllegalArgumentException(field + " must be an EC or RSA key, was "
          + key.getKeyType() + ": receivers verify with the published public key, so a shared "
          + "(HMAC) secret or another key type is never used");
    }
    if (key instanceof RSAKey) {
      int bits = ((RSAKey) key).getModulus().decodeToBigInteger().bitLength();
      if (bits < MIN_RSA_BITS) {
        throw new IllegalArgumentException(field + " must be an RSA key of at least "
            + MIN_RSA_BITS + " bits, had " + bits);
      }
    }
    return kid;
  }

  private static JWSAlgorithm algorithmOf(JWK key, String field) {
    JWSAlgorithm fitting;
    if (key instanceof ECKey) {
      Curve curve = ((ECKey) key).getCurve();
      if (Curve.P_256.equals(curve)) {
        fitting = JWSAlgorithm.ES256;
      } else if (Curve.P_384.equals(curve)) {
        fitting = JWSAlgorithm.ES384;
      } else if (Curve.P_521.equals(curve)) {
        fitting = JWSAlgorithm.ES512;
      } else {
        throw new IllegalArgumentException(field + ".crv must be P-256, P-384 or P-521, was "
            + curve);
      }
    } else {
      fitting = JWSAlgorithm.RS256;
    }
    if (key.getAlgorithm() == null) {
      return fitting;
    }
    JWSAlgorithm alg = JWSAlgorithm.parse(key.getAlgorithm().getName());
    if (!ALGORITHMS.contains(alg)) {
      throw new IllegalArgumentException(field + ".alg must be one of " + ALGORITHMS + ", was "
          + alg);
    }
    boolean fits = key instanceof ECKey ? alg.equals(fitting)
        : JWSAlgorithm.Family.RSA.contains(alg);
    if (!fits) {
      throw new IllegalArgumentException(field + ".alg must fit the " + key.getKeyType()
          + " key" + (key instanceof ECKey ? " (its curve signs " + fitting + ")" : "")
          + ", was " + alg);
    }
    return alg;
  }

  /** A test signature, verified with the half that is published. */
  private static void probe(JWSSigner signer, JWSAlgorithm alg, JWK publicKey, String field) {
    boolean verified;
    try {
      JWSObject probe = new JWSObject(new JWSHeader(alg), new Payload("set-signer-probe"));
      probe.sign(signer);
      JWSVerifier verifier = publicKey instanceof ECKey
          ? new ECDSAVerifier(((ECKey) publicKey).toECPublicKey())
          : new RSASSAVerifier(((RSAKey) publicKey).toRSAPublicKey());
      verified = probe.verify(verifier);
    } catch (JOSEException | RuntimeException e) {
      throw new IllegalArgumentException(field + " must sign with " + alg + ": "
          + e.getClass().getSimpleName(), e);
    }
    if (!verified) {
      throw new IllegalArgumentException(field + " must sign what the public key verifies: a test "
          + "signature did not verify");
    }
  }
}
