package dev.jitaccess.testkit;

import dev.jitaccess.Grant;
import dev.jitaccess.spi.GrantStore;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The base of the groups of checks {@link GrantStoreCompatibilityKit} runs as nested classes: the
 * kit's store, clock and grant makers under the names the checks use.
 */
abstract class GrantStoreChecks {
  static final int THREADS = GrantStoreCompatibilityKit.THREADS;
  static final int ROUNDS = GrantStoreCompatibilityKit.ROUNDS;

  private final GrantStoreCompatibilityKit kit;

  GrantStoreChecks(GrantStoreCompatibilityKit kit) {
    this.kit = kit;
  }

  final GrantStore store() {
    return kit.store();
  }

  final FakeClock clock() {
    return kit.clock();
  }

  final @Nullable Duration retention() {
    return kit.retention();
  }

  final Grant newGrant() {
    return kit.newGrant();
  }

  final Grant newGrant(String subject, String owner, String task, @Nullable String parentId,
      java.util.OptionalLong useBudget) {
    return kit.newGrant(subject, owner, task, parentId, useBudget);
  }

  final Grant newGrantWithBudget(long budget) {
    return kit.newGrantWithBudget(budget);
  }

  final void assertLatest(Grant expected, String message) {
    kit.assertLatest(expected, message);
  }

  final void awaitFreshView(String id) {
    kit.awaitFreshView(id);
  }

  static Set<String> ids(Collection<Grant> grants) {
    return GrantStoreCompatibilityKit.ids(grants);
  }
}
