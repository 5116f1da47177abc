package dev.jitaccess.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.Scope;
import dev.jitaccess.governance.Bundle;
import dev.jitaccess.governance.BundleState;
import dev.jitaccess.governance.spi.BundleStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The checks of {@link BundleStore#insert}, {@link BundleStore#get} and {@link
 * BundleStore#bundles}, which {@link BundleStoreCompatibilityKit} runs as a nested class: every
 * field of every kind of bundle round-trips exactly, a name is taken once, and every bundle is
 * listed by name.
 */
abstract class BundleInsertChecks {
  private final BundleStoreCompatibilityKit kit;

  BundleInsertChecks(BundleStoreCompatibilityKit kit) {
    this.kit = kit;
  }

  private BundleStore store() {
    return kit.store();
  }

  private GovernanceBundles bundles() {
    return kit.bundles();
  }

  private void assertRoundTrips(Bundle bundle) {
    store().insert(bundle);
    assertEquals(bundle, store().get(bundle.name()), "get must return what insert stored");
  }

  @Test
  @DisplayName("get returns the bundle that was inserted")
  void getReturnsTheInsertedBundle() {
    assertRoundTrips(bundles().active());
  }

  @Test
  @DisplayName("get returns null for a name it never saw")
  void getReturnsNullForAnUnknownName() {
    store().insert(bundles().active());
    assertNull(store().get(GovernanceBundles.newName()));
  }

  @Test
  @DisplayName("a bundle in each state round-trips, an ended one with when it ended")
  void aBundleInEachStateRoundTrips() {
    for (BundleState state : BundleState.values()) {
      Bundle active = bundles().active();
      assertRoundTrips(state == BundleState.ACTIVE ? active
          : GovernanceBundles.ended(active, state, bundles().now().plusNanos(state.ordinal())));
    }
  }

  @Test
  @DisplayName("every field round-trips exactly at its limits: nanoseconds, instants before "
      + "1970, names of 256 characters beyond ASCII and the Basic Multilingual Plane, a scope of "
      + "256 permissions")
  void everyFieldRoundTripsAtItsLimits() {
    int max = GovernanceRequests.MAX_NAME;
    List<String> permissions = new ArrayList<>();
    for (int p = 0; p < Scope.MAX_PERMISSIONS; p++) {
      permissions.add("read:tenants/t" + p + "/reports/**");
    }
    Instant now = bundles().now();
    Bundle wide = new Bundle(GovernanceRequests.longText(GovernanceBundles.newName(), max),
        GovernanceRequests.longText(KitSupport.unique("owner"), max),
        GovernanceRequests.longText(KitSupport.unique("approver"), max),
        Scope.parse(permissions.toArray(new String[0])),
        GovernanceRequests.longText("tier", max),
        Instant.ofEpochSecond(now.getEpochSecond(), 1),
        Instant.ofEpochSecond(now.getEpochSecond(), 999_999_999),
        Instant.ofEpochSecond(now.getEpochSecond() - 1, 999_999_998), BundleState.REVOKED,
        now.plus(Duration.ofDays(3650)).plusNanos(1), Long.MAX_VALUE - 1);
    assertRoundTrips(wide);
    Bundle old = new Bundle(GovernanceBundles.newName(), "owner", "approver",
        Scope.parse("read:archive/**"), "LOW", Instant.ofEpochSecond(-86_401, 999_999_999),
        Instant.ofEpochSecond(-1, 1), Instant.ofEpochSecond(-2_000_000_000L, 7),
        BundleState.ENDED, Instant.ofEpochSecond(0, 0), 0);
    assertRoundTrips(old);
  }

  @Test
  @DisplayName("text a store cannot keep exactly is refused, never stored altered")
  void textThatCannotBeKeptIsRefusedOrKeptExactly() {
    // A valid bundle may hold a lone surrogate, which a driver may send as '?'.
    Bundle b = bundles().active();
    List<Bundle> awkward = List.of(
        new Bundle(b.name(), "half an emoji \uD83D", b.approvedBy(), b.scope(), b.tier(),
            b.startsAt(), b.endsAt(), b.createdAt(), b.state(), b.endedAt(), b.version()),
        GovernanceBundles.renamed(b, GovernanceBundles.newName() + "\uDE00"));
    for (Bundle bundle : awkward) {
      try {
        store().insert(bundle);
      } catch (RuntimeException refused) {
        assertNull(store().get(bundle.name()), "a refused insert must leave nothing behind");
        continue;
      }
      assertEquals(bundle, store().get(bundle.name()), "stored, it must be stored exactly");
    }
  }

  @Test
  @DisplayName("a second insert with the same name is refused and the first bundle is kept")
  void aDuplicateNameIsRefused() {
    Bundle first = bundles().active();
    store().insert(first);
    Bundle impostor = new Bundle(first.name(), "impostor", "impostor",
        Scope.parse("admin:everything/**"), "LOW", first.startsAt(), first.endsAt(),
        first.createdAt(), BundleState.ACTIVE, null, 0);
    assertThrows(IllegalStateException.class, () -> store().insert(impostor));
    assertThrows(IllegalStateException.class, () -> store().insert(first), "the same again");
    assertEquals(first, store().get(first.name()));
    assertEquals(List.of(first), store().bundles());
  }

  @Test
  @DisplayName("of racing inserts of different bundles with one name, exactly one is accepted")
  void exactlyOneRacingInsertOfANameIsAccepted() {
    for (int round = 0; round < BundleStoreCompatibilityKit.ROUNDS; round++) {
      String name = GovernanceBundles.newName();
      CyclicBarrier start = new CyclicBarrier(BundleStoreCompatibilityKit.THREADS);
      List<Callable<Bundle>> racers = new ArrayList<>();
      for (int t = 0; t < BundleStoreCompatibilityKit.THREADS; t++) {
        Bundle candidate = bundles().active(name);
        racers.add(() -> {
          start.await();
          try {
            store().insert(candidate);
            return candidate;
          } catch (IllegalStateException duplicate) {
            return null;
          }
        });
      }
      List<Bundle> accepted = new ArrayList<>();
      for (Bundle result : KitSupport.runConcurrently(racers)) {
        if (result != null) {
          accepted.add(result);
        }
      }
      assertEquals(1, accepted.size(), "round " + round + ": accepted " + accepted);
      assertEquals(accepted.get(0), store().get(name), "round " + round);
    }
  }

  @Test
  @DisplayName("bundles returns every bundle, as stored now, ordered by name as String.compareTo "
      + "orders them, also beyond the Basic Multilingual Plane")
  void bundlesListsEveryBundleByName() {
    assertEquals(List.of(), store().bundles(), "an empty store");
    String base = GovernanceBundles.newName();
    // UTF-16 order: an emoji (a surrogate pair, 0xD83D...) sorts before U+FF21, while by code
    // point (or by UTF-8 bytes, as a C collation sorts) it sorts after.
    List<String> names = new ArrayList<>(List.of(base + "-b", base + "-B", base + "-a",
        base + "-\uFF21", base + "-\uD83D\uDE80", base + "-\u00e9", base + "-", base + "-a-1",
        base + "-10", base + "-9", base + "-\uE000"));
    Collections.shuffle(names);
    List<Bundle> expected = new ArrayList<>();
    for (String name : names) {
      Bundle b = bundles().active(name);
      store().insert(b);
      expected.add(b);
    }
    Bundle changed = GovernanceBundles.reassigned(expected.get(0), "new-owner");
    assertTrue(store().compareAndSet(expected.get(0), changed));
    expected.set(0, changed);
    expected.sort((x, y) -> x.name().compareTo(y.name()));
    List<String> order = new ArrayList<>();
    for (Bundle b : expected) {
      order.add(b.name());
    }
    List<Bundle> listed = store().bundles();
    List<String> listedOrder = new ArrayList<>();
    for (Bundle b : listed) {
      listedOrder.add(b.name());
    }
    assertEquals(order, listedOrder, "by name, as String.compareTo orders them");
    assertEquals(expected, listed, "each as stored now");
  }
}
