package dev.jitaccess.caep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The SET signing key: asymmetric, named, fitting its algorithm, and able to sign. */
class SetSignerTest {
  private static String refusal(org.junit.jupiter.api.function.Executable make) {
    return assertThrows(IllegalArgumentException.class, make).getMessage();
  }

  @Test
  void anEcKeySignsWithItsCurvesAlgorithmAndPublishesOnlyItsPublicHalf() throws JOSEException {
    SetSigner signer = SetSigner.fromKey(new ECKeyGenerator(Curve.P_384).keyID("k").generate());

    assertEquals(JWSAlgorithm.ES384, signer.algorithm());
    assertEquals("k", signer.keyId());
    assertFalse(signer.publicKey().isPrivate());
  }

  @Test
  void anRsaKeyMayNameAPssAlgorithm() throws JOSEException {
    RSAKey key = new RSAKeyGenerator(2048).keyID("rsa").algorithm(JWSAlgorithm.PS256).generate();

    assertEquals(JWSAlgorithm.PS256, SetSigner.fromKey(key).algorithm());
  }

  @Test
  void anHmacSecretIsRefusedBecauseEveryReceiverCouldForgeSets() throws JOSEException {
    String message = refusal(() -> SetSigner.fromKey(
        new OctetSequenceKeyGenerator(256).keyID("hmac").generate()));
    assertTrue(message.startsWith("privateKey must be an EC or RSA key, was oct"), message);
  }

  @Test
  void aKeyWithoutKidIsRefused() throws JOSEException {
    assertEquals("privateKey.kid must be set",
        refusal(() -> SetSigner.fromKey(new ECKeyGenerator(Curve.P_256).generate())));
  }

  @Test
  void aPublicKeyCannotSign() throws JOSEException {
    ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k").generate();
    assertEquals("privateKey must hold the private key, to sign",
        refusal(() -> SetSigner.fromKey(key.toPublicJWK())));
  }

  @Test
  void anRsaKeyUnder2048BitsIsRefused() throws JOSEException {
    RSAKey weak = new RSAKeyGenerator(1024, true).keyID("weak").generate();
    assertEquals("privateKey must be an RSA key of at least 2048 bits, had 1024",
        refusal(() -> SetSigner.fromKey(weak)));
  }

  @Test
  void anAlgorithmThatDoesNotFitTheCurveIsRefused() throws JOSEException {
    ECKey key = new ECKeyGenerator(Curve.P_384).keyID("k").algorithm(JWSAlgorithm.ES256)
        .generate();
    assertTrue(refusal(() -> SetSigner.fromKey(key)).startsWith("privateKey.alg must fit"));
  }

  @Test
  void anHmacAlgorithmNamedOnAnRsaKeyIsRefused() throws JOSEException {
    RSAKey key = new RSAKeyGenerator(2048).keyID("k").algorithm(JWSAlgorithm.HS256).generate();
    assertTrue(refusal(() -> SetSigner.fromKey(key)).startsWith("privateKey.alg must be one of"));
  }

  @Test
  void anEncryptionKeyIsRefused() throws JOSEException {
    ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k").keyUse(KeyUse.ENCRYPTION).generate();
    assertEquals("privateKey.use must be sig, was enc", refusal(() -> SetSigner.fromKey(key)));
    ECKey wrap = new ECKeyGenerator(Curve.P_256).keyID("k")
        .keyOperations(Set.of(KeyOperation.WRAP_KEY)).generate();
    assertTrue(refusal(() -> SetSigner.fromKey(wrap)).startsWith("privateKey.key_ops must"));
  }

  @Test
  void anApplicationSignerIsCheckedAgainstThePublicKeyItIsGivenWith() throws JOSEException {
    ECKey mine = new ECKeyGenerator(Curve.P_256).keyID("mine").generate();
    ECKey other = new ECKeyGenerator(Curve.P_256).keyID("other").generate();

    SetSigner good = SetSigner.of(new ECDSASigner(mine), mine.toPublicJWK());
    assertEquals("mine", good.keyId());
    String message = refusal(() -> SetSigner.of(new ECDSASigner(mine), other.toPublicJWK()));
    assertTrue(message.startsWith("signer must sign what the public key verifies"), message);
    assertTrue(refusal(() -> SetSigner.of(new ECDSASigner(mine), mine))
        .startsWith("publicKey must be the public half only"));
  }

  @Test
  void anApplicationSignerMustSupportTheKeysAlgorithm() throws JOSEException {
    ECKey p256 = new ECKeyGenerator(Curve.P_256).keyID("a").generate();
    ECKey p384 = new ECKeyGenerator(Curve.P_384).keyID("b").generate();
    assertTrue(refusal(() -> SetSigner.of(new ECDSASigner(p256), p384.toPublicJWK()))
        .startsWith("signer must support publicKey's algorithm ES384"));
  }

  @Test
  void aTransmitterRefusesAKidItHasUsedBefore() throws Exception {
    try (Rig rig = Rig.withSigner()) {
      rig.transmitter.rotate(SetSigner.fromKey(Rig.ecKey("caep-2")));
      assertEquals("next.kid must not be a kid this transmitter has used, was caep-1",
          refusal(() -> rig.transmitter.rotate(SetSigner.fromKey(Rig.ecKey("caep-1")))));
      assertEquals("caep-2", rig.transmitter.currentKeyId());
    }
  }
}
