package dev.jitaccess.testkit;

import static dev.jitaccess.testkit.EngineRuns.onlyFailure;
import static dev.jitaccess.testkit.EngineRuns.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.jitaccess.AuditEventType;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantState;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.core.InMemoryGrantStore;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

@JitTest
class JitExtensionTest {
  private FakeClock clockFromBeforeEach;
  private JitAccess jitFromBeforeEach;

  @BeforeEach
  void keepWhatBeforeEachGot(FakeClock clock, JitAccess jit) {
    this.clockFromBeforeEach = clock;
    this.jitFromBeforeEach = jit;
  }

  @Test
  void injectsTheSameObjectsIntoBeforeEachAndTheTest(FakeClock clock, JitAccess jit) {
    assertSame(clockFromBeforeEach, clock);
    assertSame(jitFromBeforeEach, jit);
  }

  @Test
  void theClockStartsAtTheDefaultStart(FakeClock clock) {
    assertEquals(FakeClock.DEFAULT_START, clock.instant());
  }

  @Test
  void theRuntimeIsWiredToTheInjectedClockStoreSinkAndListener(JitAccess jit, FakeClock clock,
      InMemoryGrantStore store, RecordingAuditSink audit, RecordingRevocationListener revocations) {
    clock.advance(Duration.ofSeconds(42));
    Grant grant = jit.request(Requests.export());
    assertEquals(clock.instant(), grant.issuedAt());
    assertEquals(List.of(grant), store.grants());
    assertEquals(List.of(AuditEventType.ISSUED), audit.typesFor(grant));
    jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
    assertEquals(Optional.of(RevocationReason.TASK_COMPLETED), revocations.reasonFor(grant));
    assertEquals(List.of(AuditEventType.ISSUED, AuditEventType.REVOKED), audit.typesFor(grant));
  }

  @Test
  void theExpiryListenerHasFiredRightAfterAdvanceReturns(JitAccess jit, FakeClock clock,
      RecordingRevocationListener revocations) {
    Grant grant = jit.request(Requests.exportFor(Duration.ofMinutes(5)));
    clock.advance(Duration.ofMinutes(5).minusNanos(1));
    assertEquals(Optional.empty(), revocations.reasonFor(grant), "one nanosecond before expiry");
    clock.advance(Duration.ofNanos(1));
    assertEquals(Optional.of(RevocationReason.EXPIRED), revocations.reasonFor(grant));
    Grant reported = revocations.revocations().get(0).grant();
    assertEquals(GrantState.EXPIRED, reported.state());
    assertEquals(grant.expiresAt(), reported.endedAt());
    assertEquals(1, revocations.timesReported(grant.id()));
  }

  @Test
  void aTaskGrantClosedByTheTestLeavesNoStandingAccess(JitAccess jit) {
    try (var task = jit.open(Requests.export())) {
      task.require("read", "orders/42");
    }
  }

  /** Tests run in order here so that the second can see what the first left. */
  @Nested
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  class Isolation {
    private static final AtomicReference<String> FIRST_GRANT = new AtomicReference<>();

    @Test
    @Order(1)
    void firstTestMovesTheClockAndEndsAGrant(JitAccess jit, FakeClock clock) {
      clock.advance(Duration.ofHours(3));
      Grant grant = jit.request(Requests.export());
      FIRST_GRANT.set(grant.id());
      jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
    }

    @Test
    @Order(2)
    void secondTestGetsAFreshClockStoreAndTrail(JitAccess jit, FakeClock clock,
        InMemoryGrantStore store, RecordingAuditSink audit,
        RecordingRevocationListener revocations) {
      assertTrue(FIRST_GRANT.get() != null, "the first test ran first");
      assertEquals(FakeClock.DEFAULT_START, clock.instant());
      assertEquals(Optional.empty(), jit.grant(FIRST_GRANT.get()));
      assertEquals(0, store.size());
      assertEquals(0, audit.size());
      assertEquals(0, revocations.size());
    }
  }

  @Test
  void aConstructorParameterIsRejectedWithAClearMessage() {
    Events events = run(ConstructorInjection.class);
    assertEquals(1, events.failed().count());
    Throwable failure = onlyFailure(events);
    assertTrue(failure instanceof ParameterResolutionException, String.valueOf(failure));
    assertTrue(failure.getMessage().startsWith("JitExtension injects FakeClock only into test "
        + "methods and @BeforeEach/@AfterEach methods"), failure.getMessage());
  }

  @Test
  void registeringTheExtensionTwiceFailsTheTestNamingTheCause() {
    Events events = run(RegisteredTwice.class);
    assertEquals(1, events.failed().count());
    Throwable failure = onlyFailure(events);
    assertTrue(failure instanceof ExtensionConfigurationException, String.valueOf(failure));
    assertEquals("JitExtension is registered more than once for test(): use @JitTest (or "
        + "@ExtendWith(JitExtension.class)) or one @RegisterExtension JitExtension field, not both",
        failure.getMessage());
  }

  @Test
  void testsRunInParallelEachGetTheirOwnClockAndStore() {
    Events events = EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(ParallelTests.class))
        .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
        .configurationParameter("junit.jupiter.execution.parallel.mode.default", "concurrent")
        .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
        .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "4")
        .execute()
        .testEvents();
    assertEquals(0, events.failed().count(), () -> String.valueOf(events.failed().list()));
    assertEquals(8, events.succeeded().count());
  }

  @Tag("fixture")
  @JitTest
  static class ParallelTests {
    @RepeatedTest(8)
    void ownClockAndStore(RepetitionInfo repetition, JitAccess jit, FakeClock clock,
        InMemoryGrantStore store, RecordingAuditSink audit) {
      Duration mine = Duration.ofMinutes(repetition.getCurrentRepetition());
      for (int i = 0; i < 50; i++) {
        Grant grant = jit.request(Requests.export());
        clock.advance(mine);
        assertEquals(FakeClock.DEFAULT_START.plus(mine.multipliedBy(i + 1)), clock.instant());
        jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
        assertEquals(2 * (i + 1), audit.size(), "only this test's events");
      }
      for (Grant held : store.grants()) {
        Duration since = Duration.between(FakeClock.DEFAULT_START, held.issuedAt());
        assertEquals(0, since.toNanos() % mine.toNanos(), "a grant of another test: " + held);
      }
    }
  }

  @Tag("fixture")
  @JitTest
  static class ConstructorInjection {
    ConstructorInjection(FakeClock clock) {}

    @Test
    void test() {}
  }

  @Tag("fixture")
  @JitTest
  static class RegisteredTwice {
    @RegisterExtension
    static JitExtension again = JitExtension.builder().maxLifetime(Duration.ofMinutes(5)).build();

    @Test
    void test() {}
  }
}
