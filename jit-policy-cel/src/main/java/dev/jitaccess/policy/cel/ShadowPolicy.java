package dev.jitaccess.policy.cel;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.spi.AccessPolicy;
import dev.jitaccess.spi.AuditSink;
import dev.jitaccess.spi.PolicyDecision;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shadow mode: enforces one policy and asks a candidate the same question beside it, to learn
 * what the candidate would change before it is enforced. Every decision is the enforced
 * policy's, returned (or thrown) unchanged; the candidate's answer is only compared.
 *
 * <pre>{@code
 * AccessPolicy policy = ShadowPolicy.builder()
 *     .enforced(current).candidate(next).auditSink(audit).clock(clock)
 *     .build();
 * JitAccess jit = JitAccess.builder().policy(policy).auditSink(audit).clock(clock).build();
 * }</pre>
 *
 * <p>Each answer is reduced to an outcome: {@code APPROVED}, {@code APPROVED_NARROWED} (with the
 * narrowed scope and duration), the denial's reason code, or {@code POLICY_FAILURE} when the
 * policy threw or answered null. When the outcomes differ (approved against denied, two reason
 * codes, or two narrowings), one {@link AuditEventType#POLICY_DISAGREEMENT} event is recorded:
 * with the request's subject, owner, task, scope and context (or the renewed grant, by
 * reference), the candidate's outcome as {@link AuditEvent#reason()}, and both outcomes in the
 * detail, as {@code kind=request enforced=APPROVED candidate=TICKET_REQUIRED; ...} followed by
 * each policy's words. The event never holds a grant id or token in its detail; a policy that
 * threw is named by the exception's class only.
 *
 * <p>Whatever the candidate does (throws, an {@code Error} included, or answers null) and
 * whatever the audit sink does, the enforced decision stands: both are caught, the sink's failure
 * logged at WARN. Only a {@link VirtualMachineError} other than {@link StackOverflowError} (out of
 * memory, say) passes through, as the runtime would fail closed on it anyway. The candidate is
 * asked on the caller's thread, after the enforced policy, so a decision costs both.
 *
 * <p>Immutable and thread-safe if both policies and the sink are.
 */
public final class ShadowPolicy implements AccessPolicy {
  private static final Logger LOG = LoggerFactory.getLogger(ShadowPolicy.class);
  private static final int MAX_WORDS = 200;

  private final AccessPolicy enforced;
  private final AccessPolicy candidate;
  private final AuditSink auditSink;
  private final Clock clock;

  private ShadowPolicy(Builder b) {
    this.enforced = Objects.requireNonNull(b.enforced, "enforced must be set");
    this.candidate = Objects.requireNonNull(b.candidate, "candidate must be set");
    this.auditSink = Objects.requireNonNull(b.auditSink, "auditSink must be set");
    this.clock = b.clock == null ? Clock.systemUTC() : b.clock;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The enforced policy's decision; the candidate's is compared and audited if it differs. */
  @Override
  public PolicyDecision onRequest(GrantRequest request, @Nullable Grant parent) {
    Objects.requireNonNull(request, "request must not be null");
    return decide(() -> enforced.onRequest(request, parent),
        () -> candidate.onRequest(request, parent),
        () -> AuditEvent.builder(AuditEventType.POLICY_DISAGREEMENT, clock.instant())
            .request(request).parentId(parent == null ? null : parent.id())
            .scope(request.scope().toString()),
        parent == null ? "request" : "delegation");
  }

  /** The enforced policy's decision; the candidate's is compared and audited if it differs. */
  @Override
  public PolicyDecision onRenewal(Grant grant, Duration extension) {
    Objects.requireNonNull(grant, "grant must not be null");
    return decide(() -> enforced.onRenewal(grant, extension),
        () -> candidate.onRenewal(grant, extension),
        () -> AuditEvent.builder(AuditEventType.POLICY_DISAGREEMENT, clock.instant())
            .grant(grant).expiresAt(grant.expiresAt()),
        "renewal");
  }

  private PolicyDecision decide(Supplier<PolicyDecision> enforcedAsk,
      Supplier<PolicyDecision> candidateAsk, Supplier<AuditEvent.Builder> event, String kind) {
    PolicyDecision decision = null;
    RuntimeException failure = null;
    try {
      decision = enforcedAsk.get();
    } catch (RuntimeException e) { // thrown on below, once the candidate is compared
      failure = e;
    }
    Outcome mine = failure != null ? Outcome.failed(failure) : Outcome.of(decision);
    Outcome theirs;
    try {
      theirs = Outcome.of(candidateAsk.get());
    } catch (Throwable t) { // the candidate never decides
      theirs = Outcome.failed(rethrowIfFatal(t));
    }
    if (!mine.equals(theirs)) {
      record(event, kind, mine, theirs);
    }
    if (failure != null) {
      throw failure;
    }
    return decision;
  }

  private void record(Supplier<AuditEvent.Builder> event, String kind, Outcome mine,
      Outcome theirs) {
    try {
      auditSink.record(event.get().reason(theirs.code())
          .detail("kind=" + kind + " enforced=" + mine.code() + " candidate=" + theirs.code()
              + "; enforced: " + mine.describe() + "; candidate: " + theirs.describe())
          .build());
    } catch (Throwable t) { // the enforced decision stands
      LOG.warn("the audit sink failed to record a policy disagreement ({})",
          rethrowIfFatal(t).getClass().getName());
    }
  }

  private static Throwable rethrowIfFatal(Throwable t) {
    if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) {
      throw (VirtualMachineError) t;
    }
    return t;
  }

  @Override
  public String toString() {
    return "ShadowPolicy[enforced=" + enforced + ", candidate=" + candidate + "]";
  }

  /** One policy's answer, reduced to what two answers are compared by. */
  private record Outcome(String code, @Nullable String scope, @Nullable Duration duration,
      String words) {
    static Outcome of(@Nullable PolicyDecision d) {
      if (d == null) {
        return new Outcome("POLICY_FAILURE", null, null, "answered null");
      }
      if (!d.isApproved()) {
        return new Outcome(String.valueOf(d.reason()), null, null, clean(d.detail()));
      }
      if (d.narrowedScope() == null && d.narrowedDuration() == null) {
        return new Outcome("APPROVED", null, null, "approved");
      }
      String scope = d.narrowedScope() == null ? null : d.narrowedScope().toString();
      return new Outcome("APPROVED_NARROWED", scope, d.narrowedDuration(),
          "approved narrowed to" + (scope == null ? "" : " scope " + clean(scope))
              + (d.narrowedDuration() == null ? "" : " duration " + d.narrowedDuration()));
    }

    static Outcome failed(Throwable t) {
      return new Outcome("POLICY_FAILURE", null, null, "threw " + t.getClass().getName());
    }

    String describe() {
      return words;
    }

    /** Equal outcomes agree: the words do not count. */
    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Outcome && code.equals(((Outcome) o).code)
          && Objects.equals(scope, ((Outcome) o).scope)
          && Objects.equals(duration, ((Outcome) o).duration);
    }

    @Override
    public int hashCode() {
      return Objects.hash(code, scope, duration);
    }

    private static String clean(@Nullable String words) {
      if (words == null) {
        return "";
      }
      StringBuilder b = new StringBuilder(Math.min(words.length(), MAX_WORDS));
      for (int i = 0; i < words.length() && b.length() < MAX_WORDS; i++) {
        char c = words.charAt(i);
        b.append(Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
            || c == '\u2028' || c == '\u2029' ? '?' : c);
      }
      return b.length() < words.length() ? b.append("...").toString() : b.toString();
    }
  }

  /** Builds a {@link ShadowPolicy}; each setting may be set once. Not thread-safe. */
  public static final class Builder {
    private @Nullable AccessPolicy enforced;
    private @Nullable AccessPolicy candidate;
    private @Nullable AuditSink auditSink;
    private @Nullable Clock clock;

    private Builder() {}

    /** The policy whose decisions stand (required). */
    public Builder enforced(AccessPolicy enforced) {
      this.enforced = set(this.enforced, enforced, "enforced");
      return this;
    }

    /** The policy asked beside it and only compared (required). */
    public Builder candidate(AccessPolicy candidate) {
      this.candidate = set(this.candidate, candidate, "candidate");
      return this;
    }

    /** Where disagreements are recorded (required); usually the runtime's own sink. */
    public Builder auditSink(AuditSink auditSink) {
      this.auditSink = set(this.auditSink, auditSink, "auditSink");
      return this;
    }

    /** The clock events are timed by (default: the system clock in UTC). */
    public Builder clock(Clock clock) {
      this.clock = set(this.clock, clock, "clock");
      return this;
    }

    private static <T> T set(@Nullable T current, T value, String name) {
      if (current != null) {
        throw new IllegalStateException(name + " was already set");
      }
      return Objects.requireNonNull(value, name + " must not be null");
    }

    /**
     * The shadow policy.
     *
     * @throws NullPointerException naming the first required setting not set
     */
    public ShadowPolicy build() {
      return new ShadowPolicy(this);
    }
  }
}
