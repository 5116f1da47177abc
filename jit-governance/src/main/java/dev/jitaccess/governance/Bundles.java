package dev.jitaccess.governance;

import dev.jitaccess.Grant;
import dev.jitaccess.Scope;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Pre-approved entitlement bundles, for peaks that outrun human review (seasonal staff,
 * outsourced support): an owner-approved set of scopes in a tier, with a strict window, whose
 * members activate grants without a per-request approval. A grant from a bundle is capped at the
 * bundle's end, and ends when the bundle ends ({@code BUNDLE_ENDED}, {@code BUNDLE_REVOKED}) or
 * its member is removed ({@code MEMBER_REMOVED}), on every replica sharing the stores. Obtained
 * from {@link Governance#bundles()}; thread-safe.
 */
public interface Bundles {
  /** The reason grants end when their bundle's window closes or it is ended. */
  String BUNDLE_ENDED = "BUNDLE_ENDED";
  /** The reason grants end when their bundle is revoked. */
  String BUNDLE_REVOKED = "BUNDLE_REVOKED";
  /** The reason a member's grants end when the member is removed. */
  String MEMBER_REMOVED = "MEMBER_REMOVED";

  /**
   * Creates a bundle.
   *
   * @throws GovernanceException {@code BUNDLE_WINDOW} if the window ends before it starts, has
   *     already ended, or is longer than the tier's {@code maxBundleWindow}; {@code UNKNOWN_TIER};
   *     {@code UNKNOWN_BUNDLE} if the name is taken
   */
  Bundle create(BundleSpec spec);

  /**
   * Adds members in bulk.
   *
   * @return how many were not members before
   * @throws GovernanceException {@code UNKNOWN_BUNDLE}, or {@code OUTSIDE_WINDOW} once it ended
   */
  int addMembers(String bundle, Collection<String> members, String actor);

  /**
   * Removes members in bulk; every grant each had from the bundle ends ({@code MEMBER_REMOVED}).
   *
   * @return the members that were removed
   */
  List<String> removeMembers(String bundle, Collection<String> members, String actor);

  /**
   * Mints a grant from the bundle for {@code member}: within the bundle's scope (all of it if
   * {@code scope} is null), the tier's maximum lifetime and the bundle's end.
   *
   * @throws GovernanceException {@code UNKNOWN_BUNDLE}, {@code OUTSIDE_WINDOW}, {@code
   *     NOT_MEMBER}, {@code NOT_ELIGIBLE} (scope outside the bundle's), {@code OUT_OF_BOUNDS}
   *     (lifetime over the tier's)
   */
  Grant activate(String bundle, String member, String task, String purpose, Scope scope,
      Duration lifetime);

  /**
   * Ends the bundle now: every grant from it ends ({@code BUNDLE_ENDED}, or {@code
   * BUNDLE_REVOKED} if {@code revoke}).
   *
   * @return the bundle after, or as it was if it had ended already
   */
  Bundle end(String bundle, String actor, boolean revoke);

  /** The bundle's latest snapshot, if any. */
  Optional<Bundle> find(String bundle);

  /** How many members it has. */
  long memberCount(String bundle);
}
