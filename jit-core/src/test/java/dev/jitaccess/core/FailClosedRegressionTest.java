package dev.jitaccess.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.Decision;
import dev.jitaccess.DelegationRequest;
import dev.jitaccess.DenyReason;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantDeniedException;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.GrantState;
import dev.jitaccess.GrantStateException;
import dev.jitaccess.GrantStatus;
import dev.jitaccess.RequestContext;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import dev.jitaccess.Ttl;
import dev.jitaccess.WorkloadIdentity;
import dev.jitaccess.spi.AccessPolicy;
import dev.jitaccess.spi.PolicyDecision;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Each test pins a defect an acceptance suite found, or a rule of the reshaped runtime. */
class FailClosedRegressionTest {
  final Fixture f = new Fixture();

  /** A clock that throws, or answers null, while {@code mode} says so. */
  static final class BrokenClock extends Clock {
    final Clock inner;
    final AtomicReference<String> mode = new AtomicReference<>("ok");

    BrokenClock(Clock inner) {
      this.inner = inner;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @SuppressWarnings("NullAway")
    @Override
    public Instant instant() {
      switch (mode.get()) {
        case "throw":
          throw new IllegalStateException("clock failed");
        case "null":
          return null;
        default:
          return inner.instant();
      }
    }
  }

  @Test
  void aCheckDeniesWithBackendFailureWhenTheClockThrowsOrAnswersNull() {
    BrokenClock clock = new BrokenClock(f.clock);
    List<AuditEvent> audit = new ArrayList<>();
    try (JitAccess broken = JitAccess.builder().clock(clock).scheduler(f.clock)
        .auditSink(audit::add).build()) {
      Grant grant = broken.request(Fixture.request().build());
      for (String mode : List.of("throw", "null")) {
        clock.mode.set(mode);
        Decision decision = broken.check(grant.id(), "read", "orders/1");
        assertEquals(DenyReason.BACKEND_FAILURE, decision.reason(), mode);
        AuditEvent denied = audit.get(audit.size() - 1);
        assertEquals(AuditEventType.DENIED, denied.type());
        assertEquals(Instant.EPOCH, denied.at(), "recorded although the clock failed");
      }
      clock.mode.set("ok");
      broken.revoke(grant.id(), RevocationReason.MANUAL);
    }
  }

  @Test
  void aCheckThatTheStoreKeepsRefusingIsBoundedAndDeniesWithBackendFailure() {
    AtomicBoolean refuse = new AtomicBoolean();
    InMemoryGrantStore backing = f.store;
    Fixture stubborn = new Fixture(b -> b.store(new ForwardingGrantStore(
        InMemoryGrantStore.builder().clock(f.clock).build()) {
      @Override
      public boolean compareAndSet(Grant expected, Grant replacement) {
        return !refuse.get() && super.compareAndSet(expected, replacement);
      }
    }));
    Grant budgeted = stubborn.jit.request(Fixture.request().useBudget(5).build());
    Grant expiring = stubborn.jit.request(Fixture.request().task("t2").build());
    refuse.set(true);
    assertEquals(Decision.deny(DenyReason.BACKEND_FAILURE, "the store kept refusing the use"),
        stubborn.jit.check(budgeted.id(), "read", "orders/1"));
    stubborn.clock.advance(Duration.ofMinutes(5)); // the timer fails too, and retries later
    assertEquals(DenyReason.EXPIRED,
        stubborn.jit.check(expiring.id(), "read", "orders/1").reason());
    assertTrue(backing.grants().isEmpty());
    refuse.set(false);
    stubborn.clock.advance(Duration.ofSeconds(1));
    assertEquals(GrantState.EXPIRED, stubborn.jit.grant(expiring.id()).orElseThrow().state());
  }

  @Test
  void aPolicyThatThrowsAnErrorIsAuditedAsDeniedAndTheErrorPropagates() {
    StackOverflowError error = new StackOverflowError("policy recursed");
    Fixture erring = new Fixture(b -> b.policy(new AccessPolicy() {
      @Override
      public PolicyDecision onRequest(GrantRequest request, @Nullable Grant parent) {
        throw error;
      }

      @Override
      public PolicyDecision onRenewal(Grant grant, Duration extension) {
        throw error;
      }
    }));
    assertSame(error, assertThrows(StackOverflowError.class, erring::grant));
    AuditEvent denied = erring.audit.get(0);
    assertEquals(AuditEventType.DENIED, denied.type());
    assertEquals("POLICY_FAILURE", denied.reason());
  }

  @Test
  void aHugeHardCapSaturatesNotAfterAtTheEndOfTime() {
    Fixture endless = new Fixture(b -> b.maxHardCap(Duration.ofSeconds(Long.MAX_VALUE)));
    Grant grant = endless.jit.request(
        Fixture.request().ttl(Ttl.of(Duration.ofMinutes(5))).build());
    assertEquals(Instant.MAX, grant.notAfter());
    endless.jit.revoke(grant.id(), RevocationReason.MANUAL);
  }

  @Test
  void afterCloseEveryMutationThrowsClosedAndTimersEndNothing() {
    Grant grant = f.grant();
    f.jit.close();
    for (Runnable mutation : List.<Runnable>of(
        () -> f.jit.request(Fixture.request().task("after").build()),
        () -> f.jit.renew(grant.id(), Duration.ofMinutes(1)),
        () -> f.jit.delegate(grant.id(), Scope.parse("read:orders/1"), Duration.ofMinutes(1), "a"),
        () -> f.jit.revoke(grant.id(), RevocationReason.MANUAL),
        () -> f.jit.revokeTask("task-1", RevocationReason.MANUAL),
        () -> f.jit.revokeSubject("ci-job-1", RevocationReason.MANUAL),
        () -> f.jit.revokeOwner("team-a", RevocationReason.MANUAL))) {
      IllegalStateException e = assertThrows(IllegalStateException.class, mutation::run);
      assertEquals("closed", e.getMessage());
    }
    f.clock.advance(Duration.ofMinutes(5));
    assertTrue(f.ended.isEmpty(), "a closed runtime's timers end nothing");
    assertEquals(DenyReason.EXPIRED, f.jit.check(grant.id(), "read", "orders/1").reason());
  }

  @Test
  void nearMissIdsAreNeverEchoedInExceptions() {
    Grant grant = f.grant();
    for (String nearMiss : List.of(grant.id() + "\n", grant.id() + "==", grant.id() + " ")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> f.jit.revoke(nearMiss, RevocationReason.MANUAL));
      assertFalse(e.getMessage().contains(grant.id()), e.getMessage());
      assertTrue(e.getMessage().startsWith("grantId must be 1 to 1024"), e.getMessage());
    }
    f.jit.revoke(grant.id(), RevocationReason.MANUAL);
    assertFalse(grant.toString().contains(grant.id()));
    assertTrue(grant.toString().contains(grant.reference()));
  }

  @Test
  void delegateAndRenewLookAtEveryAncestorNotOnlyTheParent() {
    List<Runnable> pending = new ArrayList<>();
    Fixture lazy = new Fixture(b -> b.cascadeExecutor(pending::add).maxDelegationDepth(4));
    Grant root = lazy.grant();
    Grant child = lazy.jit.delegate(root.id(), Scope.parse("read:orders/*"),
        Duration.ofMinutes(4), "agent");
    Grant grandchild = lazy.jit.delegate(child.id(), Scope.parse("read:orders/1"),
        Duration.ofMinutes(3), "sub-agent");
    lazy.jit.revoke(root.id(), RevocationReason.ANOMALY); // the cascade waits on the executor
    assertTrue(lazy.jit.grant(child.id()).orElseThrow().isActive());
    GrantStateException renew = assertThrows(GrantStateException.class,
        () -> lazy.jit.renew(child.id(), Duration.ofMinutes(1)));
    assertEquals(GrantState.REVOKED, renew.state());
    GrantStateException delegate = assertThrows(GrantStateException.class,
        () -> lazy.jit.delegate(grandchild.id(), Scope.parse("read:orders/1"),
            Duration.ofMinutes(1), "deeper"));
    assertEquals(GrantState.REVOKED, delegate.state());
    GrantStatus status = lazy.jit.status(grandchild.id());
    assertFalse(status.isUsable());
    assertEquals(DenyReason.REVOKED, status.denial().orElseThrow());
    assertEquals(2, status.ancestors().size());
    assertTrue(lazy.audit.stream().noneMatch(e -> e.type() == AuditEventType.RENEWED));
    assertEquals(2, lazy.audit.stream().filter(e -> e.type() == AuditEventType.DELEGATED)
        .count());
    pending.forEach(Runnable::run);
  }

  @Test
  void statusSaysUsableWithTheAncestorsAndUnknownForAMalformedId() {
    Grant root = f.grant();
    Grant child = f.jit.delegate(root.id(), Scope.parse("read:orders/*"), Duration.ofMinutes(4),
        "agent");
    GrantStatus status = f.jit.status(child.id());
    assertTrue(status.isUsable());
    assertEquals(List.of(root), status.ancestors());
    assertEquals(DenyReason.UNKNOWN_GRANT, f.jit.status("not an id").denial().orElseThrow());
    f.clock.advance(Duration.ofMinutes(5));
    assertEquals(DenyReason.EXPIRED, f.jit.status(root.id()).denial().orElseThrow());
  }

  @Test
  void thePolicySeesTheRequestContextAndIssuedEventsCarryItsJustificationTicketAndTier() {
    AtomicReference<RequestContext> seen = new AtomicReference<>();
    Fixture contextual = new Fixture(b -> b.policy(new AccessPolicy() {
      @Override
      public PolicyDecision onRequest(GrantRequest request, @Nullable Grant parent) {
        seen.set(request.context());
        return PolicyDecision.approve();
      }

      @Override
      public PolicyDecision onRenewal(Grant grant, Duration extension) {
        return PolicyDecision.approve();
      }
    }));
    WorkloadIdentity identity = new WorkloadIdentity("spiffe://example.org/ci", "https://idp",
        contextual.clock.instant().plusSeconds(60), Map.of("repo", "payments"));
    RequestContext context = RequestContext.builder().identity(identity)
        .justification("hotfix for INC-7").ticket("CHG-4711").tier("high").source("10.0.0.7")
        .attribute("oncall", true).attribute("approvers", List.of("alice", "bob"))
        .attribute("risk", 0.7).attribute("retries", 3L).build();
    Grant grant = contextual.jit.request(Fixture.request().context(context).build());
    assertEquals(context, seen.get());
    AuditEvent issued = contextual.audit.get(0);
    assertEquals(AuditEventType.ISSUED, issued.type());
    assertEquals("hotfix for INC-7", issued.justification());
    assertEquals("CHG-4711", issued.ticket());
    assertEquals("high", issued.tier());
    contextual.jit.revoke(grant.id(), RevocationReason.MANUAL);
  }

  @Test
  void requestContextRefusesUnboundedOrUnsafeInput() {
    RequestContext.Builder b = RequestContext.builder();
    for (int i = 0; i < RequestContext.MAX_ATTRIBUTES; i++) {
      b.attribute("a" + i, i);
    }
    IllegalArgumentException tooMany =
        assertThrows(IllegalArgumentException.class, () -> b.attribute("one-more", 1L));
    assertEquals("attributes must hold at most 64 entries", tooMany.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> RequestContext.builder().attribute("1bad", "x"));
    assertThrows(IllegalArgumentException.class,
        () -> RequestContext.builder().attribute("nan", Double.NaN));
    assertThrows(IllegalArgumentException.class,
        () -> RequestContext.builder().justification("line\u2028break"));
    assertThrows(IllegalArgumentException.class,
        () -> RequestContext.builder().attribute("list", java.util.Collections.nCopies(65, "x")));
    assertThrows(IllegalArgumentException.class,
        () -> RequestContext.builder().tier("high\u202e"));
  }

  @Test
  void auditEventsCleanCallerSuppliedActionAndResource() {
    Grant grant = f.grant();
    f.jit.check(grant.id(), "read\u2028forged", "orders/\u202e1\u2029");
    AuditEvent denied = f.audit.get(f.audit.size() - 1);
    assertEquals("read?forged", denied.action());
    assertEquals("orders/?1?", denied.resource());
    f.jit.check(grant.id(), "read", "orders/\uDB40\uDC01x\uD800"); // a tag character; a lone half
    assertEquals("orders/??x?", f.audit.get(f.audit.size() - 1).resource());
    assertEquals("ci-job-1", denied.subject(), "a denial of a known grant says whose it is");
    assertEquals("team-a", denied.owner());
    assertEquals(grant.reference(), denied.grantRef());
    f.jit.revoke(grant.id(), RevocationReason.MANUAL);
  }

  @Test
  void delegationPassesItsContextToThePolicy() {
    AtomicReference<RequestContext> seen = new AtomicReference<>();
    Fixture contextual = new Fixture(b -> b.policy(new AccessPolicy() {
      @Override
      public PolicyDecision onRequest(GrantRequest request, @Nullable Grant parent) {
        if (parent != null) {
          seen.set(request.context());
        }
        return PolicyDecision.approve();
      }

      @Override
      public PolicyDecision onRenewal(Grant grant, Duration extension) {
        return PolicyDecision.approve();
      }
    }));
    Grant root = contextual.grant();
    RequestContext context = RequestContext.builder().justification("sub-task").build();
    contextual.jit.delegate(root.id(), DelegationRequest.builder().subject("agent")
        .scope(Scope.parse("read:orders/1")).ttl(Ttl.of(Duration.ofMinutes(1)))
        .context(context).build());
    assertEquals(context, seen.get());
    contextual.jit.revoke(root.id(), RevocationReason.MANUAL);
  }
}
