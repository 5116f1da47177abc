package dev.jitaccess.governance;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.Grant;
import dev.jitaccess.core.InMemoryGrantStore;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.governance.spi.Notification;
import dev.jitaccess.spi.GrantStore;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * A governance on a fake clock that is given its grant store through {@link
 * GovernanceBuilder#grants}, so that expiry warnings and exposure reports can read it; with a
 * recording audit sink and notifier (which fails while {@link #pagerDown} is set).
 *
 * <p>People: {@code vendor-bob} (group vendors) asks, for himself or for {@code svc-a} and {@code
 * svc-b}; {@code dba-ann}, {@code dba-dan} and {@code sec-sue} (group dba) approve; {@code
 * oncall-olga} (group oncall) takes break-glass.
 */
final class Overseen {
  final FakeClock clock;
  final GrantStore grants;
  final InMemoryGovernanceStore store;
  final List<AuditEvent> audit;
  final List<Notification> notified;
  volatile boolean pagerDown;
  final Governance gov;

  Overseen(Consumer<GovernanceBuilder> configure) {
    this.clock = new FakeClock();
    this.grants = InMemoryGrantStore.builder().clock(clock).scheduler(clock).build();
    this.store = new InMemoryGovernanceStore();
    this.audit = Collections.synchronizedList(new ArrayList<>());
    this.notified = Collections.synchronizedList(new ArrayList<>());
    this.gov = build(configure);
  }

  /** Another replica: the same clock, stores, audit trail and notifications, its own process. */
  private Overseen(Overseen first, GrantStore grants, Consumer<GovernanceBuilder> configure) {
    this.clock = first.clock;
    this.grants = grants;
    this.store = first.store;
    this.audit = first.audit;
    this.notified = first.notified;
    this.gov = build(configure);
  }

  /** A second replica sharing everything but the process. */
  Overseen replica(Consumer<GovernanceBuilder> configure) {
    return new Overseen(this, grants, configure);
  }

  /** A replica whose grant store is {@code grants} (for example this one's, wrapped). */
  Overseen replica(GrantStore grants, Consumer<GovernanceBuilder> configure) {
    return new Overseen(this, grants, configure);
  }

  private Governance build(Consumer<GovernanceBuilder> configure) {
    GovernanceBuilder b = Governance.builder().runtime(JitAccess.builder()).grants(grants)
        .clock(clock).scheduler(clock).auditSink(audit::add).store(store)
        .directory(InMemoryDirectory.builder().member("vendor-bob", "vendors")
            .member("dba-ann", "dba").member("dba-dan", "dba").member("sec-sue", "dba")
            .member("oncall-olga", "oncall").build())
        .rules(EligibilityRules.of(
            EligibilityRule.builder("ops").requesters("group:vendors").subjects("svc-a", "svc-b")
                .scope("read:db/**", "write:db/**")
                .tiers(RiskTiers.LOW, RiskTiers.MEDIUM, RiskTiers.HIGH).approvers("group:dba")
                .build(),
            EligibilityRule.builder("oncall-prod").requesters("group:oncall")
                .scope("admin:prod/**").tiers(RiskTiers.HIGH, RiskTiers.CRITICAL)
                .approvers("group:dba").build()))
        .notifier(n -> {
          if (pagerDown) {
            throw new IllegalStateException("pager down");
          }
          notified.add(n);
        });
    configure.accept(b);
    return b.build();
  }

  /** What vendor-bob asks for: read the orders table for a task, for the owner "platform". */
  static RequestSpec.Builder asks(String tier, String task, Duration lifetime) {
    return RequestSpec.builder().requester("vendor-bob").owner("platform").task(task)
        .purpose("read the orders table").scope("read:db/orders").lifetime(lifetime).tier(tier)
        .justification("investigating order sync failure for " + task);
  }

  /** A grant for {@code spec}, approved by as many as its tier needs and activated now. */
  Grant mint(RequestSpec spec) {
    AccessRequest r = gov.request(spec);
    String[] approvers = {"dba-ann", "dba-dan"};
    for (int i = 0; r.state() == RequestState.PENDING; i++) {
      r = gov.approve(r.id(), approvers[i]);
    }
    return gov.activate(r.id(), spec.requester());
  }

  /** A LOW-tier grant (no approval needed) for vendor-bob's {@code task}. */
  Grant low(String task, Duration lifetime) {
    return mint(asks(RiskTiers.LOW, task, lifetime).build());
  }

  /** The EXPIRING_SOON notifications, in order. */
  List<Notification> warnedOwners() {
    List<Notification> found = new ArrayList<>();
    for (Notification n : List.copyOf(notified)) {
      if (n.kind() == Notification.Kind.EXPIRING_SOON) {
        found.add(n);
      }
    }
    return found;
  }

  /** The audit events of {@code type}, in order. */
  List<AuditEvent> events(AuditEventType type) {
    List<AuditEvent> found = new ArrayList<>();
    for (AuditEvent e : List.copyOf(audit)) {
      if (e.type() == type) {
        found.add(e);
      }
    }
    return found;
  }
}
