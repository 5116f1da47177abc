package dev.jitaccess.governance;

import dev.jitaccess.Grant;
import dev.jitaccess.core.JitAccess;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Access that must be asked for, approved and reviewed. A requester {@linkplain #request asks};
 * approvers {@linkplain #approve approve} or {@linkplain #reject reject}; once enough distinct
 * approvers have approved, the requester {@linkplain #activate activates} it within its window
 * and gets a grant whose lifetime counts from then. In an emergency, where the tier allows it, a
 * subject takes {@linkplain #breakGlass break-glass} access at once, and a review is due: a
 * review missed by its deadline revokes the grant and locks the subject's break-glass until an
 * owner {@linkplain #unlockBreakGlass unlocks} it.
 *
 * <p>The runtime it {@linkplain #access() wraps} only mints grants this governance activates: a
 * direct {@code request()} on it is denied ({@code NOT_REQUESTED}), and every renewal is checked
 * against the grant's tier and a fresh look at eligibility. Every transition is an audit event
 * (REQUESTED, APPROVED, REJECTED, CANCELLED, REQUEST_EXPIRED, ACTIVATED, BREAK_GLASS, REVIEWED,
 * BREAK_GLASS_LOCKED, BREAK_GLASS_UNLOCKED).
 *
 * <p>Built with {@link #builder()}. Thread-safe; replicas sharing a {@link
 * dev.jitaccess.governance.spi.GovernanceStore} and a grant store see each other's requests and
 * decisions.
 */
public interface Governance extends AutoCloseable {
  /** A builder with the defaults listed on {@link GovernanceBuilder}. */
  static GovernanceBuilder builder() {
    return new GovernanceBuilder();
  }

  /**
   * Asks for access. The request is refused before anyone is asked if it is not eligible, names
   * an unknown tier, asks for more than the tier's maximum lifetime or starts too late. A tier
   * that needs no approval approves it at once.
   *
   * @throws GovernanceException naming the rule
   */
  AccessRequest request(RequestSpec spec);

  /**
   * Approves a PENDING request as {@code approver}; the request is APPROVED once the tier's
   * number of approvals is reached.
   *
   * @throws GovernanceException naming the rule: an approver not allowed, the requester or the
   *     subject, a second decision, a team already counted, a request that is not PENDING
   */
  AccessRequest approve(String requestId, String approver);

  /**
   * Rejects a PENDING request as {@code approver}, with a reason; the request is REJECTED once
   * its rule's number of rejections is reached.
   *
   * @throws GovernanceException naming the rule
   */
  AccessRequest reject(String requestId, String approver, String reason);

  /**
   * Withdraws a PENDING or APPROVED request.
   *
   * @throws GovernanceException if {@code requester} did not make it, or it is neither
   */
  AccessRequest cancel(String requestId, String requester);

  /**
   * Mints the grant of an APPROVED request, as its requester, within its activation window: the
   * grant lives the asked-for lifetime from now, in the request's tier, and records the request.
   * Eligibility is checked again first.
   *
   * @throws GovernanceException naming the rule: not the requester, not yet started, the window
   *     passed, no longer eligible, not APPROVED
   */
  Grant activate(String requestId, String requester);

  /**
   * Takes emergency access without approval, where the tier allows it: a justification is
   * mandatory, the grant's life is capped by the tier's break-glass cap, a BREAK_GLASS event is
   * recorded at WARN, every approver and the owner are notified, and a review is due within the
   * review deadline.
   *
   * @throws GovernanceException naming the rule: tier forbids break-glass, subject locked, not
   *     eligible, no justification
   */
  Grant breakGlass(RequestSpec spec);

  /**
   * Records the review of a break-glass request. A REJECTED verdict revokes its grant if it is
   * still alive. The reviewer must be one of its rule's approvers, and neither its requester nor
   * its subject.
   *
   * @param verdict {@link Review.Verdict#CONFIRMED} or {@link Review.Verdict#REJECTED}
   * @throws GovernanceException naming the rule
   */
  AccessRequest review(String requestId, String reviewer, Review.Verdict verdict, String note);

  /**
   * Unlocks {@code subject}'s break-glass, as the owner of the grant whose review was missed (the
   * owner itself or a member of the owner group).
   *
   * @return whether it was locked
   * @throws GovernanceException {@link GovernanceException.Rule#NOT_OWNER} otherwise
   */
  boolean unlockBreakGlass(String subject, String owner);

  /** The request's latest snapshot, if any. */
  Optional<AccessRequest> find(String requestId);

  /** Up to {@code limit} PENDING requests, oldest first. */
  List<AccessRequest> pending(int limit);

  /**
   * Acts on every deadline that has passed: expires PENDING requests past their TTL and APPROVED
   * ones past their window, handles missed break-glass reviews, and ends bundles whose window
   * closed. Timers call it at each
   * deadline; call it on start and periodically too, so that a deadline set by a replica that
   * died is still met. Safe to call on every replica at once: each change is made once.
   *
   * @return how many requests it changed
   */
  int sweep();

  /** Pre-approved bundles: members activate without a per-request approval. */
  Bundles bundles();

  /**
   * What needs its owner's recertification now or within the notice, by item ({@code
   * bundle:<name>}, or {@code request:<id>} for a live grant renewed more than the configured
   * number of times or living longer than its tier's maximum lifetime), with when it is due:
   * every {@code recertifyEvery} of its tier from its start or its last recertification.
   */
  Map<String, Instant> recertificationsDue();

  /**
   * Records its owner's recertification of {@code item}: kept until the next interval, or ended
   * now ({@code RECERTIFICATION_LAPSED}). It lifts a suspension.
   *
   * @throws GovernanceException {@code NOT_DUE} if the item does not need it yet, {@code
   *     NOT_OWNER} if the reviewer is neither its owner nor a member of the owner group, {@code
   *     SELF_APPROVAL} for one's own grant, {@code REASON_REQUIRED} without a note
   */
  Certification recertify(String item, String reviewer, boolean keep, String note);

  /** The eligibility rules, changeable while running. */
  EligibilityRules rules();

  /**
   * What temporary access is alive now: each live grant the query admits, with its age, owner,
   * tier, subject, task, scope, remaining lifetime, renewals, last use, delegation depth, origin
   * and standing-access smells, grouped as the query asks. Reads every ACTIVE grant of the grant
   * store, so it works on any store and costs a full listing.
   *
   * @throws RuntimeException what the grant store throws: a report never hides live access
   */
  ExposureReport exposure(ExposureQuery query);

  /**
   * {@link #exposure(ExposureQuery)} for a query written as text, such as {@code owner=team-a
   * groupBy=tier smell=RENEWED_OFTEN}.
   *
   * @throws IllegalArgumentException naming the filter and the rule, if the text is malformed
   */
  default ExposureReport exposure(String query) {
    return exposure(ExposureQuery.parse(query));
  }

  /** The runtime whose grants this governance mints: check, revoke and renew through it. */
  JitAccess access();

  /** Stops the timers and closes the runtime. */
  @Override
  void close();
}
