package dev.jitaccess.console.it;

import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.core.InMemoryGrantStore;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.console.ConsoleConfiguration;
import dev.jitaccess.governance.EligibilityRule;
import dev.jitaccess.governance.EligibilityRules;
import dev.jitaccess.governance.Governance;
import dev.jitaccess.governance.InMemoryDirectory;
import dev.jitaccess.governance.InMemoryGovernanceStore;
import dev.jitaccess.governance.RiskTiers;
import dev.jitaccess.teardown.Teardown;
import dev.jitaccess.teardown.TeardownResult;
import dev.jitaccess.teardown.spi.Downstream;
import dev.jitaccess.testkit.time.FakeClock;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * A Spring Boot application that mounts the console the way an application would: form login
 * with in-memory users, the console path open only to signed-in people, and a governance and a
 * teardown in memory on a fake clock.
 *
 * <p>People: {@code rita} asks for access; {@code alice} (team blue) and {@code bob} (team green)
 * approve; all three have the console's role {@code JIT_CONSOLE}. {@code otto} is signed in
 * without it. The path {@code /unguarded/**} is left open by this application's security on
 * purpose, and without Spring Security's CSRF check, to show that the console mounted there still
 * refuses a request without a principal and a POST without its own token.
 */
@SpringBootApplication
@Import(ConsoleConfiguration.class)
public class ConsoleTestApplication {
  static final String PASSWORD = "correct horse battery staple";
  /** The downstream every grant reaches here; it never answers, so its teardowns linger. */
  static final String DOWNSTREAM = "legacy-db";

  @Bean
  SecurityFilterChain security(HttpSecurity http) throws Exception {
    http.authorizeHttpRequests(a -> a.requestMatchers("/unguarded/**").permitAll()
            .anyRequest().authenticated())
        .csrf(c -> c.ignoringRequestMatchers("/unguarded/**"))
        .formLogin(Customizer.withDefaults())
        .httpBasic(Customizer.withDefaults());
    return http.build();
  }

  @Bean
  UserDetailsService users() {
    return new InMemoryUserDetailsManager(
        user("rita", "JIT_CONSOLE"), user("alice", "JIT_CONSOLE"), user("bob", "JIT_CONSOLE"),
        user("otto", "AUDITOR"));
  }

  private static org.springframework.security.core.userdetails.UserDetails user(String name,
      String role) {
    return User.withUsername(name).password("{noop}" + PASSWORD).roles(role).build();
  }

  @Bean
  FakeClock clock() {
    return new FakeClock();
  }

  @Bean
  InMemoryGrantStore grantStore(FakeClock clock) {
    return InMemoryGrantStore.builder().clock(clock).scheduler(clock).build();
  }

  @Bean
  Teardown teardown(FakeClock clock, InMemoryGrantStore grants) {
    return Teardown.builder().clock(clock).scheduler(clock).grants(grants)
        .downstream(new Unreachable()).build();
  }

  @Bean
  Governance governance(FakeClock clock, InMemoryGrantStore grants, Teardown teardown) {
    InMemoryDirectory directory = InMemoryDirectory.builder()
        .member("rita", "staff", "requesters").member("alice", "staff").team("alice", "blue")
        .member("bob", "staff").team("bob", "green").build();
    EligibilityRules rules = EligibilityRules.of(EligibilityRule.builder("orders")
        .requesters("group:requesters").scope("read:orders/**", "write:orders/**")
        .tiers(RiskTiers.MEDIUM, RiskTiers.HIGH).approvers("group:staff").build());
    return Governance.builder().runtime(JitAccess.builder().listener(teardown.listener()))
        .grants(grants).clock(clock).scheduler(clock).store(new InMemoryGovernanceStore())
        .directory(directory).rules(rules).build();
  }

  /** A downstream that cannot be reached: every revocation is to be retried. */
  static final class Unreachable implements Downstream {
    @Override
    public String name() {
      return DOWNSTREAM;
    }

    @Override
    public TeardownResult revoke(Grant grant, RevocationReason reason) {
      return TeardownResult.retry("connection refused");
    }
  }
}
