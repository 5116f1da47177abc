package dev.jitaccess.jwt;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import java.security.Key;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Nimbus's {@link JWSVerificationKeySelector} (the algorithm allow-list over trusted keys), with
 * its "no key" outcomes turned into specific reasons: an algorithm outside the allow-list, a
 * missing {@code kid}, or a {@code kid} that names no trusted key. Thread-safe.
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
    if (keys.isEmpty()) {
      throw new Reasoned.Key(JwtDenialCode.UNKNOWN_KEY,
          "kid must name a trusted key for " + header.getAlgorithm());
    }
    return keys;
  }
}
