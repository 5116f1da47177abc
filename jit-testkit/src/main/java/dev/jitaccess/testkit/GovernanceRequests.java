package dev.jitaccess.testkit;

import dev.jitaccess.Scope;
import dev.jitaccess.governance.AccessRequest;
import dev.jitaccess.governance.AccessRequestBuilder;
import dev.jitaccess.governance.Approval;
import dev.jitaccess.governance.Rejection;
import dev.jitaccess.governance.RequestState;
import dev.jitaccess.governance.Review;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The access requests {@link GovernanceStoreCompatibilityKit} stores: every one with a fresh id and
 * names of its own, its instants around {@link #now()}, a moment of this century with every
 * nanosecond digit set, drawn anew for each test.
 */
final class GovernanceRequests {
  /** The longest name an access request may hold. */
  static final int MAX_NAME = 256;
  /** The longest free text (purpose, justification, reason, note) an access request may hold. */
  static final int MAX_TEXT = 1024;

  private final Instant now;

  GovernanceRequests() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    this.now = Instant.ofEpochSecond(random.nextLong(1_800_000_000L, 4_000_000_000L),
        random.nextInt(100_000_000, 999_999_999));
  }

  /** The moment the test treats as now. */
  Instant now() {
    return now;
  }

  /** A fresh request id, in the runtime's form: {@code req_} and 128 random bits. */
  static String newId() {
    return "req_" + KitSupport.newId();
  }

  /** A PENDING request made at {@code createdAt}, expiring an hour later, every optional unset. */
  AccessRequestBuilder pending(Instant createdAt) {
    return AccessRequest.builder().id(newId()).requester(KitSupport.unique("requester"))
        .subject(KitSupport.unique("subject")).owner(KitSupport.unique("owner"))
        .task(KitSupport.unique("task")).purpose("compatibility kit")
        .scope(Scope.parse("read:orders/*", "write:exports/**"))
        .lifetime(Duration.ofMinutes(30)).tier("LOW").rule("kit-rule")
        .justification("checking a governance store").createdAt(createdAt)
        .expiresAt(createdAt.plus(Duration.ofHours(1)));
  }

  /** A PENDING request made now. */
  AccessRequest pending() {
    return pending(now).build();
  }

  /** A PENDING request that expires at {@code expiresAt}, made an hour before. */
  AccessRequest pendingExpiringAt(Instant expiresAt) {
    return pending(expiresAt.minus(Duration.ofHours(1))).expiresAt(expiresAt).build();
  }

  /**
   * An APPROVED request whose activation window ends at {@code activateBy}, and whose request TTL
   * ended long before (it no longer counts once approved).
   */
  AccessRequest approvedUntil(Instant activateBy) {
    Instant created = activateBy.minus(Duration.ofDays(2));
    return pending(created).expiresAt(created.plusSeconds(60)).state(RequestState.APPROVED)
        .approvals(List.of(new Approval(KitSupport.unique("approver"), null, created)))
        .activateBy(activateBy).version(1).build();
  }

  /** An unreviewed break-glass request whose review is due at {@code reviewDue}. */
  AccessRequest breakGlassDueAt(Instant reviewDue) {
    Instant created = reviewDue.minus(Duration.ofHours(24));
    return pending(created).expiresAt(created).state(RequestState.ACTIVE)
        .grantId(KitSupport.newId()).breakGlass(true).reviewDue(reviewDue).closedAt(created)
        .build();
  }

  /** {@code r} reviewed by someone with {@code verdict} at {@code at}, one version on. */
  static AccessRequest reviewed(AccessRequest r, Review.Verdict verdict, Instant at) {
    String reviewer = verdict == Review.Verdict.MISSED ? null : KitSupport.unique("reviewer");
    return r.toBuilder().review(new Review(reviewer, verdict, verdict + " by the kit", at))
        .version(r.version() + 1).build();
  }

  /** A request made two days ago that ended, a day ago, in the final {@code state}. */
  AccessRequest closed(RequestState state) {
    Instant created = now.minus(Duration.ofDays(2));
    Instant closedAt = now.minus(Duration.ofDays(1));
    AccessRequestBuilder b = pending(created).state(state).closedAt(closedAt).version(2);
    switch (state) {
      case ACTIVE:
        return b.activateBy(closedAt.plusSeconds(60)).grantId(KitSupport.newId()).build();
      case REJECTED:
        return b.rejections(List.of(new Rejection(KitSupport.unique("approver"), "no", closedAt)))
            .build();
      default:
        return b.build();
    }
  }

  /** {@code r} with one more approval, by {@code approver}, one version on. */
  static AccessRequest approvedBy(AccessRequest r, String approver, Instant at) {
    List<Approval> approvals = new ArrayList<>(r.approvals());
    approvals.add(new Approval(approver, null, at));
    return r.toBuilder().approvals(approvals).version(r.version() + 1).build();
  }

  /**
   * {@code prefix}, a space, then Latin, Greek, CJK and supplementary characters up to {@code max}
   * UTF-16 units exactly: a column in a 3-byte encoding, or shorter than {@code max}, loses some.
   */
  static String longText(String prefix, int max) {
    StringBuilder text = new StringBuilder(prefix).append(' ');
    int[] codePoints = {'\u00e9', '\u03a9', '\u6578', 0x20BB7, 0x1F680, 'x'};
    for (int i = 0; ; i++) {
      int c = codePoints[i % codePoints.length];
      if (text.length() + Character.charCount(c) > max) {
        while (text.length() < max) {
          text.append('x');
        }
        return text.toString();
      }
      text.appendCodePoint(c);
    }
  }
}
