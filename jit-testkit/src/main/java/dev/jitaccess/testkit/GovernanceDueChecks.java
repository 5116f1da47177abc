package dev.jitaccess.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.governance.AccessRequest;
import dev.jitaccess.governance.RequestState;
import dev.jitaccess.governance.Review;
import dev.jitaccess.governance.spi.GovernanceStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The checks of {@link GovernanceStore#due}, which {@link GovernanceStoreCompatibilityKit} runs as
 * a nested class: exactly the requests whose {@link AccessRequest#deadline()} has come, as they
 * are stored now, oldest deadline first, up to the limit.
 */
abstract class GovernanceDueChecks {
  private final GovernanceStoreCompatibilityKit kit;

  GovernanceDueChecks(GovernanceStoreCompatibilityKit kit) {
    this.kit = kit;
  }

  private GovernanceStore store() {
    return kit.store();
  }

  private GovernanceRequests requests() {
    return kit.requests();
  }

  private AccessRequest insert(AccessRequest r) {
    store().insert(r);
    return r;
  }

  private static List<String> ids(List<AccessRequest> requests) {
    List<String> ids = new ArrayList<>();
    for (AccessRequest r : requests) {
      ids.add(r.id() + " (" + r.state() + ", deadline " + r.deadline() + ")");
    }
    return ids;
  }

  @Test
  @DisplayName("returns exactly the requests whose deadline is at or before now: PENDING past "
      + "expiresAt, APPROVED past activateBy, unreviewed break-glass past reviewDue")
  void returnsExactlyTheRequestsWhoseDeadlineHasCome() {
    Instant now = requests().now();
    AccessRequest pendingPast = insert(requests().pendingExpiringAt(now.minusNanos(1)));
    AccessRequest pendingAtNow = insert(requests().pendingExpiringAt(now));
    insert(requests().pendingExpiringAt(now.plusNanos(1)));
    AccessRequest approvedPast = insert(requests().approvedUntil(now.minusSeconds(1)));
    // Its request TTL ended long ago: once APPROVED, only the activation window counts.
    insert(requests().approvedUntil(now.plusNanos(1)));
    AccessRequest breakGlassPast = insert(requests().breakGlassDueAt(now.minusMillis(1)));
    insert(requests().breakGlassDueAt(now.plusNanos(1)));
    for (Review.Verdict verdict : Review.Verdict.values()) {
      insert(GovernanceRequests.reviewed(requests().breakGlassDueAt(now.minusSeconds(2)),
          verdict, now.minusSeconds(3)));
    }
    for (RequestState state : RequestState.values()) {
      if (state.isFinal()) {
        insert(requests().closed(state));
      }
    }
    List<AccessRequest> expected = List.of(approvedPast, breakGlassPast, pendingPast, pendingAtNow);
    List<AccessRequest> due = store().due(now, 100);
    assertEquals(ids(expected), ids(due), "due at " + now);
    assertEquals(expected, due, "each as stored");
  }

  @Test
  @DisplayName("orders by deadline, oldest first, whatever the order of insertion and the kind "
      + "of deadline, and returns at most limit")
  void ordersByDeadlineAndStopsAtTheLimit() {
    Instant now = requests().now();
    List<AccessRequest> inserted = new ArrayList<>();
    for (int i = 1; i <= 30; i++) {
      Instant deadline = now.minus(Duration.ofSeconds(i * 7L)).minusNanos(i);
      switch (i % 3) {
        case 0:
          inserted.add(requests().pendingExpiringAt(deadline));
          break;
        case 1:
          inserted.add(requests().approvedUntil(deadline));
          break;
        default:
          inserted.add(requests().breakGlassDueAt(deadline));
      }
    }
    Collections.shuffle(inserted, ThreadLocalRandom.current());
    inserted.forEach(this::insert);
    List<AccessRequest> oldestFirst = new ArrayList<>(inserted);
    oldestFirst.sort(Comparator.comparing(r -> Objects.requireNonNull(r.deadline())));
    assertEquals(ids(oldestFirst), ids(store().due(now, 100)), "all 30");
    assertEquals(ids(oldestFirst), ids(store().due(now, 30)), "limit 30");
    assertEquals(ids(oldestFirst.subList(0, 7)), ids(store().due(now, 7)), "limit 7");
    assertEquals(ids(oldestFirst.subList(0, 1)), ids(store().due(now, 1)), "limit 1");
    Instant middle = Objects.requireNonNull(oldestFirst.get(14).deadline());
    assertEquals(ids(oldestFirst.subList(0, 15)), ids(store().due(middle, 100)),
        "due at the 15th deadline: the first 15");
  }

  @Test
  @DisplayName("a request's deadline follows compareAndSet: it leaves due once acted on, and "
      + "comes back with its next deadline")
  void theDeadlineFollowsCompareAndSet() {
    Instant now = requests().now();
    AccessRequest r = insert(requests().pendingExpiringAt(now.minusSeconds(1)));
    assertEquals(List.of(r), store().due(now, 10));
    Instant activateBy = now.plus(Duration.ofMinutes(5)).plusNanos(3);
    AccessRequest approved = GovernanceRequests.approvedBy(r, "approver", now).toBuilder()
        .state(RequestState.APPROVED).activateBy(activateBy).build();
    assertTrue(store().compareAndSet(r, approved));
    assertEquals(List.of(), store().due(now, 10), "approved: its activation window is open");
    assertEquals(List.of(), store().due(activateBy.minusNanos(1), 10), "a nanosecond before");
    assertEquals(List.of(approved), store().due(activateBy, 10), "at the end of the window");
    AccessRequest active = approved.toBuilder().state(RequestState.ACTIVE)
        .grantId(KitSupport.newId()).closedAt(now).version(approved.version() + 1).build();
    assertTrue(store().compareAndSet(approved, active));
    assertEquals(List.of(), store().due(Instant.MAX, 10), "ACTIVE, not break-glass: never due");
  }

  @Test
  @DisplayName("a break-glass request leaves due once reviewed")
  void aBreakGlassRequestLeavesDueOnceReviewed() {
    Instant now = requests().now();
    AccessRequest glass = insert(requests().breakGlassDueAt(now.minusSeconds(1)));
    AccessRequest other = insert(requests().breakGlassDueAt(now.minusSeconds(2)));
    assertEquals(List.of(other, glass), store().due(now, 10));
    AccessRequest missed = GovernanceRequests.reviewed(other, Review.Verdict.MISSED, now);
    assertTrue(store().compareAndSet(other, missed));
    assertEquals(List.of(glass), store().due(now, 10));
    AccessRequest confirmed = GovernanceRequests.reviewed(glass, Review.Verdict.CONFIRMED, now);
    assertTrue(store().compareAndSet(glass, confirmed));
    assertEquals(List.of(), store().due(now, 10));
  }

  @Test
  @DisplayName("requests without a deadline are never due, even at the end of time")
  void requestsWithoutADeadlineAreNeverDue() {
    Instant now = requests().now();
    for (RequestState state : RequestState.values()) {
      if (state.isFinal()) {
        insert(requests().closed(state));
      }
    }
    insert(GovernanceRequests.reviewed(requests().breakGlassDueAt(now.minusSeconds(1)),
        Review.Verdict.CONFIRMED, now));
    AccessRequest last = insert(requests().pendingExpiringAt(now.plus(Duration.ofDays(365))));
    assertEquals(List.of(last), store().due(Instant.MAX, 100));
    assertEquals(List.of(), store().due(Instant.MIN, 100));
  }
}
