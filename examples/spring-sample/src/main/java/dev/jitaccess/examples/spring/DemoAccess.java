package dev.jitaccess.examples.spring;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.governance.spi.Directory;
import dev.jitaccess.governance.EligibilityRule;
import dev.jitaccess.governance.EligibilityRules;
import dev.jitaccess.governance.InMemoryDirectory;
import dev.jitaccess.governance.RiskTiers;
import dev.jitaccess.jwt.JwtIssuer;
import dev.jitaccess.jwt.JwtKeyRing;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Who may ask for what, and the keys tokens are signed with. The starter picks the {@link
 * Directory} and {@link EligibilityRules} up for its governance, and verifies tokens with the
 * {@link JwtKeyRing} bean ({@code jit.web.jwt.*} name the issuer and audience).
 *
 * <p>Rita may read orders and reports in the LOW tier (no approval) and write orders in the HIGH
 * tier, which two approvers of different teams (alice, bob) must approve.
 */
@Configuration(proxyBeanMethods = false)
class DemoAccess {
  @Bean
  Directory directory() {
    return InMemoryDirectory.builder()
        .member("rita", "staff", "requesters")
        .member("alice", "staff", "approvers").team("alice", "blue")
        .member("bob", "staff", "approvers").team("bob", "green")
        .build();
  }

  @Bean
  EligibilityRules eligibility() {
    return EligibilityRules.of(
        EligibilityRule.builder("read-orders-and-reports").requesters("group:requesters")
            .scope("read:orders/**", "read:reports/**").tiers(RiskTiers.LOW)
            .approvers("group:approvers").build(),
        EligibilityRule.builder("write-orders").requesters("group:requesters")
            .scope("write:orders/**").tiers(RiskTiers.HIGH).approvers("group:approvers")
            .distinctTeams(true)
            .build());
  }

  /** A fresh P-256 key for each start: tokens of an earlier run no longer verify. */
  @Bean
  JwtKeyRing jwtKeyRing(Clock clock) throws JOSEException {
    return JwtKeyRing.builder().clock(clock)
        .signingKey(new ECKeyGenerator(Curve.P_256).keyID("sample-1").generate()).build();
  }

  /** Mints access tokens for the API, with the issuer the verifier expects. */
  @Bean
  JwtIssuer jwtIssuer(JitAccess jit, JwtKeyRing ring, Clock clock,
      @Value("${jit.web.jwt.issuer}") String issuer) {
    return JwtIssuer.builder().jit(jit).keyRing(ring).issuer(issuer).clock(clock)
        .tokenLifetime(Duration.ofMinutes(30)).build();
  }
}
