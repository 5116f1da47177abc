package dev.jitaccess.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantState;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.spi.GrantStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The checks of {@link GrantStore#endChildren}, which {@link GrantStoreCompatibilityKit} runs as
 * a nested class: the state and reason of each ended child, ended children left alone, the
 * limit, and races with {@code compareAndSet} that lose no transition.
 */
abstract class EndChildrenChecks {
  /** How many independent races the race test runs. */
  private static final int RACES = 50;

  private final GrantStoreCompatibilityKit kit;

  EndChildrenChecks(GrantStoreCompatibilityKit kit) {
    this.kit = kit;
  }

  private GrantStore store() {
    return kit.store();
  }

  private Grant insert(@Nullable String parentId, OptionalLong budget) {
    Grant grant = kit.newGrant(KitSupport.unique("subject"), KitSupport.unique("owner"),
        KitSupport.unique("task"), parentId, budget);
    store().insert(grant);
    return grant;
  }

  private Grant insertChild(String parentId) {
    return insert(parentId, OptionalLong.empty());
  }

  /**
   * Asserts that get returns {@code expected}; an ended grant may be gone already, since the kit
   * does not demand a retention.
   */
  private void assertLatest(Grant expected, String message) {
    Grant seen = store().get(expected.id());
    if (seen != null || !expected.state().isTerminal()) {
      assertEquals(expected, seen, message);
    }
  }

  private static Map<String, Grant> byId(List<Grant> grants) {
    Map<String, Grant> byId = new HashMap<>();
    for (Grant grant : grants) {
      Grant earlier = byId.put(grant.id(), grant);
      assertEquals(null, earlier, "a child must be ended once: " + grant);
    }
    return byId;
  }

  @Test
  @DisplayName("end children ends each ACTIVE child: EXPIRED if its time is up, else "
      + "PARENT_REVOKED, and nothing else")
  void endsActiveChildrenWithTheRightStateAndReason() {
    Grant parent = insert(null, OptionalLong.empty());
    Grant due = insertChild(parent.id());
    kit.clock().advance(Duration.ofMinutes(5));
    Grant notDue = insertChild(parent.id());
    Grant grandchild = insertChild(due.id());
    Grant other = insert(null, OptionalLong.empty());
    kit.clock().advance(Duration.ofMinutes(5)); // due's expiresAt: now
    Instant now = kit.clock().instant();

    Map<String, Grant> ended = byId(store().endChildren(List.of(parent.id()), now, 10));

    assertEquals(Set.of(due.id(), notDue.id()), ended.keySet());
    assertEquals(due.end(GrantState.EXPIRED, RevocationReason.EXPIRED, now), ended.get(due.id()));
    assertEquals(notDue.end(GrantState.REVOKED, RevocationReason.PARENT_REVOKED, now),
        ended.get(notDue.id()));
    assertEquals(due.version() + 1, ended.get(due.id()).version());
    for (Grant grant : ended.values()) {
      assertLatest(grant, "get must return the ended snapshot");
    }
    assertEquals(grandchild, store().get(grandchild.id()), "grandchildren are not touched");
    assertEquals(other, store().get(other.id()), "other grants are not touched");
    assertEquals(parent, store().get(parent.id()), "the parent is not touched");
    assertTrue(store().endChildren(List.of(parent.id()), now, 10).isEmpty(),
        "a second call finds nothing left to end");
  }

  @Test
  @DisplayName("end children leaves a child that has already ended as it is")
  void leavesEndedChildrenAlone() {
    Grant parent = insert(null, OptionalLong.empty());
    Grant child = insertChild(parent.id());
    Instant now = kit.clock().instant();
    Grant revoked = child.end(GrantState.REVOKED, RevocationReason.MANUAL, now);
    assertTrue(store().compareAndSet(child, revoked));
    kit.clock().advance(Duration.ofMinutes(1));

    assertTrue(store().endChildren(List.of(parent.id()), kit.clock().instant(), 10).isEmpty());
    assertLatest(revoked, "the revocation stays");
  }

  @Test
  @DisplayName("end children ends at most limit children per call, and each child once")
  void respectsTheLimit() {
    Grant parent = insert(null, OptionalLong.empty());
    Grant sibling = insert(null, OptionalLong.empty());
    List<String> children = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      children.add(insertChild(i % 2 == 0 ? parent.id() : sibling.id()).id());
    }
    Instant now = kit.clock().instant();
    List<Grant> ended = new ArrayList<>();
    for (int call = 0; call < 10; call++) {
      List<Grant> batch = store().endChildren(List.of(parent.id(), sibling.id()), now, 2);
      assertTrue(batch.size() <= 2, "call " + call + " ended " + batch.size() + " > limit 2");
      if (batch.isEmpty()) {
        break;
      }
      ended.addAll(batch);
    }
    assertEquals(Set.copyOf(children), byId(ended).keySet());
    for (Grant grant : ended) {
      assertEquals(RevocationReason.PARENT_REVOKED, grant.endReason());
      assertLatest(grant, "get must return the ended snapshot");
    }
  }

  @Test
  @DisplayName("end children racing compareAndSet loses no transition and ends each child once")
  void racingWithCompareAndSetLosesNoTransition() {
    int childCount = GrantStoreCompatibilityKit.THREADS - 2;
    for (int race = 0; race < RACES; race++) {
      Grant parent = insert(null, OptionalLong.empty());
      List<Grant> children = new ArrayList<>();
      for (int i = 0; i < childCount; i++) {
        children.add(insert(parent.id(), OptionalLong.of(10)));
      }
      Instant now = kit.clock().instant();
      CyclicBarrier start = new CyclicBarrier(GrantStoreCompatibilityKit.THREADS);
      List<Callable<List<Grant>>> racers = new ArrayList<>();
      for (int e = 0; e < 2; e++) {
        racers.add(() -> {
          start.await();
          return store().endChildren(List.of(parent.id()), now, childCount);
        });
      }
      for (int i = 0; i < childCount; i++) {
        Grant child = children.get(i);
        Grant next = i % 2 == 0 ? child.withUsesConsumed(1)
            : child.end(GrantState.REVOKED, RevocationReason.MANUAL, now);
        racers.add(() -> {
          start.await();
          return store().compareAndSet(child, next) ? List.of(next) : List.of();
        });
      }
      List<List<Grant>> results = KitSupport.runConcurrently(racers);
      List<Grant> endedByCascade = new ArrayList<>(results.get(0));
      endedByCascade.addAll(results.get(1));
      Map<String, Grant> ended = byId(endedByCascade);
      ended.putAll(byId(store().endChildren(List.of(parent.id()), now, childCount)));
      for (int i = 0; i < childCount; i++) {
        Grant child = children.get(i);
        boolean setWon = !results.get(2 + i).isEmpty();
        String where = "race " + race + ", child " + i;
        if (i % 2 == 1 && setWon) {
          assertLatest(results.get(2 + i).get(0), where + ": the revocation stays");
          assertTrue(!ended.containsKey(child.id()), where + ": ended twice");
          continue;
        }
        Grant stored = ended.get(child.id());
        assertNotNull(stored, where + ": every child must end");
        assertLatest(stored, where + ": get must return the end");
        assertEquals(RevocationReason.PARENT_REVOKED, stored.endReason(), where);
        assertEquals(setWon ? 1 : 0, stored.usesConsumed(), where + ": the spent use stays");
        assertEquals(setWon ? 2 : 1, stored.version(), where);
      }
    }
  }
}
