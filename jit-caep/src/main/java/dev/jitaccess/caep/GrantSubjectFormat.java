package dev.jitaccess.caep;

/**
 * How a SET names a grant when it cannot name the grant's tokens one by one (no token of the
 * grant is known to the transmitter, or not all of them are).
 */
public enum GrantSubjectFormat {
  /**
   * {@code {"format": "opaque", "id": grant reference}}: the grant's {@link
   * dev.jitaccess.GrantReference reference}, which every token of {@code jit-jwt} carries as its
   * {@code grant_ref} claim. Names exactly this grant. The default.
   */
  OPAQUE,
  /**
   * {@code {"format": "iss_sub", "iss": transmitter issuer, "sub": grant subject}}: the grant's
   * holder. Broader than the grant: a receiver that acts on it ends every session of that subject.
   */
  ISS_SUB
}
