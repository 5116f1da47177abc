package dev.jitaccess;

/**
 * Told once for every grant that leaves {@link GrantState#ACTIVE}, whatever the reason: revoked,
 * expired, exhausted, or ended with its parent. This is where an application tears access down in
 * other systems (close sessions, drop cached tokens, notify the owner).
 *
 * <p>It is called after the state change is recorded, on the thread that made the change (for
 * expiry, the scheduler's thread, or the thread of a check that found the grant past its expiry;
 * for the descendants of an ended grant, the runtime's cascade
 * executor if it has one). Whatever it throws, an {@code Error} such as a {@code
 * NoClassDefFoundError} included, is logged; it neither stops the other listeners nor undoes the
 * change. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface RevocationListener {
  /**
   * The grant left ACTIVE.
   *
   * @param grant the grant in its terminal state
   * @param reason why (the same as {@code grant.endReason()})
   */
  void onRevocation(Grant grant, RevocationReason reason);
}
