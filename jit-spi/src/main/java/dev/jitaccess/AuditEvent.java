package dev.jitaccess;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One audit record. Fields that do not apply to a kind of event are null.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param type what happened
 * @param at when, by the runtime's clock
 * @param grantId the grant concerned, if any
 * @param parentId the grant's parent, if delegated
 * @param subject the grant's (or request's) subject
 * @param owner the grant's (or request's) owner
 * @param task the grant's (or request's) task
 * @param scope the grant's scope in canonical form (ISSUED, DELEGATED, and the DENIED of a refused
 *     request or delegation)
 * @param expiresAt the grant's expiry after the event (ISSUED, DELEGATED, RENEWED, and the DENIED
 *     of a refused renewal)
 * @param reason a revocation reason code or a denial reason code
 * @param action the action checked (DENIED, ALLOWED)
 * @param resource the resource checked (DENIED, ALLOWED)
 * @param detail free text: a policy's words, a failure's cause, a count of allowed checks
 */
public record AuditEvent(
    AuditEventType type,
    Instant at,
    @Nullable String grantId,
    @Nullable String parentId,
    @Nullable String subject,
    @Nullable String owner,
    @Nullable String task,
    @Nullable String scope,
    @Nullable Instant expiresAt,
    @Nullable String reason,
    @Nullable String action,
    @Nullable String resource,
    @Nullable String detail) {

  /** Checks the required fields. */
  public AuditEvent {
    Objects.requireNonNull(type, "type must not be null");
    Objects.requireNonNull(at, "at must not be null");
  }
}
