package dev.jitaccess.jwt;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Validation of algorithm allow-lists. */
final class Algorithms {
  /** Every algorithm this module can sign and verify with the JDK's providers alone. */
  static final Set<JWSAlgorithm> SUPPORTED = Set.of(
      JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512,
      JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
      JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
      JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512);

  static final Set<JWSAlgorithm> DEFAULT = Set.of(JWSAlgorithm.ES256);

  private Algorithms() {}

  /**
   * A checked copy of an allow-list.
   *
   * @throws IllegalArgumentException naming the field, if it is empty, holds an unsupported
   *     algorithm, or holds an HMAC algorithm while {@code allowHmac} is false
   */
  static Set<JWSAlgorithm> allowList(
      Collection<JWSAlgorithm> algorithms, boolean allowHmac, String field) {
    Objects.requireNonNull(algorithms, () -> field + " must not be null");
    if (algorithms.isEmpty()) {
      throw new IllegalArgumentException(field + " must not be empty");
    }
    Set<JWSAlgorithm> out = new LinkedHashSet<>();
    for (JWSAlgorithm alg : algorithms) {
      Objects.requireNonNull(alg, () -> field + " must not contain null");
      if (!SUPPORTED.contains(alg)) {
        throw new IllegalArgumentException(
            field + " must hold only " + SUPPORTED + ", had " + alg);
      }
      if (isHmac(alg) && !allowHmac) {
        throw new IllegalArgumentException(field + " must not hold " + alg
            + " unless allowHmac() is set: a shared secret lets every verifier mint tokens");
      }
      out.add(alg);
    }
    return Set.copyOf(out);
  }

  /** The shortest RSA modulus a key may have to be trusted, in bits (RFC 7518, section 3.3). */
  static final int MIN_RSA_BITS = 2048;

  /**
   * The keys of {@code jwks} that may verify: public parts only (so no symmetric keys), and none
   * that {@link #untrustable} refuses. A token signed with a key left out fails as signed by an
   * unknown key.
   */
  static JWKSet trustable(JWKSet jwks) {
    List<JWK> kept = new ArrayList<>();
    for (JWK key : jwks.toPublicJWKSet().getKeys()) {
      if (untrustable(key) == null) {
        kept.add(key);
      }
    }
    return new JWKSet(kept);
  }

  /**
   * Why {@code key} must not verify signatures, or null if it may: an RSA key shorter than {@value
   * #MIN_RSA_BITS} bits (RFC 7518 forbids it, and it can be factored today), counted exactly; a
   * {@code use} other than {@code sig}; {@code key_ops} that allow neither {@code verify} nor
   * {@code sign}.
   */
  static @Nullable String untrustable(JWK key) {
    if (key instanceof RSAKey) {
      int bits = rsaBits((RSAKey) key);
      if (bits < MIN_RSA_BITS) {
        return "an RSA key must have at least " + MIN_RSA_BITS + " bits, had " + bits;
      }
    }
    if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
      return "a key's use must be sig, was " + key.getKeyUse();
    }
    Set<KeyOperation> ops = key.getKeyOperations();
    if (ops != null && !ops.contains(KeyOperation.VERIFY) && !ops.contains(KeyOperation.SIGN)) {
      return "a key's key_ops must allow verify, were " + ops;
    }
    return null;
  }

  /**
   * The length of an RSA key's modulus in bits, exactly: Nimbus's {@code size()} counts whole
   * bytes, so it reports a 2041- to 2047-bit modulus as 2048 bits.
   */
  static int rsaBits(RSAKey key) {
    return key.getModulus().decodeToBigInteger().bitLength();
  }

  static boolean isHmac(JWSAlgorithm alg) {
    return JWSAlgorithm.Family.HMAC_SHA.contains(alg);
  }
}
