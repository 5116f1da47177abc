package dev.jitaccess.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import java.security.Key;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The key selector on its own, as any pipeline could configure it: it refuses what it was not
 * configured for itself, rather than rely on the checks before it.
 */
class TrustedKeySelectorTest {
  private final ECKey trusted = Fixture.ecKey("key-1");
  private final TrustedKeySelector es256Only = new TrustedKeySelector(Set.of(JWSAlgorithm.ES256),
      new ImmutableJWKSet<>(new JWKSet(trusted.toPublicJWK())));

  @Test
  void theTrustedKeyIsSelectedForAnAllowedAlgorithmAndItsKid() throws JOSEException {
    List<? extends Key> keys = es256Only.selectJWSKeys(
        new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("key-1").build(), null);
    assertEquals(List.of(trusted.toECPublicKey()), keys);
  }

  @Test
  void anAlgorithmOutsideItsAllowListIsAnUntrustedAlgorithmNotAnUnknownKey() {
    for (JWSAlgorithm alg : List.of(JWSAlgorithm.HS256, JWSAlgorithm.ES384, JWSAlgorithm.RS256)) {
      KeySourceException e = assertThrows(KeySourceException.class, () -> es256Only.selectJWSKeys(
          new JWSHeader.Builder(alg).keyID("key-1").build(), null));
      assertEquals(JwtDenialCode.UNTRUSTED_ALGORITHM, ((Reasoned) e).code(), e.getMessage());
      assertEquals("alg must be one of [ES256], was " + alg, e.getMessage());
    }
  }

  @Test
  void aMissingOrUnknownKidIsAnUnknownKey() {
    for (JWSHeader header : List.of(new JWSHeader.Builder(JWSAlgorithm.ES256).build(),
        new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("key-2").build())) {
      KeySourceException e = assertThrows(KeySourceException.class,
          () -> es256Only.selectJWSKeys(header, null));
      assertEquals(JwtDenialCode.UNKNOWN_KEY, ((Reasoned) e).code(), e.getMessage());
    }
  }
}
