package dev.jitaccess.examples.spring;

import dev.jitaccess.Grant;
import dev.jitaccess.governance.AccessRequest;
import dev.jitaccess.governance.Governance;
import dev.jitaccess.governance.RequestSpec;
import dev.jitaccess.governance.RiskTiers;
import dev.jitaccess.jwt.JwtIssuer;
import java.time.Duration;
import java.time.Instant;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Asks for access as rita would, through the governance: a LOW-tier grant to read orders and
 * reports (no approval, activated at once, with an access token for the API), and a HIGH-tier
 * request to write orders, left pending for two approvers in the console. Thread-safe.
 */
@Component
class DemoGrants {
  /** A grant minted for the demo: its reference, its token, when the token expires. */
  record Minted(String reference, String token, Instant grantExpiresAt) {}

  static final String REQUESTER = "rita";
  static final String OWNER = "shop-team";

  private final Governance governance;
  private final JwtIssuer issuer;
  private final String audience;

  DemoGrants(Governance governance, JwtIssuer issuer,
      @Value("${jit.web.jwt.audience}") String audience) {
    this.governance = governance;
    this.issuer = issuer;
    this.audience = audience;
  }

  /** Requests and activates rita's grant to read orders and reports, and mints its token. */
  Minted readOrders() {
    AccessRequest asked = governance.request(RequestSpec.builder().requester(REQUESTER)
        .owner(OWNER).task("answer-customer-emails").purpose("look up orders customers ask about")
        .scope("read:orders/**", "read:reports/**").lifetime(Duration.ofMinutes(30))
        .tier(RiskTiers.LOW).justification("support shift, queue SUP-7").build());
    Grant grant = governance.activate(asked.id(), REQUESTER);
    return new Minted(grant.reference(), issuer.issue(grant.id(), audience), grant.expiresAt());
  }

  /** Files rita's request to change orders' status, which waits for two approvers. */
  AccessRequest askToWriteOrders() {
    return governance.request(RequestSpec.builder().requester(REQUESTER).owner(OWNER)
        .task("fix-stuck-order-3").purpose("set order 3 to SHIPPED after the courier's scan")
        .scope("write:orders/3").lifetime(Duration.ofMinutes(15)).tier(RiskTiers.HIGH)
        .justification("courier scan missing, ticket SUP-12").build());
  }
}
