package dev.jitaccess.teardown.spi;

import dev.jitaccess.teardown.TeardownEntry;

/**
 * Tells a grant's owner that its access could not be torn down somewhere: e-mail, chat, paging.
 * Called after the IRREVOCABLE entry is stored, once when it becomes IRREVOCABLE and again after
 * every long-interval retry that fails, so the owner is reminded until someone acts (fixes the
 * downstream, or closes the entry by force). An exception thrown here is logged and changes
 * nothing. Implementations must be thread-safe; they are called on a downstream's teardown
 * thread, so a slow one delays that downstream's next attempt.
 */
@FunctionalInterface
public interface TeardownAlerts {
  /**
   * The teardown of {@code entry.grantReference()} at {@code entry.downstream()} is IRREVOCABLE:
   * tell {@code entry.owner()}, with {@code entry.cause()} and {@code entry.attempts()}.
   */
  void irrevocable(TeardownEntry entry);
}
