package dev.jitaccess.web;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What an allowed request was allowed by, set as the request attribute {@link #ATTRIBUTE} for the
 * application to read: the grant by its reference (never its id), its subject and task, and the
 * action and resource that were checked. Immutable and thread-safe.
 *
 * @param grantReference the grant's reference ({@code gr_...}), never its id
 * @param subject the grant's subject
 * @param task the grant's task, or null if the token did not name one
 * @param action the action checked
 * @param resource the resource checked
 * @param credential how the grant was presented
 */
public record AllowedRequest(String grantReference, String subject, @Nullable String task, String action,
    String resource, Credential credential) {
  /** The request attribute under which filter and interceptor store the allowed request. */
  public static final String ATTRIBUTE = AllowedRequest.class.getName();

  /** How the grant was presented. */
  public enum Credential {
    /** {@code Authorization: Bearer <jwt>}. */
    BEARER_TOKEN,
    /** {@code Authorization: DPoP <jwt>} with a {@code DPoP} proof header. */
    DPOP_TOKEN,
    /** The grant id in the configured grant header. */
    GRANT_HEADER
  }

  /**
   * Checks that no field is null.
   *
   * @throws NullPointerException naming the field
   */
  public AllowedRequest {
    Objects.requireNonNull(grantReference, "grantReference must not be null");
    Objects.requireNonNull(subject, "subject must not be null");
    Objects.requireNonNull(action, "action must not be null");
    Objects.requireNonNull(resource, "resource must not be null");
    Objects.requireNonNull(credential, "credential must not be null");
  }
}
