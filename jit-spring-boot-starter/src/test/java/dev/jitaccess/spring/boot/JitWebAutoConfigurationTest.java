package dev.jitaccess.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jitaccess.core.JitAccess;
import dev.jitaccess.governance.Governance;
import dev.jitaccess.jwt.JwtKeyRing;
import dev.jitaccess.jwt.JwtVerifier;
import dev.jitaccess.teardown.Teardown;
import dev.jitaccess.testkit.time.FakeClock;
import dev.jitaccess.web.GrantEnforcer;
import dev.jitaccess.web.GrantFilter;
import dev.jitaccess.web.RouteMap;
import dev.jitaccess.web.spring.GrantInterceptor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Which web beans exist, which back off, and how a bad {@code jit.web.*} value fails the start. */
class JitWebAutoConfigurationTest {
  private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(
      JitPostgresAutoConfiguration.class, JitCelPolicyAutoConfiguration.class,
      JitTeardownAutoConfiguration.class, JitGovernanceAutoConfiguration.class,
      JitAccessAutoConfiguration.class, JitWebAutoConfiguration.class,
      JitWebFilterAutoConfiguration.class);
  private static final FakeClock CLOCK = new FakeClock();
  private static final JwtKeyRing RING = JwtKeyRing.builder().clock(CLOCK)
      .signingKey(WebEnforcementHttpTest.ecKey("k1")).build();

  @TempDir
  Path dir;
  private WebApplicationContextRunner runner;

  @BeforeEach
  void runner() throws Exception {
    Path jwks = dir.resolve("jwks.json");
    Files.writeString(jwks, RING.jwksJson(), StandardCharsets.UTF_8);
    runner = new WebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
        .withClassLoader(new FilteredClassLoader(Governance.class, Teardown.class))
        .withBean(FakeClock.class, () -> CLOCK)
        .withPropertyValues("jit.web.jwt.issuer=https://jit.example.test",
            "jit.web.jwt.audience=orders-api", "jit.web.jwt.jwks-location=" + jwks.toUri());
  }

  @Test
  void withoutRoutesTheInterceptorIsRegisteredAndNoFilter() {
    runner.run(context -> {
      assertThat(context).hasSingleBean(JwtVerifier.class).hasSingleBean(GrantEnforcer.class)
          .hasSingleBean(GrantInterceptor.class).doesNotHaveBean(RouteMap.class)
          .doesNotHaveBean(FilterRegistrationBean.class);
      assertThat(context.getBeansOfType(WebMvcConfigurer.class)).containsKey(
          "jitGrantInterceptorConfigurer");
    });
  }

  @Test
  void routesFromPropertiesRegisterTheFilterOnEveryPathInItsOrder() {
    runner.withPropertyValues("jit.web.routes[0].method=GET",
        "jit.web.routes[0].pattern=/orders/**", "jit.web.routes[0].action=read",
        "jit.web.routes[0].resource=orders/**", "jit.web.filter-order=5").run(context -> {
          assertThat(context).hasSingleBean(RouteMap.class);
          FilterRegistrationBean<?> filter = context.getBean(FilterRegistrationBean.class);
          assertThat(filter.getFilter()).isInstanceOf(GrantFilter.class);
          assertThat(filter.getUrlPatterns()).containsExactly("/*");
          assertThat(filter.getOrder()).isEqualTo(5);
        });
  }

  @Test
  void aGuardAloneRegistersTheFilter() {
    runner.withPropertyValues("jit.web.guard[0]=/admin").run(context ->
        assertThat(context).hasSingleBean(RouteMap.class)
            .hasSingleBean(FilterRegistrationBean.class));
  }

  @Test
  void theApplicationsKeyRingIsTrustedWhenNoJwksIsConfigured() {
    new WebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
        .withClassLoader(new FilteredClassLoader(Governance.class, Teardown.class))
        .withBean(FakeClock.class, () -> CLOCK).withBean(JwtKeyRing.class, () -> RING)
        .withPropertyValues("jit.web.jwt.issuer=https://jit.example.test",
            "jit.web.jwt.audience=orders-api")
        .run(context -> assertThat(context).hasNotFailed().hasSingleBean(JwtVerifier.class));
  }

  @Test
  void theApplicationsOwnBeansWin() {
    JwtVerifier verifier = JwtVerifier.builder().keyRing(RING).issuer("https://other.test")
        .audience("other").stateless().build();
    RouteMap routes = RouteMap.builder().guard("/api").build();
    new WebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
        .withClassLoader(new FilteredClassLoader(Governance.class, Teardown.class))
        .withBean(JwtVerifier.class, () -> verifier).withBean(RouteMap.class, () -> routes)
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(JwtVerifier.class)).isSameAs(verifier);
          assertThat(context.getBean(RouteMap.class)).isSameAs(routes);
          assertThat(context).hasSingleBean(FilterRegistrationBean.class);
        });
    GrantEnforcer enforcer = GrantEnforcer.builder().tokens(verifier).build();
    GrantFilter filter = new GrantFilter(enforcer);
    runner.withBean(GrantEnforcer.class, () -> enforcer).withBean(GrantFilter.class, () -> filter)
        .withPropertyValues("jit.web.guard[0]=/admin").run(context -> {
          assertThat(context.getBean(GrantEnforcer.class)).isSameAs(enforcer);
          assertThat(context).doesNotHaveBean(FilterRegistrationBean.class);
        });
  }

  @Test
  void theApplicationsOwnInterceptorIsTheOneRegisteredForAnnotatedHandlers() {
    JwtVerifier verifier = JwtVerifier.builder().keyRing(RING).issuer("https://other.test")
        .audience("other").stateless().build();
    GrantInterceptor own = new GrantInterceptor(GrantEnforcer.builder().tokens(verifier).build());
    runner.withBean(GrantInterceptor.class, () -> own).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(GrantInterceptor.class)).isSameAs(own);
      WebMvcConfigurer configurer =
          context.getBean("jitGrantInterceptorConfigurer", WebMvcConfigurer.class);
      List<Object> registered = new ArrayList<>();
      configurer.addInterceptors(new InterceptorRegistry() {
        @Override
        public InterceptorRegistration addInterceptor(HandlerInterceptor interceptor) {
          registered.add(interceptor);
          return super.addInterceptor(interceptor);
        }
      });
      assertThat(registered).hasSize(1);
      assertThat(registered.get(0)).isInstanceOf(RequiresGrantInterceptor.class);
      assertThat(((RequiresGrantInterceptor) registered.get(0)).delegate()).isSameAs(own);
    });
  }

  @Test
  void nothingIsConfiguredWhenTurnedOffOutsideAServletAppOrWithoutJitWeb() {
    runner.withPropertyValues("jit.web.enabled=false", "jit.web.guard[0]=/admin")
        .run(context -> assertThat(context).hasSingleBean(JitAccess.class)
            .doesNotHaveBean(GrantEnforcer.class).doesNotHaveBean(FilterRegistrationBean.class));
    runner.withClassLoader(new FilteredClassLoader(Governance.class, Teardown.class,
        GrantEnforcer.class)).run(context -> assertThat(context).hasNotFailed()
            .doesNotHaveBean(JwtVerifier.class));
    new ApplicationContextRunner().withConfiguration(CONFIGURATIONS)
        .withClassLoader(new FilteredClassLoader(Governance.class, Teardown.class))
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(GrantEnforcer.class));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "jit.web.jwt.issuer= | jit.web.jwt.issuer must not be blank",
      "jit.web.jwt.audience= | jit.web.jwt.audience must not be blank",
      "jit.web.routes[0].method=GET, jit.web.routes[0].pattern=/orders/**/x, jit.web.routes[0].action=read, jit.web.routes[0].resource=orders | jit.web.routes[0].pattern is invalid: pathPattern segment 2 must be",
      "jit.web.routes[0].method=GET, jit.web.routes[0].pattern=/orders/{id}, jit.web.routes[0].action=read, jit.web.routes[0].resource=orders/{name} | jit.web.routes[0].resource is invalid: resource uses {name}",
      "jit.web.routes[0].method=get, jit.web.routes[0].pattern=/orders, jit.web.routes[0].action=read, jit.web.routes[0].resource=orders | jit.web.routes[0].method is invalid",
      "jit.web.routes[0].method=GET, jit.web.routes[0].pattern=/orders | jit.web.routes[0].action must be set",
      "jit.web.guard[0]=orders | jit.web.guard[0] is invalid: prefix must start with /",
      "jit.web.realm=a\"b | jit.web.realm is invalid",
      "jit.web.grant-header=Authorization | jit.web.grant-header is invalid",
      "jit.web.jwt.algorithms=XX999 | jit.web.jwt.algorithms must name JWS algorithms",
      "jit.web.jwt.proof-algorithms=HS256 | jit.web.jwt.proof-algorithms is invalid",
      "jit.web.jwt.max-clock-skew=1h | jit.web.jwt.max-clock-skew must be in [PT0S, PT5M]",
      "jit.web.jwt.jwks-location=file:/nonexistent/jwks.json | jit.web.jwt.jwks-location names no readable resource",
  })
  void aBadValueFailsTheStartNamingTheProperty(String properties, String message) {
    runner.withPropertyValues(properties.split(",\\s*")).run(context ->
        assertThat(context).getFailure().hasStackTraceContaining(message));
  }

  @Test
  void aMissingIssuerAudienceOrKeySourceFailsTheStartWhenEnforcementIsOn() {
    WebApplicationContextRunner bare = new WebApplicationContextRunner()
        .withConfiguration(CONFIGURATIONS)
        .withClassLoader(new FilteredClassLoader(Governance.class, Teardown.class));
    bare.run(context -> assertThat(context).getFailure()
        .hasStackTraceContaining("jit.web.jwt.issuer must be set when HTTP enforcement is on"));
    bare.withPropertyValues("jit.web.jwt.issuer=https://jit.example.test").run(context ->
        assertThat(context).getFailure().hasStackTraceContaining("jit.web.jwt.audience must be set"));
    bare.withPropertyValues("jit.web.jwt.issuer=https://jit.example.test",
        "jit.web.jwt.audience=orders-api").run(context -> assertThat(context).getFailure()
            .hasStackTraceContaining("jit.web.jwt.jwks-location must be set"));
    runner.withBean(JwtKeyRing.class, () -> RING).run(context -> assertThat(context)
        .getFailure().hasStackTraceContaining("trust one source of keys"));
  }

  @Test
  void aFileThatIsNoJwkSetFailsWithoutQuotingIt() throws Exception {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "secret-material, not JSON", StandardCharsets.UTF_8);
    runner.withPropertyValues("jit.web.jwt.jwks-location=" + bad.toUri()).run(context -> {
      assertThat(context).getFailure()
          .hasStackTraceContaining("jit.web.jwt.jwks-location is not a JWK set");
      assertThat(context).getFailure().hasStackTraceContaining("bad.json");
      assertThat(context.getStartupFailure()).satisfies(f -> {
        for (Throwable t = f; t != null; t = t.getCause()) {
          assertThat(String.valueOf(t.getMessage())).doesNotContain("secret-material");
        }
      });
    });
    Path empty = dir.resolve("empty.json");
    Files.writeString(empty, "{\"keys\": [{\"kty\": \"unknown\"}]}", StandardCharsets.UTF_8);
    runner.withPropertyValues("jit.web.jwt.jwks-location=" + empty.toUri()).run(context ->
        assertThat(context).getFailure()
            .hasStackTraceContaining("jit.web.jwt.jwks-location holds no key"));
  }
}
