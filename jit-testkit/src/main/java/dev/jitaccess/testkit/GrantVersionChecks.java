package dev.jitaccess.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantState;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The checks of versions, the rules of a transition, the listing of ACTIVE grants by expiry and a restart, which {@link GrantStoreCompatibilityKit} runs as a nested class.
 */
abstract class GrantVersionChecks extends GrantStoreChecks {
  GrantVersionChecks(GrantStoreCompatibilityKit kit) {
    super(kit);
  }

  @Test
  @DisplayName("the version round-trips and compareAndSet is decided by it")
  void compareAndSetIsDecidedByTheVersion() {
    Grant grant = newGrantWithBudget(10);
    store().insert(grant);
    assertEquals(0, Objects.requireNonNull(store().get(grant.id())).version());
    Grant spent = grant.withUsesConsumed(1);
    assertTrue(store().compareAndSet(grant, spent));
    assertEquals(1, Objects.requireNonNull(store().get(grant.id())).version());
    Grant fromTheOldVersion = grant.withUsesConsumed(2);
    assertFalse(store().compareAndSet(grant, fromTheOldVersion),
        "expected has version 0, the store holds version 1");
    assertEquals(spent, store().get(grant.id()));
  }

  @Test
  @DisplayName("refuses a replacement without the next version, or that changes a fixed field")
  void refusesIllegalTransitions() {
    Grant grant = newGrant();
    store().insert(grant);
    Grant skipped = grant.toBuilder().version(grant.version() + 2).build();
    assertThrows(IllegalArgumentException.class, () -> store().compareAndSet(grant, skipped));
    Grant otherScope = grant.toBuilder().version(grant.version() + 1)
        .scope(Scope.parse("admin:everything/**")).build();
    assertThrows(IllegalArgumentException.class,
        () -> store().compareAndSet(grant, otherScope));
    Grant otherSubject = grant.toBuilder().version(grant.version() + 1).subject("mallory")
        .build();
    assertThrows(IllegalArgumentException.class,
        () -> store().compareAndSet(grant, otherSubject));
    assertEquals(grant, store().get(grant.id()), "nothing was stored");
  }

  @Test
  @DisplayName("every field, the version included, round-trips through Grant.builder()")
  void everyFieldRoundTripsThroughTheBuilder() {
    Grant grant = newGrantWithBudget(5);
    store().insert(grant);
    Grant spent = grant.withUsesConsumed(2);
    assertTrue(store().compareAndSet(grant, spent));
    Grant renewed = spent.withExpiresAt(clock().instant().plus(Duration.ofMinutes(20)));
    assertTrue(store().compareAndSet(spent, renewed));
    Grant read = Objects.requireNonNull(store().get(grant.id()));
    assertEquals(renewed, read);
    assertEquals(2, read.version());
    assertEquals(read, read.toBuilder().build());
  }

  @Test
  @DisplayName("lists ACTIVE grants by expiry, then id, page after page, without ended ones")
  void listsActiveGrantsByExpiry() {
    List<Grant> active = new ArrayList<>();
    Instant now = clock().instant();
    for (int i = 0; i < 25; i++) {
      Grant grant = newGrant().toBuilder()
          .expiresAt(now.plus(Duration.ofMinutes(10 + (i % 7)))).build();
      store().insert(grant);
      active.add(grant);
    }
    Grant ended = active.remove(3);
    assertTrue(store().compareAndSet(ended,
        ended.end(GrantState.REVOKED, RevocationReason.MANUAL, clock().instant())));
    active.sort(java.util.Comparator.comparing(Grant::expiresAt).thenComparing(Grant::id));
    List<String> listed = new ArrayList<>();
    Grant after = null;
    for (int pages = 0; pages < 100; pages++) {
      List<Grant> page = store().findActiveByExpiry(after, 4);
      assertTrue(page.size() <= 4, "a page holds at most the limit");
      if (page.isEmpty()) {
        break;
      }
      for (Grant grant : page) {
        listed.add(grant.id());
      }
      after = page.get(page.size() - 1);
    }
    List<String> expected = new ArrayList<>();
    for (Grant grant : active) {
      expected.add(grant.id());
    }
    assertEquals(expected, listed, "every ACTIVE grant once, in ascending (expiresAt, id)");
  }

  @Test
  @DisplayName("a runtime started on the store ends and reports, at its expiry, a grant that a "
      + "closed runtime minted, without any check touching it")
  void aRestartedRuntimeExpiresGrantsItDidNotMint() {
    dev.jitaccess.core.JitAccess first = dev.jitaccess.core.JitAccess.builder()
        .clock(clock()).scheduler(clock()).store(store()).auditSink(event -> { }).build();
    Grant grant = first.request(dev.jitaccess.GrantRequest.builder()
        .subject("kit-subject").owner("kit-owner").task(KitSupport.unique("kit-task"))
        .purpose("restart").scope("read:orders/*")
        .ttl(dev.jitaccess.Ttl.of(Duration.ofMinutes(5))).build());
    first.close();
    RecordingRevocationListener heard = new RecordingRevocationListener();
    try (dev.jitaccess.core.JitAccess second = dev.jitaccess.core.JitAccess.builder()
        .clock(clock()).scheduler(clock()).store(store()).auditSink(event -> { })
        .listener(heard).build()) {
      awaitFreshView(grant.id());
      clock().advance(Duration.ofMinutes(5));
      assertEquals(java.util.Optional.of(RevocationReason.EXPIRED), heard.reasonFor(grant),
          "the second runtime reported the expiry");
      Grant stored = store().get(grant.id());
      assertTrue(stored == null || stored.state() == GrantState.EXPIRED,
          "EXPIRED, or already gone after a retention of zero");
      assertEquals(GrantState.EXPIRED, second.status(grant.id()).state()
          .orElse(GrantState.EXPIRED), "the second runtime sees it ended");
    }
  }
}
