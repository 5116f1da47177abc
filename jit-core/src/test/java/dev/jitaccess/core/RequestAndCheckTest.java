package dev.jitaccess.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.AccessDeniedException;
import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.Decision;
import dev.jitaccess.DenyReason;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantDeniedException;
import dev.jitaccess.GrantReference;
import dev.jitaccess.GrantState;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import dev.jitaccess.Ttl;
import dev.jitaccess.spi.GrantStore;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestAndCheckTest {
  final Fixture f = new Fixture();

  @Test
  void aGrantIsFoundByItsReferenceWhichAuthorisesNothing() {
    Grant grant = f.jit.request(Fixture.request().build());
    assertEquals(Optional.of(grant), f.jit.grantByReference(grant.reference()));
    assertEquals(DenyReason.UNKNOWN_GRANT,
        f.jit.check(grant.reference(), "read", "orders/1").reason(),
        "a reference is not a handle for checks");
    f.jit.revoke(grant.id(), RevocationReason.MANUAL);
    assertEquals(GrantState.REVOKED,
        f.jit.grantByReference(grant.reference()).orElseThrow().state());
  }

  @Test
  void aMalformedOrUnknownReferenceFindsNothingAndNullIsRefused() {
    Grant grant = f.jit.request(Fixture.request().build());
    for (String text : List.of("", grant.id(), grant.reference() + "A",
        grant.reference().substring(1), grant.reference().replace("gr_", "GR_"),
        grant.reference().substring(0, 18) + "=", GrantReference.of("no-such-grant"))) {
      assertEquals(Optional.empty(), f.jit.grantByReference(text), text);
    }
    assertEquals("reference must not be null",
        assertThrows(NullPointerException.class, () -> f.jit.grantByReference(null)).getMessage());
  }

  @Test
  void grantsOfOneSubjectOrOwnerShareOneStringOfEach() {
    Grant first = f.jit.request(Fixture.request().task("t1")
        .subject(new String("svc-a".toCharArray())).owner(new String("team-x".toCharArray()))
        .purpose(new String("nightly".toCharArray())).build());
    Grant second = f.jit.request(Fixture.request().task("t2")
        .subject(new String("svc-a".toCharArray())).owner(new String("team-x".toCharArray()))
        .purpose(new String("nightly".toCharArray())).build());
    Grant child = f.jit.delegate(first.id(), Scope.parse("read:orders/1"), Duration.ofMinutes(1),
        new String("svc-a".toCharArray()));
    assertSame(first.subject(), second.subject());
    assertSame(first.owner(), second.owner());
    assertSame(first.subject(), child.subject());
    assertSame(first.owner(), child.owner());
  }

  @Test
  void sharingNamesIsBoundedHoweverManyDistinctSubjectsAreSeen() {
    Fixture many = new Fixture(b -> b.maxLifetime(Duration.ofMinutes(5)));
    DefaultJitAccess runtime = (DefaultJitAccess) many.jit;
    for (int i = 0; i < SharedNames.MAX + 100; i++) {
      Grant g = many.jit.request(Fixture.request().subject("svc-" + i).task("t" + i).build());
      assertEquals("svc-" + i, g.subject());
      assertTrue(runtime.sharedNameCount() <= SharedNames.MAX,
          "shared names: " + runtime.sharedNameCount());
    }
    Grant again = many.jit.request(Fixture.request().subject(new String("svc-7".toCharArray()))
        .task("t-again").build());
    assertEquals("svc-7", again.subject());
  }

  @Test
  void requestMintsAnActiveGrantWithTheRequestedFields() {
    Instant now = f.clock.instant();
    Grant grant = f.grant();
    assertEquals(GrantState.ACTIVE, grant.state());
    assertEquals("ci-job-1", grant.subject());
    assertEquals("team-a", grant.owner());
    assertEquals("task-1", grant.task());
    assertEquals(now, grant.issuedAt());
    assertEquals(now.plus(Duration.ofMinutes(5)), grant.expiresAt());
    assertEquals(now.plus(Duration.ofMinutes(30)), grant.notAfter());
    assertEquals(List.of(AuditEventType.ISSUED), f.eventsFor(grant.id()));
    assertEquals(grant, f.jit.grant(grant.id()).orElseThrow());
  }

  @Test
  void grantIdsCarryAtLeast128RandomBitsInUrlSafeForm() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 1_000; i++) {
      String id = f.grant().id();
      assertTrue(id.matches("[A-Za-z0-9_-]{22,}"), id);
      ids.add(id);
    }
    assertEquals(1_000, ids.size());
  }

  @Test
  void ttlWithoutCapIsCappedByTheRuntimeMaximum() {
    Grant grant = f.jit.request(Fixture.request().ttl(Ttl.of(Duration.ofMinutes(5))).build());
    assertEquals(grant.issuedAt().plus(Duration.ofHours(8)), grant.notAfter());
  }

  @Test
  void lifetimeOverTheMaximumIsRejectedNamingTheLimit() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> f.jit.request(Fixture.request().ttl(Ttl.of(Duration.ofHours(2))).build()));
    assertEquals("ttl.lifetime must be <= maxLifetime PT1H, was PT2H", e.getMessage());
  }

  @Test
  void hardCapOverTheMaximumIsRejectedNamingTheLimit() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.jit.request(
        Fixture.request().ttl(Ttl.of(Duration.ofMinutes(5), Duration.ofHours(9))).build()));
    assertEquals("ttl.hardCap must be <= maxHardCap PT8H, was PT9H", e.getMessage());
  }

  @Test
  void builderRejectsAHardCapBelowTheMaxLifetime() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JitAccess
        .builder().maxLifetime(Duration.ofHours(2)).maxHardCap(Duration.ofHours(1)).build());
    assertEquals("maxHardCap must be >= maxLifetime PT2H, was PT1H", e.getMessage());
  }

  @Test
  void builderSettersMayBeCalledOnce() {
    FakeClock clock = new FakeClock();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> JitAccess.builder().clock(clock).clock(clock));
    assertEquals("clock was already set", e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> JitAccess.builder().maxLifetime(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> JitAccess.builder().maxDelegationDepth(-1));
    assertThrows(NullPointerException.class, () -> JitAccess.builder().store(null));
  }

  @Test
  void requestWhoseExpiryWouldPassTheLastInstantIsRejected() {
    FakeClock late = FakeClock.at(Instant.MAX.minus(Duration.ofMinutes(1)));
    try (JitAccess jit = JitAccess.builder().clock(late).scheduler(late).build()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> jit.request(Fixture.request().build()));
      assertTrue(e.getMessage().startsWith("ttl.lifetime PT5M from"), e.getMessage());
    }
  }

  @Test
  void grantsWorkNearTheLastRepresentableInstant() {
    FakeClock late = FakeClock.at(Instant.MAX.minus(Duration.ofHours(9)));
    try (JitAccess jit = JitAccess.builder().clock(late).scheduler(late).build()) {
      Grant grant = jit.request(Fixture.request().build());
      assertTrue(jit.check(grant.id(), "read", "orders/1").isAllowed());
      late.advance(Duration.ofMinutes(5));
      assertEquals(DenyReason.EXPIRED, jit.check(grant.id(), "read", "orders/1").reason());
      assertEquals(GrantState.EXPIRED, jit.grant(grant.id()).orElseThrow().state());
    }
  }

  @Test
  void issuedAndDelegatedEventsCarryTheGrantsIssueInstantOnAClockThatMovesOnEveryRead() {
    FakeClock base = FakeClock.at(Instant.parse("2026-11-23T10:00:00Z"));
    Clock ticking = new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Instant instant() {
        base.advance(Duration.ofMillis(1));
        return base.instant();
      }
    };
    List<AuditEvent> events = new CopyOnWriteArrayList<>();
    try (JitAccess jit = JitAccess.builder().clock(ticking).scheduler(base)
        .auditSink(events::add).build()) {
      Grant parent = jit.request(Fixture.request().build());
      Grant child = jit.delegate(parent.id(), Scope.parse("read:orders/1"),
          Duration.ofMinutes(1), "sub-agent");
      AuditEvent issued = events.stream()
          .filter(e -> e.type() == AuditEventType.ISSUED).findFirst().orElseThrow();
      AuditEvent delegated = events.stream()
          .filter(e -> e.type() == AuditEventType.DELEGATED).findFirst().orElseThrow();
      assertEquals(parent.issuedAt(), issued.at());
      assertEquals(child.issuedAt(), delegated.at());
      assertTrue(child.issuedAt().isAfter(parent.issuedAt()), "the clock moved between them");
    }
  }

  @Test
  void checkAllowsWhatTheScopePermits() {
    Grant grant = f.grant();
    assertTrue(f.jit.check(grant.id(), "read", "orders/1").isAllowed());
    assertTrue(f.jit.check(grant.id(), "write", "exports/a/b").isAllowed());
  }

  @Test
  void checkDeniesOutOfScope() {
    Grant grant = f.grant();
    assertEquals(Decision.deny(DenyReason.OUT_OF_SCOPE), f.jit.check(grant.id(), "read", "orders"));
    assertEquals(Decision.deny(DenyReason.OUT_OF_SCOPE),
        f.jit.check(grant.id(), "delete", "orders/1"));
    assertEquals(List.of(AuditEventType.ISSUED, AuditEventType.DENIED, AuditEventType.DENIED),
        f.eventsFor(grant.id()));
  }

  @Test
  void expiryIsExactToTheNanosecond() {
    Grant grant = f.grant();
    f.clock.setTo(grant.expiresAt().minusNanos(1));
    assertTrue(f.jit.check(grant.id(), "read", "orders/1").isAllowed());
    f.clock.advance(Duration.ofNanos(1));
    assertEquals(Decision.deny(DenyReason.EXPIRED), f.jit.check(grant.id(), "read", "orders/1"));
  }

  @ParameterizedTest(name = "grant id \"{0}\" denies with UNKNOWN_GRANT")
  @NullSource
  @ValueSource(strings = {"", "   ", "not/an-id", "AAAAAAAAAAAAAAAAAAAAAA", "tab\tid",
      "\u0000", "ééééé"})
  void unknownOrMalformedIdsDenyAndNeverThrow(String id) {
    assertEquals(Decision.deny(DenyReason.UNKNOWN_GRANT), f.jit.check(id, "read", "orders/1"));
  }

  @Test
  void overLongIdDeniesWithUnknownGrant() {
    assertEquals(Decision.deny(DenyReason.UNKNOWN_GRANT),
        f.jit.check("A".repeat(1025), "read", "orders/1"));
  }

  @Test
  void malformedActionOrResourceDeniesWithMalformedRequest() {
    Grant grant = f.grant();
    for (String[] bad : new String[][] {{null, "orders/1"}, {"read", null}, {"re ad", "orders/1"},
        {"read", "orders/*"}, {"read", "orders/../x"}, {"read", "/orders/1"}, {"*", "orders/1"}}) {
      assertEquals(Decision.deny(DenyReason.MALFORMED_REQUEST),
          f.jit.check(grant.id(), bad[0], bad[1]), bad[0] + " " + bad[1]);
    }
  }

  @Test
  void requireThrowsATypedExceptionWithTheDecision() {
    Grant grant = f.grant();
    f.jit.require(grant.id(), "read", "orders/1");
    AccessDeniedException e = assertThrows(AccessDeniedException.class,
        () -> f.jit.require(grant.id(), "read", "invoices/1"));
    assertEquals(DenyReason.OUT_OF_SCOPE, e.reason());
    assertEquals("invoices/1", e.resource());
  }

  @Test
  void checkDeniesNotYetValidWhenTheGrantIsIssuedAfterNow() {
    Grant future = Grant.builder().id("BBBBBBBBBBBBBBBBBBBBBB").subject("s")
        .owner("o").task("t").purpose("p").scope(Scope.parse("read:a")).issuedAt(f.clock.instant()
        .plusSeconds(60)).expiresAt(f.clock.instant().plusSeconds(120)).notAfter(f.clock.instant()
        .plusSeconds(120)).build();
    f.store.insert(future);
    assertEquals(Decision.deny(DenyReason.NOT_YET_VALID), f.jit.check(future.id(), "read", "a"));
  }

  @Test
  void aFailingStoreDeniesWithBackendFailureAndTheCheckNeverThrows() {
    GrantStore broken = new GrantStore() {
      @Override public void insert(Grant grant) {}
      @Override public @Nullable Grant get(String id) {
        throw new IllegalStateException("database down");
      }
      @Override public boolean compareAndSet(Grant expected, Grant replacement) {
        return false;
      }
      @Override public @Nullable Grant findByReference(String reference) {
        throw new IllegalStateException("database down");
      }
      @Override public Collection<Grant> findBySubject(String subject) {
        return List.of();
      }
      @Override public Collection<Grant> findByOwner(String owner) {
        return List.of();
      }
      @Override public Collection<Grant> findByTask(String task) {
        return List.of();
      }
      @Override public Collection<Grant> findByParent(String parentId) {
        return List.of();
      }
      @Override public List<Grant> findActiveByExpiry(@Nullable Grant after, int limit) {
        return List.of();
      }
    };
    Fixture withBroken = new Fixture(b -> b.store(broken));
    Decision decision = withBroken.jit.check("CCCCCCCCCCCCCCCCCCCCCC", "read", "orders/1");
    assertEquals(DenyReason.BACKEND_FAILURE, decision.reason());
    assertEquals(AuditEventType.DENIED, withBroken.audit.get(0).type());
  }

  @Test
  void aFailingAuditSinkNeverBreaksTheOperation() {
    Fixture failing = new Fixture(b -> b.auditSink(event -> {
      throw new IllegalStateException("sink down");
    }));
    Grant grant = failing.grant();
    assertTrue(failing.jit.check(grant.id(), "read", "orders/1").isAllowed());
    assertTrue(failing.jit.revoke(grant.id(), RevocationReason.MANUAL));
    assertEquals(DenyReason.REVOKED, failing.jit.check(grant.id(), "read", "orders/1").reason());
    assertEquals(List.of(RevocationReason.MANUAL), failing.endReasonsFor(grant.id()));
  }

  @Test
  void allowedChecksAreNotCountedByDefault() {
    Grant grant = f.grant();
    f.jit.check(grant.id(), "read", "orders/1");
    assertFalse(f.jit.allowedChecks(grant.id()).isPresent());
    assertFalse(f.eventsFor(grant.id()).contains(AuditEventType.ALLOWED));
  }

  @Test
  void allowedChecksCanBeCountedAndReportedWhenTheGrantEnds() {
    Fixture counting = new Fixture(b -> b.allowedChecks(AllowedCheckAudit.COUNT));
    Grant grant = counting.grant();
    counting.jit.check(grant.id(), "read", "orders/1");
    counting.jit.check(grant.id(), "read", "orders/2");
    counting.jit.check(grant.id(), "read", "nope/2");
    assertEquals(OptionalLong.of(2), counting.jit.allowedChecks(grant.id()));
    counting.jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
    assertEquals("allowedChecks=2", counting.audit.get(counting.audit.size() - 1).detail());
    assertFalse(counting.jit.allowedChecks(grant.id()).isPresent());
  }

  @Test
  void everyAllowedCheckCanBeAudited() {
    Fixture each = new Fixture(b -> b.allowedChecks(AllowedCheckAudit.EACH));
    Grant grant = each.grant();
    each.jit.check(grant.id(), "read", "orders/1");
    assertEquals(List.of(AuditEventType.ISSUED, AuditEventType.ALLOWED), each.eventsFor(grant.id()));
    assertEquals("orders/1", each.audit.get(1).resource());
  }

  @Test
  void aCheckThatFindsAGrantPastItsExpiryBeforeItsTimerRanEndsItAndItIsReportedOnce() {
    List<Runnable> held = new CopyOnWriteArrayList<>();
    Fixture late = new Fixture(clock -> (task, delay) -> {
      held.add(task); // the timer thread is busy: timers run only when the test says
      return () -> { };
    }, b -> { });
    Grant grant = late.jit.request(Fixture.request().ttl(Ttl.of(Duration.ofMinutes(1))).build());
    late.clock.advance(Duration.ofMinutes(1));
    assertEquals(DenyReason.EXPIRED, late.jit.check(grant.id(), "read", "orders/1").reason());
    assertEquals(GrantState.EXPIRED, late.jit.grant(grant.id()).orElseThrow().state());
    assertEquals(List.of(RevocationReason.EXPIRED), late.endReasonsFor(grant.id()));
    for (Runnable timer : held) {
      timer.run();
    }
    assertEquals(List.of(RevocationReason.EXPIRED), late.endReasonsFor(grant.id()));
    assertEquals(List.of(AuditEventType.ISSUED, AuditEventType.EXPIRED, AuditEventType.DENIED),
        late.eventsFor(grant.id()));
  }

  @Test
  void aGrantTheStoreReturnsUnderAnotherIdIsUnknownSoALooseMatchGrantsNothing() {
    // A store that looks ids up as SQL's "WHERE id LIKE ?" in a case-insensitive collation.
    Fixture loose = new Fixture(b -> b.store(new ForwardingGrantStore(
        InMemoryGrantStore.builder().clock(b.clock).scheduler(b.scheduler).build()) {
      @Override
      public @Nullable Grant get(String id) {
        String pattern = id.toLowerCase(java.util.Locale.ROOT).replace("_", ".")
            .replace("%", ".*");
        for (Grant g : findByTask("task-1")) {
          if (g.id().toLowerCase(java.util.Locale.ROOT).matches(pattern)) {
            return super.get(g.id());
          }
        }
        return null;
      }
    }));
    Grant grant = loose.grant();
    assertTrue(loose.jit.check(grant.id(), "read", "orders/1").isAllowed());
    assertEquals(DenyReason.UNKNOWN_GRANT, loose.jit.check("%", "read", "orders/1").reason());
    String otherCase = grant.id().equals(grant.id().toUpperCase(java.util.Locale.ROOT))
        ? grant.id().toLowerCase(java.util.Locale.ROOT)
        : grant.id().toUpperCase(java.util.Locale.ROOT);
    assertEquals(DenyReason.UNKNOWN_GRANT,
        loose.jit.check(otherCase, "read", "orders/1").reason());
    assertFalse(loose.jit.revoke(otherCase, RevocationReason.MANUAL));
    assertEquals(GrantState.ACTIVE, loose.jit.grant(grant.id()).orElseThrow().state());
    assertTrue(loose.jit.grant(otherCase).isEmpty());
  }

  @Test
  void twoRuntimesDoNotShareGrants() {
    Fixture other = new Fixture();
    Grant grant = f.grant();
    assertNotEquals(Decision.allow(), other.jit.check(grant.id(), "read", "orders/1"));
  }

  @Test
  void aRequestWhoseExpiryTimerIsRefusedIsDeniedLeavesNoActiveGrantAndLaterExpiriesStillRun() {
    AtomicBoolean refuse = new AtomicBoolean();
    Fixture flaky = new Fixture(clock -> Fixture.refusingWhile(refuse, clock), b -> { });
    Grant first = flaky.jit.request(Fixture.request().task("t1").build());
    refuse.set(true);
    GrantDeniedException denied = assertThrows(GrantDeniedException.class, () -> flaky.jit.request(
        Fixture.request().task("t2").ttl(Ttl.of(Duration.ofMinutes(1))).build()));
    refuse.set(false);
    assertEquals("SCHEDULER_FAILURE", denied.reason());
    assertTrue(denied.getCause() instanceof RejectedExecutionException);
    Grant stored = flaky.store.grants().stream().filter(g -> g.task().equals("t2"))
        .findFirst().orElseThrow();
    assertEquals(GrantState.REVOKED, stored.state());
    assertEquals("NOT_ISSUED", stored.endReason().code());
    assertEquals(List.of(), flaky.eventsFor(stored.id()), "never issued, so no ISSUED event");
    AuditEvent refusal = flaky.audit.get(flaky.audit.size() - 1);
    assertEquals(AuditEventType.DENIED, refusal.type());
    assertEquals("SCHEDULER_FAILURE", refusal.reason());
    Grant later = flaky.jit.request(Fixture.request().task("t3").build());
    flaky.clock.advance(Duration.ofMinutes(6));
    assertEquals(GrantState.EXPIRED, flaky.jit.grant(first.id()).orElseThrow().state());
    assertEquals(GrantState.EXPIRED, flaky.jit.grant(later.id()).orElseThrow().state());
    assertEquals(List.of(RevocationReason.EXPIRED), flaky.endReasonsFor(first.id()));
    assertEquals(List.of(RevocationReason.EXPIRED), flaky.endReasonsFor(later.id()));
    assertEquals(List.of(), flaky.endReasonsFor(stored.id()), "never issued, so never reported");
  }

  @Test
  void checksOnAClockWhoseMillisLagItsInstantDenyAtTheExactExpiry() {
    FakeClock base = new FakeClock(Instant.parse("2026-03-14T09:26:53.000700Z"));
    // Clock.offset truncates the offset in millis(): here millis() reads up to 1 ms behind.
    Clock offset = Clock.offset(base, Duration.ofNanos(500_000));
    // Its timers never run, so the check itself must see the expiry.
    JitAccess onOffset = JitAccess.builder().clock(offset).scheduler((task, delay) -> () -> { })
        .store(InMemoryGrantStore.builder().clock(offset).scheduler(base).build())
        .auditSink(event -> { }).build();
    Grant grant = onOffset.request(Fixture.request().build()); // expires 09:31:53.0012
    base.setTo(Instant.parse("2026-03-14T09:31:53.000800Z")); // offset reads 09:31:53.0013
    assertTrue(grant.isExpiredAt(offset.instant()));
    assertEquals(DenyReason.EXPIRED, onOffset.check(grant.id(), "read", "orders/1").reason());
  }

  @Test
  void theLastUseOfABudgetIsCountedInTheTerminalReportWhichRemovesTheCounter() {
    Fixture counting = new Fixture(b -> b.allowedChecks(AllowedCheckAudit.EACH));
    Grant grant = counting.jit.request(Fixture.request().useBudget(2).build());
    assertTrue(counting.jit.check(grant.id(), "read", "orders/1").isAllowed());
    assertTrue(counting.jit.check(grant.id(), "read", "orders/2").isAllowed());
    assertEquals(List.of(AuditEventType.ISSUED, AuditEventType.ALLOWED, AuditEventType.ALLOWED,
        AuditEventType.EXHAUSTED), counting.eventsFor(grant.id()));
    assertEquals("allowedChecks=2", counting.audit.get(counting.audit.size() - 1).detail());
    assertEquals(OptionalLong.empty(), counting.jit.allowedChecks(grant.id()));
  }

  @Test
  void aBudgetOfOneIsCountedOnceInItsTerminalReport() {
    Fixture counting = new Fixture(b -> b.allowedChecks(AllowedCheckAudit.COUNT));
    Grant grant = counting.jit.request(Fixture.request().useBudget(1).build());
    assertTrue(counting.jit.check(grant.id(), "read", "orders/1").isAllowed());
    assertEquals("allowedChecks=1", counting.audit.get(counting.audit.size() - 1).detail());
    assertEquals(OptionalLong.empty(), counting.jit.allowedChecks(grant.id()));
  }

  @Test
  void checksRacingARevocationLeaveNoCounterBehind() throws Exception {
    Fixture counting = new Fixture(b -> b.allowedChecks(AllowedCheckAudit.COUNT));
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      for (int round = 0; round < 300; round++) {
        Grant grant = counting.jit.request(Fixture.request().task("race-" + round).build());
        CountDownLatch started = new CountDownLatch(1);
        Future<Integer> checks = pool.submit(() -> {
          int allowed = 0;
          started.countDown();
          while (counting.jit.check(grant.id(), "read", "orders/1").isAllowed()) {
            allowed++;
          }
          return allowed;
        });
        started.await();
        counting.jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
        checks.get(10, TimeUnit.SECONDS);
        assertEquals(OptionalLong.empty(), counting.jit.allowedChecks(grant.id()),
            "round " + round + ": a counter was created after the terminal report");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aCheckThatSpentTheUseBeforeTheLastIsCountedThoughItCountsAfterTheLastUsesCompareAndSet()
      throws Exception {
    CountDownLatch lastSpent = new CountDownLatch(1);
    CountDownLatch firstCounted = new CountDownLatch(1);
    Thread[] second = new Thread[1];
    Fixture[] racing = new Fixture[1];
    String[] id = new String[1];
    // The first check's compare-and-set starts the second check and waits until that one has
    // spent the last use (and waits, before counting, for the first to count).
    racing[0] = new Fixture(b -> b.allowedChecks(AllowedCheckAudit.COUNT).store(
        new ForwardingGrantStore(
            InMemoryGrantStore.builder().clock(b.clock).scheduler(b.scheduler).build()) {
          @Override
          public boolean compareAndSet(Grant expected, Grant replacement) {
            boolean swapped = super.compareAndSet(expected, replacement);
            if (swapped && replacement.useBudget().isPresent()) {
              if (replacement.usesConsumed() == 1) {
                second[0] = new Thread(() -> racing[0].jit.check(id[0], "read", "orders/1"));
                second[0].start();
                await(lastSpent);
              } else if (replacement.usesConsumed() == 2) {
                lastSpent.countDown();
                await(firstCounted);
              }
            }
            return swapped;
          }
        }));
    Fixture counting = racing[0];
    Grant grant = counting.jit.request(Fixture.request().useBudget(2).build());
    id[0] = grant.id();
    assertTrue(counting.jit.check(grant.id(), "read", "orders/1").isAllowed());
    firstCounted.countDown();
    second[0].join(10_000);
    AuditEvent last = counting.audit.get(counting.audit.size() - 1);
    assertEquals(AuditEventType.EXHAUSTED, last.type());
    assertEquals("allowedChecks=2", last.detail());
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("timed out");
      }
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
