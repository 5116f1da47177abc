package dev.jitaccess.teardown;

import dev.jitaccess.Grant;
import dev.jitaccess.spi.GrantStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether an ending grant's entitlement at a downstream is still needed by another live grant of
 * its subject, read from the grant store when the entry is worked, so that every replica decides
 * alike. A grant counts as live when it is ACTIVE and within its validity, as the store's source
 * of truth says ({@link GrantStore#getLatest}), not a copy that may lag.
 *
 * <p>Why the last grant to end always tears down: a grant's end is recorded in the store before
 * its listeners hear of it, and its entry is worked after that. Of two grants that share an
 * entitlement, the one whose end was recorded last is worked after both ends were recorded, so it
 * finds the other ended and removes the entitlement; only the first can be RETAINED. An entry is
 * also checked again right after it is marked RETAINED, and reopened if no keeper is left, so a
 * store whose subject query lags cannot leave both RETAINED.
 *
 * <p>Fails closed: a store that fails, or no store at all, keeps nothing.
 */
final class Retention {
  private static final Logger LOG = LoggerFactory.getLogger(Teardown.class);

  private final @Nullable GrantStore grants;
  private final Clock clock;
  private final AtomicBoolean warnedNoStore = new AtomicBoolean();

  Retention(@Nullable GrantStore grants, Clock clock) {
    this.grants = grants;
    this.clock = clock;
  }

  /**
   * The grants of {@code subject}, as the store lists them; empty if there is no store or it
   * fails (the periodic re-check of RETAINED entries still comes).
   */
  Collection<Grant> grantsOf(Lane lane, String subject) {
    GrantStore store = grants;
    if (store == null) {
      return List.of();
    }
    try {
      return store.findBySubject(subject);
    } catch (RuntimeException e) {
      LOG.warn("the grant store failed to list a subject's grants for downstream {} ({}); its "
          + "RETAINED entries wait for their periodic re-check", lane.name, e.getClass().getName());
      return List.of();
    }
  }

  /**
   * The reference of a live grant other than {@code ending}, of its subject, that has {@code
   * entitlement} at {@code lane}'s downstream; null if there is none, or it cannot be known.
   */
  @Nullable String keeper(Lane lane, Grant ending, String entitlement) {
    GrantStore store = grants;
    if (store == null) {
      if (warnedNoStore.compareAndSet(false, true)) {
        LOG.warn("downstream {} declares entitlements, but the teardown has no grant store to "
            + "find the grants that still need them: every ending grant's access is removed "
            + "(Teardown.Builder.grants)", lane.name);
      }
      return null;
    }
    try {
      Instant now = clock.instant();
      for (Grant other : store.findBySubject(ending.subject())) {
        if (other.id().equals(ending.id()) || !other.isUsableAt(now)
            || !entitlement.equals(lane.entitlementOf(other))) {
          continue;
        }
        Grant latest = store.getLatest(other.id());
        if (latest != null && latest.isUsableAt(clock.instant())) {
          return latest.reference();
        }
      }
      return null;
    } catch (RuntimeException e) {
      LOG.warn("the grant store failed while the teardown of grant {} at downstream {} looked for "
          + "other live grants needing its entitlement ({}); it is removed", ending.reference(),
          lane.name, e.getClass().getName());
      return null;
    }
  }
}
