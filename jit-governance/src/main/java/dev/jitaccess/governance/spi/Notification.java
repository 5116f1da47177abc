package dev.jitaccess.governance.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Something people must hear of now, with who to tell.
 *
 * @param kind what happened
 * @param recipients who to tell: approvers and the owner
 * @param requestId the request concerned ({@code bundle:<name>} for a bundle)
 * @param subject whose access it is
 * @param tier the request's tier
 * @param text what happened, in words (never a grant id)
 * @param dueAt when a review is due, or null
 */
public record Notification(Kind kind, Set<String> recipients, String requestId, String subject,
    String tier, String text, @Nullable Instant dueAt) {
  /** What a notification is about. */
  public enum Kind {
    /** Emergency access was taken; a review is due. */
    BREAK_GLASS,
    /** A break-glass review was missed: the grant was revoked and the subject locked. */
    REVIEW_MISSED,
    /** A grant of the owner's was revoked. */
    REVOKED,
    /** A live grant's or bundle's owner is gone; the recipient is the fallback owner. */
    ORPHANED,
    /** A recertification comes due soon. */
    RECERTIFICATION_DUE,
    /** A recertification was not made in time. */
    RECERTIFICATION_LAPSED,
    /**
     * A grant will expire soon: sent to its owner, so that a task still alive renews it. {@code
     * dueAt} is the grant's expiry.
     */
    EXPIRING_SOON
  }

  /** Checks that nothing is missing; copies the recipients. */
  public Notification {
    Objects.requireNonNull(kind, "kind must not be null");
    recipients = Set.copyOf(recipients);
    Objects.requireNonNull(requestId, "requestId must not be null");
    Objects.requireNonNull(subject, "subject must not be null");
    Objects.requireNonNull(tier, "tier must not be null");
    Objects.requireNonNull(text, "text must not be null");
  }
}
