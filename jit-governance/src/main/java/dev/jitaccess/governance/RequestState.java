package dev.jitaccess.governance;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where an {@link AccessRequest} is in its lifecycle. The legal transitions, and nothing else:
 *
 * <pre>
 * PENDING  -&gt; APPROVED | REJECTED | CANCELLED | EXPIRED
 * APPROVED -&gt; ACTIVE | CANCELLED | EXPIRED
 * </pre>
 *
 * <p>A break-glass request is created ACTIVE. REJECTED, CANCELLED, EXPIRED and ACTIVE are final
 * for the request; an ACTIVE request's grant then lives its own lifecycle.
 */
public enum RequestState {
  /** Waiting for approvals; expires after the request TTL. */
  PENDING,
  /** Approved by enough distinct approvers; expires if not activated within its window. */
  APPROVED,
  /** Rejected by enough approvers. */
  REJECTED,
  /** Withdrawn by the requester. */
  CANCELLED,
  /** Not approved, or not activated, in time. */
  EXPIRED,
  /** A grant was minted for it. */
  ACTIVE;

  private Set<RequestState> next() {
    switch (this) {
      case PENDING:
        return EnumSet.of(APPROVED, REJECTED, CANCELLED, EXPIRED);
      case APPROVED:
        return EnumSet.of(ACTIVE, CANCELLED, EXPIRED);
      default:
        return EnumSet.noneOf(RequestState.class);
    }
  }

  /** Whether a request in this state may move to {@code next}. */
  public boolean canTransitionTo(RequestState next) {
    return next().contains(next);
  }

  /** Whether no transition leaves this state. */
  public boolean isFinal() {
    return this != PENDING && this != APPROVED;
  }
}
