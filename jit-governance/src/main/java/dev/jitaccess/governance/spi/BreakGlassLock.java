package dev.jitaccess.governance.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A subject's break-glass, locked after a missed review until an owner unlocks it.
 *
 * @param subject whose break-glass is locked
 * @param owner who may unlock it: the owner of the grant whose review was missed (a principal or
 *     a group)
 * @param requestId the break-glass request whose review was missed
 * @param lockedAt when
 */
public record BreakGlassLock(String subject, String owner, String requestId, Instant lockedAt) {
  /** Checks that nothing is missing. */
  public BreakGlassLock {
    Objects.requireNonNull(subject, "subject must not be null");
    Objects.requireNonNull(owner, "owner must not be null");
    Objects.requireNonNull(requestId, "requestId must not be null");
    Objects.requireNonNull(lockedAt, "lockedAt must not be null");
  }
}
