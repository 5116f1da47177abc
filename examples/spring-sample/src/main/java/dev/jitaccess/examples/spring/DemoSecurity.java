package dev.jitaccess.examples.spring;

import java.security.SecureRandom;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;

/**
 * The application's own security, which the console and the Actuator endpoint sit behind:
 *
 * <ul>
 *   <li>{@code /api/**}: open to Spring Security; the grant in the request's access token decides
 *       (jit-web's interceptor and filter). No session, no cookies, so no CSRF check.
 *   <li>{@code /actuator/**}: health for anyone; the {@code jitaccess} endpoint for operators, by
 *       HTTP Basic, without a session (a browser's console session is never read there).
 *   <li>everything else, the console included: form login; the console's path needs the role
 *       {@value DemoUsers#CONSOLE_ROLE}, which the console checks again itself. The error page
 *       is open, so that another chain's 401 or 403 reaches the client as it is.
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class DemoSecurity {
  @Bean
  DemoUsers demoUsers() {
    return new DemoUsers(new SecureRandom());
  }

  @Bean
  UserDetailsService users(DemoUsers demo) {
    InMemoryUserDetailsManager users = new InMemoryUserDetailsManager();
    for (DemoUsers.Person p : DemoUsers.PEOPLE) {
      UserDetails user = User.withUsername(p.name()).password("{noop}" + demo.password(p.name()))
          .roles(p.roles().toArray(String[]::new)).build();
      users.createUser(user);
    }
    return users;
  }

  @Bean
  @Order(1)
  SecurityFilterChain api(HttpSecurity http) throws Exception {
    http.securityMatcher("/api/**").authorizeHttpRequests(a -> a.anyRequest().permitAll());
    stateless(http);
    return http.build();
  }

  @Bean
  @Order(2)
  SecurityFilterChain actuator(HttpSecurity http) throws Exception {
    http.securityMatcher("/actuator/**")
        .authorizeHttpRequests(a -> a.requestMatchers("/actuator/health", "/actuator/health/**")
            .permitAll().anyRequest().hasRole(DemoUsers.OPERATOR_ROLE))
        .httpBasic(Customizer.withDefaults());
    stateless(http);
    return http.build();
  }

  /**
   * No session, no saved request, no CSRF token: each request authenticates on its own (the API
   * with its grant token, the Actuator with HTTP Basic).
   */
  private static void stateless(HttpSecurity http) throws Exception {
    http.csrf(c -> c.disable())
        .requestCache(c -> c.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .securityContext(c -> c.securityContextRepository(
            new RequestAttributeSecurityContextRepository()));
  }

  @Bean
  @Order(3)
  SecurityFilterChain pages(HttpSecurity http) throws Exception {
    http.authorizeHttpRequests(a -> a
            .requestMatchers("/jit-console", "/jit-console/**").hasRole(DemoUsers.CONSOLE_ROLE)
            // Error pages: a 401 or 403 of another chain stays one, not a redirect to login.
            .requestMatchers("/error").permitAll()
            .anyRequest().authenticated())
        .formLogin(Customizer.withDefaults());
    return http.build();
  }
}
