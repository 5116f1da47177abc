package dev.jitaccess.micrometer;

import dev.jitaccess.CheckContext;
import dev.jitaccess.Decision;
import dev.jitaccess.DelegationRequest;
import dev.jitaccess.Grant;
import dev.jitaccess.JitAccessException;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.GrantStatus;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import dev.jitaccess.core.DecisionCache;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.core.TaskCallable;
import dev.jitaccess.core.TaskGrant;
import dev.jitaccess.core.TaskRunnable;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A {@link JitAccess} that times checks ({@code jit.check}), mints ({@code jit.mint}) and
 * revocations ({@code jit.revoke}) of the runtime it wraps, and forwards every method, the
 * interface's default methods included, to it unchanged.
 *
 * <p>A check reads the registry's clock twice ({@link Clock#monotonicTime()}) and records into one
 * of two timers made in advance (allowed, denied): no allocation, no tag lookup. {@link #run},
 * {@link #call} and {@link #open} are the wrapped runtime's own, so a check made through the
 * {@link TaskGrant} that {@code open} returns, and the mint inside {@code run} and {@code call},
 * are not timed; nor are checks answered by a {@link #decisionCache decision cache}. A call that
 * throws an unchecked exception is still timed, with outcome {@code failed} for a mint.
 * Thread-safe, as the wrapped runtime is.
 */
final class TimedJitAccess implements JitAccess {
  private final JitAccess delegate;
  private final Clock clock;
  private final Timer checkAllowed;
  private final Timer checkDenied;
  private final Mints requests;
  private final Mints delegations;
  private final Timer revokeGrant;
  private final Timer revokeSubject;
  private final Timer revokeOwner;
  private final Timer revokeTask;

  TimedJitAccess(JitAccess delegate, MeterRegistry registry) {
    this.delegate = Objects.requireNonNull(delegate, "access must not be null");
    this.clock = registry.config().clock();
    this.checkAllowed = check(registry, "allowed");
    this.checkDenied = check(registry, "denied");
    this.requests = Mints.of(registry, "request");
    this.delegations = Mints.of(registry, "delegate");
    this.revokeGrant = revoke(registry, "grant");
    this.revokeSubject = revoke(registry, "subject");
    this.revokeOwner = revoke(registry, "owner");
    this.revokeTask = revoke(registry, "task");
  }

  private static Timer check(MeterRegistry registry, String outcome) {
    return Timer.builder(JitMetrics.CHECK)
        .description("Checks of a grant, by outcome")
        .tag("outcome", outcome)
        .register(registry);
  }

  /** The timers of one kind of mint, by outcome. */
  private record Mints(Timer issued, Timer refused, Timer failed) {
    static Mints of(MeterRegistry registry, String kind) {
      return new Mints(mint(registry, kind, "issued"), mint(registry, kind, "refused"),
          mint(registry, kind, "failed"));
    }
  }

  private static Timer mint(MeterRegistry registry, String kind, String outcome) {
    return Timer.builder(JitMetrics.MINT)
        .description("Grants minted by request or delegation, by outcome: issued, refused "
            + "(a JitAccessException or a rule broken: policy, limits, unknown or ended parent), "
            + "failed (any other exception: a backend, a closed runtime)")
        .tag("kind", kind)
        .tag("outcome", outcome)
        .register(registry);
  }

  private static Timer revoke(MeterRegistry registry, String target) {
    return Timer.builder(JitMetrics.REVOKE)
        .description("Revocations, by what was revoked: a grant, or every grant of a subject, "
            + "owner or task")
        .tag("target", target)
        .register(registry);
  }

  private void record(Timer timer, long start) {
    timer.record(clock.monotonicTime() - start, TimeUnit.NANOSECONDS);
  }

  /** Times {@code mint} into {@code timers} by its outcome. */
  private <T> T minted(Mints timers, Supplier<T> mint) {
    long start = clock.monotonicTime();
    Timer outcome = timers.failed();
    try {
      T minted = mint.get();
      outcome = timers.issued();
      return minted;
    } catch (JitAccessException | IllegalArgumentException refused) {
      outcome = timers.refused();
      throw refused;
    } finally {
      record(outcome, start);
    }
  }

  /** Times {@code revocation} into {@code timer}. */
  private <T> T revoked(Timer timer, Supplier<T> revocation) {
    long start = clock.monotonicTime();
    try {
      return revocation.get();
    } finally {
      record(timer, start);
    }
  }

  @Override
  public Decision check(String grantId, String action, String resource) {
    long start = clock.monotonicTime();
    Decision decision = delegate.check(grantId, action, resource);
    record(decision.isAllowed() ? checkAllowed : checkDenied, start);
    return decision;
  }

  @Override
  public Decision check(String grantId, String action, String resource, CheckContext context) {
    long start = clock.monotonicTime();
    Decision decision = delegate.check(grantId, action, resource, context);
    record(decision.isAllowed() ? checkAllowed : checkDenied, start);
    return decision;
  }

  @Override
  public void require(String grantId, String action, String resource) {
    long start = clock.monotonicTime();
    boolean allowed = false;
    try {
      delegate.require(grantId, action, resource);
      allowed = true;
    } finally {
      record(allowed ? checkAllowed : checkDenied, start);
    }
  }

  @Override
  public Grant request(GrantRequest request) {
    return minted(requests, () -> delegate.request(request));
  }

  @Override
  public TaskGrant open(GrantRequest request) {
    return minted(requests, () -> delegate.open(request));
  }

  @Override
  public Grant delegate(String parentId, DelegationRequest request) {
    return minted(delegations, () -> delegate.delegate(parentId, request));
  }

  @Override
  public Grant delegate(String parentId, Scope scope, Duration ttl, String subject) {
    return minted(delegations, () -> delegate.delegate(parentId, scope, ttl, subject));
  }

  @Override
  public boolean revoke(String grantId, RevocationReason reason) {
    return revoked(revokeGrant, () -> delegate.revoke(grantId, reason));
  }

  @Override
  public int revokeSubject(String subject, RevocationReason reason) {
    return revoked(revokeSubject, () -> delegate.revokeSubject(subject, reason));
  }

  @Override
  public int revokeOwner(String owner, RevocationReason reason) {
    return revoked(revokeOwner, () -> delegate.revokeOwner(owner, reason));
  }

  @Override
  public int revokeTask(String task, RevocationReason reason) {
    return revoked(revokeTask, () -> delegate.revokeTask(task, reason));
  }

  @Override
  public DecisionCache decisionCache(int maxSize) {
    return delegate.decisionCache(maxSize);
  }

  @Override
  public DecisionCache decisionCache(int maxSize, Duration maxAge) {
    return delegate.decisionCache(maxSize, maxAge);
  }

  @Override
  public Grant renew(String grantId, Duration extension) {
    return delegate.renew(grantId, extension);
  }

  @Override
  public <E extends Exception> void run(GrantRequest request, TaskRunnable<E> body) throws E {
    delegate.run(request, body);
  }

  @Override
  public <T extends @Nullable Object, E extends Exception> T call(
      GrantRequest request, TaskCallable<T, E> body) throws E {
    return delegate.call(request, body);
  }

  @Override
  public Optional<Grant> grant(String grantId) {
    return delegate.grant(grantId);
  }

  @Override
  public Optional<Grant> grantByReference(String reference) {
    return delegate.grantByReference(reference);
  }

  @Override
  public GrantStatus status(String grantId) {
    return delegate.status(grantId);
  }

  @Override
  public boolean isTaskEnded(String task) {
    return delegate.isTaskEnded(task);
  }

  @Override
  public OptionalLong allowedChecks(String grantId) {
    return delegate.allowedChecks(grantId);
  }

  @Override
  public void close() {
    delegate.close();
  }

  /** Names the runtime it times; never a grant. */
  @Override
  public String toString() {
    return "TimedJitAccess[" + delegate + "]";
  }
}
