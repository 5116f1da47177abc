package dev.jitaccess.spring.boot;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.Ttl;
import dev.jitaccess.governance.AccessRequest;
import dev.jitaccess.governance.EligibilityRule;
import dev.jitaccess.governance.EligibilityRules;
import dev.jitaccess.governance.Governance;
import dev.jitaccess.governance.RequestSpec;
import dev.jitaccess.governance.RiskTiers;
import java.time.Duration;

/** Requests and rules the tests share. */
final class Fixtures {
  private Fixtures() {}

  /** A plain runtime request for {@code task}. */
  static GrantRequest request(String task, Duration lifetime) {
    return GrantRequest.builder().subject("alice").owner("team-a").task(task)
        .purpose("fix the export").scope("read:orders/1").ttl(Ttl.of(lifetime)).build();
  }

  /** Alice may ask for read:orders/* in LOW, which needs no approval. */
  static EligibilityRules rules() {
    return EligibilityRules.of(EligibilityRule.builder("alice-orders").requesters("alice")
        .scope("read:orders/*").tiers(RiskTiers.LOW).approvers("bob").build());
  }

  /** A LOW grant for alice on {@code task}, requested and activated through governance. */
  static Grant activate(Governance governance, String task) {
    AccessRequest asked = governance.request(RequestSpec.builder().requester("alice")
        .owner("team-a").task(task).purpose("fix the export").scope("read:orders/1")
        .lifetime(Duration.ofMinutes(30)).tier(RiskTiers.LOW)
        .justification("the export of order 1 failed, INC-1").build());
    return governance.activate(asked.id(), "alice");
  }
}
