package dev.jitaccess.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.CheckContext;
import dev.jitaccess.Decision;
import dev.jitaccess.DelegationRequest;
import dev.jitaccess.DenyReason;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantState;
import dev.jitaccess.RequestContext;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import dev.jitaccess.Ttl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The built-in anomaly detectors: what each finds, and what the runtime does about it. */
class AnomalyDetectionTest {
  static final CheckContext HOME = CheckContext.ofSource("10.0.0.7");
  static final CheckContext ELSEWHERE = CheckContext.ofSource("203.0.113.9");

  /** A runtime on a fake clock with the given detectors and a recording anomaly listener. */
  static final class Detecting {
    final List<AnomalyReport> reports = Collections.synchronizedList(new ArrayList<>());
    final Fixture f;

    Detecting(AnomalyDetector... detectors) {
      this(b -> { }, detectors);
    }

    Detecting(Consumer<JitAccessBuilder> more, AnomalyDetector... detectors) {
      f = new Fixture(b -> {
        for (AnomalyDetector d : detectors) {
          b.anomalyDetector(d);
        }
        b.anomalyListener(reports::add);
        more.accept(b);
      });
    }

    Grant pinned(String source) {
      return f.jit.request(Fixture.request()
          .context(RequestContext.builder().source(source).build()).build());
    }

    List<AuditEvent> anomalies() {
      return f.audit.stream().filter(e -> e.type() == AuditEventType.ANOMALY).toList();
    }

    GrantState state(Grant grant) {
      return f.jit.grant(grant.id()).orElseThrow().state();
    }
  }

  @Nested
  class SourcePinning {
    final Detecting d = new Detecting(AnomalyDetectors.sourcePinning());

    @Test
    void aCheckFromThePinnedSourceAllowsAndFindsNothing() {
      Grant grant = d.pinned("10.0.0.7");
      assertTrue(d.f.jit.check(grant.id(), "read", "orders/1", HOME).isAllowed());
      assertEquals(List.of(), d.reports);
      assertEquals(GrantState.ACTIVE, d.state(grant));
      d.f.jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
    }

    @Test
    void aCheckFromASecondSourceDeniesRevokesAuditsAndTellsTheOwner() {
      Grant grant = d.pinned("10.0.0.7");
      Decision decision = d.f.jit.check(grant.id(), "read", "orders/1", ELSEWHERE);

      assertEquals(DenyReason.ANOMALY, decision.reason());
      assertEquals("detected by source-pinning", decision.detail());
      Grant now = d.f.jit.grant(grant.id()).orElseThrow();
      assertEquals(GrantState.REVOKED, now.state());
      assertEquals(RevocationReason.ANOMALY, now.endReason());
      assertEquals(DenyReason.REVOKED, d.f.jit.check(grant.id(), "read", "orders/1", HOME)
          .reason(), "later checks, from anywhere, deny");

      AuditEvent anomaly = d.anomalies().get(0);
      assertEquals(1, d.anomalies().size());
      assertEquals("source-pinning", anomaly.actor());
      assertEquals("ANOMALY", anomaly.reason());
      assertEquals(grant.reference(), anomaly.grantRef());
      assertEquals("team-a", anomaly.owner());
      assertEquals("read", anomaly.action());
      assertEquals("orders/1", anomaly.resource());
      assertEquals("checked from source '203.0.113.9'; the grant is pinned to '10.0.0.7'",
          anomaly.detail());
      assertFalse(anomaly.toString().contains(grant.id()));
      assertEquals(List.of(AuditEventType.ISSUED, AuditEventType.ANOMALY, AuditEventType.REVOKED,
          AuditEventType.DENIED, AuditEventType.DENIED), d.f.eventsFor(grant.id()));

      AnomalyReport report = d.reports.get(0);
      assertEquals(1, d.reports.size());
      assertEquals("source-pinning", report.detector());
      assertEquals("team-a", report.owner());
      assertTrue(report.revoked());
      assertEquals(d.f.clock.instant(), report.at());
      assertEquals(anomaly.detail(), report.evidence());
      assertFalse(report.toString().contains(grant.id()));
      assertEquals(List.of(RevocationReason.ANOMALY), d.f.endReasonsFor(grant.id()));
    }

    @Test
    void theDelegationsOfAGrantUsedFromASecondSourceEndWithIt() {
      Grant parent = d.pinned("10.0.0.7");
      Grant child = d.f.jit.delegate(parent.id(), Scope.parse("read:orders/1"),
          Duration.ofMinutes(1), "agent");
      assertNull(child.source(), "a child is pinned only to its own request's source");
      assertTrue(d.f.jit.check(child.id(), "read", "orders/1", ELSEWHERE).isAllowed());

      d.f.jit.check(parent.id(), "read", "orders/1", ELSEWHERE);

      assertEquals(List.of(RevocationReason.PARENT_REVOKED), d.f.endReasonsFor(child.id()));
      assertEquals(DenyReason.REVOKED, d.f.jit.check(child.id(), "read", "orders/1").reason());
    }

    @Test
    void aDelegationNamingItsOwnSourceIsPinnedToIt() {
      Grant parent = d.pinned("10.0.0.7");
      Grant child = d.f.jit.delegate(parent.id(), DelegationRequest.builder().subject("agent")
          .scope(Scope.parse("read:orders/1")).ttl(Ttl.of(Duration.ofMinutes(1)))
          .context(RequestContext.builder().source("agent-pod-2").build()).build());
      assertEquals("agent-pod-2", child.source());
      assertTrue(d.f.jit.check(child.id(), "read", "orders/1",
          CheckContext.ofSource("agent-pod-2")).isAllowed());
      assertEquals(DenyReason.ANOMALY,
          d.f.jit.check(child.id(), "read", "orders/1", HOME).reason());
      assertEquals(GrantState.ACTIVE, d.state(parent), "the parent is not the one misused");
      d.f.jit.revoke(parent.id(), RevocationReason.TASK_COMPLETED);
    }

    @Test
    void anOutOfScopeCheckFromASecondSourceRevokesToo() {
      Grant grant = d.pinned("10.0.0.7");
      assertEquals(DenyReason.OUT_OF_SCOPE,
          d.f.jit.check(grant.id(), "delete", "orders/1", ELSEWHERE).reason());
      assertEquals(GrantState.REVOKED, d.state(grant));
      assertEquals("source-pinning", d.reports.get(0).detector());
    }

    @Test
    void checksWithoutAContextAndGrantsWithoutASourceAreNotJudged() {
      Grant pinned = d.pinned("10.0.0.7");
      Grant unpinned = d.f.grant();
      assertTrue(d.f.jit.check(pinned.id(), "read", "orders/1").isAllowed());
      assertTrue(d.f.jit.check(unpinned.id(), "read", "orders/1", ELSEWHERE).isAllowed());
      assertEquals(List.of(), d.reports);
      d.f.jit.revokeTask("task-1", RevocationReason.TASK_COMPLETED);
    }

    @Test
    void aSecondSourceSpendsNoUseOfABudget() {
      Grant grant = d.f.jit.request(Fixture.request().useBudget(3)
          .context(RequestContext.builder().source("10.0.0.7").build()).build());
      d.f.jit.check(grant.id(), "read", "orders/1", ELSEWHERE);
      Grant now = d.f.jit.grant(grant.id()).orElseThrow();
      assertEquals(0, now.usesConsumed());
      assertEquals(RevocationReason.ANOMALY, now.endReason());
    }

    @Test
    void aNullContextDeniesAsMalformedAndRevokesNothing() {
      Grant grant = d.pinned("10.0.0.7");
      Decision decision = d.f.jit.check(grant.id(), "read", "orders/1", null);
      assertEquals(DenyReason.MALFORMED_REQUEST, decision.reason());
      assertEquals("context must not be null", decision.detail());
      assertEquals(GrantState.ACTIVE, d.state(grant));
      d.f.jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
    }

    @Test
    void aClosedRuntimeStillDeniesASecondSourceButRevokesNothing() {
      Grant grant = d.pinned("10.0.0.7");
      d.f.jit.close();
      assertEquals(DenyReason.ANOMALY,
          d.f.jit.check(grant.id(), "read", "orders/1", ELSEWHERE).reason());
      assertEquals(GrantState.ACTIVE, d.state(grant));
      assertFalse(d.reports.get(0).revoked());
      assertEquals(1, d.anomalies().size());
    }
  }

  @Nested
  class DenialBurst {
    final Detecting d = new Detecting(AnomalyDetectors.denialBurst(3, Duration.ofMinutes(1)));

    @Test
    void theNthOutOfScopeDenialWithinTheWindowRevokes() {
      Grant grant = d.f.grant();
      d.f.jit.check(grant.id(), "delete", "orders/1");
      d.f.clock.advance(Duration.ofSeconds(20));
      d.f.jit.check(grant.id(), "read", "invoices/1");
      assertEquals(GrantState.ACTIVE, d.state(grant));
      d.f.clock.advance(Duration.ofSeconds(39));
      d.f.jit.check(grant.id(), "drop", "orders");

      assertEquals(GrantState.REVOKED, d.state(grant));
      AnomalyReport report = d.reports.get(0);
      assertEquals("denial-burst", report.detector());
      assertEquals("3 out-of-scope or malformed checks within PT1M (the last PT59S after the "
          + "first)", report.evidence());
      assertTrue(report.revoked());
      assertEquals("drop", d.anomalies().get(0).action());
    }

    @Test
    void denialsSpreadWiderThanTheWindowFindNothing() {
      Grant grant = d.f.grant();
      for (int i = 0; i < 8; i++) { // the last 3 span exactly the window: not within it
        d.f.jit.check(grant.id(), "delete", "orders/1");
        d.f.clock.advance(Duration.ofSeconds(30));
      }
      assertEquals(GrantState.ACTIVE, d.state(grant));
      assertEquals(List.of(), d.reports);
      d.f.jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
    }

    @Test
    void allowedChecksAndOtherDenialsDoNotCount() {
      Grant grant = d.f.grant();
      for (int i = 0; i < 10; i++) {
        d.f.jit.check(grant.id(), "read", "orders/1");
      }
      d.f.jit.check(grant.id(), "delete", "orders/1");
      d.f.jit.check(grant.id(), "delete", "orders/1");
      d.f.jit.revoke(grant.id(), RevocationReason.MANUAL);
      for (int i = 0; i < 10; i++) {
        assertEquals(DenyReason.REVOKED, d.f.jit.check(grant.id(), "delete", "orders/1")
            .reason());
      }
      assertEquals(List.of(), d.reports);
    }

    @Test
    void malformedRequestsCountAsProbing() {
      Grant grant = d.f.grant();
      d.f.jit.check(grant.id(), "read", "orders/../secrets");
      d.f.jit.check(grant.id(), "", "orders/1");
      d.f.jit.check(grant.id(), "delete", "orders/1");
      assertEquals(GrantState.REVOKED, d.state(grant));
    }

    @Test
    void unknownIdsMakeNoEntryHoweverManyAreTried() {
      for (int i = 0; i < 1_000; i++) {
        d.f.jit.check(GrantIds.next(), "delete", "orders/" + i);
      }
      assertEquals(0, trackedBy(d), "nothing tracked");
    }
  }

  /** How many grants the runtime's denial-burst detector tracks. */
  static long trackedBy(Detecting d) {
    return ((DefaultJitAccess) d.f.jit).anomalyDetectors(dev.jitaccess.core.DenialBurst.class)
        .stream().mapToLong(dev.jitaccess.core.DenialBurst::tracked).sum();
  }

  @Nested
  class ChecksAfterTheTaskEnded {
    final Detecting d =
        new Detecting(AnomalyDetectors.checkAfterTaskEnded(Duration.ofSeconds(30)));

    @Test
    void aCheckAfterTheGraceIsReportedOncePerGrant() {
      Grant[] held = new Grant[1];
      d.f.jit.run(Fixture.request().build(), grant -> held[0] = grant);
      Grant grant = held[0];
      d.f.clock.advance(Duration.ofSeconds(45));

      assertEquals(DenyReason.REVOKED, d.f.jit.check(grant.id(), "read", "orders/1").reason());
      d.f.jit.check(grant.id(), "read", "orders/1");

      assertEquals(1, d.reports.size());
      AnomalyReport report = d.reports.get(0);
      assertEquals("check-after-task-end", report.detector());
      assertFalse(report.revoked(), "it had already ended with its task");
      assertEquals("checked PT45S after it ended (TASK_COMPLETED), its task ended",
          report.evidence());
      assertEquals(1, d.anomalies().size());
    }

    @Test
    void aCheckWithinTheGraceIsARequestStillInFlight() {
      Grant grant = d.f.grant();
      d.f.jit.revokeTask("task-1", RevocationReason.TASK_COMPLETED);
      d.f.clock.advance(Duration.ofSeconds(29));
      d.f.jit.check(grant.id(), "read", "orders/1");
      assertEquals(List.of(), d.reports);
    }

    @Test
    void aGrantThatEndedForAnotherReasonWhileItsTaskLivedIsNotReported() {
      Grant grant = d.f.grant();
      d.f.jit.revoke(grant.id(), RevocationReason.MANUAL);
      d.f.clock.advance(Duration.ofMinutes(1));
      d.f.jit.check(grant.id(), "read", "orders/1");
      assertEquals(List.of(), d.reports);
    }
  }

  @Test
  void withoutDetectorsACheckWithAContextDecidesAsThePlainCheck() {
    Fixture f = new Fixture();
    Grant grant = f.jit.request(Fixture.request()
        .context(RequestContext.builder().source("10.0.0.7").build()).build());
    assertTrue(f.jit.check(grant.id(), "read", "orders/1", ELSEWHERE).isAllowed());
    assertEquals(DenyReason.OUT_OF_SCOPE,
        f.jit.check(grant.id(), "delete", "orders/1", ELSEWHERE).reason());
    assertEquals(GrantState.ACTIVE, f.jit.grant(grant.id()).orElseThrow().state());
    f.jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
  }

  @Test
  void everyBuiltInTogetherFindsEachAnomalyOnce() {
    Detecting d = new Detecting(AnomalyDetectors.denialBurst(2, Duration.ofMinutes(1)),
        AnomalyDetectors.sourcePinning(),
        AnomalyDetectors.checkAfterTaskEnded(Duration.ZERO));
    Grant pinned = d.pinned("10.0.0.7");
    d.f.jit.check(pinned.id(), "delete", "orders/1", HOME);
    d.f.jit.check(pinned.id(), "delete", "orders/1", HOME);
    assertEquals(List.of("denial-burst"),
        d.reports.stream().map(AnomalyReport::detector).toList());
    d.f.jit.check(pinned.id(), "read", "orders/1", ELSEWHERE);
    assertEquals(1, d.reports.size(), "a revoked grant is not judged by its source again");
  }
}
