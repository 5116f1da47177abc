package dev.jitaccess.governance;

import dev.jitaccess.Grant;
import java.time.Duration;

/**
 * Told when a live grant is about to expire, a configured lead time before its expiry ({@link
 * GovernanceBuilder#expiryWarnings(Duration)}), so that a task that is still alive renews it and a
 * task that is not lets it end. Told at most once per grant and expiry in a process: a renewal
 * moves the expiry, and the new one is warned again.
 *
 * <p>Called on the governance scheduler's thread, after the {@code EXPIRING_SOON} audit event is
 * recorded and before the owner is notified. Whatever it throws, an {@code Error} included, is
 * logged; it neither stops the other listeners nor the notification. Implementations must be
 * thread-safe and should be quick (renewing from here is fine).
 *
 * <p>Each replica that has expiry warnings on sweeps the shared grant store and warns every grant
 * in it, including grants minted on other replicas: with several replicas, each one warns. See
 * {@link GovernanceBuilder#expiryWarnings(Duration, Duration)}.
 */
@FunctionalInterface
public interface ExpiryWarningListener {
  /**
   * {@code grant} expires in {@code left} unless it is renewed.
   *
   * @param grant the grant as the store held it at the sweep (ACTIVE)
   * @param left the time from now to its {@code expiresAt}, {@code > 0}: the lead, or less if the
   *     grant was minted or renewed with less than the lead left, or the sweep ran late
   */
  void expiringSoon(Grant grant, Duration left);
}
