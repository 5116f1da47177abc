package dev.jitaccess.console;

import dev.jitaccess.governance.GovernanceException;

/**
 * Plain sentences for the refusals people meet in the console: what the rule means for the
 * person who acted, followed by the rule's name, so that a refusal reads as an answer rather than
 * an error. Stateless.
 */
final class Refusals {
  private Refusals() {}

  static String of(GovernanceException refused) {
    String plain = plain(refused.rule());
    return (plain == null ? refused.getMessage() : plain) + " (" + refused.rule() + ")";
  }

  private static String plain(GovernanceException.Rule rule) {
    switch (rule) {
      case SELF_APPROVAL:
        return "You cannot decide or review a request that you made or that is for you: "
            + "another approver must.";
      case APPROVER_NOT_ALLOWED:
        return "You are not one of the approvers of this request.";
      case ALREADY_DECIDED:
        return "You have already decided this request.";
      case SAME_TEAM:
        return "Someone from your team has already approved: the next approval must come from "
            + "another team.";
      case REASON_REQUIRED:
        return "A reason is required.";
      case ILLEGAL_TRANSITION:
        return "This request is no longer waiting for a decision.";
      case UNKNOWN_REQUEST:
        return "No request has this id.";
      case NOT_REVIEWABLE:
        return "This request cannot be reviewed: it is not break-glass, it was reviewed, or "
            + "its review deadline passed.";
      case NOT_ELIGIBLE:
        return "This request is no longer admitted by an eligibility rule.";
      default:
        return null;
    }
  }
}
