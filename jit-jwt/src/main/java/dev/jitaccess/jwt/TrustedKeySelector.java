package dev.jitaccess.jwt;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import java.security.Key;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Nimbus's {@link JWSVerificationKeySelector} (the algorithm allow-list over trusted keys), with
 * its "no key" outcomes turned into specific reasons: an algorithm outside the allow-list, a
 * missing {@code kid}, or a {@code kid} that names no trusted key for the token's {@code alg}.
 * Nimbus matches an EC key by its type only, so an {@code ES256} token whose {@code kid} names a
 * P-384 key would reach the signature check and fail there as if forged; here an EC key on a
 * curve other than the algorithm's is no key for it ({@link JwtDenialCode#UNKNOWN_KEY}), and no
 * signature is checked. Thread-safe.
 */
final class TrustedKeySelector implements JWSKeySelector<SecurityContext> {
  private final Set<JWSAlgorithm> algorithms;
  private final JWSVerificationKeySelector<SecurityContext> delegate;

  TrustedKeySelector(Set<JWSAlgorithm> algorithms, JWKSource<SecurityContext> keys) {
    this.algorithms = Set.copyOf(algorithms);
    this.delegate = new JWSVerificationKeySelector<>(this.algorithms, keys);
  }

  @Override
  public List<? extends Key> selectJWSKeys(JWSHeader header, @Nullable SecurityContext context)
      throws KeySourceException {
    if (!algorithms.contains(header.getAlgorithm())) {
      throw new Reasoned.Key(JwtDenialCode.UNTRUSTED_ALGORITHM,
          "alg must be one of " + algorithms + ", was " + header.getAlgorithm());
    }
    if (header.getKeyID() == null) {
      throw new Reasoned.Key(JwtDenialCode.UNKNOWN_KEY, "kid header must be present");
    }
    List<? extends Key> keys = delegate.selectJWSKeys(header, context);
    List<Key> fitting = new ArrayList<>(keys.size());
    for (Key key : keys) {
      if (fits(key, header.getAlgorithm())) {
        fitting.add(key);
      }
    }
    if (fitting.isEmpty()) {
      throw new Reasoned.Key(JwtDenialCode.UNKNOWN_KEY,
          "kid must name a trusted key for " + header.getAlgorithm());
    }
    return fitting;
  }

  /** Whether {@code key} can verify {@code alg}: an EC key must be on the algorithm's curve. */
  static boolean fits(Key key, JWSAlgorithm alg) {
    if (!(key instanceof ECPublicKey)) {
      return true;
    }
    Curve curve = Curve.forECParameterSpec(((ECPublicKey) key).getParams());
    Set<Curve> curves = Curve.forJWSAlgorithm(alg);
    return curve != null && curves != null && curves.contains(curve);
  }
}
