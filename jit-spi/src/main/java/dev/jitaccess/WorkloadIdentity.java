package dev.jitaccess;

import dev.jitaccess.internal.Validation;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A workload identity that an {@link dev.jitaccess.spi.IdentityVerifier} has verified, for
 * example from a SPIFFE JWT-SVID or an OIDC ID token: who the caller proved to be, who vouched for
 * it, and until when.
 *
 * <p>Instances are immutable and thread-safe; the claims map is an unmodifiable copy.
 *
 * @param subject the verified subject (a SPIFFE ID or the token's {@code sub}); becomes the
 *     grant's subject
 * @param issuer who vouched for the subject (the token's {@code iss})
 * @param expiresAt when the credential the identity was verified from expires
 * @param claims every claim of the verified credential, as JDK types (String, Number, Boolean,
 *     List, Map); informational
 */
public record WorkloadIdentity(
    String subject, String issuer, Instant expiresAt, Map<String, Object> claims) {

  /**
   * Validates and copies.
   *
   * @throws NullPointerException naming the field, if one is null
   * @throws IllegalArgumentException naming the field and the rule, if subject or issuer is
   *     blank, too long or holds control characters
   */
  public WorkloadIdentity {
    subject = Validation.name(subject, "subject");
    issuer = Validation.name(issuer, "issuer");
    Objects.requireNonNull(expiresAt, "expiresAt must not be null");
    Objects.requireNonNull(claims, "claims must not be null");
    claims = Collections.unmodifiableMap(new LinkedHashMap<>(claims));
  }
}
