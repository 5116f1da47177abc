package dev.jitaccess.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.governance.AccessRequest;
import dev.jitaccess.governance.Approval;
import dev.jitaccess.governance.Rejection;
import dev.jitaccess.governance.RequestState;
import dev.jitaccess.governance.spi.GovernanceStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The checks of {@link GovernanceStore#compareAndSet}, which {@link
 * GovernanceStoreCompatibilityKit} runs as a nested class: decided by id and version, once, every
 * field replaced, and linearizable under racing threads.
 */
abstract class GovernanceCompareAndSetChecks {
  /** How many decisions each thread of the lost-update test makes. */
  private static final int DECISIONS_PER_THREAD = 6;

  private final GovernanceStoreCompatibilityKit kit;

  GovernanceCompareAndSetChecks(GovernanceStoreCompatibilityKit kit) {
    this.kit = kit;
  }

  private GovernanceStore store() {
    return kit.store();
  }

  private GovernanceRequests requests() {
    return kit.requests();
  }

  private AccessRequest inserted() {
    AccessRequest r = requests().pending();
    store().insert(r);
    return r;
  }

  @Test
  @DisplayName("succeeds once from the stored snapshot, and get returns the new one")
  void succeedsOnceFromTheStoredSnapshot() {
    AccessRequest r = inserted();
    AccessRequest next = GovernanceRequests.approvedBy(r, "approver-1", requests().now());
    assertTrue(store().compareAndSet(r, next));
    assertEquals(next, store().get(r.id()));
    AccessRequest other = GovernanceRequests.approvedBy(r, "approver-2", requests().now());
    assertFalse(store().compareAndSet(r, other), "the same snapshot a second time");
    assertEquals(next, store().get(r.id()));
  }

  @Test
  @DisplayName("fails from a stale snapshot and leaves the stored one alone")
  void failsFromAStaleSnapshot() {
    AccessRequest r = inserted();
    AccessRequest v1 = GovernanceRequests.approvedBy(r, "approver-1", requests().now());
    AccessRequest v2 = GovernanceRequests.approvedBy(v1, "approver-2", requests().now());
    assertTrue(store().compareAndSet(r, v1));
    assertTrue(store().compareAndSet(v1, v2));
    AccessRequest stale = r.toBuilder().state(RequestState.CANCELLED)
        .closedAt(requests().now()).version(1).build();
    assertFalse(store().compareAndSet(r, stale), "version 0 is two changes behind");
    assertFalse(store().compareAndSet(v1, GovernanceRequests.approvedBy(v1, "approver-3",
        requests().now())), "version 1 is one change behind");
    assertEquals(v2, store().get(r.id()));
  }

  @Test
  @DisplayName("refuses a next that is not the next version of the same request, and stores "
      + "nothing")
  void refusesANextThatIsNotTheNextVersion() {
    AccessRequest r = inserted();
    AccessRequest other = inserted();
    Instant now = requests().now();
    List<AccessRequest> wrong = List.of(
        GovernanceRequests.approvedBy(r, "approver", now).toBuilder().version(r.version()).build(),
        GovernanceRequests.approvedBy(r, "approver", now).toBuilder().version(r.version() + 2)
            .build(),
        GovernanceRequests.approvedBy(other, "approver", now),
        GovernanceRequests.approvedBy(r, "approver", now).toBuilder().id(other.id()).build());
    for (AccessRequest next : wrong) {
      assertThrows(IllegalArgumentException.class, () -> store().compareAndSet(r, next),
          next.toString());
    }
    assertEquals(r, store().get(r.id()));
    assertEquals(other, store().get(other.id()));
  }

  @Test
  @DisplayName("fails for a request it does not hold, and stores nothing")
  void failsForAnUnknownRequest() {
    AccessRequest r = requests().pending();
    assertFalse(store().compareAndSet(r,
        GovernanceRequests.approvedBy(r, "approver", requests().now())));
    assertNull(store().get(r.id()));
  }

  @Test
  @DisplayName("replaces every field, through a request's whole life, and get returns each step")
  void replacesEveryFieldThroughALifecycle() {
    AccessRequest r = inserted();
    Instant now = requests().now();
    AccessRequest rejectedOnce = r.toBuilder().rejections(List.of(
        new Rejection("approver-1", "ask for less", now.plusNanos(1)))).version(1).build();
    AccessRequest approvedOnce = rejectedOnce.toBuilder().approvals(List.of(
        new Approval("approver-2", "team-a", now.plusNanos(2)))).version(2).build();
    AccessRequest approved = approvedOnce.toBuilder().approvals(List.of(
        approvedOnce.approvals().get(0), new Approval("approver-3", "team-b", now.plusNanos(3))))
        .state(RequestState.APPROVED).activateBy(now.plus(Duration.ofMinutes(10)).plusNanos(4))
        .version(3).build();
    AccessRequest active = approved.toBuilder().state(RequestState.ACTIVE)
        .grantId(KitSupport.newId()).closedAt(now.plusSeconds(5).plusNanos(5)).version(4)
        .build();
    AccessRequest current = r;
    for (AccessRequest next : List.of(rejectedOnce, approvedOnce, approved, active)) {
      assertTrue(store().compareAndSet(current, next), "to version " + next.version());
      assertEquals(next, store().get(r.id()), "version " + next.version());
      current = next;
    }
  }

  @Test
  @DisplayName("stores next's approvals and rejections exactly, also when it holds fewer")
  void storesTheDecisionsOfNextExactly() {
    Instant now = requests().now();
    AccessRequest r = requests().pending(now).approvals(List.of(
        new Approval("approver-1", null, now), new Approval("approver-2", "team", now)))
        .rejections(List.of(new Rejection("approver-3", "no", now))).version(3).build();
    store().insert(r);
    AccessRequest fewer = r.toBuilder().approvals(List.of(r.approvals().get(1)))
        .rejections(List.of()).version(4).build();
    assertTrue(store().compareAndSet(r, fewer));
    assertEquals(fewer, store().get(r.id()));
    AccessRequest reordered = fewer.toBuilder().approvals(List.of(
        new Approval("approver-4", null, now.plusNanos(1)), fewer.approvals().get(0)))
        .version(5).build();
    assertTrue(store().compareAndSet(fewer, reordered));
    assertEquals(reordered, store().get(r.id()));
  }

  @Test
  @DisplayName("of racing calls from one snapshot by many threads, exactly one wins")
  void exactlyOneRacingCallWins() {
    for (int round = 0; round < GovernanceStoreCompatibilityKit.ROUNDS; round++) {
      AccessRequest r = inserted();
      CyclicBarrier start = new CyclicBarrier(GovernanceStoreCompatibilityKit.THREADS);
      List<Callable<AccessRequest>> racers = new ArrayList<>();
      for (int t = 0; t < GovernanceStoreCompatibilityKit.THREADS; t++) {
        AccessRequest next = GovernanceRequests.approvedBy(r, "racer-" + t, requests().now());
        racers.add(() -> {
          start.await();
          return store().compareAndSet(r, next) ? next : null;
        });
      }
      List<AccessRequest> winners = new ArrayList<>();
      for (AccessRequest result : KitSupport.runConcurrently(racers)) {
        if (result != null) {
          winners.add(result);
        }
      }
      assertEquals(1, winners.size(), "round " + round + ": winners " + winners);
      assertEquals(winners.get(0), store().get(r.id()),
          "round " + round + ": get must return the winner's snapshot");
    }
  }

  @Test
  @DisplayName("no decision is lost while many threads decide, each retrying from what it read")
  void noDecisionIsLostUnderRacingDecisions() {
    AccessRequest r = inserted();
    CyclicBarrier start = new CyclicBarrier(GovernanceStoreCompatibilityKit.THREADS);
    List<Callable<Integer>> deciders = new ArrayList<>();
    for (int t = 0; t < GovernanceStoreCompatibilityKit.THREADS; t++) {
      String approver = "approver-" + t;
      deciders.add(() -> {
        start.await();
        int retries = 0;
        for (int d = 0; d < DECISIONS_PER_THREAD; d++) {
          while (true) {
            AccessRequest current = store().get(r.id());
            assertNotNull(current, "the request vanished");
            AccessRequest next = GovernanceRequests.approvedBy(current, approver + "/" + d,
                requests().now());
            if (store().compareAndSet(current, next)) {
              break;
            }
            retries++;
          }
        }
        return retries;
      });
    }
    KitSupport.runConcurrently(deciders);
    AccessRequest last = store().get(r.id());
    assertNotNull(last);
    int decisions = GovernanceStoreCompatibilityKit.THREADS * DECISIONS_PER_THREAD;
    assertEquals(decisions, last.version(), "one version per successful compareAndSet");
    Set<String> approvers = new HashSet<>();
    for (Approval a : last.approvals()) {
      assertTrue(approvers.add(a.approver()), "approved twice: " + a.approver());
    }
    assertEquals(decisions, approvers.size(), "every decision is kept, once");
  }
}
