package dev.jitaccess.governance;

import dev.jitaccess.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An immutable snapshot of one access request: what was asked for, by whom, under which rule
 * and tier, the approvals and rejections it has had, and, once ACTIVE, the grant minted for it.
 * A change produces a new snapshot with the next {@link #version()}; stores compare and set by
 * it. Stores rebuild snapshots with {@link #builder()}, which checks every field.
 *
 * <p>The {@linkplain #grantId() grant id} is a secret (the handle checks are made with): {@link
 * #toString()} never shows it.
 *
 * @param id the request's id (random, not a secret: it lets nobody but the requester activate)
 * @param requester who asked
 * @param issuer the issuer of the requester's verified workload identity, or null
 * @param subject who the grant is for
 * @param owner the accountable team or person
 * @param task the unit of work
 * @param purpose why, in short
 * @param scope what is asked for
 * @param lifetime how long the grant lives once activated
 * @param tier the risk tier's name
 * @param rule the name of the eligibility rule that admitted it
 * @param justification why, in the requester's words
 * @param ticket a ticket or change reference, or null
 * @param startAt the earliest activation, or null for "when approved"
 * @param createdAt when it was made
 * @param expiresAt when it expires if still PENDING
 * @param state where it is in its lifecycle
 * @param approvals the approvals so far, in order
 * @param rejections the rejections so far, in order
 * @param activateBy when an APPROVED request expires if not activated; null before approval
 * @param grantId the grant minted for it, once ACTIVE
 * @param breakGlass whether it is emergency access taken without approval
 * @param reviewDue when its review is due (break-glass only)
 * @param review its review, once made or missed (break-glass only)
 * @param closedAt when it reached its final state (ACTIVE: when activated)
 * @param version the number of changes it is the result of
 */
public record AccessRequest(String id, String requester, @Nullable String issuer, String subject, String owner,
    String task, String purpose, Scope scope, Duration lifetime, String tier, String rule,
    String justification, @Nullable String ticket, @Nullable Instant startAt, Instant createdAt,
    Instant expiresAt, RequestState state, List<Approval> approvals, List<Rejection> rejections,
    @Nullable Instant activateBy, @Nullable String grantId, boolean breakGlass,
    @Nullable Instant reviewDue, @Nullable Review review, @Nullable Instant closedAt,
    long version) {

  /** Checks every field and invariant, naming the field and the rule. */
  public AccessRequest {
    Names.check(id, "id");
    Names.check(requester, "requester");
    if (issuer != null) {
      Names.check(issuer, "issuer");
    }
    Names.check(subject, "subject");
    Names.check(owner, "owner");
    Names.check(task, "task");
    Names.text(purpose, "purpose");
    Objects.requireNonNull(scope, "scope must not be null");
    Objects.requireNonNull(lifetime, "lifetime must not be null");
    if (lifetime.isNegative() || lifetime.isZero()) {
      throw new IllegalArgumentException("lifetime must be > 0, was " + lifetime);
    }
    Names.check(tier, "tier");
    Names.check(rule, "rule");
    Names.text(justification, "justification");
    if (ticket != null) {
      Names.check(ticket, "ticket");
    }
    Objects.requireNonNull(createdAt, "createdAt must not be null");
    Objects.requireNonNull(expiresAt, "expiresAt must not be null");
    Objects.requireNonNull(state, "state must not be null");
    approvals = List.copyOf(approvals);
    rejections = List.copyOf(rejections);
    if ((state == RequestState.ACTIVE) != (grantId != null)) {
      throw new IllegalArgumentException("grantId must be set exactly when the state is ACTIVE");
    }
    if (state == RequestState.APPROVED && activateBy == null) {
      throw new IllegalArgumentException("activateBy must be set once APPROVED");
    }
    if (breakGlass != (reviewDue != null)) {
      throw new IllegalArgumentException("reviewDue must be set exactly for break-glass");
    }
    if (breakGlass && state != RequestState.ACTIVE) {
      throw new IllegalArgumentException("state must be ACTIVE for break-glass, was " + state);
    }
    if (review != null && !breakGlass) {
      throw new IllegalArgumentException("review must be null unless break-glass");
    }
    if (state.isFinal() != (closedAt != null)) {
      throw new IllegalArgumentException("closedAt must be set exactly in a final state");
    }
    if (version < 0) {
      throw new IllegalArgumentException("version must be >= 0, was " + version);
    }
  }

  /**
   * When this request next needs acting on if nobody acts: its expiry while PENDING, the end of
   * its activation window while APPROVED, its review deadline while an unreviewed break-glass;
   * otherwise null.
   */
  public @Nullable Instant deadline() {
    switch (state) {
      case PENDING:
        return expiresAt;
      case APPROVED:
        return activateBy;
      case ACTIVE:
        return breakGlass && review == null ? reviewDue : null;
      default:
        return null;
    }
  }

  /** Whether {@code principal} has approved or rejected it. */
  public boolean isDecidedBy(String principal) {
    for (Approval a : approvals) {
      if (a.approver().equals(principal)) {
        return true;
      }
    }
    for (Rejection r : rejections) {
      if (r.approver().equals(principal)) {
        return true;
      }
    }
    return false;
  }

  /** A builder for stores; see {@link AccessRequestBuilder}. */
  public static AccessRequestBuilder builder() {
    return new AccessRequestBuilder();
  }

  /** A builder holding every field of this snapshot. */
  public AccessRequestBuilder toBuilder() {
    return AccessRequestBuilder.from(this);
  }

  /** This snapshot, one version on, in {@code next} state at {@code at}. */
  AccessRequest moveTo(RequestState next, Instant at) {
    if (!state.canTransitionTo(next)) {
      throw new RequestStateException(id, state, "move to " + next);
    }
    return toBuilder().state(next).closedAt(next.isFinal() ? at : null).version(version + 1)
        .build();
  }

  /** Every field but the grant id. */
  @Override
  public String toString() {
    return "AccessRequest[id=" + id + ", requester=" + requester + ", subject=" + subject
        + ", owner=" + owner + ", task=" + task + ", scope=" + scope + ", lifetime=" + lifetime
        + ", tier=" + tier + ", rule=" + rule + ", state=" + state
        + (breakGlass ? ", breakGlass" : "") + ", approvals=" + approvals.size()
        + ", rejections=" + rejections.size() + ", version=" + version + "]";
  }
}
