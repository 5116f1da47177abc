package dev.jitaccess.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.AuditEventType;
import dev.jitaccess.Decision;
import dev.jitaccess.DenyReason;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantState;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import dev.jitaccess.Ttl;
import dev.jitaccess.spi.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Audit sinks, listeners, stores and schedulers are the application's code, and may throw
 * anything: an exception, or an {@code Error} such as a {@code NoClassDefFoundError} from a missing
 * optional dependency or a {@code StackOverflowError}. Whatever they throw, a revocation or expiry
 * reaches every other listener, and no grant is left ACTIVE without its timer.
 */
class CallbackFailureTest {

  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of("IllegalStateException",
            (Supplier<Throwable>) () -> new IllegalStateException("callback bug")),
        Arguments.of("AssertionError", (Supplier<Throwable>) () -> new AssertionError("assert")),
        Arguments.of("NoClassDefFoundError",
            (Supplier<Throwable>) () -> new NoClassDefFoundError("com/example/Missing")),
        Arguments.of("StackOverflowError", (Supplier<Throwable>) StackOverflowError::new));
  }

  private FailingGrantStore store;

  /** A fixture on the clock whose store fails calls of one kind once armed. */
  private Fixture failingAt(FailingGrantStore.Call call, Supplier<Throwable> failure) {
    return new Fixture(b -> b.store(store = new FailingGrantStore(b, call, failure)));
  }

  /** As {@link #failingAt}, with expiry timers that never run. */
  private Fixture failingAtWithoutTimers(FailingGrantStore.Call call,
      Supplier<Throwable> failure) {
    return new Fixture(clock -> (task, delay) -> () -> { },
        b -> b.store(store = new FailingGrantStore(b, call, failure)));
  }


  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void aListenerThatThrowsNeitherStopsTheOthersNorUndoesTheRevocation(String name,
      Supplier<Throwable> failure) {
    List<String> heard = Collections.synchronizedList(new ArrayList<>());
    Fixture f = new Fixture(b -> b
        .listener((grant, reason) -> {
          throw Fixture.unchecked(failure.get());
        })
        .listener((grant, reason) -> heard.add(grant.id())));
    Grant grant = f.grant();
    assertTrue(f.jit.revoke(grant.id(), RevocationReason.MANUAL));
    assertEquals(List.of(grant.id()), heard);
    assertEquals(List.of(RevocationReason.MANUAL), f.endReasonsFor(grant.id()));
    assertEquals(List.of(AuditEventType.ISSUED, AuditEventType.REVOKED), f.eventsFor(grant.id()));
    assertEquals(DenyReason.REVOKED, f.jit.check(grant.id(), "read", "orders/1").reason());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void anAuditSinkThatThrowsKeepsNoListenerFromHearingOfTheRevocation(String name,
      Supplier<Throwable> failure) {
    Fixture f = new Fixture(b -> b.auditSink(event -> {
      throw Fixture.unchecked(failure.get());
    }));
    Grant grant = f.grant();
    assertTrue(f.jit.check(grant.id(), "read", "orders/1").isAllowed());
    assertEquals(DenyReason.OUT_OF_SCOPE, f.jit.check(grant.id(), "read", "nope/1").reason());
    assertTrue(f.jit.revoke(grant.id(), RevocationReason.MANUAL));
    assertEquals(List.of(RevocationReason.MANUAL), f.endReasonsFor(grant.id()));
    assertEquals(DenyReason.REVOKED, f.jit.check(grant.id(), "read", "orders/1").reason());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void aListenerThatThrowsDuringACascadeLeavesNoDescendantUnreported(String name,
      Supplier<Throwable> failure) {
    List<String> heard = Collections.synchronizedList(new ArrayList<>());
    Fixture f = new Fixture(b -> b
        .listener((grant, reason) -> {
          throw Fixture.unchecked(failure.get());
        })
        .listener((grant, reason) -> heard.add(grant.id())));
    Grant root = f.grant();
    Grant child = f.jit.delegate(root.id(), Scope.parse("read:orders/1"), Duration.ofMinutes(1),
        "agent");
    Grant grandchild = f.jit.delegate(child.id(), Scope.parse("read:orders/1"),
        Duration.ofSeconds(30), "sub-agent");
    assertTrue(f.jit.revoke(root.id(), RevocationReason.MANUAL));
    assertEquals(List.of(root.id(), child.id(), grandchild.id()), heard);
    assertEquals(List.of(RevocationReason.PARENT_REVOKED), f.endReasonsFor(grandchild.id()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void aListenerThatThrowsAtExpiryDoesNotStopTheOtherGrantsDueThenFromExpiring(String name,
      Supplier<Throwable> failure) {
    Fixture f = new Fixture(b -> b.listener((grant, reason) -> {
      throw Fixture.unchecked(failure.get());
    }));
    Grant a = f.jit.request(Fixture.request().task("a").ttl(Ttl.of(Duration.ofMinutes(1))).build());
    Grant b = f.jit.request(Fixture.request().task("b").ttl(Ttl.of(Duration.ofMinutes(1))).build());
    f.clock.advance(Duration.ofMinutes(1));
    assertEquals(List.of(RevocationReason.EXPIRED), f.endReasonsFor(a.id()));
    assertEquals(List.of(RevocationReason.EXPIRED), f.endReasonsFor(b.id()));
    assertEquals(GrantState.EXPIRED, f.jit.grant(b.id()).orElseThrow().state());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void aStoreThatThrowsWhileExpiringAGrantIsTriedAgainUntilTheGrantExpires(String name,
      Supplier<Throwable> failure) {
    Fixture f = failingAt(FailingGrantStore.Call.COMPARE_AND_SET, failure);
    Grant grant = f.jit.request(Fixture.request().ttl(Ttl.of(Duration.ofMinutes(1))).build());
    store.failNext(2);
    f.clock.advance(Duration.ofMinutes(1)); // fails; tried again a second later
    assertEquals(List.of(), f.endReasonsFor(grant.id()));
    f.clock.advance(Duration.ofSeconds(1)); // fails again
    assertEquals(List.of(), f.endReasonsFor(grant.id()));
    f.clock.advance(Duration.ofSeconds(1));
    assertEquals(List.of(RevocationReason.EXPIRED), f.endReasonsFor(grant.id()));
    assertEquals(DenyReason.EXPIRED, f.jit.check(grant.id(), "read", "orders/1").reason());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void aCheckThatFindsAGrantExpiredDeniesItAsExpiredEvenIfTheStoreFailsToEndIt(String name,
      Supplier<Throwable> failure) {
    Fixture f = failingAtWithoutTimers(FailingGrantStore.Call.COMPARE_AND_SET, failure);
    Grant grant = f.jit.request(Fixture.request().ttl(Ttl.of(Duration.ofMinutes(1))).build());
    f.clock.advance(Duration.ofMinutes(1));
    store.failNext(1);
    assertEquals(DenyReason.EXPIRED, f.jit.check(grant.id(), "read", "orders/1").reason());
    assertEquals(List.of(), f.endReasonsFor(grant.id()));
    assertEquals(DenyReason.EXPIRED, f.jit.check(grant.id(), "read", "orders/1").reason());
    assertEquals(List.of(RevocationReason.EXPIRED), f.endReasonsFor(grant.id()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void aStoreThatThrowsDuringACascadeIsTriedAgainUntilEveryDescendantIsReported(String name,
      Supplier<Throwable> failure) {
    Fixture f = failingAt(FailingGrantStore.Call.FIND_BY_PARENT, failure);
    Grant root = f.grant();
    Grant child = f.jit.delegate(root.id(), Scope.parse("read:orders/1"), Duration.ofMinutes(1),
        "agent");
    store.failNext(1);
    assertTrue(f.jit.revoke(root.id(), RevocationReason.MANUAL));
    assertEquals(List.of(RevocationReason.MANUAL), f.endReasonsFor(root.id()));
    assertEquals(DenyReason.REVOKED, f.jit.check(child.id(), "read", "orders/1").reason());
    f.clock.advance(Duration.ofSeconds(1));
    assertEquals(List.of(RevocationReason.PARENT_REVOKED), f.endReasonsFor(child.id()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void aSchedulerThatThrowsEndsTheStoredGrantAndLaterExpiriesStillRun(String name,
      Supplier<Throwable> failure) {
    AtomicBoolean refuse = new AtomicBoolean();
    Fixture f = new Fixture(clock -> Fixture.throwingWhile(refuse, clock, failure), b -> { });
    Grant first = f.jit.request(Fixture.request().task("t1").build());
    refuse.set(true);
    Throwable thrown = assertThrows(Throwable.class, () -> f.jit.request(
        Fixture.request().task("t2").ttl(Ttl.of(Duration.ofMinutes(1))).build()));
    refuse.set(false);
    if (thrown instanceof dev.jitaccess.GrantDeniedException) {
      assertEquals("SCHEDULER_FAILURE", ((dev.jitaccess.GrantDeniedException) thrown).reason());
      assertEquals(name, thrown.getCause().getClass().getSimpleName());
    } else {
      assertEquals(name, thrown.getClass().getSimpleName());
    }
    Grant stored = f.store.grants().stream().filter(g -> g.task().equals("t2"))
        .findFirst().orElseThrow();
    assertEquals(GrantState.REVOKED, stored.state());
    assertEquals("NOT_ISSUED", stored.endReason().code());
    // The queue is not wedged: a grant requested now, due before the first, expires on time.
    Grant third = f.jit.request(Fixture.request().task("t3").ttl(Ttl.of(Duration.ofMinutes(2)))
        .build());
    f.clock.advance(Duration.ofMinutes(2));
    assertEquals(List.of(RevocationReason.EXPIRED), f.endReasonsFor(third.id()));
    f.clock.advance(Duration.ofMinutes(3));
    assertEquals(List.of(RevocationReason.EXPIRED), f.endReasonsFor(first.id()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void aStoreThatThrowsAfterStoringARequestedGrantLeavesItEnded(String name,
      Supplier<Throwable> failure) {
    Fixture f = failingAt(FailingGrantStore.Call.INSERT, failure);
    store.failNext(1);
    Throwable thrown = assertThrows(Throwable.class, f::grant);
    assertEquals(name, thrown.getClass().getSimpleName());
    Grant stored = f.jit.grant(store.lastInserted().id()).orElseThrow();
    assertEquals(GrantState.REVOKED, stored.state());
    assertEquals("NOT_ISSUED", stored.endReason().code());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void aStoreThatThrowsOnACheckIsADenialNeverAThrow(String name, Supplier<Throwable> failure) {
    Fixture f = failingAt(FailingGrantStore.Call.GET, failure);
    Grant grant = f.grant();
    store.failNext(Integer.MAX_VALUE);
    Decision decision = f.jit.check(grant.id(), "read", "orders/1");
    assertSame(DenyReason.BACKEND_FAILURE, decision.reason());
    assertEquals(name, decision.detail());
    assertEquals(AuditEventType.DENIED, f.audit.get(f.audit.size() - 1).type());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void aTaskBodysFailureIsThrownEvenWhenItsRevocationThrows(String name,
      Supplier<Throwable> failure) {
    Fixture f = failingAt(FailingGrantStore.Call.GET, failure);
    java.io.IOException bodyFailure = new java.io.IOException("disk full");
    java.io.IOException thrown = assertThrows(java.io.IOException.class,
        () -> f.jit.run(Fixture.request().build(), grant -> {
          store.failNext(Integer.MAX_VALUE);
          throw bodyFailure;
        }));
    assertSame(bodyFailure, thrown);
    assertEquals(1, thrown.getSuppressed().length);
    assertEquals(name, thrown.getSuppressed()[0].getClass().getSimpleName());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void aCascadeExecutorThatThrowsLeavesTheCascadeToTheCaller(String name,
      Supplier<Throwable> failure) {
    Fixture f = new Fixture(b -> b.cascadeExecutor(task -> {
      throw Fixture.unchecked(failure.get()); // e.g. OutOfMemoryError: unable to create native thread
    }));
    Grant root = f.grant();
    Grant child = f.jit.delegate(root.id(), Scope.parse("read:orders/1"), Duration.ofMinutes(1),
        "agent");
    assertTrue(f.jit.revoke(root.id(), RevocationReason.MANUAL));
    assertEquals(GrantState.REVOKED, f.jit.grant(child.id()).orElseThrow().state());
    assertEquals(List.of(RevocationReason.PARENT_REVOKED), f.endReasonsFor(child.id()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void theCheckThatSpendsTheLastUseAllowsWhateverTheCascadeExecutorThrows(String name,
      Supplier<Throwable> failure) {
    Fixture f = new Fixture(b -> b.cascadeExecutor(task -> {
      throw Fixture.unchecked(failure.get());
    }));
    Grant grant = f.jit.request(Fixture.request().useBudget(1).build());
    Decision decision = f.jit.check(grant.id(), "read", "orders/1");
    assertTrue(decision.isAllowed(), decision::toString);
    assertEquals(GrantState.EXHAUSTED, f.jit.grant(grant.id()).orElseThrow().state());
    assertEquals(List.of(RevocationReason.EXHAUSTED), f.endReasonsFor(grant.id()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void aSchedulerThatThrowsWhenACascadeRetryIsScheduledDoesNotBreakTheRevocation(String name,
      Supplier<Throwable> failure) {
    AtomicBoolean refuse = new AtomicBoolean();
    Fixture f = new Fixture(clock -> Fixture.throwingWhile(refuse, clock, failure), b -> b.store(store = new FailingGrantStore(b, FailingGrantStore.Call.FIND_BY_PARENT,
        () -> new IllegalStateException("store down"))));
    Grant root = f.grant();
    Grant child = f.jit.delegate(root.id(), Scope.parse("read:orders/1"), Duration.ofMinutes(1),
        "agent");
    store.failNext(1);
    refuse.set(true);
    assertTrue(f.jit.revoke(root.id(), RevocationReason.MANUAL));
    assertEquals(List.of(RevocationReason.MANUAL), f.endReasonsFor(root.id()));
    // The retry could not be scheduled: the child is not reported, but it denies.
    assertEquals(DenyReason.REVOKED, f.jit.check(child.id(), "read", "orders/1").reason());
  }

  @Test
  void aBodyFailureThatTheRevocationThrowsAgainIsThrownAsItIs() {
    IllegalStateException down = new IllegalStateException("backend down");
    Fixture f = failingAt(FailingGrantStore.Call.GET, () -> down); // one cached exception
    Throwable thrown = assertThrows(Throwable.class,
        () -> f.jit.run(Fixture.request().build(), grant -> {
          store.failNext(Integer.MAX_VALUE);
          f.jit.grant(grant.id());
        }));
    assertSame(down, thrown);
    assertEquals(0, thrown.getSuppressed().length);
  }

  @Test
  void aStoreThatThrowsOneCachedExceptionWhileARequestIsEndedThrowsItAsItIs() {
    IllegalStateException down = new IllegalStateException("backend down");
    Fixture f = new Fixture(b -> b.store(new ForwardingGrantStore(
        InMemoryGrantStore.builder().clock(b.clock).scheduler(b.scheduler).build()) {
      @Override
      public void insert(Grant grant) {
        throw down;
      }

      @Override
      public Grant get(String id) {
        throw down;
      }
    }));
    assertSame(down, assertThrows(IllegalStateException.class, f::grant));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void aCheckWhoseDenialTheAuditSinkFailsToRecordStillDenies(String name,
      Supplier<Throwable> failure) {
    AtomicBoolean failing = new AtomicBoolean();
    Fixture f = new Fixture(b -> b.auditSink(event -> {
      if (failing.get()) {
        throw Fixture.unchecked(failure.get());
      }
    }));
    Grant grant = f.grant();
    failing.set(true);
    Decision decision = f.jit.check(grant.id(), "delete", "orders/1");
    assertSame(DenyReason.OUT_OF_SCOPE, decision.reason());
  }
}
