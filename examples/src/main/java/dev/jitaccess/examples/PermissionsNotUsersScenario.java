package dev.jitaccess.examples;

import dev.jitaccess.Decision;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantDeniedException;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.Scope;
import dev.jitaccess.Ttl;
import dev.jitaccess.core.AnomalyDetectors;
import dev.jitaccess.core.AnomalyReport;
import dev.jitaccess.core.DecisionCache;
import dev.jitaccess.core.InMemoryGrantStore;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.core.TaskGrant;
import dev.jitaccess.testkit.time.FakeClock;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * "JIT permissions, not users": one ten-minute deploy done twice, once with a temporary role
 * (a standing role given to the deploy bot: a membership on an eight-hour timer, a bearer token
 * good for an hour, an application cache that keeps an allow for fifteen minutes; see {@link
 * TemporaryRoles}) and once with a task-scoped permission (a grant for the deploy task, revoked
 * when the task ends). Right after the task, side by side: what each leaves behind, who still has
 * what and for how long, and what a replay of the job's leaked credential gets. Time is a {@link
 * FakeClock}, so both run on the same minutes.
 */
public final class PermissionsNotUsersScenario {
  static final Instant START = Instant.parse("2026-12-10T10:00:00Z");
  static final Instant TASK_END = START.plus(Duration.ofMinutes(10));
  static final String BOT = "deploy-bot";
  static final String ROLE = "payments-deployer";
  static final String TASK = "deploy-payments-2026-12-10";
  private static final Scope DEPLOY = Scope.parse("write:deployments/payments",
      "read:config/payments/**");

  private final FakeClock clock = FakeClock.at(START);
  private final Timeline timeline;

  /**
   * What each way left behind, read from each.
   *
   * @param membershipAfterTask the role membership right after the task
   * @param roleReplayAfterTask whether the leaked token was accepted right after the task
   * @param cacheLeftAfterTask how long the role side's cache still allowed the deploy then
   * @param freshSignInRoles the roles a fresh sign-in of the bot got after the task
   * @param roleReplayAfterRemoval whether the token was accepted after the membership was removed
   * @param roleReplayAtTokenExpiry whether it was accepted at its expiry
   * @param grantAfterTask the task's grant right after the task
   * @param jitReplay the check of the leaked grant id right after the task
   * @param jitCached what the runtime's decision cache held for it then
   * @param liveGrantsAfterTask the bot's ACTIVE grants then
   * @param newRequestRefusal why a new request for the ended task was refused
   * @param anomalies what the anomaly listener was told
   */
  record Outcome(Optional<TemporaryRoles.Membership> membershipAfterTask,
      boolean roleReplayAfterTask, Duration cacheLeftAfterTask, Set<String> freshSignInRoles,
      boolean roleReplayAfterRemoval, boolean roleReplayAtTokenExpiry,
      Grant grantAfterTask, Decision jitReplay, Decision jitCached, long liveGrantsAfterTask,
      String newRequestRefusal, List<AnomalyReport> anomalies) {}

  PermissionsNotUsersScenario(PrintStream out) {
    this.timeline = new Timeline(out, clock);
  }

  /** Runs the scenario on standard output. */
  public static void main(String[] args) {
    new PermissionsNotUsersScenario(System.out).run();
  }

  Outcome run() {
    timeline.title("JIT permissions, not users: one deploy with a temporary role, and with a "
        + "task-scoped permission");
    TemporaryRoles roles = new TemporaryRoles(clock, Map.of(ROLE, DEPLOY), Duration.ofHours(1),
        Duration.ofMinutes(15));
    InMemoryGrantStore store = InMemoryGrantStore.builder().clock(clock).scheduler(clock).build();
    List<AnomalyReport> anomalies = new CopyOnWriteArrayList<>();
    try (JitAccess jit = JitAccess.builder().clock(clock).scheduler(clock).store(store)
        .auditSink(event -> { })
        .anomalyDetector(AnomalyDetectors.checkAfterTaskEnded(Duration.ofSeconds(30)))
        .anomalyListener(report -> {
          anomalies.add(report);
          timeline.line("jit: anomaly", report.detector() + ": " + report.grant().subject()
              + "'s ended grant used again; owner " + report.owner() + " told");
        })
        .listener((grant, reason) -> timeline.line("jit: runtime", "ended " + grant.subject()
            + "'s grant for " + grant.task() + " (" + reason.code() + ")"))
        .build();
        DecisionCache cache = jit.decisionCache(10_000)) {
      TemporaryRoles.Membership m = roles.assign(BOT, ROLE, Duration.ofHours(8));
      TemporaryRoles.RoleToken token = roles.signIn(BOT);
      timeline.line("role: admin", "adds " + BOT + " to " + ROLE + " until "
          + Timeline.at(m.expiresAt()) + " (the deploy takes minutes; nobody knows how many)");
      timeline.line("role: " + BOT, "signs in: a bearer token with " + token.roles()
          + " until " + Timeline.at(token.expiresAt()));
      timeline.line("role: " + BOT, "deploys payments: " + (roles.allows(token, "write",
          "deployments/payments") ? "ALLOW" : "DENY") + " (the app caches it for 15 minutes)");

      Grant grant;
      try (TaskGrant task = jit.open(GrantRequest.builder().subject(BOT).owner("team-payments")
          .task(TASK).purpose("deploy the payments service").scope(DEPLOY)
          .ttl(Ttl.of(Duration.ofMinutes(30))).build())) {
        grant = task.grant();
        timeline.line("jit: " + BOT, "gets a grant for task " + TASK + ": " + DEPLOY
            + ", at most until " + Timeline.at(grant.expiresAt()));
        timeline.line("jit: " + BOT, "deploys payments: " + cache.check(grant.id(), "write",
            "deployments/payments") + " (through the runtime's decision cache)");
        clock.setTo(TASK_END);
        timeline.line("both", "the deploy is done");
      }

      clock.setTo(TASK_END.plus(Duration.ofMinutes(1)));
      timeline.line("attacker", "replays the credential the job printed to its log");
      boolean roleReplay = roles.allows(token, "write", "deployments/payments");
      Decision jitCached = cache.get(grant.id(), "write", "deployments/payments");
      Decision jitReplay = cache.check(grant.id(), "write", "deployments/payments");
      Optional<TemporaryRoles.Membership> left = roles.membership(BOT, ROLE);
      Duration cacheLeft = roles.cachedFor(BOT, "write", "deployments/payments");
      TemporaryRoles.RoleToken fresh = roles.signIn(BOT);
      String refusal;
      try {
        jit.request(GrantRequest.builder().subject(BOT).owner("team-payments").task(TASK)
            .purpose("deploy again").scope(DEPLOY).ttl(Ttl.of(Duration.ofMinutes(30))).build());
        throw new IllegalStateException("a request for an ended task was granted");
      } catch (GrantDeniedException refused) {
        refusal = refused.reason();
      }
      Grant after = jit.grant(grant.id()).orElseThrow();
      long live = store.findBySubject(BOT).stream().filter(g -> g.isUsableAt(clock.instant()))
          .count();
      timeline.line("after the task", "what is left, one minute after the deploy:");
      row("", "temporary role", "task-scoped permission");
      row("membership / grant", left.map(x -> "until " + Timeline.at(x.expiresAt()).substring(11)
          + ", " + Timeline.span(Duration.between(clock.instant(), x.expiresAt())) + " more")
          .orElse("none"), after.state() + " at " + Timeline.at(after.endedAt()).substring(11)
          + " (" + after.endReason() + ")");
      row("replayed credential", (roleReplay ? "ALLOW" : "DENY") + ", until "
          + Timeline.at(token.expiresAt()).substring(11), jitReplay + ", owner told");
      row("cached allow", cacheLeft.isZero() ? "none" : Timeline.span(cacheLeft) + " more",
          jitCached == null ? "none" : String.valueOf(jitCached));
      row("sign in / ask again", "new token with " + fresh.roles(), "refused, " + refusal);
      row("live access now", left.isPresent() ? "role " + ROLE : "none", live + " grants");

      clock.setTo(START.plus(Duration.ofMinutes(30)));
      roles.remove(BOT, ROLE);
      boolean afterRemoval = roles.allows(token, "write", "deployments/payments");
      timeline.line("role: admin", "notices and removes " + BOT + " from " + ROLE
          + "; the replayed token: " + (afterRemoval ? "ALLOW" : "DENY")
          + " (its roles are in the token)");
      clock.setTo(token.expiresAt());
      boolean atExpiry = roles.allows(token, "write", "deployments/payments");
      timeline.line("role: resource", "the token expires; the replay: "
          + (atExpiry ? "ALLOW" : "DENY"));
      timeline.summary("The role outlived the task by its timer, its token and its cache; the "
          + "permission ended with the task and left nothing.");
      return new Outcome(left, roleReplay, cacheLeft, fresh.roles(), afterRemoval, atExpiry,
          after, jitReplay, jitCached, live, refusal, List.copyOf(anomalies));
    }
  }

  private void row(String what, String role, String permission) {
    timeline.row(String.format("%-20s | %-36s | %s", what, role, permission));
  }
}
