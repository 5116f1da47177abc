package dev.jitaccess;

/** The kinds of audit events; each lifecycle step is its own kind. */
public enum AuditEventType {
  /** A grant was minted for a request. */
  ISSUED,
  /** A grant's expiry was moved. */
  RENEWED,
  /** A grant was minted by delegation from another. */
  DELEGATED,
  /** A grant was revoked (including cascades from its parent). */
  REVOKED,
  /** A grant's lifetime ran out. */
  EXPIRED,
  /** A grant's use budget was spent. */
  EXHAUSTED,
  /** A check, request, delegation or renewal was denied. */
  DENIED,
  /** A check was allowed (only when allowed checks are audited). */
  ALLOWED,
  /**
   * A token was minted for a grant, by a token issuer such as {@code jit-jwt}'s: the event names
   * the grant by its reference and the token by its id ({@link AuditEvent#tokenId()}).
   */
  TOKEN_ISSUED,
  /** An access request was made and waits for approval. */
  REQUESTED,
  /** An approver approved an access request (one event per approval). */
  APPROVED,
  /** An approver rejected an access request (one event per rejection). */
  REJECTED,
  /** The requester withdrew an access request. */
  CANCELLED,
  /** An access request, or an approval, was not acted on in time. */
  REQUEST_EXPIRED,
  /** An approved access request was turned into a grant. */
  ACTIVATED,
  /** Emergency access was taken without approval; a review is due. */
  BREAK_GLASS,
  /** A break-glass grant was reviewed after the fact. */
  REVIEWED,
  /** A review was missed: the grant was ended and the subject's break-glass locked. */
  BREAK_GLASS_LOCKED,
  /** An owner unlocked a subject's break-glass. */
  BREAK_GLASS_UNLOCKED,
  /**
   * A candidate policy run in shadow mode decided differently from the enforced one; nothing was
   * enforced by the candidate.
   */
  POLICY_DISAGREEMENT,
  /** A pre-approved bundle was created. */
  BUNDLE_CREATED,
  /** Members were added to a bundle (one event per call, with the count). */
  MEMBERS_ADDED,
  /** Members were removed from a bundle; their grants from it end. */
  MEMBERS_REMOVED,
  /** A bundle ended (its window closed, or it was ended or revoked); its grants end. */
  BUNDLE_ENDED,
  /** A live grant's or bundle's owner is no longer active. */
  ORPHAN_FOUND,
  /** An orphan was given to the fallback owner. */
  OWNER_REASSIGNED,
  /** A recertification comes due soon; its owner was told. */
  RECERTIFICATION_DUE,
  /** An owner recertified something: kept or revoked. */
  RECERTIFIED,
  /** A recertification was not made in time; the tier's lapse action was applied. */
  RECERTIFICATION_LAPSED,
  /**
   * A grant will expire within the configured lead time unless it is renewed: its task, if still
   * alive, may renew it; otherwise it is left to end. At most once per grant and expiry in a
   * process (a renewal moves the expiry, and is warned again).
   */
  EXPIRING_SOON,
  /**
   * A downstream acknowledged that an ended grant's access there is gone (its probe could not
   * confirm it, or has not yet): the event names the downstream as its {@link
   * AuditEvent#resource() resource}.
   */
  TEARDOWN_REVOKED,
  /** A downstream's probe confirmed that an ended grant's access there is denied. */
  TEARDOWN_VERIFIED,
  /**
   * A downstream could not remove an ended grant's access (it said it never will, or every
   * attempt of the retry ladder failed); the owner was alerted and it is retried on a long
   * interval.
   */
  TEARDOWN_IRREVOCABLE,
  /**
   * An ended grant's access at a downstream was kept, because another live grant of the same
   * subject still needs the same entitlement there; the last of them to end removes it.
   */
  TEARDOWN_RETAINED,
  /** A person closed a teardown entry by force, with a reason ({@link AuditEvent#actor()}). */
  TEARDOWN_CLOSED,
  /**
   * An anomaly detector found a grant misused. The event names the grant by its reference, the
   * detector as its {@link AuditEvent#actor() actor}, the check that showed it ({@link
   * AuditEvent#action()}, {@link AuditEvent#resource()}) and the evidence as its {@link
   * AuditEvent#detail() detail}; its reason is {@code ANOMALY}. The grant's REVOKED event, if the
   * detection ended it, follows.
   */
  ANOMALY
}
