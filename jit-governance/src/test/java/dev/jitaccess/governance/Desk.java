package dev.jitaccess.governance;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.core.InMemoryGrantStore;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.governance.spi.GovernanceStore;
import dev.jitaccess.governance.spi.Notification;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * A governance on a fake clock, with a directory of people and teams, one rule per use, a
 * recording audit sink and notifier.
 *
 * <p>People: {@code vendor-bob} (group vendors) asks; {@code dba-ann} and {@code dba-dan} (group
 * dba, team db) and {@code sec-sue} (group dba, team security) approve; {@code oncall-olga}
 * (group oncall) takes break-glass; {@code lead-lee} is in group {@code platform}, the owner.
 */
final class Desk {
  final FakeClock clock = new FakeClock();
  final InMemoryGrantStore grants =
      InMemoryGrantStore.builder().clock(clock).scheduler(clock).build();
  final List<AuditEvent> audit = Collections.synchronizedList(new ArrayList<>());
  final List<Notification> notified = Collections.synchronizedList(new ArrayList<>());
  final InMemoryDirectory directory = InMemoryDirectory.builder()
      .member("vendor-bob", "vendors").member("dba-ann", "dba").team("dba-ann", "db")
      .member("dba-dan", "dba").team("dba-dan", "db").member("sec-sue", "dba")
      .team("sec-sue", "security").member("oncall-olga", "oncall").member("lead-lee", "platform")
      .build();
  final EligibilityRules rules = EligibilityRules.of(
      EligibilityRule.builder("vendor-db").requesters("group:vendors").scope("read:db/**")
          .tiers(RiskTiers.LOW, RiskTiers.MEDIUM, RiskTiers.HIGH).approvers("group:dba")
          .distinctTeams(true).build(),
      EligibilityRule.builder("oncall-prod").requesters("group:oncall").scope("admin:prod/**", "read:prod/**")
          .tiers(RiskTiers.HIGH, RiskTiers.CRITICAL, RiskTiers.MEDIUM)
          .approvers("group:dba").build(),
      EligibilityRule.builder("jobs").requesters("ci-runner").subjects("nightly-job")
          .scope("write:warehouse/**").tiers(RiskTiers.LONG_RUNNING).approvers("group:dba")
          .build());
  final GovernanceStore store;
  final Governance gov;

  Desk() {
    this(new InMemoryGovernanceStore(), b -> {});
  }

  Desk(GovernanceStore store, Consumer<GovernanceBuilder> configure) {
    this.store = store;
    GovernanceBuilder b = Governance.builder()
        .runtime(JitAccess.builder()).grants(grants).clock(clock).scheduler(clock)
        .auditSink(audit::add).store(store).directory(directory).rules(rules)
        .notifier(notified::add);
    configure.accept(b);
    this.gov = b.build();
  }

  static RequestSpec.Builder vendorAsks(String tier) {
    return RequestSpec.builder().requester("vendor-bob").owner("platform").task("INC-1")
        .purpose("read the orders table").scope("read:db/orders")
        .lifetime(Duration.ofMinutes(30)).tier(tier)
        .justification("investigating order sync failure for ticket INC-1");
  }

  static RequestSpec.Builder oncallBreaksGlass(String tier) {
    return RequestSpec.builder().requester("oncall-olga").owner("platform").task("SEV1-7")
        .purpose("restart the payment service").scope("admin:prod/payments")
        .lifetime(Duration.ofMinutes(20)).tier(tier)
        .justification("payments down at 3 a.m., nobody reachable to approve");
  }

  List<AuditEventType> eventsOf(String requestId) {
    List<AuditEventType> types = new ArrayList<>();
    for (AuditEvent e : List.copyOf(audit)) {
      if (requestId.equals(e.requestId())) {
        types.add(e.type());
      }
    }
    return types;
  }
}
