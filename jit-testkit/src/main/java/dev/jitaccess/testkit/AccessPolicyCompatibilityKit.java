package dev.jitaccess.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jitaccess.AuditEventType;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantDeniedException;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.GrantState;
import dev.jitaccess.Scope;
import dev.jitaccess.Ttl;
import dev.jitaccess.core.InMemoryGrantStore;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.spi.AccessPolicy;
import dev.jitaccess.spi.PolicyDecision;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Proves that an {@link AccessPolicy} answers the way the runtime needs: the same answer for the
 * same input, never null, never wider than what was asked, and safe to call from many threads.
 * Subclass it in your test sources:
 *
 * <pre>{@code
 * class OpaPolicyCompatibilityTest extends AccessPolicyCompatibilityKit {
 *   @Override
 *   public AccessPolicy createPolicy(FakeClock clock) {
 *     return new OpaAccessPolicy(opaClient, clock);
 *   }
 * }
 * }</pre>
 *
 * <p>The policy is asked about {@link #sampleRequests()} (override it with requests your policy
 * cares about), as top-level requests, as delegations from a parent grant and as renewals. It is
 * also wired into a {@link JitAccess} on the fake clock to show that the runtime mints only what
 * the policy approved, within what was asked, and that the runtime treats a policy that throws as
 * a denial: {@link GrantDeniedException} with reason {@code POLICY_FAILURE} and no grant.
 *
 * <p>Not thread-safe itself (JUnit runs one test of an instance at a time); one test calls the
 * policy from {@value #THREADS} threads at once.
 */
public abstract class AccessPolicyCompatibilityKit {
  /** How many threads ask the policy at once in the concurrency test. */
  protected static final int THREADS = 8;
  /** How many times each question is repeated to check determinism. */
  protected static final int REPEATS = 20;

  private @Nullable FakeClock clock;
  private @Nullable AccessPolicy policy;

  /** For subclasses. */
  protected AccessPolicyCompatibilityKit() {}

  /** A policy to test; it must read time only from {@code clock}. Called before each test. */
  public abstract AccessPolicy createPolicy(FakeClock clock);

  /**
   * The requests the policy is asked about; every one must be within the runtime's default
   * limits (lifetime at most 60 minutes, hard cap at most 8 hours).
   */
  protected List<GrantRequest> sampleRequests() {
    return List.of(
        GrantRequest.builder().subject("ci-job-4711").owner("team-payments")
            .task("deploy-2026-11-23").purpose("deploy the payments service")
            .scope("write:deployments/payments").ttl(Ttl.of(Duration.ofMinutes(10))).build(),
        GrantRequest.builder().subject("support-agent-7").owner("team-support")
            .task("ticket-1234").purpose("look at a customer's orders")
            .scope("read:customers/*/orders")
            .ttl(Ttl.of(Duration.ofMinutes(30), Duration.ofHours(2))).build(),
        GrantRequest.builder().subject("etl-nightly").owner("team-data")
            .task("export-2026-11").purpose("nightly export")
            .scope("read:warehouse/**", "write:exports/2026-11/**")
            .ttl(Ttl.of(Duration.ofMinutes(60))).useBudget(100).build(),
        GrantRequest.builder().subject("agent-claims").owner("team-claims")
            .task("claim-42").purpose("summarize one claim")
            .scope("read:claims/42").ttl(Ttl.of(Duration.ofMinutes(1))).build());
  }

  @BeforeEach
  void createPolicyOnAFakeClock() {
    clock = new FakeClock();
    policy = Objects.requireNonNull(createPolicy(clock), "createPolicy must not return null");
  }

  /** The clock of the current test. */
  protected final FakeClock clock() {
    return Objects.requireNonNull(clock, "clock is set before each test");
  }

  /** The policy of the current test. */
  protected final AccessPolicy policy() {
    return Objects.requireNonNull(policy, "policy is set before each test");
  }

  /** The grant a request would produce if approved as asked, issued now. */
  private Grant grantFor(GrantRequest request, @Nullable String parentId) {
    Instant now = clock().instant();
    Instant expiresAt = now.plus(request.ttl().lifetime());
    Duration cap = request.ttl().hardCap() == null ? request.ttl().lifetime()
        : request.ttl().hardCap();
    return Grant.builder().id(KitSupport.newId()).subject(request.subject())
        .owner(request.owner()).task(request.task()).purpose(request.purpose())
        .scope(request.scope()).issuedAt(now).expiresAt(expiresAt).notAfter(now.plus(cap))
        .parentId(parentId).useBudget(request.useBudget()).build();
  }

  private static String key(@Nullable PolicyDecision decision) {
    if (decision == null) {
      return "null";
    }
    return decision.isApproved() + "|" + decision.narrowedScope() + "|"
        + decision.narrowedDuration() + "|" + decision.reason() + "|" + decision.detail();
  }

  /** Every question the kit asks: requests, delegations and renewals. */
  private List<Question> questions() {
    List<Question> questions = new ArrayList<>();
    for (GrantRequest request : sampleRequests()) {
      questions.add(new Question("request " + request,
          () -> policy().onRequest(request, null), request.scope(), request.ttl().lifetime()));
      Grant parent = grantFor(request, null);
      GrantRequest child = request.toBuilder().subject("sub-" + request.subject()).build();
      questions.add(new Question("delegation of " + child,
          () -> policy().onRequest(child, parent), child.scope(), child.ttl().lifetime()));
      Duration extension = request.ttl().lifetime();
      questions.add(new Question("renewal of " + parent + " by " + extension,
          () -> policy().onRenewal(parent, extension), null, extension));
    }
    return questions;
  }

  /** One question to the policy and the bounds of an acceptable approval. */
  private static final class Question {
    final String what;
    final Callable<PolicyDecision> ask;
    final @Nullable Scope askedScope;
    final Duration askedDuration;

    Question(String what, Callable<PolicyDecision> ask, @Nullable Scope askedScope,
        Duration askedDuration) {
      this.what = what;
      this.ask = ask;
      this.askedScope = askedScope;
      this.askedDuration = askedDuration;
    }

    @Nullable PolicyDecision ask() throws Exception {
      return ask.call();
    }
  }

  /** Answers. Run by JUnit, one test at a time; not thread-safe. */
  @Nested
  @DisplayName("answering")
  public class Answering {
    /** For JUnit. */
    public Answering() {}

    @Test
    @DisplayName("never answers null, to a request, a delegation or a renewal")
    void neverAnswersNull() throws Exception {
      for (Question q : questions()) {
        assertNotNull(q.ask(), "the answer to " + q.what);
      }
    }

    @Test
    @DisplayName("answers the same question the same way every time")
    void isDeterministic() throws Exception {
      for (Question q : questions()) {
        String first = key(q.ask());
        for (int i = 1; i < REPEATS; i++) {
          assertEquals(first, key(q.ask()), "answer " + (i + 1) + " to " + q.what);
        }
      }
    }

    @Test
    @DisplayName("answers each question as it does alone while many threads ask different ones")
    void isDeterministicAcrossThreads() throws Exception {
      List<Question> questions = questions();
      List<String> alone = new ArrayList<>();
      for (Question q : questions) {
        alone.add(key(q.ask()));
      }
      // Each thread starts at its own question, so at any moment the threads ask different
      // ones: a policy that keeps the question it is deciding in shared state answers another
      // caller's question.
      CyclicBarrier start = new CyclicBarrier(THREADS);
      List<Callable<@Nullable String>> askers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int first = t;
        askers.add(() -> {
          start.await();
          for (int i = 0; i < REPEATS * questions.size(); i++) {
            int k = (first + i) % questions.size();
            String answer = key(questions.get(k).ask());
            if (!answer.equals(alone.get(k))) {
              return "the answer to " + questions.get(k).what + " was " + answer
                  + "; asked alone, it was " + alone.get(k);
            }
          }
          return null;
        });
      }
      for (String mismatch : KitSupport.runConcurrently(askers)) {
        assertNull(mismatch, "a concurrent answer differed");
      }
    }

    @Test
    @DisplayName("narrows only within what was asked: a smaller scope, a shorter duration")
    void narrowsOnlyWithinTheAsk() throws Exception {
      for (Question q : questions()) {
        PolicyDecision decision = q.ask();
        if (decision == null || !decision.isApproved()) {
          continue;
        }
        Scope scope = decision.narrowedScope();
        if (scope != null) {
          if (q.askedScope == null) {
            fail("a renewal cannot change the scope, but the answer to " + q.what + " was "
                + decision);
          } else {
            assertTrue(scope.isWithin(q.askedScope), "the answer to " + q.what + " widened the "
                + "scope beyond " + q.askedScope + ": " + scope.notWithin(q.askedScope));
          }
        }
        Duration duration = decision.narrowedDuration();
        if (duration != null) {
          assertTrue(duration.compareTo(q.askedDuration) <= 0, "the answer to " + q.what
              + " lengthened " + q.askedDuration + " to " + duration);
        }
      }
    }

    @Test
    @DisplayName("a denial carries a reason code and words for the audit trail")
    void denialsCarryAReason() throws Exception {
      for (Question q : questions()) {
        PolicyDecision decision = q.ask();
        if (decision != null && !decision.isApproved()) {
          assertFalse(Objects.requireNonNull(decision.reason(), "reason").isBlank(), q.what);
          assertFalse(Objects.requireNonNull(decision.detail(), "detail").isBlank(),
              "the denial of " + q.what + " must say why, for the audit trail");
        }
      }
    }
  }

  /** In the runtime. Run by JUnit, one test at a time; not thread-safe. */
  @Nested
  @DisplayName("wired into the runtime")
  public class InTheRuntime {
    /** For JUnit. */
    public InTheRuntime() {}

    private JitAccess runtime(AccessPolicy policy, RecordingAuditSink audit) {
      return JitAccess.builder().clock(clock()).scheduler(clock())
          .store(InMemoryGrantStore.builder().clock(clock()).scheduler(clock()).build())
          .auditSink(audit).policy(policy).build();
    }

    @Test
    @DisplayName("an approval mints a grant within the scope and lifetime asked for")
    void approvalsMintGrantsWithinTheAsk() {
      RecordingAuditSink audit = new RecordingAuditSink();
      try (JitAccess jit = runtime(policy(), audit)) {
        for (GrantRequest request : sampleRequests()) {
          Grant grant;
          try {
            grant = jit.request(request);
          } catch (GrantDeniedException e) {
            assertFalse(e.reason().equals("POLICY_WIDENED") || e.reason().equals("POLICY_FAILURE"),
                "the runtime refused the policy's answer to " + request + ": " + e.getMessage());
            continue;
          }
          assertTrue(grant.scope().isWithin(request.scope()),
              "scope " + grant.scope() + " of a grant for " + request);
          Duration lifetime = Duration.between(grant.issuedAt(), grant.expiresAt());
          assertTrue(lifetime.compareTo(request.ttl().lifetime()) <= 0,
              "lifetime " + lifetime + " of a grant for " + request);
          assertEquals(request.useBudget(), grant.useBudget(), "use budget of " + request);
          jit.revoke(grant.id(), dev.jitaccess.RevocationReason.TASK_COMPLETED);
        }
      }
    }

    @Test
    @DisplayName("a renewal the policy approves never extends past what was asked")
    void renewalsStayWithinTheAsk() {
      RecordingAuditSink audit = new RecordingAuditSink();
      try (JitAccess jit = runtime(policy(), audit)) {
        for (GrantRequest request : sampleRequests()) {
          Grant grant;
          try {
            grant = jit.request(request);
          } catch (GrantDeniedException e) {
            continue;
          }
          Duration extension = request.ttl().lifetime();
          clock().advance(Duration.ofNanos(request.ttl().lifetime().toNanos() / 2));
          Instant asked = clock().instant().plus(extension);
          try {
            Grant renewed = jit.renew(grant.id(), extension);
            assertFalse(renewed.expiresAt().isAfter(asked),
                "renewed to " + renewed.expiresAt() + ", asked for " + asked);
          } catch (GrantDeniedException e) {
            assertFalse(e.reason().equals("POLICY_WIDENED") || e.reason().equals("POLICY_FAILURE"),
                "the runtime refused the policy's answer to a renewal: " + e.getMessage());
          }
          jit.revoke(grant.id(), dev.jitaccess.RevocationReason.TASK_COMPLETED);
        }
      }
    }

    @Test
    @DisplayName("when the policy throws, the runtime denies: GrantDeniedException, no grant")
    void aThrowingPolicyIsADenial() {
      IllegalStateException outage = new IllegalStateException("policy backend unavailable");
      AccessPolicy failing = new AccessPolicy() {
        @Override
        public PolicyDecision onRequest(GrantRequest request, @Nullable Grant parent) {
          policy().onRequest(request, parent);
          throw outage;
        }

        @Override
        public PolicyDecision onRenewal(Grant grant, Duration extension) {
          policy().onRenewal(grant, extension);
          throw outage;
        }
      };
      RecordingAuditSink audit = new RecordingAuditSink();
      try (JitAccess jit = runtime(failing, audit)) {
        for (GrantRequest request : sampleRequests()) {
          GrantDeniedException e =
              assertThrows(GrantDeniedException.class, () -> jit.request(request));
          assertEquals("POLICY_FAILURE", e.reason(), e.getMessage());
          assertSame(outage, e.getCause());
        }
        assertEquals(sampleRequests().size(), audit.eventsOfType(AuditEventType.DENIED).size(),
            "one DENIED event per refused request");
        assertTrue(audit.eventsOfType(AuditEventType.ISSUED).isEmpty(), "no grant was issued");
      }
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + (policy == null ? "no policy yet" : policy) + "]";
  }
}
