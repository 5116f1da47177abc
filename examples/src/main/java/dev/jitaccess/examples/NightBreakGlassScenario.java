package dev.jitaccess.examples;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantDeniedException;
import dev.jitaccess.core.InMemoryGrantStore;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.governance.AccessRequest;
import dev.jitaccess.governance.EligibilityRule;
import dev.jitaccess.governance.EligibilityRules;
import dev.jitaccess.governance.Governance;
import dev.jitaccess.governance.GovernanceException;
import dev.jitaccess.governance.InMemoryDirectory;
import dev.jitaccess.governance.RequestSpec;
import dev.jitaccess.governance.Review;
import dev.jitaccess.governance.RiskTiers;
import dev.jitaccess.governance.spi.Notification;
import dev.jitaccess.testkit.time.FakeClock;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A break-glass elevation at night and its forced review. At 03:00 the payment service is down
 * and no approver answers: the on-call engineer breaks the glass, gets admin access at once,
 * capped at the tier's hour and not renewable, and every approver and the owner are told; a review
 * is due within 24 hours. The next morning a security engineer reviews it (the engineer may not
 * review their own). The next night another engineer breaks the glass and nobody reviews it: at
 * the deadline the governance ends the grant if it is still alive, locks that engineer's
 * break-glass and tells everyone, and the lock holds until the owner lifts it. Time is a {@link
 * FakeClock}: the nights pass at once.
 */
public final class NightBreakGlassScenario {
  static final Instant NIGHT = Instant.parse("2026-12-07T03:00:00Z");
  private static final Set<AuditEventType> SHOWN = EnumSet.of(AuditEventType.BREAK_GLASS,
      AuditEventType.REVIEWED, AuditEventType.BREAK_GLASS_LOCKED,
      AuditEventType.BREAK_GLASS_UNLOCKED, AuditEventType.EXPIRED, AuditEventType.REVOKED);

  private final FakeClock clock = FakeClock.at(NIGHT);
  private final Timeline timeline;
  private final List<AuditEvent> events = new ArrayList<>();
  private final List<Notification> notices = new ArrayList<>();

  /**
   * What the scenario left in the library.
   *
   * @param olga the first night's grant at the end
   * @param olgaRequest its break-glass request, reviewed the next morning
   * @param omar the second night's grant at the end
   * @param omarRequest its break-glass request, whose review was missed
   * @param renewal the reason code that refused renewing the first night's grant
   * @param selfReview the rule that refused the engineer reviewing their own break-glass
   * @param whileLocked the rule that refused the second engineer's break-glass after the miss
   * @param selfUnlock the rule that refused that engineer unlocking themself
   * @param unlocked whether the owner's unlock lifted a lock
   * @param events the break-glass, review, lock, unlock and end events, in order
   * @param notices what approvers and owners were told
   */
  record Outcome(Grant olga, AccessRequest olgaRequest, Grant omar, AccessRequest omarRequest,
      String renewal, GovernanceException.Rule selfReview, GovernanceException.Rule whileLocked,
      GovernanceException.Rule selfUnlock, boolean unlocked, List<AuditEvent> events,
      List<Notification> notices) {}

  NightBreakGlassScenario(PrintStream out) {
    this.timeline = new Timeline(out, clock);
  }

  /** Runs the scenario on standard output. */
  public static void main(String[] args) {
    new NightBreakGlassScenario(System.out).run();
  }

  Outcome run() {
    timeline.title("A break-glass elevation at night and its forced review");
    InMemoryDirectory directory = InMemoryDirectory.builder()
        .member("oncall-olga", "oncall").member("oncall-omar", "oncall")
        .member("dba-ann", "payments-approvers").member("sec-sue", "payments-approvers")
        .member("lead-lee", "platform").build();
    EligibilityRules rules = EligibilityRules.of(EligibilityRule.builder("oncall-payments")
        .requesters("group:oncall").scope("admin:prod/payments").tiers(RiskTiers.HIGH)
        .approvers("group:payments-approvers").build());
    // Ended grants are kept three days (default: 5 minutes), so a late look says how each ended.
    InMemoryGrantStore grants = InMemoryGrantStore.builder().clock(clock).scheduler(clock)
        .retention(Duration.ofDays(3)).build();
    try (Governance gov = Governance.builder().runtime(JitAccess.builder()).grants(grants)
        .clock(clock).scheduler(clock).directory(directory).rules(rules)
        .auditSink(this::audited).notifier(this::notified).build()) {
      JitAccess jit = gov.access();
      Grant olga = gov.breakGlass(emergency("oncall-olga", "SEV1-88",
          "payments down since 02:51, no approver answers the page"));
      timeline.line("oncall-olga", "admin:prod/payments now: "
          + jit.check(olga.id(), "admin", "prod/payments") + ", until "
          + Timeline.at(olga.expiresAt()) + " (HIGH's break-glass cap; asked for 4 hours)");
      clock.setTo(NIGHT.plus(Duration.ofMinutes(45)));
      String renewal = "";
      try {
        jit.renew(olga.id(), Duration.ofHours(1));
      } catch (GrantDeniedException refused) {
        renewal = refused.reason();
        timeline.line("oncall-olga", "renews: refused, " + renewal);
      }

      clock.setTo(Instant.parse("2026-12-07T09:30:00Z"));
      String olgaId = olga.requestId();
      GovernanceException.Rule selfReview = Refused.rule(() -> gov.review(olgaId, "oncall-olga",
          Review.Verdict.CONFIRMED, "it was needed"));
      timeline.line("oncall-olga", "reviews her own break-glass: refused, " + selfReview);
      gov.review(olgaId, "sec-sue", Review.Verdict.CONFIRMED,
          "outage SEV1-88 confirmed; the restart was the runbook's step 3");

      clock.setTo(Instant.parse("2026-12-08T03:10:00Z"));
      Grant omar = gov.breakGlass(emergency("oncall-omar", "SEV2-91",
          "payment retries pile up, approvers asleep"));
      timeline.line("oncall-omar", "admin:prod/payments now: "
          + jit.check(omar.id(), "admin", "prod/payments"));
      clock.setTo(Instant.parse("2026-12-08T09:00:00Z"));
      timeline.line("payments-approvers", "nobody reviews " + omar.task()
          + " this morning, nor this day");

      clock.setTo(Instant.parse("2026-12-09T03:30:00Z"));
      GovernanceException.Rule locked = Refused.rule(() -> gov.breakGlass(emergency("oncall-omar",
          "SEV2-92", "payment retries pile up again")));
      timeline.line("oncall-omar", "breaks the glass again: refused, " + locked);
      clock.setTo(Instant.parse("2026-12-09T09:00:00Z"));
      GovernanceException.Rule selfUnlock = Refused.rule(() -> gov.unlockBreakGlass("oncall-omar",
          "oncall-omar"));
      timeline.line("oncall-omar", "unlocks himself: refused, " + selfUnlock);
      boolean unlocked = gov.unlockBreakGlass("oncall-omar", "lead-lee");
      AccessRequest olgaRequest = gov.find(olgaId).orElseThrow();
      AccessRequest omarRequest = gov.find(omar.requestId()).orElseThrow();
      Grant olgaEnd = jit.grant(olga.id()).orElseThrow();
      Grant omarEnd = jit.grant(omar.id()).orElseThrow();
      timeline.summary("Emergency access at night, at once, for an hour; reviewed by the "
          + "morning (" + olgaRequest.review().verdict() + " by " + olgaRequest.review().reviewer()
          + "), or " + omarRequest.review().verdict() + " and locked until the owner unlocked it.");
      return new Outcome(olgaEnd, olgaRequest, omarEnd, omarRequest, renewal, selfReview, locked,
          selfUnlock, unlocked, List.copyOf(events), List.copyOf(notices));
    }
  }

  private static RequestSpec emergency(String engineer, String incident, String why) {
    return RequestSpec.builder().requester(engineer).owner("platform").task(incident)
        .purpose("restart the payment service").scope("admin:prod/payments")
        .lifetime(Duration.ofHours(4)).tier(RiskTiers.HIGH).justification(why + ", " + incident)
        .build();
  }

  private void audited(AuditEvent e) {
    if (SHOWN.contains(e.type())) {
      events.add(e);
      timeline.line("audit", e.type() + (e.actor() == null ? "" : " by " + e.actor())
          + (e.subject() == null ? "" : " for " + e.subject())
          + (e.reason() == null ? "" : " (" + e.reason() + ")")
          + (e.detail() == null ? "" : ": " + e.detail()));
    }
  }

  private void notified(Notification n) {
    notices.add(n);
    timeline.line("notify", n.kind() + " to " + new TreeSet<>(n.recipients())
        + (n.dueAt() == null ? "" : ", review due " + Timeline.at(n.dueAt())));
  }
}
