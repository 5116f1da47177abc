package dev.jitaccess.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.DelegationRequest;
import dev.jitaccess.DenyReason;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantDeniedException;
import dev.jitaccess.GrantState;
import dev.jitaccess.GrantStateException;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import dev.jitaccess.Ttl;
import dev.jitaccess.UnknownGrantException;
import dev.jitaccess.spi.AuditSink;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DelegationBudgetExpiryTest {
  final Fixture f = new Fixture();

  DelegationRequest.Builder child() {
    return DelegationRequest.builder().subject("agent").scope("read:orders/1")
        .ttl(Ttl.of(Duration.ofMinutes(1)));
  }

  @Nested
  class Delegation {
    @Test
    void aChildGetsTheNarrowerScopeTheParentsOwnerAndTaskAndAShorterLife() {
      Grant parent = f.grant();
      Grant child = f.jit.delegate(parent.id(), child().build());
      assertEquals(parent.id(), child.parentId());
      assertEquals("agent", child.subject());
      assertEquals(parent.owner(), child.owner());
      assertEquals(parent.task(), child.task());
      assertEquals(Scope.parse("read:orders/1"), child.scope());
      assertTrue(f.jit.check(child.id(), "read", "orders/1").isAllowed());
      assertEquals(DenyReason.OUT_OF_SCOPE, f.jit.check(child.id(), "read", "orders/2").reason());
      AuditEvent delegated = f.audit.stream()
          .filter(e -> e.type() == AuditEventType.DELEGATED).findFirst().orElseThrow();
      assertTrue(delegated.concerns(child.id()));
      assertEquals("read:orders/1", delegated.scope());
      assertTrue(delegated.concernsChildOf(parent.id()));
      assertEquals(parent.reference(), delegated.parentRef());
    }

    @Test
    void aChildMayNameItsOwnSubTask() {
      Grant parent = f.grant();
      Grant child = f.jit.delegate(parent.id(), child().task("sub-task").purpose("summarize")
          .build());
      assertEquals("sub-task", child.task());
      assertEquals("summarize", child.purpose());
      f.jit.revokeTask(parent.task(), RevocationReason.TASK_COMPLETED);
      assertEquals(DenyReason.REVOKED, f.jit.check(child.id(), "read", "orders/1").reason());
    }

    @Test
    void aDelegationThatWidensTheScopeIsRejectedNamingWhatIsNotCovered() {
      Grant parent = f.grant();
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> f.jit.delegate(parent.id(), child().scope("read:orders/**", "read:orders/1")
              .build()));
      assertEquals("scope must be within the parent's scope; not covered: [read:orders/**]",
          e.getMessage());
    }

    @Test
    void aDelegationThatOutlivesTheParentIsRejected() {
      Grant parent = f.grant();
      f.clock.advance(Duration.ofMinutes(4));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> f.jit.delegate(parent.id(), child().ttl(Ttl.of(Duration.ofMinutes(2))).build()));
      assertTrue(e.getMessage().startsWith("ttl.lifetime must end no later than the parent"),
          e.getMessage());
    }

    @Test
    void aChildsHardCapNeverPassesTheParents() {
      Grant parent = f.grant();
      Grant child = f.jit.delegate(parent.id(),
          child().ttl(Ttl.of(Duration.ofMinutes(1), Duration.ofHours(2))).build());
      assertEquals(parent.notAfter(), child.notAfter());
    }

    @Test
    void aChildIsRenewedNoFurtherThanItsParent() {
      Grant parent = f.grant();
      Grant child = f.jit.delegate(parent.id(), child().build());
      Grant renewed = f.jit.renew(child.id(), Duration.ofMinutes(30));
      assertEquals(parent.expiresAt(), renewed.expiresAt());
    }

    @Test
    void delegatingFromAnEndedOrUnknownGrantIsRejected() {
      Grant parent = f.grant();
      f.jit.revoke(parent.id(), RevocationReason.MANUAL);
      assertThrows(GrantStateException.class, () -> f.jit.delegate(parent.id(), child().build()));
      assertThrows(UnknownGrantException.class,
          () -> f.jit.delegate("FFFFFFFFFFFFFFFFFFFFFF", child().build()));
      Grant expiring = f.grant();
      f.clock.advance(Duration.ofMinutes(5));
      assertThrows(GrantStateException.class, () -> f.jit.delegate(expiring.id(), child().build()));
    }

    @Test
    void delegationDepthIsLimited() {
      Fixture shallow = new Fixture(b -> b.maxDelegationDepth(1));
      Grant parent = shallow.grant();
      Grant child = shallow.jit.delegate(parent.id(), child().build());
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> shallow.jit.delegate(child.id(), child().build()));
      assertEquals("delegation depth must be <= maxDelegationDepth 1, would be 2", e.getMessage());
    }

    @Test
    void aChildEndsWhenItsParentExpires() {
      Grant parent = f.grant();
      Grant child = f.jit.delegate(parent.id(), child().build());
      f.jit.renew(child.id(), Duration.ofMinutes(5));
      f.clock.advance(Duration.ofMinutes(5));
      assertEquals(GrantState.EXPIRED, f.jit.grant(child.id()).orElseThrow().state());
      assertEquals(DenyReason.EXPIRED, f.jit.check(child.id(), "read", "orders/1").reason());
    }

    @Test
    void aChildEndsWhenItsParentIsExhausted() {
      Grant parent = f.jit.request(Fixture.request().useBudget(3).build());
      Grant child = f.jit.delegate(parent.id(), child().useBudget(1).build());
      assertEquals(OptionalLong.of(2), f.jit.grant(parent.id()).orElseThrow().usesRemaining());
      f.jit.check(parent.id(), "read", "orders/1");
      f.jit.check(parent.id(), "read", "orders/1");
      assertEquals(GrantState.EXHAUSTED, f.jit.grant(parent.id()).orElseThrow().state());
      assertEquals(List.of(RevocationReason.PARENT_REVOKED), f.endReasonsFor(child.id()));
    }

    @Test
    void aBudgetedParentOnlyDelegatesASmallerBudget() {
      Grant parent = f.jit.request(Fixture.request().useBudget(3).build());
      IllegalArgumentException unlimited = assertThrows(IllegalArgumentException.class,
          () -> f.jit.delegate(parent.id(), child().build()));
      assertTrue(unlimited.getMessage().startsWith("useBudget must be set and < the parent's "
          + "remaining 3 uses"), unlimited.getMessage());
      assertThrows(IllegalArgumentException.class,
          () -> f.jit.delegate(parent.id(), child().useBudget(3).build()));
      f.jit.delegate(parent.id(), child().useBudget(2).build());
      assertThrows(IllegalArgumentException.class,
          () -> f.jit.delegate(parent.id(), child().useBudget(1).build()));
    }

    @Test
    void aChildOfARevokedParentNeverAllowsEvenIfItsOwnStateWasMissed() {
      Grant parent = f.grant();
      Grant child = f.jit.delegate(parent.id(), child().build());
      // Simulate a cascade that has not reached the child yet: end only the parent in the store.
      Grant stored = f.store.get(parent.id());
      assertTrue(f.store.compareAndSet(stored,
          stored.end(GrantState.REVOKED, RevocationReason.MANUAL, f.clock.instant())));
      assertEquals(GrantState.ACTIVE, f.store.get(child.id()).state());
      assertEquals(DenyReason.REVOKED, f.jit.check(child.id(), "read", "orders/1").reason());
    }
  }

  @Nested
  class UseBudgets {
    @Test
    void aDelegationTheStoreFailsGivesTheMovedUsesBackToTheParent() {
      AtomicBoolean failInsert = new AtomicBoolean();
      Fixture flaky = new Fixture(b -> b.store(new ForwardingGrantStore(
          InMemoryGrantStore.builder().clock(b.clock).scheduler(b.scheduler).build()) {
        @Override
        public void insert(Grant grant) {
          if (failInsert.getAndSet(false)) {
            throw new IllegalStateException("backend unavailable");
          }
          super.insert(grant);
        }
      }));
      Grant parent = flaky.jit.request(Fixture.request().useBudget(5).build());
      failInsert.set(true);
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> flaky.jit.delegate(parent.id(), child().useBudget(3).build()));
      assertEquals("backend unavailable", e.getMessage());
      assertEquals(0, flaky.jit.grant(parent.id()).orElseThrow().usesConsumed());
      assertTrue(flaky.jit.delegate(parent.id(), child().useBudget(4).build()).isActive(),
          "the parent can hand out the uses it got back");
    }

    @Test
    void usesGoBackOnlyWhenTheChildIsKnownNotActive() {
      AtomicBoolean refuse = new AtomicBoolean();
      AtomicBoolean failChildReads = new AtomicBoolean();
      String[] parentId = new String[1];
      ForwardingGrantStore[] store = new ForwardingGrantStore[1];
      Fixture flaky = new Fixture(clock -> Fixture.refusingWhile(refuse, clock), b -> b.store(
          store[0] = new ForwardingGrantStore(
              InMemoryGrantStore.builder().clock(b.clock).scheduler(b.scheduler).build()) {
            @Override
            public @Nullable Grant get(String id) {
              if (failChildReads.get() && !id.equals(parentId[0])) {
                throw new IllegalStateException("backend unavailable");
              }
              return super.get(id);
            }
          }));
      Grant parent = flaky.jit.request(Fixture.request().useBudget(5).build());
      parentId[0] = parent.id();
      refuse.set(true);
      failChildReads.set(true); // so the refused child cannot be ended
      GrantDeniedException e = assertThrows(GrantDeniedException.class,
          () -> flaky.jit.delegate(parent.id(), child().useBudget(3).build()));
      refuse.set(false);
      failChildReads.set(false);
      assertEquals("SCHEDULER_FAILURE", e.reason());
      assertEquals("backend unavailable", e.getCause().getSuppressed()[0].getMessage());
      int allowed = 0;
      for (Grant child : store[0].findByParent(parent.id())) {
        while (flaky.jit.check(child.id(), "read", "orders/1").isAllowed()) {
          allowed++;
        }
      }
      while (flaky.jit.check(parent.id(), "read", "orders/1").isAllowed()) {
        allowed++;
      }
      assertEquals(5, allowed, "a budget of 5 allows 5 checks, however it is split");
    }

    @Test
    void aDelegationWhoseExpiryTimerIsRefusedEndsTheChildAndGivesTheUsesBack() {
      AtomicBoolean refuse = new AtomicBoolean();
      Fixture flaky = new Fixture(clock -> Fixture.refusingWhile(refuse, clock), b -> { });
      Grant parent = flaky.jit.request(Fixture.request().useBudget(5).build());
      refuse.set(true);
      GrantDeniedException e = assertThrows(GrantDeniedException.class,
          () -> flaky.jit.delegate(parent.id(), child().useBudget(3).build()));
      refuse.set(false);
      assertEquals("SCHEDULER_FAILURE", e.reason());
      assertEquals(0, flaky.jit.grant(parent.id()).orElseThrow().usesConsumed());
      Grant child = flaky.store.findByParent(parent.id()).iterator().next();
      assertEquals(GrantState.REVOKED, child.state());
      assertEquals(DenyReason.REVOKED, flaky.jit.check(child.id(), "read", "orders/1").reason());
    }

    @Test
    void aGrantWithNUsesIsExhaustedAfterExactlyNAllowedChecks() {
      Grant grant = f.jit.request(Fixture.request().useBudget(3).build());
      assertEquals(DenyReason.OUT_OF_SCOPE, f.jit.check(grant.id(), "read", "nope/1").reason());
      for (int i = 0; i < 3; i++) {
        assertTrue(f.jit.check(grant.id(), "read", "orders/" + i).isAllowed(), "use " + i);
      }
      assertEquals(DenyReason.EXHAUSTED, f.jit.check(grant.id(), "read", "orders/1").reason());
      Grant exhausted = f.jit.grant(grant.id()).orElseThrow();
      assertEquals(GrantState.EXHAUSTED, exhausted.state());
      assertEquals(3, exhausted.usesConsumed());
      assertEquals(List.of(RevocationReason.EXHAUSTED), f.endReasonsFor(grant.id()));
      assertTrue(f.eventsFor(grant.id()).contains(AuditEventType.EXHAUSTED));
    }
  }

  @Nested
  class ProactiveExpiry {
    @Test
    void theListenerHasFiredWithExpiredRightAfterTheClockPassesTheExpiry() {
      Grant grant = f.grant();
      f.clock.advance(Duration.ofMinutes(5).minusNanos(1));
      assertTrue(f.ended.isEmpty());
      f.clock.advance(Duration.ofNanos(1));
      assertEquals(List.of(RevocationReason.EXPIRED), f.endReasonsFor(grant.id()));
      assertEquals(GrantState.EXPIRED, f.ended.get(0).grant().state());
      assertEquals(List.of(AuditEventType.ISSUED, AuditEventType.EXPIRED), f.eventsFor(grant.id()));
    }

    @Test
    void aRenewedGrantExpiresAtItsNewExpiryAndNotBefore() {
      Grant grant = f.grant();
      f.clock.advance(Duration.ofMinutes(4));
      Grant renewed = f.jit.renew(grant.id(), Duration.ofMinutes(5));
      f.clock.advance(Duration.ofMinutes(2));
      assertTrue(f.ended.isEmpty());
      f.clock.setTo(renewed.expiresAt());
      assertEquals(List.of(RevocationReason.EXPIRED), f.endReasonsFor(grant.id()));
    }

    @Test
    void endedGrantsLeaveMemoryAfterTheRetentionAndReadsDoNotKeepThemAlive() {
      Grant grant = f.grant();
      f.clock.advance(Duration.ofMinutes(5));
      for (int i = 0; i < 4; i++) {
        f.clock.advance(Duration.ofMinutes(1));
        assertEquals(DenyReason.EXPIRED, f.jit.check(grant.id(), "read", "orders/1").reason());
      }
      f.clock.advance(Duration.ofMinutes(1));
      assertEquals(DenyReason.UNKNOWN_GRANT, f.jit.check(grant.id(), "read", "orders/1").reason());
      // Memory is released by Caffeine's timer wheel, whose buckets are about a second wide.
      f.clock.advance(Duration.ofSeconds(2));
      f.store.cleanUp();
      assertEquals(0, f.store.size());
      assertTrue(f.store.findBySubject(grant.subject()).isEmpty());
    }

    @Test
    void aRevokedGrantsTimerFindsNothingToDo() {
      Grant grant = f.grant();
      f.jit.revoke(grant.id(), RevocationReason.MANUAL);
      f.clock.advance(Duration.ofMinutes(10));
      assertEquals(List.of(RevocationReason.MANUAL), f.endReasonsFor(grant.id()));
    }
  }

  @Nested
  class Discovery {
    @TempDir
    Path services;

    @Test
    void aSinkFoundByServiceLoaderIsUsedWhenNoneIsGiven() throws IOException {
      RecordingSink.EVENTS.clear();
      withProviders(List.of(RecordingSink.class.getName()), () -> {
        Fixture discovered = new Fixture(b -> b.auditSink(new ServiceLoaderProbe()));
        assertTrue(discovered.audit.isEmpty());
        try (JitAccess jit = JitAccess.builder().clock(f.clock).scheduler(f.clock).build()) {
          jit.request(Fixture.request().build());
        }
      });
      assertEquals(AuditEventType.ISSUED, RecordingSink.EVENTS.get(0).type());
    }

    @Test
    void twoProvidersOfOneKindAreAnError() throws IOException {
      withProviders(List.of(RecordingSink.class.getName(), OtherSink.class.getName()), () -> {
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> JitAccess.builder().clock(f.clock).scheduler(f.clock).build());
        assertTrue(e.getMessage().startsWith("ServiceLoader found more than one AuditSink"),
            e.getMessage());
      });
    }

    private void withProviders(List<String> providers, Runnable body) throws IOException {
      Path file = services.resolve("META-INF/services/" + AuditSink.class.getName());
      Files.createDirectories(file.getParent());
      Files.write(file, providers);
      Thread thread = Thread.currentThread();
      ClassLoader previous = thread.getContextClassLoader();
      try (URLClassLoader loader =
          new URLClassLoader(new URL[] {services.toUri().toURL()}, previous)) {
        thread.setContextClassLoader(loader);
        body.run();
      } finally {
        thread.setContextClassLoader(previous);
      }
    }
  }

  /** Found through ServiceLoader in the discovery tests. */
  public static final class RecordingSink implements AuditSink {
    static final List<AuditEvent> EVENTS = new CopyOnWriteArrayList<>();

    @Override
    public void record(AuditEvent event) {
      EVENTS.add(event);
    }
  }

  /** A second provider, to make discovery ambiguous. */
  public static final class OtherSink implements AuditSink {
    @Override
    public void record(AuditEvent event) {}
  }

  static final class ServiceLoaderProbe implements AuditSink {
    @Override
    public void record(AuditEvent event) {}
  }

  @Test
  void theDefaultRuntimeWorksOnTheSystemClockAndClosesItsScheduler() {
    try (JitAccess jit = JitAccess.builder().build()) {
      Grant grant = jit.request(Fixture.request().build());
      assertTrue(jit.check(grant.id(), "read", "orders/1").isAllowed());
      assertTrue(jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED));
      assertFalse(jit.check(grant.id(), "read", "orders/1").isAllowed());
    }
  }
}
