package dev.jitaccess.core;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantState;
import dev.jitaccess.RevocationReason;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Revokes grants: one by id, or all of a task, subject or owner. A revocation by name first
 * {@linkplain Barriers marks} the name, so that a request in flight cannot leave a grant ACTIVE
 * behind it; a task that is revoked is ended and refuses new grants.
 */
final class Revoker {
  private final Clock clock;
  private final Grants grants;
  private final Lineage lineage;
  private final Cascade cascade;
  private final Barriers barriers;

  Revoker(Clock clock, Grants grants, Lineage lineage, Cascade cascade, Barriers barriers) {
    this.clock = clock;
    this.grants = grants;
    this.lineage = lineage;
    this.cascade = cascade;
    this.barriers = barriers;
  }

  /** Revokes one grant and its descendants, then reports them; false if it was not ACTIVE. */
  boolean revoke(String grantId, RevocationReason reason) {
    Grants.Outcome outcome = grants.apply(grantId, grant -> grant.isActive()
        ? grant.end(GrantState.REVOKED, reason, clock.instant())
        : null);
    if (outcome.after == null) {
      return false;
    }
    cascade.afterEnded(outcome.after);
    return true;
  }

  int revokeTask(String task, RevocationReason reason) {
    barriers.endTask(task);
    return revokeAll(grants.store().findByTask(task), reason);
  }

  int revokeSubject(String subject, RevocationReason reason) {
    barriers.revokeSubject(subject);
    return revokeAll(grants.store().findBySubject(subject), reason);
  }

  int revokeOwner(String owner, RevocationReason reason) {
    barriers.revokeOwner(owner);
    return revokeAll(grants.store().findByOwner(owner), reason);
  }

  /**
   * Ends each grant found with {@code reason}, the deepest delegations first: a found grant
   * delegated from another found one is ended by this call with {@code reason} and counted, not
   * ended by its ancestor's cascade with PARENT_REVOKED, whatever order the store returned them in.
   */
  private int revokeAll(Collection<Grant> found, RevocationReason reason) {
    List<Grant> active = new ArrayList<>(found.size());
    for (Grant grant : found) {
      if (grant.isActive()) {
        active.add(grant);
      }
    }
    if (active.size() > 1) {
      Map<String, Integer> depths = new HashMap<>();
      for (Grant grant : active) {
        depths.put(grant.id(), lineage.depthOf(grant));
      }
      active.sort(Comparator.comparing((Grant grant) -> depths.get(grant.id())).reversed());
    }
    int ended = 0;
    for (Grant grant : active) {
      if (revoke(grant.id(), reason)) {
        ended++;
      }
    }
    return ended;
  }
}
