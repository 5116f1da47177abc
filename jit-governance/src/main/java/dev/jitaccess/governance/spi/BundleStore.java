package dev.jitaccess.governance.spi;

import dev.jitaccess.governance.Bundle;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where bundles, their members and the grants minted from them are kept, shared by every replica.
 * A bundle changes only by {@link #compareAndSet}. Member changes are idempotent and answer what
 * they changed, so that a bulk call on 1,000 members is one call. The grant ids recorded here are
 * secrets: implementations never log them.
 *
 * <p>Implementations must be thread-safe; an exception thrown here fails the call that made it.
 */
public interface BundleStore {
  /**
   * Stores a new bundle.
   *
   * @throws IllegalStateException if a bundle of that name exists
   */
  void insert(Bundle bundle);

  /** The bundle's latest snapshot, or null. */
  @Nullable Bundle get(String name);

  /**
   * Replaces {@code expected} by {@code next} if the stored one is still {@code expected} (same
   * name and version).
   *
   * @return whether it was replaced
   * @throws IllegalArgumentException if {@code next} is not the next version of the same bundle
   */
  boolean compareAndSet(Bundle expected, Bundle next);

  /** Every bundle, ordered by name as {@link String#compareTo} orders them. */
  List<Bundle> bundles();

  /**
   * Adds {@code members} to the bundle: all of them or, if one is refused, none.
   *
   * @return how many were not members before
   */
  int addMembers(String bundle, Collection<String> members);

  /**
   * Removes {@code members} from the bundle.
   *
   * @return those that were members, in the order given
   */
  List<String> removeMembers(String bundle, Collection<String> members);

  /** Whether {@code member} is a member of the bundle. */
  boolean isMember(String bundle, String member);

  /** How many members the bundle has. */
  long memberCount(String bundle);

  /** Records that {@code grantId} was minted from the bundle for {@code member}. */
  void recordGrant(String bundle, String member, String grantId);

  /**
   * The ids of the grants minted from the bundle, for {@code member} only if not null, in no
   * particular order, each once; a member's grants stay listed after the member is removed.
   */
  List<String> grantsOf(String bundle, @Nullable String member);
}
