package dev.jitaccess.governance.spi;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One ended grant whose access at one downstream system is not yet confirmed gone. Names the grant
 * by its reference, never its id. Immutable and thread-safe.
 *
 * @param reference the grant's {@code GrantReference}
 * @param subject who held the access
 * @param owner who is accountable for it: who must act
 * @param task the task it was granted for
 * @param tier the grant's risk tier, or null
 * @param downstream the downstream system that has not confirmed
 * @param state where its teardown is there (for example {@code PENDING} or {@code IRREVOCABLE})
 * @param endedAt when the grant ended: the access lingers since then
 * @param attempts how many times the downstream was asked to remove it
 * @param cause why the last attempt did not confirm, or null; never holds a grant id or a secret
 */
public record LingeringAccess(String reference, String subject, String owner, String task,
    @Nullable String tier, String downstream, String state, Instant endedAt, int attempts,
    @Nullable String cause) {
  /**
   * Checks that nothing required is missing.
   *
   * @throws NullPointerException naming the field that is null
   * @throws IllegalArgumentException if attempts is negative
   */
  public LingeringAccess {
    Objects.requireNonNull(reference, "reference must not be null");
    Objects.requireNonNull(subject, "subject must not be null");
    Objects.requireNonNull(owner, "owner must not be null");
    Objects.requireNonNull(task, "task must not be null");
    Objects.requireNonNull(downstream, "downstream must not be null");
    Objects.requireNonNull(state, "state must not be null");
    Objects.requireNonNull(endedAt, "endedAt must not be null");
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts must be >= 0, was " + attempts);
    }
  }
}
