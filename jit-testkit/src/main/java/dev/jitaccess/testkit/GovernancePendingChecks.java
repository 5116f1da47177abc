package dev.jitaccess.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.governance.AccessRequest;
import dev.jitaccess.governance.RequestState;
import dev.jitaccess.governance.spi.GovernanceStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The checks of {@link GovernanceStore#pending}, which {@link GovernanceStoreCompatibilityKit}
 * runs as a nested class: the PENDING requests as stored now, oldest first, up to the limit.
 */
abstract class GovernancePendingChecks {
  private final GovernanceStoreCompatibilityKit kit;

  GovernancePendingChecks(GovernanceStoreCompatibilityKit kit) {
    this.kit = kit;
  }

  private GovernanceStore store() {
    return kit.store();
  }

  private GovernanceRequests requests() {
    return kit.requests();
  }

  /** PENDING requests made a second and a nanosecond apart, oldest first, inserted shuffled. */
  private List<AccessRequest> insertPending(int count) {
    Instant now = requests().now();
    List<AccessRequest> made = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      made.add(requests().pending(now.minus(Duration.ofSeconds(count - i)).plusNanos(i)).build());
    }
    List<AccessRequest> shuffled = new ArrayList<>(made);
    Collections.shuffle(shuffled, ThreadLocalRandom.current());
    shuffled.forEach(store()::insert);
    made.sort(Comparator.comparing(AccessRequest::createdAt));
    return made;
  }

  @Test
  @DisplayName("returns the PENDING requests, oldest first, and none in another state")
  void returnsThePendingRequestsOldestFirst() {
    List<AccessRequest> pending = insertPending(12);
    for (RequestState state : RequestState.values()) {
      if (state.isFinal()) {
        store().insert(requests().closed(state));
      }
    }
    store().insert(requests().approvedUntil(requests().now().plusSeconds(60)));
    store().insert(requests().breakGlassDueAt(requests().now().plusSeconds(60)));
    assertEquals(pending, store().pending(100));
  }

  @Test
  @DisplayName("returns at most limit, the oldest")
  void returnsAtMostLimitTheOldest() {
    List<AccessRequest> pending = insertPending(10);
    assertEquals(pending.subList(0, 3), store().pending(3));
    assertEquals(pending.subList(0, 1), store().pending(1));
    assertEquals(pending, store().pending(10));
  }

  @Test
  @DisplayName("returns each request as stored now, and no longer once it is decided")
  void followsCompareAndSet() {
    List<AccessRequest> pending = insertPending(3);
    Instant now = requests().now();
    AccessRequest first = pending.get(0);
    AccessRequest onceApproved = GovernanceRequests.approvedBy(first, "approver-1", now);
    assertTrue(store().compareAndSet(first, onceApproved));
    assertEquals(List.of(onceApproved, pending.get(1), pending.get(2)), store().pending(10),
        "still PENDING with one approval");
    AccessRequest approved = GovernanceRequests.approvedBy(onceApproved, "approver-2", now)
        .toBuilder().state(RequestState.APPROVED).activateBy(now.plusSeconds(60)).build();
    assertTrue(store().compareAndSet(onceApproved, approved));
    AccessRequest second = pending.get(1);
    AccessRequest cancelled = second.toBuilder().state(RequestState.CANCELLED).closedAt(now)
        .version(second.version() + 1).build();
    assertTrue(store().compareAndSet(second, cancelled));
    assertEquals(List.of(pending.get(2)), store().pending(10));
  }
}
