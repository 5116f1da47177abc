package dev.jitaccess.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jitaccess.Scope;
import dev.jitaccess.governance.AccessRequest;
import dev.jitaccess.governance.Approval;
import dev.jitaccess.governance.Rejection;
import dev.jitaccess.governance.RequestState;
import dev.jitaccess.governance.Review;
import dev.jitaccess.governance.spi.GovernanceStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The checks of {@link GovernanceStore#insert} and {@link GovernanceStore#get}, which {@link
 * GovernanceStoreCompatibilityKit} runs as a nested class: every field of every kind of request
 * round-trips exactly, and an id is taken once.
 */
abstract class GovernanceInsertChecks {
  private final GovernanceStoreCompatibilityKit kit;

  GovernanceInsertChecks(GovernanceStoreCompatibilityKit kit) {
    this.kit = kit;
  }

  private GovernanceStore store() {
    return kit.store();
  }

  private GovernanceRequests requests() {
    return kit.requests();
  }

  private void assertRoundTrips(AccessRequest request) {
    store().insert(request);
    assertEquals(request, store().get(request.id()), "get must return what insert stored");
  }

  @Test
  @DisplayName("get returns the request that was inserted")
  void getReturnsTheInsertedRequest() {
    assertRoundTrips(requests().pending());
  }

  @Test
  @DisplayName("get returns null for an id it never saw")
  void getReturnsNullForAnUnknownId() {
    store().insert(requests().pending());
    assertNull(store().get(GovernanceRequests.newId()));
  }

  @Test
  @DisplayName("every field round-trips: issuer, ticket, start, approvals with and without a "
      + "team, and rejections, in order")
  void everyFieldOfAPendingRequestRoundTrips() {
    Instant now = requests().now();
    List<Approval> approvals = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      approvals.add(new Approval("approver-" + (12 - i), i % 3 == 0 ? null : "team-" + i,
          now.plusNanos(i * 1_000_001L)));
    }
    AccessRequest request = requests().pending(now).issuer("https://issuer.example/tenant-7")
        .ticket("CHG-20261123-0042").startAt(now.plus(Duration.ofMinutes(15)).plusNanos(7))
        .approvals(approvals)
        .rejections(List.of(new Rejection("approver-z", "not during the freeze", now.plusNanos(3)),
            new Rejection("approver-a", "scope too wide", now.plusNanos(2))))
        .version(14).build();
    assertRoundTrips(request);
  }

  @Test
  @DisplayName("an APPROVED request round-trips with its activation window")
  void anApprovedRequestRoundTrips() {
    assertRoundTrips(requests().approvedUntil(requests().now().plusSeconds(90)));
  }

  @Test
  @DisplayName("a request in every final state round-trips with its close, an ACTIVE one with "
      + "its grant")
  void requestsInFinalStatesRoundTrip() {
    for (RequestState state : RequestState.values()) {
      if (state.isFinal()) {
        assertRoundTrips(requests().closed(state));
      }
    }
  }

  @Test
  @DisplayName("a break-glass request round-trips before its review and with each verdict")
  void breakGlassRoundTripsWithEachReview() {
    assertRoundTrips(requests().breakGlassDueAt(requests().now().plusSeconds(60)));
    for (Review.Verdict verdict : Review.Verdict.values()) {
      AccessRequest due = requests().breakGlassDueAt(requests().now().minusSeconds(60));
      assertRoundTrips(GovernanceRequests.reviewed(due, verdict, requests().now()));
    }
  }

  @Test
  @DisplayName("every field round-trips exactly at its limits: nanoseconds, names of 256 and "
      + "texts of 1,024 characters beyond ASCII and the Basic Multilingual Plane")
  void everyFieldRoundTripsAtItsLimits() {
    Instant created = Instant.ofEpochSecond(requests().now().getEpochSecond(), 1);
    int name = GovernanceRequests.MAX_NAME;
    int text = GovernanceRequests.MAX_TEXT;
    List<String> permissions = new ArrayList<>();
    for (int p = 0; p < Scope.MAX_PERMISSIONS; p++) {
      permissions.add("read:tenants/t" + p + "/reports/**");
    }
    AccessRequest request = requests().pending(created)
        .id(("req_" + KitSupport.newId() + "-_".repeat(name)).substring(0, name))
        .requester(GovernanceRequests.longText(KitSupport.unique("requester"), name))
        .issuer(GovernanceRequests.longText("https://issuer.example/", name))
        .subject(GovernanceRequests.longText(KitSupport.unique("subject"), name))
        .owner(GovernanceRequests.longText(KitSupport.unique("owner"), name))
        .task(GovernanceRequests.longText(KitSupport.unique("task"), name))
        .purpose(GovernanceRequests.longText("purpose \u2714\uFE0F", text))
        .scope(Scope.parse(permissions.toArray(new String[0])))
        .lifetime(Duration.ofSeconds(86_399, 999_999_999))
        .tier(GovernanceRequests.longText("tier", name))
        .rule(GovernanceRequests.longText("rule", name))
        .justification(GovernanceRequests.longText("justification", text))
        .ticket(GovernanceRequests.longText("ticket", name))
        .startAt(created.plusNanos(999_999_998)).expiresAt(created.plus(Duration.ofDays(3650)))
        .approvals(List.of(new Approval(GovernanceRequests.longText("approver", name),
            GovernanceRequests.longText("team", name), created.plusNanos(123_456_789))))
        .rejections(List.of(new Rejection(GovernanceRequests.longText("approver 2", name),
            GovernanceRequests.longText("reason", text), created.plusNanos(987_654_321))))
        .version(Long.MAX_VALUE - 1).build();
    assertRoundTrips(request);
    AccessRequest glass = requests().breakGlassDueAt(created.plusNanos(999_999_999));
    assertRoundTrips(GovernanceRequests.reviewed(glass, Review.Verdict.REJECTED,
        created.plusNanos(1)).toBuilder().review(new Review(
            GovernanceRequests.longText("reviewer", name), Review.Verdict.REJECTED,
            GovernanceRequests.longText("note", text), created.plusNanos(1))).build());
  }

  @Test
  @DisplayName("text a store cannot keep exactly is refused, never stored altered")
  void textThatCannotBeKeptIsRefusedOrKeptExactly() {
    // A valid request may hold a lone surrogate (a driver may send it as '?'), and an approval's
    // team or a rejection's reason is not checked at all (a database may refuse NUL).
    List<AccessRequest> awkward = List.of(
        requests().pending(requests().now()).purpose("half an emoji \uD83D").build(),
        requests().pending(requests().now()).approvals(List.of(
            new Approval("approver", "team\u0000nul", requests().now()))).version(1).build(),
        requests().pending(requests().now()).rejections(List.of(
            new Rejection("approver", "\uDE00 no", requests().now()))).version(1).build());
    for (AccessRequest request : awkward) {
      try {
        store().insert(request);
      } catch (RuntimeException refused) {
        assertNull(store().get(request.id()), "a refused insert must leave nothing behind");
        continue;
      }
      assertEquals(request, store().get(request.id()), "stored, it must be stored exactly");
    }
  }

  @Test
  @DisplayName("a second insert with the same id is refused and the first request is kept")
  void aDuplicateIdIsRefused() {
    AccessRequest first = requests().pending();
    store().insert(first);
    AccessRequest impostor = requests().pending(requests().now()).id(first.id())
        .subject("impostor").scope(Scope.parse("admin:everything/**")).build();
    assertThrows(IllegalStateException.class, () -> store().insert(impostor));
    assertEquals(first, store().get(first.id()));
  }

  @Test
  @DisplayName("of racing inserts of different requests with one id, exactly one is accepted")
  void exactlyOneRacingInsertOfAnIdIsAccepted() {
    for (int round = 0; round < GovernanceStoreCompatibilityKit.ROUNDS; round++) {
      String id = GovernanceRequests.newId();
      CyclicBarrier start = new CyclicBarrier(GovernanceStoreCompatibilityKit.THREADS);
      List<Callable<AccessRequest>> racers = new ArrayList<>();
      for (int t = 0; t < GovernanceStoreCompatibilityKit.THREADS; t++) {
        AccessRequest candidate =
            requests().pending(requests().now()).id(id).subject("racer-" + t).build();
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
      List<AccessRequest> accepted = new ArrayList<>();
      for (AccessRequest result : KitSupport.runConcurrently(racers)) {
        if (result != null) {
          accepted.add(result);
        }
      }
      assertEquals(1, accepted.size(), "round " + round + ": accepted " + accepted);
      assertEquals(accepted.get(0), store().get(id), "round " + round);
    }
  }
}
