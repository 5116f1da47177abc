package dev.jitaccess.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jitaccess.governance.EligibilityRules;
import dev.jitaccess.governance.Governance;
import dev.jitaccess.testkit.time.FakeClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The console the starter mounts, over real HTTP on localhost, at a custom path and role, behind
 * the application's own security (HTTP Basic, in-memory users).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    classes = JitConsoleHttpTest.App.class,
    properties = {"jit.console.path=/ops/approvals", "jit.console.role=APPROVER",
        "jit.web.enabled=false"})
class JitConsoleHttpTest {
  private static final String PASSWORD = "correct horse battery staple";
  private final HttpClient http = HttpClient.newHttpClient();

  @LocalServerPort
  int port;

  @Autowired
  Governance governance;

  @Test
  void answersAtTheConfiguredPathForASignedInPersonWithTheRole() throws Exception {
    Fixtures.activate(governance, "console-http-1");
    HttpResponse<String> page = get("/ops/approvals/requests", "bob");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("text/html"));
    assertThat(page.body()).contains("/ops/approvals/exposure");

    HttpResponse<String> exposure = get("/ops/approvals/exposure", "bob");
    assertThat(exposure.statusCode()).isEqualTo(200);
    assertThat(exposure.body()).contains("console-http-1");
  }

  @Test
  void answers401WithoutCredentialsOrWithAWrongPassword() throws Exception {
    assertThat(get("/ops/approvals/requests", null).statusCode()).isEqualTo(401);
    HttpRequest wrong = HttpRequest.newBuilder(uri("/ops/approvals/requests"))
        .header("Authorization", basic("bob", "not the password")).GET().build();
    assertThat(http.send(wrong, HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(401);
  }

  @Test
  void answers403ToASignedInPersonWithoutTheRoleAndShowsNothingOfTheConsole() throws Exception {
    HttpResponse<String> page = get("/ops/approvals/requests", "otto");
    assertThat(page.statusCode()).isEqualTo(403);
    assertThat(page.body()).doesNotContain("console-http").doesNotContain("approve");
  }

  @Test
  void isNotMountedAtTheDefaultPathWhenAnotherIsConfigured() throws Exception {
    assertThat(get("/jit-console/requests", "bob").statusCode()).isEqualTo(404);
  }

  private HttpResponse<String> get(String path, String user)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
    if (user != null) {
      request.header("Authorization", basic(user, PASSWORD));
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://localhost:" + port + path);
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString(
        (user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * An application with the starter, governance in memory on a fake clock, and its own security:
   * the console's path needs a signed-in person (HTTP Basic); bob approves, otto does not.
   */
  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @EnableWebSecurity
  static class App {
    @Bean
    FakeClock clock() {
      return new FakeClock();
    }

    @Bean
    EligibilityRules rules() {
      return Fixtures.rules();
    }

    @Bean
    SecurityFilterChain security(HttpSecurity http) throws Exception {
      http.authorizeHttpRequests(a -> a.requestMatchers("/ops/approvals/**").authenticated()
              .anyRequest().permitAll())
          .httpBasic(Customizer.withDefaults());
      return http.build();
    }

    @Bean
    UserDetailsService users() {
      return new InMemoryUserDetailsManager(
          User.withUsername("bob").password("{noop}" + PASSWORD).roles("APPROVER").build(),
          User.withUsername("otto").password("{noop}" + PASSWORD).roles("AUDITOR").build());
    }
  }
}
