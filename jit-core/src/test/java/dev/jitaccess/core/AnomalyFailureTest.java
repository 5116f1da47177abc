package dev.jitaccess.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.Decision;
import dev.jitaccess.DenyReason;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantReference;
import dev.jitaccess.GrantState;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Detectors and listeners that fail, detectors that misbehave, and bad registrations: a check
 * always answers, fails closed, and no grant id reaches a log line, an audit event or a report.
 */
class AnomalyFailureTest {

  /** A detector made of a function, watching allowed checks too if asked. */
  static AnomalyDetector detector(String name, boolean allowedToo,
      Function<ObservedCheck, @Nullable String> inspect) {
    return new AnomalyDetector() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public boolean watchesAllowedChecks() {
        return allowedToo;
      }

      @Override
      public @Nullable String inspect(ObservedCheck check) {
        return inspect.apply(check);
      }
    };
  }

  /** What {@code body} wrote to standard error, where the tests' SLF4J binding logs. */
  static String stderrOf(Runnable body) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      body.run();
    } finally {
      System.setErr(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aDetectorThatThrowsOnAnAllowedCheckDeniesItWithoutRevokingAndLogsNoGrantId() {
    AnomalyDetectionTest.Detecting d = new AnomalyDetectionTest.Detecting(detector("broken",
        true, check -> {
          throw new IllegalStateException("cannot judge " + check.grant().id(),
              new RuntimeException("because of " + check.grant().id()));
        }));
    Grant grant = d.f.grant();
    Decision[] decision = new Decision[1];

    String log = stderrOf(() -> decision[0] = d.f.jit.check(grant.id(), "read", "orders/1"));

    assertEquals(DenyReason.BACKEND_FAILURE, decision[0].reason());
    assertEquals("anomaly detector broken failed", decision[0].detail());
    assertEquals(GrantState.ACTIVE, d.state(grant), "a failing detector revokes nothing");
    assertEquals(List.of(), d.reports);
    assertTrue(log.contains("AnomalyDetector broken failed on a check of grant "
        + grant.reference()), log);
    assertTrue(log.contains("java.lang.IllegalStateException: cannot judge " + grant.reference()),
        log);
    assertTrue(log.contains("because of " + grant.reference()), "the cause too: " + log);
    assertTrue(log.contains("at dev.jitaccess.core."), "with its stack: " + log);
    assertFalse(log.contains(grant.id()), log);
    AuditEvent denied = d.f.audit.get(d.f.audit.size() - 1);
    assertEquals(AuditEventType.DENIED, denied.type());
    assertEquals("BACKEND_FAILURE", denied.reason());
    assertEquals(1, d.f.audit.stream().filter(e -> e.type() == AuditEventType.DENIED).count(),
        "the failure's denial is not shown to the detectors again");
    d.f.jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
  }

  @Test
  void aDetectorThatThrowsAnErrorOnADenialLeavesTheDenialAsItWas() {
    AnomalyDetectionTest.Detecting d = new AnomalyDetectionTest.Detecting(
        detector("out-of-memory", false, check -> {
          throw new OutOfMemoryError("simulated");
        }));
    Grant grant = d.f.grant();
    String log = stderrOf(() -> assertEquals(DenyReason.OUT_OF_SCOPE,
        d.f.jit.check(grant.id(), "delete", "orders/1").reason()));
    assertTrue(d.f.jit.check(grant.id(), "read", "orders/1").isAllowed(),
        "it watches denials only, so the allowed path never calls it");
    assertTrue(log.contains("java.lang.OutOfMemoryError: simulated"), log);
    assertEquals(GrantState.ACTIVE, d.state(grant));
    d.f.jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
  }

  @Test
  void aFailingDetectorDoesNotKeepTheOthersFromActing() {
    AnomalyDetectionTest.Detecting d = new AnomalyDetectionTest.Detecting(
        detector("broken", true, check -> {
          throw new IllegalStateException("no");
        }),
        detector("any-delete", true,
            check -> "delete".equals(check.action()) ? "asked to delete" : null));
    Grant grant = d.f.grant();
    stderrOf(() -> assertEquals(DenyReason.BACKEND_FAILURE,
        d.f.jit.check(grant.id(), "read", "orders/1").reason()));
    assertEquals(GrantState.ACTIVE, d.state(grant));
    stderrOf(() -> d.f.jit.check(grant.id(), "delete", "orders/1"));
    assertEquals(GrantState.REVOKED, d.state(grant));
    assertEquals(List.of("any-delete"), d.reports.stream().map(AnomalyReport::detector).toList());
  }

  @Test
  void aCustomDetectorOfAllowedChecksTurnsTheCheckIntoADenial() {
    AtomicInteger seen = new AtomicInteger();
    AnomalyDetectionTest.Detecting d = new AnomalyDetectionTest.Detecting(
        detector("tenth-read", true, check -> {
          assertTrue(check.decision().isAllowed());
          return seen.incrementAndGet() == 10 ? "ten reads" : null;
        }));
    Grant grant = d.f.grant();
    for (int i = 0; i < 9; i++) {
      assertTrue(d.f.jit.check(grant.id(), "read", "orders/" + i).isAllowed());
    }
    Decision tenth = d.f.jit.check(grant.id(), "read", "orders/9");
    assertEquals(DenyReason.ANOMALY, tenth.reason());
    assertEquals("detected by tenth-read", tenth.detail());
    assertEquals(GrantState.REVOKED, d.state(grant));
    assertEquals(10, seen.get(), "a denial it caused is not shown to it again");
  }

  @Test
  void evidenceHoldingAGrantIdIsRedactedCleanedAndCut() {
    AnomalyDetectionTest.Detecting d = new AnomalyDetectionTest.Detecting(
        detector("leaky", false, check -> "grant " + check.grant().id() + " of parent "
            + check.grant().parentId() + "\nforged=1 " + "x".repeat(2_000)));
    Grant parent = d.f.grant();
    Grant child = d.f.jit.delegate(parent.id(), Scope.parse("read:orders/1"),
        Duration.ofMinutes(1), "agent");

    String log = stderrOf(() -> d.f.jit.check(child.id(), "delete", "orders/1"));

    String evidence = d.reports.get(0).evidence();
    assertTrue(evidence.startsWith("grant " + child.reference() + " of parent "
        + GrantReference.of(parent.id()) + "?forged=1 xxx"), evidence);
    assertTrue(evidence.matches("(?s).*\\.\\.\\. \\(\\d{4} characters\\)"), evidence);
    assertTrue(evidence.length() < Anomalies.MAX_EVIDENCE + 32, "cut: " + evidence.length());
    assertEquals(evidence, d.anomalies().get(0).detail());
    for (String text : List.of(evidence, String.valueOf(d.f.audit), log)) {
      assertFalse(text.contains(child.id()), text);
      assertFalse(text.contains(parent.id()), text);
    }
  }

  @Test
  void aListenerThatThrowsIsLoggedAndTheOthersAreStillTold() {
    List<AnomalyReport> second = new ArrayList<>();
    Fixture f = new Fixture(b -> b.anomalyDetector(AnomalyDetectors.sourcePinning())
        .anomalyListener(report -> {
          throw new IllegalStateException("pager down for " + report.grant().id());
        })
        .anomalyListener(second::add));
    Grant grant = f.jit.request(Fixture.request().context(
        dev.jitaccess.RequestContext.builder().source("10.0.0.7").build()).build());
    String log = stderrOf(() -> assertEquals(DenyReason.ANOMALY, f.jit.check(grant.id(), "read",
        "orders/1", AnomalyDetectionTest.ELSEWHERE).reason()));
    assertEquals(1, second.size());
    assertEquals(GrantState.REVOKED, f.jit.grant(grant.id()).orElseThrow().state());
    assertTrue(log.contains("pager down for " + grant.reference()), log);
    assertFalse(log.contains(grant.id()), log);
  }

  @Test
  void aListenerOnAnExecutorIsToldThereAndARefusingExecutorIsLogged() {
    List<Runnable> queued = new ArrayList<>();
    List<AnomalyReport> told = new ArrayList<>();
    Fixture f = new Fixture(b -> b.anomalyDetector(AnomalyDetectors.sourcePinning())
        .anomalyListener(told::add, queued::add)
        .anomalyListener(told::add, command -> {
          throw new java.util.concurrent.RejectedExecutionException("full");
        }));
    Grant grant = f.jit.request(Fixture.request().context(
        dev.jitaccess.RequestContext.builder().source("10.0.0.7").build()).build());
    String log = stderrOf(() -> f.jit.check(grant.id(), "read", "orders/1",
        AnomalyDetectionTest.ELSEWHERE));
    assertEquals(List.of(), told, "not on the checking thread");
    assertEquals(1, queued.size());
    queued.get(0).run();
    assertEquals(1, told.size());
    assertTrue(log.contains("its executor refused the call"), log);
  }

  @Test
  void aStoreThatFailsTheRevocationStillLeavesTheCheckDenied() {
    java.util.concurrent.atomic.AtomicBoolean failing = new java.util.concurrent.atomic
        .AtomicBoolean();
    List<AnomalyReport> reports = new ArrayList<>();
    Fixture f = new Fixture(b -> b.store(new ForwardingGrantStore(
        InMemoryGrantStore.builder().clock(b.clock).build()) {
      @Override
      public boolean compareAndSet(Grant expected, Grant replacement) {
        if (failing.get()) {
          throw new IllegalStateException("database down");
        }
        return super.compareAndSet(expected, replacement);
      }
    }).anomalyDetector(AnomalyDetectors.sourcePinning()).anomalyListener(reports::add));
    Grant grant = f.jit.request(Fixture.request().context(
        dev.jitaccess.RequestContext.builder().source("10.0.0.7").build()).build());
    failing.set(true);
    String log = stderrOf(() -> assertEquals(DenyReason.ANOMALY, f.jit.check(grant.id(), "read",
        "orders/1", AnomalyDetectionTest.ELSEWHERE).reason()));
    assertFalse(reports.get(0).revoked());
    assertTrue(log.contains("Revoking grant " + grant.reference()), log);
    failing.set(false);
    assertEquals(DenyReason.ANOMALY, f.jit.check(grant.id(), "read", "orders/1",
        AnomalyDetectionTest.ELSEWHERE).reason(), "the next use from there tries again");
    assertTrue(reports.get(1).revoked());
  }

  @Test
  void aDetectorNameMustFollowTheRuleAndBeUnique() {
    for (String bad : List.of("", "Upper", "1st", "has space", "under_score", "x".repeat(65))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> JitAccess.builder().anomalyDetector(detector(bad, false, c -> null)));
      assertTrue(e.getMessage().startsWith("anomalyDetector.name() must be 1 to 64 characters "
          + "[a-z][a-z0-9-]*, was '"), e.getMessage());
    }
    assertEquals("anomalyDetector.name() must be 1 to 64 characters [a-z][a-z0-9-]*, was null",
        assertThrows(IllegalArgumentException.class, () -> JitAccess.builder()
            .anomalyDetector(detector(null, false, c -> null))).getMessage());
    assertEquals("anomalyDetector.name() must be unique, was 'source-pinning' twice",
        assertThrows(IllegalArgumentException.class, () -> JitAccess.builder()
            .anomalyDetector(AnomalyDetectors.sourcePinning())
            .anomalyDetector(detector("source-pinning", false, c -> null))).getMessage());
    assertEquals("anomalyDetector must not be null", assertThrows(NullPointerException.class,
        () -> JitAccess.builder().anomalyDetector(null)).getMessage());
    assertEquals("anomalyListener must not be null", assertThrows(NullPointerException.class,
        () -> JitAccess.builder().anomalyListener(null)).getMessage());
  }

  @Test
  void theBuiltInsRefuseBadSettingsNamingTheRule() {
    assertEquals("denials must be in [1, 1000], was 0", assertThrows(
        IllegalArgumentException.class,
        () -> AnomalyDetectors.denialBurst(0, Duration.ofMinutes(1))).getMessage());
    assertEquals("denials must be in [1, 1000], was 1001", assertThrows(
        IllegalArgumentException.class,
        () -> AnomalyDetectors.denialBurst(1001, Duration.ofMinutes(1))).getMessage());
    assertEquals("window must be > 0, was PT0S", assertThrows(IllegalArgumentException.class,
        () -> AnomalyDetectors.denialBurst(5, Duration.ZERO)).getMessage());
    assertEquals("maxTrackedGrants must be in [1, 10000000], was 0", assertThrows(
        IllegalArgumentException.class,
        () -> AnomalyDetectors.denialBurst(5, Duration.ofMinutes(1), 0)).getMessage());
    assertEquals("grace must be >= 0, was PT-1S", assertThrows(IllegalArgumentException.class,
        () -> AnomalyDetectors.checkAfterTaskEnded(Duration.ofSeconds(-1))).getMessage());
  }

  @Test
  void aBuiltInOutsideARuntimeSaysWhereItWorks() {
    AnomalyDetector burst = AnomalyDetectors.denialBurst(5, Duration.ofMinutes(1));
    Fixture f = new Fixture();
    Grant grant = f.grant();
    ObservedCheck check = new ObservedCheck(grant, "delete", "orders/1", null,
        Decision.deny(DenyReason.OUT_OF_SCOPE), f.clock.instant(),
        new Barriers(f.clock, Duration.ofHours(1), 10));
    assertEquals("denial-burst works inside a runtime: register it with "
        + "JitAccessBuilder.anomalyDetector(...)",
        assertThrows(IllegalStateException.class, () -> burst.inspect(check)).getMessage());
    assertFalse(check.toString().contains(grant.id()));
    f.jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
  }

  @Test
  void oneBuiltInOnTwoRuntimesKeepsTwoStates() {
    AnomalyDetector burst = AnomalyDetectors.denialBurst(2, Duration.ofMinutes(1));
    AnomalyDetectionTest.Detecting a = new AnomalyDetectionTest.Detecting(burst);
    AnomalyDetectionTest.Detecting b = new AnomalyDetectionTest.Detecting(burst);
    Grant onA = a.f.grant();
    Grant onB = b.f.grant();
    a.f.jit.check(onA.id(), "delete", "orders/1");
    b.f.jit.check(onB.id(), "delete", "orders/1");
    assertEquals(GrantState.ACTIVE, a.state(onA));
    assertEquals(GrantState.ACTIVE, b.state(onB));
    assertEquals(1, AnomalyDetectionTest.trackedBy(a));
    a.f.jit.revoke(onA.id(), RevocationReason.TASK_COMPLETED);
    b.f.jit.revoke(onB.id(), RevocationReason.TASK_COMPLETED);
  }
}
