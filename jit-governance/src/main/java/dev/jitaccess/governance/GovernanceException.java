package dev.jitaccess.governance;

import dev.jitaccess.JitAccessException;
import java.util.Objects;

/**
 * A governance call refused: the {@link #rule()} it broke, named again at the start of the
 * message. Nothing was changed. The message never holds a grant id.
 */
public class GovernanceException extends JitAccessException {
  private static final long serialVersionUID = 1L;

  /** The rules a governance call can break. */
  public enum Rule {
    /** No eligibility rule lets this requester ask for this subject, scope and tier. */
    NOT_ELIGIBLE,
    /** The tier is not one of the configured tiers. */
    UNKNOWN_TIER,
    /** The lifetime asked for is over the tier's maximum, or the start is out of range. */
    OUT_OF_BOUNDS,
    /** The request holds no justification, or a malformed one. */
    JUSTIFICATION_REQUIRED,
    /** The approver is in none of the groups allowed to approve this request. */
    APPROVER_NOT_ALLOWED,
    /** The requester and the grant's subject never approve, reject or review their own access. */
    SELF_APPROVAL,
    /** An approver decides a request once. */
    ALREADY_DECIDED,
    /** An approval must come from a team that has not approved this request yet. */
    SAME_TEAM,
    /** A rejection needs a reason. */
    REASON_REQUIRED,
    /** Only the requester cancels or activates a request. */
    NOT_REQUESTER,
    /** The request's start time has not come yet. */
    NOT_YET_STARTED,
    /** The approval was not activated within its window. */
    APPROVAL_EXPIRED,
    /** The request is in a state that does not allow this (see {@link RequestStateException}). */
    ILLEGAL_TRANSITION,
    /** No request has this id. */
    UNKNOWN_REQUEST,
    /** The tier does not allow break-glass. */
    BREAK_GLASS_FORBIDDEN,
    /** The subject's break-glass is locked after a missed review. */
    BREAK_GLASS_LOCKED,
    /** The request is not a break-glass request, or was already reviewed. */
    NOT_REVIEWABLE,
    /** Only the owner of a locked subject's grant unlocks its break-glass. */
    NOT_OWNER,
    /** No bundle has this name, or one already does. */
    UNKNOWN_BUNDLE,
    /** A bundle's window ends before it starts, or is longer than its tier allows. */
    BUNDLE_WINDOW,
    /** The bundle is not open: before or after its window, or ended. */
    OUTSIDE_WINDOW,
    /** The subject is not a member of the bundle. */
    NOT_MEMBER,
    /** The owner is not an active person or team. */
    UNKNOWN_OWNER,
    /** Nothing of that name needs recertification yet. */
    NOT_DUE,
    /** The bundle or grant is suspended after a lapsed recertification. */
    SUSPENDED
  }

  private final Rule rule;

  /** A refusal for breaking {@code rule}, explained by {@code detail}. */
  public GovernanceException(Rule rule, String detail) {
    super(Objects.requireNonNull(rule, "rule must not be null") + ": " + detail);
    this.rule = rule;
  }

  /** The rule broken. */
  public Rule rule() {
    return rule;
  }
}
