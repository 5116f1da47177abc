package dev.jitaccess.examples;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantDeniedException;
import dev.jitaccess.core.InMemoryGrantStore;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.governance.AccessRequest;
import dev.jitaccess.governance.Certification;
import dev.jitaccess.governance.EligibilityRule;
import dev.jitaccess.governance.EligibilityRules;
import dev.jitaccess.governance.Governance;
import dev.jitaccess.governance.GovernanceException;
import dev.jitaccess.governance.InMemoryDirectory;
import dev.jitaccess.governance.RequestSpec;
import dev.jitaccess.governance.RiskTiers;
import dev.jitaccess.governance.spi.Notification;
import dev.jitaccess.testkit.time.FakeClock;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A CI/CD pipeline's long jobs, in the LONG_RUNNING exception tier. Two nightly jobs each get a
 * grant with an owner (team-data, team-search), approved by two release managers. A grant lives
 * an hour at a time and is renewed ten minutes before it expires, but only while the CI says its
 * job is running: the tier renews only while the task is alive. Living past the tier's hour, each
 * grant needs its owner's recertification every day: team-data recertifies the migration the next
 * morning, team-search does not, so the reindex's recertification lapses at its due time, its
 * renewal is suspended, and its grant runs out within the hour. Then the migration's runner is
 * killed without cleaning up; its heartbeat stops, the next renewal is refused, and its grant ends
 * at its expiry. Time is a {@link FakeClock}: two days pass at once.
 */
public final class CiPipelineScenario {
  static final String MIGRATION = "migrate-orders-4711";
  static final String REINDEX = "reindex-search-4712";
  static final Instant START = Instant.parse("2026-11-23T20:00:00Z");
  static final Instant RUNNER_KILLED = Instant.parse("2026-11-25T02:30:00Z");

  private final FakeClock clock = FakeClock.at(START);
  private final Timeline timeline;
  /** What the CI says is running: the heartbeat the tier's renewal asks. */
  private final Set<String> running = ConcurrentHashMap.newKeySet();
  private final Map<String, Integer> renewals = new ConcurrentHashMap<>();
  private final Map<String, String> refusals = new ConcurrentHashMap<>();
  private final List<AuditEvent> stewardship = new ArrayList<>();
  private final List<Notification> notices = new ArrayList<>();
  private Governance gov;

  /**
   * What the scenario left in the library, read from it.
   *
   * @param migration the migration's grant at the end
   * @param reindex the reindex's grant at the end
   * @param renewals how many renewals each task's grant had
   * @param refusals the reason code of the first refused renewal, by task
   * @param dueAfterADay what needed recertifying the first evening, with when it was due
   * @param certification the owner's recertification of the migration
   * @param subjectRecertifies the rule that refused the job recertifying its own grant
   * @param stewardship the RECERTIFICATION_DUE, RECERTIFIED and RECERTIFICATION_LAPSED events
   * @param notices what the owners were told
   */
  record Outcome(Grant migration, Grant reindex, Map<String, Integer> renewals,
      Map<String, String> refusals, Map<String, Instant> dueAfterADay,
      Certification certification, GovernanceException.Rule subjectRecertifies,
      List<AuditEvent> stewardship, List<Notification> notices) {}

  CiPipelineScenario(PrintStream out) {
    this.timeline = new Timeline(out, clock);
  }

  /** Runs the scenario on standard output. */
  public static void main(String[] args) {
    new CiPipelineScenario(System.out).run();
  }

  Outcome run() {
    timeline.title("A CI/CD pipeline: owned job grants, renewed only while the job runs, "
        + "recertified by their owners");
    InMemoryDirectory directory = InMemoryDirectory.builder()
        .member("ci-job-4711", "ci-jobs").member("ci-job-4712", "ci-jobs")
        .member("rm-rita", "release-managers").member("rm-raj", "release-managers")
        .member("data-lead", "team-data").member("search-lead", "team-search").build();
    EligibilityRules rules = EligibilityRules.of(EligibilityRule.builder("nightly-jobs")
        .requesters("group:ci-jobs").scope("write:db/orders/**", "write:search/index/**")
        .tiers(RiskTiers.LONG_RUNNING).approvers("group:release-managers").build());
    // Ended grants are kept a day, so a late check says why it denies (the default is 5 minutes).
    InMemoryGrantStore grants = InMemoryGrantStore.builder().clock(clock).scheduler(clock)
        .retention(Duration.ofDays(1)).build();
    try (Governance g = Governance.builder().runtime(JitAccess.builder()).grants(grants)
        .clock(clock).scheduler(clock).directory(directory).rules(rules)
        .taskAlive(running::contains)
        .recertificationNotice(Duration.ofHours(12))
        .expiryWarnings(Duration.ofMinutes(10))
        .expiryWarningListener((grant, left) -> renewIfRunning(grant))
        .auditSink(this::audited).notifier(this::notified).build()) {
      gov = g;
      JitAccess jit = g.access();
      Grant migration = start("ci-job-4711", "team-data", MIGRATION, "write:db/orders/**");
      Grant reindex = start("ci-job-4712", "team-search", REINDEX, "write:search/index/**");

      clock.setTo(Instant.parse("2026-11-24T08:00:00Z"));
      Map<String, Instant> due = g.recertificationsDue();
      timeline.line("governance", "living past the tier's hour, " + due.size() + " grants need "
          + "their owner's recertification: " + MIGRATION + "'s by "
          + Timeline.at(due.get(item(migration))) + ", " + REINDEX + "'s by "
          + Timeline.at(due.get(item(reindex))));
      GovernanceException.Rule selfRecertify = Refused.rule(() -> g.recertify(item(migration),
          "ci-job-4711", true, "still needed"));
      timeline.line("ci-job-4711", "recertifies its own grant: refused, " + selfRecertify);

      clock.setTo(Instant.parse("2026-11-24T09:00:00Z"));
      Certification kept = g.recertify(item(migration), "data-lead", true,
          "the migration runs until Wednesday night, INC-4711");
      timeline.line("data-lead", "recertifies " + MIGRATION + " for team-data: kept, next due "
          + Timeline.at(kept.at().plus(RiskTiers.ofDefaults().get(RiskTiers.LONG_RUNNING)
              .recertifyEvery())) + "; renewals so far: "
          + renewals.get(MIGRATION));

      clock.setTo(Instant.parse("2026-11-24T22:00:00Z"));
      timeline.line("ci-job-4712", "the reindex writes search/index/orders: "
          + jit.check(reindex.id(), "write", "search/index/orders") + " (its job still runs)");

      clock.setTo(RUNNER_KILLED);
      running.remove(MIGRATION);
      timeline.line("ci", "the runner of " + MIGRATION + " is killed; nothing revokes its "
          + "grant, but the heartbeat stops");
      clock.setTo(Instant.parse("2026-11-25T04:00:00Z"));
      Grant migrationEnd = jit.grant(migration.id()).orElseThrow();
      Grant reindexEnd = jit.grant(reindex.id()).orElseThrow();
      timeline.line("ci", "a replayed step of " + MIGRATION + " writes db/orders/7: "
          + jit.check(migration.id(), "write", "db/orders/7"));
      timeline.summary("Each job grant had an owner, renewed only while its job ran and its "
          + "owner kept recertifying it: " + MIGRATION + " " + migrationEnd.state() + " at "
          + Timeline.at(migrationEnd.endedAt()) + ", " + REINDEX + " " + reindexEnd.state()
          + " at " + Timeline.at(reindexEnd.endedAt()) + ".");
      return new Outcome(migrationEnd, reindexEnd, Map.copyOf(renewals), Map.copyOf(refusals),
          due, kept, selfRecertify, List.copyOf(stewardship), List.copyOf(notices));
    }
  }

  private Grant start(String job, String owner, String task, String scope) {
    AccessRequest asked = gov.request(RequestSpec.builder().requester(job).owner(owner)
        .task(task).purpose("nightly job " + task).scope(scope).lifetime(Duration.ofHours(1))
        .tier(RiskTiers.LONG_RUNNING).justification("scheduled nightly job, change CHG-" + task)
        .build());
    gov.approve(asked.id(), "rm-rita");
    gov.approve(asked.id(), "rm-raj");
    running.add(task);
    Grant grant = gov.activate(asked.id(), job);
    timeline.line(job, "starts " + task + " for " + owner + ": " + scope + " approved by rm-rita "
        + "and rm-raj, tier LONG_RUNNING, expires " + Timeline.at(grant.expiresAt())
        + ", cap " + Timeline.at(grant.notAfter()));
    return grant;
  }

  /** What the CI does when told a job's grant expires soon: renew it, and see if it may. */
  private void renewIfRunning(Grant grant) {
    try {
      Grant renewed = gov.access().renew(grant.id(), Duration.ofHours(1));
      if (renewals.merge(grant.task(), 1, Integer::sum) == 1) {
        timeline.line("ci", "renews " + grant.task() + " while it runs: expires "
            + Timeline.at(renewed.expiresAt()) + " (and so every hour)");
      }
    } catch (GrantDeniedException refused) {
      if (refusals.putIfAbsent(grant.task(), refused.reason()) == null) {
        timeline.line("ci", "renews " + grant.task() + ": refused, " + refused.reason()
            + "; the grant expires at " + Timeline.at(grant.expiresAt()));
      }
    }
  }

  private void audited(AuditEvent e) {
    if (e.type() == AuditEventType.RECERTIFICATION_DUE || e.type() == AuditEventType.RECERTIFIED
        || e.type() == AuditEventType.RECERTIFICATION_LAPSED) {
      stewardship.add(e);
    }
    if (e.type() == AuditEventType.RECERTIFICATION_LAPSED || e.type() == AuditEventType.EXPIRED) {
      timeline.line("audit", e.type() + " " + e.task() + (e.reason() == null ? ""
          : " (" + e.reason() + ")"));
    }
  }

  private void notified(Notification n) {
    if (n.kind() == Notification.Kind.RECERTIFICATION_DUE
        || n.kind() == Notification.Kind.RECERTIFICATION_LAPSED) {
      notices.add(n);
      String task = gov.find(n.requestId()).map(AccessRequest::task).orElse("?");
      timeline.line("notify", n.kind() + " to " + n.recipients() + " for " + task
          + (n.dueAt() == null ? "" : ", due " + Timeline.at(n.dueAt())));
    }
  }

  private static String item(Grant grant) {
    return "request:" + grant.requestId();
  }
}
