package dev.jitaccess.console;

import dev.jitaccess.governance.Governance;
import dev.jitaccess.teardown.Teardown;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Mounts the console in a Spring MVC application: import it ({@code @Import}) where a {@link
 * Governance} bean exists; a {@link Teardown} bean, if any, adds the lingering-teardowns page.
 *
 * <p>Properties: {@code jit.console.path} (default {@code /jit-console}), {@code jit.console.role}
 * (the role a person needs, as {@code HttpServletRequest.isUserInRole} sees it, default {@code
 * JIT_CONSOLE}; {@code *} admits anyone signed in) and {@code jit.console.page-size} (default
 * 200). The application's security must authenticate requests to the path: without a principal
 * the console answers 401, without the role 403, and shows nothing. Every POST carries the
 * console's own CSRF token (and Spring Security's, when present).
 *
 * <p>The console renders with a Thymeleaf engine of its own and registers no view resolver,
 * message converter or advice, so the application's own web configuration is left as it is.
 */
@Configuration(proxyBeanMethods = false)
public class ConsoleConfiguration {
  /** Created by Spring when imported. */
  public ConsoleConfiguration() {}

  @Bean
  ConsoleSettings jitConsoleSettings(Environment environment) {
    return ConsoleSettings.from(environment);
  }

  @Bean
  ConsoleGate jitConsoleGate(ConsoleSettings settings) {
    return new ConsoleGate(settings, new CsrfGuard(), new ConsolePages());
  }

  @Bean
  RequestsController jitConsoleRequests(Governance governance, ConsoleGate gate,
      ConsoleSettings settings) {
    return new RequestsController(governance, gate, settings);
  }

  @Bean
  ReviewsController jitConsoleReviews(Governance governance, ConsoleGate gate,
      ConsoleSettings settings) {
    return new ReviewsController(governance, gate, settings);
  }

  @Bean
  ExposureController jitConsoleExposure(Governance governance, ConsoleGate gate,
      ConsoleSettings settings) {
    return new ExposureController(governance, gate, settings);
  }

  @Bean
  RevocationController jitConsoleRevocation(Governance governance, ConsoleGate gate) {
    return new RevocationController(governance, gate);
  }

  @Bean
  TeardownsController jitConsoleTeardowns(ObjectProvider<Teardown> teardown, ConsoleGate gate,
      ConsoleSettings settings) {
    return new TeardownsController(teardown, gate, settings);
  }

  @Bean
  StylesheetController jitConsoleStylesheet() {
    return new StylesheetController();
  }
}
