package dev.jitaccess.testkit;

import static dev.jitaccess.testkit.EngineRuns.onlyFailure;
import static dev.jitaccess.testkit.EngineRuns.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.Events;
import org.opentest4j.AssertionFailedError;

/** The check that runs after each test: ACTIVE grants left behind fail it. */
class StandingAccessCheckTest {
  static final AtomicReference<Grant> LEAKED = new AtomicReference<>();

  @Test
  void leakedGrantFailsTheTest() {
    Events events = run(LeakingTest.class);
    assertEquals(1, events.failed().count());
    Throwable failure = onlyFailure(events);
    assertTrue(failure instanceof AssertionFailedError, String.valueOf(failure));
    Grant leaked = LEAKED.get();
    String message = failure.getMessage();
    assertTrue(message.startsWith("Standing access: 1 grant is still ACTIVE when the test ends "
        + "(fake clock at " + FakeClock.DEFAULT_START.plus(Duration.ofMinutes(1)) + ")."), message);
    assertTrue(message.contains("@AllowStandingAccess"), message);
    assertTrue(message.contains("  - grant " + leaked.reference() + " subject="
        + "export-job owner=team-data task=export-2026-11 scope=[read:orders/* "
        + "write:exports/2026-11/**] expiresAt=" + leaked.expiresAt() + " state=ACTIVE"),
        message);
    assertFalse(message.contains(leaked.id()), "the full grant id must not appear: " + message);
  }

  @Test
  void everyLeakedGrantIsListed() {
    Throwable failure = onlyFailure(run(LeakingThreeTest.class));
    String message = failure.getMessage();
    assertTrue(message.startsWith("Standing access: 3 grants are still ACTIVE"), message);
    assertEquals(3, message.lines().filter(l -> l.startsWith("  - grant ")).count(), message);
  }

  @Test
  void allowStandingAccessWithABlankReasonFailsTheTestAskingWhy() {
    Events events = run(AllowedWithoutAReasonTest.class);
    assertEquals(1, events.failed().count());
    Throwable failure = onlyFailure(events);
    assertTrue(failure.getMessage().startsWith("@AllowStandingAccess on "), failure.getMessage());
    assertTrue(failure.getMessage().endsWith(" must say why the test may leave grants ACTIVE"),
        failure.getMessage());
  }

  @Test
  void allowStandingAccessOnTheMethodLetsItPass() {
    Events events = run(AllowedOnMethodTest.class);
    assertEquals(0, events.failed().count());
    assertEquals(1, events.succeeded().count());
  }

  @Test
  void allowStandingAccessOnAnEnclosingClassCoversNestedTests() {
    Events events = run(AllowedOnClassTest.class);
    assertEquals(0, events.failed().count());
    assertEquals(2, events.succeeded().count());
  }

  @Test
  void theBuilderFlagTurnsTheCheckOff() {
    Events events = run(AllowedByBuilderTest.class);
    assertEquals(0, events.failed().count());
    assertEquals(1, events.succeeded().count());
  }

  @Test
  void grantsThatEndedOrExpiredDoNotCount() {
    Events events = run(CleanTest.class);
    assertEquals(0, events.failed().count(), () -> String.valueOf(
        events.failed().stream().findFirst().map(e -> e.getPayload(Object.class))));
    assertEquals(3, events.succeeded().count());
  }

  @Test
  void aTestThatAlreadyFailedKeepsItsOwnFailure() {
    Throwable failure = onlyFailure(run(FailingAndLeakingTest.class));
    assertEquals("the test's own failure", failure.getMessage());
    assertEquals(0, failure.getSuppressed().length);
  }

  // ------------------------------------------------------------------ fixtures

  @Tag("fixture")
  @JitTest
  static class LeakingTest {
    @Test
    void leavesAGrantActive(JitAccess jit, FakeClock clock) {
      LEAKED.set(jit.request(Requests.exportFor(Duration.ofMinutes(5))));
      clock.advance(Duration.ofMinutes(1));
    }
  }

  @Tag("fixture")
  @JitTest
  static class LeakingThreeTest {
    @Test
    void leavesThreeGrantsActive(JitAccess jit) {
      for (int i = 0; i < 3; i++) {
        jit.request(Requests.export());
      }
    }
  }

  @Tag("fixture")
  @JitTest
  static class AllowedOnMethodTest {
    @Test
    @AllowStandingAccess("this test is about a grant that outlives it")
    void leavesAGrantActiveOnPurpose(JitAccess jit) {
      jit.request(Requests.export());
    }
  }

  @Tag("fixture")
  @JitTest
  static class AllowedWithoutAReasonTest {
    @Test
    @AllowStandingAccess(" ")
    void leavesAGrantActive(JitAccess jit) {
      jit.request(Requests.export());
    }
  }

  @Tag("fixture")
  @JitTest
  @AllowStandingAccess("every test here leaves grants on purpose")
  static class AllowedOnClassTest {
    @Test
    void leaves(JitAccess jit) {
      jit.request(Requests.export());
    }

    @Nested
    class Inner {
      @Test
      void leavesToo(JitAccess jit) {
        jit.request(Requests.export());
      }
    }
  }

  @Tag("fixture")
  static class AllowedByBuilderTest {
    @RegisterExtension
    static JitExtension ext = JitExtension.builder().allowStandingAccess().build();

    @Test
    void leaves(JitAccess jit) {
      jit.request(Requests.export());
    }
  }

  @Tag("fixture")
  @JitTest
  static class CleanTest {
    @Test
    void revokes(JitAccess jit) {
      Grant grant = jit.request(Requests.export());
      jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
    }

    @Test
    void letsItExpire(JitAccess jit, FakeClock clock) {
      jit.request(Requests.exportFor(Duration.ofMinutes(5)));
      clock.advance(Duration.ofMinutes(5));
    }

    @Test
    void runsTheTask(JitAccess jit) {
      jit.run(Requests.export(), grant -> jit.require(grant.id(), "read", "orders/1"));
    }
  }

  @Tag("fixture")
  @JitTest
  static class FailingAndLeakingTest {
    @Test
    void failsWithAGrantActive(JitAccess jit) {
      jit.request(Requests.export());
      fail("the test's own failure");
    }
  }
}
