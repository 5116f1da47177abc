package dev.jitaccess.core;

import dev.jitaccess.AccessDeniedException;
import dev.jitaccess.CheckContext;
import dev.jitaccess.Decision;
import dev.jitaccess.DenyReason;
import dev.jitaccess.DelegationRequest;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantStatus;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.RevocationListener;
import dev.jitaccess.RevocationReason;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * The runtime: mints task-scoped grants, checks them on every request, renews them while the task
 * lives, delegates narrower ones for sub-tasks, and revokes them the moment the task ends.
 *
 * <pre>{@code
 * JitAccess jit = JitAccess.builder().listener((grant, reason) -> sessions.close(grant.id())).build();
 * jit.run(request, grant -> {
 *   jit.require(grant.id(), "write", "exports/2026-11/report.csv");
 *   exporter.run();
 * }); // revoked with TASK_COMPLETED, or TASK_FAILED if the body threw
 * }</pre>
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li>Expiry is exact: no check allows at or after {@code expiresAt} by the configured clock.
 *   <li>Revocation is linearizable with checks: once {@link #revoke} returns, no check on that
 *       grant or on any grant delegated from it allows.
 *   <li>A delegated grant never outlives or out-scopes its parent.
 *   <li>A grant with a use budget of N becomes EXHAUSTED after exactly N allowed checks, also
 *       under concurrency.
 *   <li>Every grant that leaves ACTIVE is reported once to every {@link RevocationListener}, after
 *       the change is recorded; expired grants are reported by the scheduler as soon as it runs.
 *   <li>{@link #check} never throws: an unknown or malformed id, a malformed request and a failing
 *       store all deny.
 * </ul>
 *
 * <p>Implementations are thread-safe.
 */
public interface JitAccess extends AutoCloseable {

  /** A builder with secure defaults; see {@link JitAccessBuilder}. */
  static JitAccessBuilder builder() {
    return new JitAccessBuilder();
  }

  /**
   * Mints a grant for a task, if the policy approves (possibly narrowed) and the request is within
   * the limits.
   *
   * @throws IllegalArgumentException naming the field and the rule, if the ttl exceeds a limit
   * @throws dev.jitaccess.GrantDeniedException if the policy denies or fails ({@code
   *     POLICY_FAILURE}), or the scheduler refuses the grant's expiry timer ({@code
   *     SCHEDULER_FAILURE}; the grant, already stored, is ended before anyone holds its id)
   */
  Grant request(GrantRequest request);

  /**
   * Decides whether grant {@code grantId} allows {@code action} on {@code resource} now. Never
   * throws: whatever a backend throws, an {@code Error} included, is a denial ({@link
   * dev.jitaccess.DenyReason#BACKEND_FAILURE}). Every denial is audited.
   *
   * <p>A check that finds a grant ACTIVE past its expiry (its timer has not run yet) ends it as
   * EXPIRED and reports it, as the timer would have; once a check has denied a grant as expired,
   * no renewal can make a later check allow it.
   */
  Decision check(String grantId, String action, String resource);

  /**
   * As {@link #check(String, String, String)}, for a caller that says where the call comes from:
   * with {@link AnomalyDetectors#sourcePinning() source pinning} on, a check whose {@code
   * context} names a source other than the one the grant is pinned to ({@link Grant#source()})
   * denies ({@link DenyReason#ANOMALY}) and revokes the grant; detectors that watch checks see the
   * context. Without detectors it decides as the three-argument check does. Never throws: a null
   * context denies ({@link DenyReason#MALFORMED_REQUEST}).
   *
   * <p>The default implementation, for runtimes that cannot judge a context, denies every check
   * ({@link DenyReason#BACKEND_FAILURE}): a context asked to be judged is never ignored.
   */
  default Decision check(String grantId, String action, String resource, CheckContext context) {
    return Decision.deny(DenyReason.BACKEND_FAILURE,
        "this runtime does not judge check contexts");
  }

  /**
   * A cache of this runtime's allowed decisions, for code that must cache decisions: see {@link
   * DecisionCache}. Its entries go when their grant (or an ancestor of it) ends, here or, on a
   * shared store, on any runtime, and never outlive the grant's expiry. Close it when done; closing
   * the runtime closes it.
   *
   * @param maxSize the most decisions it holds, in [1, {@value DecisionCache#MAX_SIZE}]
   * @throws IllegalArgumentException if {@code maxSize} is out of range
   * @throws UnsupportedOperationException in this default implementation, for a runtime that
   *     cannot hear of every end
   */
  default DecisionCache decisionCache(int maxSize) {
    throw new UnsupportedOperationException("this runtime offers no decision cache");
  }

  /**
   * As {@link #decisionCache(int)}, with no entry kept longer than {@code maxAge} after the check
   * that made it, also when its grant lives on: a bound on staleness if a shared store's change
   * feed lags.
   *
   * @throws IllegalArgumentException if {@code maxSize} is out of range or {@code maxAge} is not
   *     {@code > 0}
   * @throws UnsupportedOperationException in this default implementation
   */
  default DecisionCache decisionCache(int maxSize, Duration maxAge) {
    throw new UnsupportedOperationException("this runtime offers no decision cache");
  }

  /**
   * Like {@link #check}, but throws when it denies.
   *
   * @throws AccessDeniedException with the denial, if the check denies
   */
  default void require(String grantId, String action, String resource) {
    Decision decision = check(grantId, action, resource);
    if (decision.isDenied()) {
      throw new AccessDeniedException(decision, grantId, action, resource);
    }
  }

  /**
   * Extends an ACTIVE grant to {@code extension} from now, if the policy approves; never past its
   * {@code notAfter}, nor past its parent's expiry. A renewal never shortens a grant.
   *
   * @return the grant as it is after the renewal
   * @throws IllegalArgumentException if extension is not {@code > 0} or exceeds the max lifetime
   * @throws dev.jitaccess.UnknownGrantException if no grant has this id
   * @throws dev.jitaccess.GrantStateException if the grant is not ACTIVE or has expired, read
   *     both before the policy is asked and after it answers
   * @throws dev.jitaccess.GrantDeniedException if the policy denies, or the grant is at its cap
   */
  Grant renew(String grantId, Duration extension);

  /**
   * Revokes a grant and, with {@link RevocationReason#PARENT_REVOKED}, every grant delegated from
   * it, however deep. Idempotent. When it returns, every check on them denies, the grant is
   * audited and every listener has been told of it. Its descendants are recorded, audited and
   * reported before it returns too, unless a {@linkplain JitAccessBuilder#cascadeExecutor cascade
   * executor} is set; then that follows on the executor (they deny all the same: a check walks the ancestor
   * chain, so the whole subtree denies from the moment the grant itself changes state). If the
   * store fails partway through the descendants, the rest are ended and reported by a retry on the
   * scheduler a second later, and again until it succeeds.
   *
   * @return whether this call ended the grant (false if it was unknown or had already ended)
   * @throws IllegalArgumentException if the id is malformed
   */
  boolean revoke(String grantId, RevocationReason reason);

  /**
   * Revokes every ACTIVE grant of a subject (and their delegations), each with {@code reason}: one
   * delegated from another of the same subject is ended with {@code reason} too, not with {@code
   * PARENT_REVOKED}. A request for the subject already in flight is refused ({@code
   * SUBJECT_REVOKED}) or its grant revoked here: when this returns none of them is ACTIVE. Later
   * requests are decided as usual.
   *
   * @return how many grants of the subject this call ended
   */
  int revokeSubject(String subject, RevocationReason reason);

  /**
   * Revokes every ACTIVE grant of an owner (and their delegations), each with {@code reason}: one
   * delegated from another of the same owner is ended with {@code reason} too, not with {@code
   * PARENT_REVOKED}. A request for the owner already in flight is refused ({@code OWNER_REVOKED})
   * or its grant revoked here, as for {@link #revokeSubject}.
   *
   * @return how many grants of the owner this call ended
   */
  int revokeOwner(String owner, RevocationReason reason);

  /**
   * Ends a task: revokes every ACTIVE grant of it (and their delegations), each with {@code
   * reason} (one delegated from another of the same task is ended with {@code reason} too, not
   * with {@code PARENT_REVOKED}), and from then on, for the {@linkplain
   * JitAccessBuilder#endedTaskRetention retention}, refuses every request and delegation for the
   * task ({@code TASK_ENDED}), also one already in flight: when this returns, no grant of the task is
   * ACTIVE, and none will be.
   *
   * @return how many grants of the task this call ended
   */
  int revokeTask(String task, RevocationReason reason);

  /**
   * Mints a child of an ACTIVE grant for a sub-task: its scope must be within the parent's, it
   * must expire no later than the parent, and it ends when the parent ends. If the parent has a
   * use budget, the child must have a smaller one, which is moved out of the parent's.
   *
   * @throws IllegalArgumentException naming the rule, if the child would widen the scope, outlive
   *     the parent, exceed the delegation depth or the parent's budget
   * @throws dev.jitaccess.UnknownGrantException if the parent is unknown
   * @throws dev.jitaccess.GrantStateException if the parent is not ACTIVE
   * @throws dev.jitaccess.GrantDeniedException if the policy denies, or the scheduler refuses the
   *     child's expiry timer ({@code SCHEDULER_FAILURE}); uses moved out of the parent's budget
   *     are given back when the delegation fails after moving them
   */
  Grant delegate(String parentId, DelegationRequest request);

  /** Shorthand for {@link #delegate(String, DelegationRequest)}. */
  default Grant delegate(String parentId, dev.jitaccess.Scope scope, Duration ttl, String subject) {
    return delegate(parentId, DelegationRequest.builder()
        .subject(subject).scope(scope).ttl(dev.jitaccess.Ttl.of(ttl)).build());
  }

  /**
   * Mints a grant tied to a try-with-resources block; closing the handle ends its task ({@link
   * #revokeTask}) with {@link RevocationReason#TASK_COMPLETED}.
   */
  default TaskGrant open(GrantRequest request) {
    return new TaskGrant(this, request(request));
  }

  /**
   * Runs {@code body} under a new grant, then ends its task ({@link #revokeTask}): with {@link
   * RevocationReason#TASK_COMPLETED} when the body returns, with {@link
   * RevocationReason#TASK_FAILED} when it throws (the exception propagates unchanged). The task
   * accepts no new grant afterwards.
   */
  default <E extends Exception> void run(GrantRequest request, TaskRunnable<E> body) throws E {
    Objects.requireNonNull(body, "body must not be null");
    call(request, grant -> {
      body.run(grant);
      return null;
    });
  }

  /**
   * Calls {@code body} under a new grant and returns its result, then ends its task ({@link
   * #revokeTask}): with {@link RevocationReason#TASK_COMPLETED} when the body returns, with {@link
   * RevocationReason#TASK_FAILED} when it throws (the exception propagates unchanged). The task
   * accepts no new grant afterwards.
   */
  default <T extends @Nullable Object, E extends Exception> T call(
      GrantRequest request, TaskCallable<T, E> body) throws E {
    Objects.requireNonNull(body, "body must not be null");
    Grant grant = request(request);
    T result;
    try {
      result = body.call(grant);
    } catch (Throwable failure) {
      try {
        revokeTask(grant.task(), RevocationReason.TASK_FAILED);
      } catch (Throwable revocationFailure) { // the body's failure stays the one thrown
        Minter.suppress(failure, revocationFailure);
      }
      throw failure;
    }
    revokeTask(grant.task(), RevocationReason.TASK_COMPLETED);
    return result;
  }

  /** The current snapshot of a grant, if the store knows it. */
  Optional<Grant> grant(String grantId);

  /**
   * The current snapshot of the grant whose {@link dev.jitaccess.GrantReference reference} is
   * {@code reference}, if the store knows it; empty for a malformed reference. This is how a token
   * verifier finds a token's grant: tokens carry the reference, never the id. A reference
   * authorises nothing by itself (checks take the id), and it appears in audit events and log
   * lines, so do not answer this lookup to callers who may not see the grant.
   *
   * @throws NullPointerException if {@code reference} is null
   */
  Optional<Grant> grantByReference(String reference);

  /**
   * Whether grant {@code grantId} is usable now, its ancestors included, and if not, why: the
   * definition that checks, renewals and delegations use. Never throws for a malformed or unknown
   * id (its status is {@code UNKNOWN_GRANT}); a failing store throws.
   */
  GrantStatus status(String grantId);

  /**
   * Whether {@code task} has ended ({@link #revokeTask}, or the end of {@link #run}, {@link #call}
   * or {@link #open}) within the {@linkplain JitAccessBuilder#endedTaskRetention retention}: an
   * ended task accepts no new grant.
   */
  boolean isTaskEnded(String task);

  /**
   * How many checks this grant has allowed, when allowed checks are counted ({@link
   * AllowedCheckAudit#COUNT} or {@link AllowedCheckAudit#EACH}); empty otherwise or once the grant
   * has ended.
   */
  OptionalLong allowedChecks(String grantId);

  /**
   * Closes the runtime: from then on every mutation ({@code request}, {@code renew}, {@code
   * delegate}, the revocations) throws {@code IllegalStateException("closed")}, this runtime
   * ends no more grants by their timers, and the scheduler it created for itself, if any, stops.
   * Grants are not revoked: another runtime on the same store arms their timers when it starts.
   * Checks still decide. Idempotent.
   */
  @Override
  void close();
}
