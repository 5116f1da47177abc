package dev.jitaccess.core;

import dev.jitaccess.Decision;
import dev.jitaccess.DenyReason;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Whether a grant is usable, its ancestors included: the one definition that the check, renewal,
 * delegation and {@link JitAccess#status} share. A grant is usable when it is ACTIVE and within
 * [{@code issuedAt}, {@code expiresAt}) and so is every ancestor, up to {@code maxDepth} of them;
 * an ancestor that is gone, or a chain deeper than that (a cycle included), makes it unusable.
 */
final class Lineage {
  private static final Decision ANCESTOR_GONE =
      Decision.deny(DenyReason.REVOKED, "an ancestor grant is gone");
  private static final Decision ANCESTOR_EXPIRED = Decision.deny(DenyReason.EXPIRED);
  private static final Decision ANCESTOR_ENDED = Decision.deny(DenyReason.REVOKED);
  private static final Decision EXPIRED = Decision.deny(DenyReason.EXPIRED);
  private static final Decision REVOKED = Decision.deny(DenyReason.REVOKED);
  private static final Decision EXHAUSTED = Decision.deny(DenyReason.EXHAUSTED);
  private static final Decision NOT_YET_VALID = Decision.deny(DenyReason.NOT_YET_VALID);

  private final Grants grants;
  private final int maxDepth;

  Lineage(Grants grants, int maxDepth) {
    this.grants = grants;
    this.maxDepth = maxDepth;
  }

  /** Null when the grant itself is usable at {@code now}, else the denial. Does not allocate. */
  static @Nullable Decision ownDenial(Grant grant, Instant now) {
    return switch (grant.stateAt(now)) {
      case ACTIVE -> grant.isNotYetValidAt(now) ? NOT_YET_VALID : null;
      case EXPIRED -> EXPIRED;
      case EXHAUSTED -> EXHAUSTED;
      case REVOKED -> REVOKED;
    };
  }

  /**
   * Null when every ancestor of {@code grant} is usable at {@code now}, else the denial: EXPIRED
   * for an expired ancestor, REVOKED for one that ended otherwise, is gone, or lies deeper than
   * the limit. Does not allocate.
   */
  @Nullable Decision ancestorDenial(Grant grant, Instant now) {
    String parentId = grant.parentId();
    for (int depth = 0; parentId != null; depth++) {
      Grant parent = grants.get(parentId);
      if (parent == null || depth >= maxDepth) {
        return ANCESTOR_GONE;
      }
      Decision own = ownDenial(parent, now);
      if (own != null) {
        return own == EXPIRED ? ANCESTOR_EXPIRED : ANCESTOR_ENDED;
      }
      parentId = parent.parentId();
    }
    return null;
  }

  /** The status of {@code grant} and its ancestors at {@code now}. */
  GrantStatus status(Grant grant, Instant now) {
    List<Grant> ancestors = new ArrayList<>();
    Decision own = ownDenial(grant, now);
    if (own != null) {
      return GrantStatus.unusable(grant, ancestors, own.reason(), null);
    }
    String parentId = grant.parentId();
    for (int depth = 0; parentId != null; depth++) {
      Grant parent = grants.get(parentId);
      if (parent == null || depth >= maxDepth) {
        return GrantStatus.unusable(grant, ancestors, DenyReason.REVOKED,
            parent == null ? "an ancestor grant is gone"
                : "the delegation chain is deeper than maxDelegationDepth " + maxDepth);
      }
      ancestors.add(parent);
      Decision denial = ownDenial(parent, now);
      if (denial != null) {
        return GrantStatus.unusable(grant, ancestors,
            denial == EXPIRED ? DenyReason.EXPIRED : DenyReason.REVOKED,
            "ancestor " + parent.reference() + " is " + parent.stateAt(now));
      }
      parentId = parent.parentId();
    }
    return GrantStatus.usable(grant, ancestors);
  }

  /** How many ancestors {@code grant} has, counting at most {@code maxDepth + 1}. */
  int depthOf(Grant grant) {
    int depth = 0;
    String parentId = grant.parentId();
    while (parentId != null && depth <= maxDepth) {
      depth++;
      Grant parent = grants.get(parentId);
      parentId = parent == null ? null : parent.parentId();
    }
    return depth;
  }
}
