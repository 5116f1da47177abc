package dev.jitaccess.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jitaccess.console.ConsoleConfiguration;
import dev.jitaccess.governance.EligibilityRules;
import dev.jitaccess.spring.boot.properties.ConsoleProperties;
import dev.jitaccess.testkit.time.FakeClock;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.servlet.DispatcherServlet;
import tools.jackson.databind.json.JsonMapper;

/** The console is mounted when jit-console, Spring MVC and a governance are present. */
class JitConsoleAutoConfigurationTest {
  private static final AutoConfigurations JIT = AutoConfigurations.of(
      JitTeardownAutoConfiguration.class, JitGovernanceAutoConfiguration.class,
      JitAccessAutoConfiguration.class, JitConsoleAutoConfiguration.class);

  private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
      .withConfiguration(JIT)
      .withBean(FakeClock.class, FakeClock::new)
      .withBean(EligibilityRules.class, Fixtures::rules);

  @Test
  void mountsTheConsoleWithThePropertiesBoundWhenGovernanceAndSpringMvcArePresent() {
    runner.withPropertyValues("jit.console.path=/ops/approvals", "jit.console.role=APPROVER",
        "jit.console.page-size=25").run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context).hasSingleBean(ConsoleConfiguration.class);
          assertThat(context).hasBean("jitConsoleRequests").hasBean("jitConsoleExposure")
              .hasBean("jitConsoleReviews").hasBean("jitConsoleRevocation")
              .hasBean("jitConsoleTeardowns");
          ConsoleProperties properties = context.getBean(ConsoleProperties.class);
          assertThat(properties.getPath()).isEqualTo("/ops/approvals");
          assertThat(properties.getRole()).isEqualTo("APPROVER");
          assertThat(properties.getPageSize()).isEqualTo(25);
        });
  }

  @Test
  void theDefaultsAreThoseTheConsoleUses() {
    runner.run(context -> {
      ConsoleProperties properties = context.getBean(ConsoleProperties.class);
      assertThat(properties.isEnabled()).isTrue();
      assertThat(properties.getPath()).isEqualTo("/jit-console");
      assertThat(properties.getRole()).isEqualTo("JIT_CONSOLE");
      assertThat(properties.getPageSize()).isEqualTo(200);
    });
  }

  @Test
  void isNotMountedWhenDisabled() {
    runner.withPropertyValues("jit.console.enabled=false").run(context -> {
      assertThat(context).hasNotFailed().doesNotHaveBean(ConsoleConfiguration.class)
          .doesNotHaveBean("jitConsoleRequests").doesNotHaveBean(ConsoleProperties.class);
    });
    runner.withPropertyValues("jit.enabled=false").run(context ->
        assertThat(context).hasNotFailed().doesNotHaveBean(ConsoleConfiguration.class));
  }

  @Test
  void isNotMountedWithoutAGovernance() {
    runner.withPropertyValues("jit.governance.enabled=false").run(context -> {
      assertThat(context).hasNotFailed().doesNotHaveBean(ConsoleConfiguration.class)
          .doesNotHaveBean("jitConsoleRequests");
    });
  }

  @Test
  void isNotMountedWithoutJitConsoleOrSpringMvcOnTheClassPath() {
    runner.withClassLoader(new FilteredClassLoader(ConsoleConfiguration.class)).run(context ->
        assertThat(context).hasNotFailed().doesNotHaveBean("jitConsoleRequests")
            .doesNotHaveBean(ConsoleProperties.class));
    runner.withClassLoader(new FilteredClassLoader(DispatcherServlet.class)).run(context ->
        assertThat(context).hasNotFailed().doesNotHaveBean("jitConsoleRequests"));
  }

  @Test
  void isNotMountedInAnApplicationThatIsNotAServletWebApplication() {
    new ApplicationContextRunner().withConfiguration(JIT)
        .withBean(FakeClock.class, FakeClock::new)
        .withBean(EligibilityRules.class, Fixtures::rules)
        .run(context -> assertThat(context).hasNotFailed()
            .doesNotHaveBean("jitConsoleRequests"));
  }

  @Test
  void anApplicationThatImportsTheConsoleItselfGetsItOnce() {
    runner.withUserConfiguration(OwnImport.class).run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(ConsoleConfiguration.class)
          .hasSingleBean(ConsoleProperties.class);
      assertThat(context.getBeanNamesForAnnotation(
          org.springframework.stereotype.Controller.class)).hasSize(6);
    });
  }

  @Test
  void aMalformedPathFailsTheStartNamingTheProperty() {
    runner.withPropertyValues("jit.console.path=/ops/../admin").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("jit.console.path");
    });
  }

  @Test
  void aPageSizeThatIsNotANumberFailsTheStartNamingTheProperty() {
    runner.withPropertyValues("jit.console.page-size=many").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).hasStackTraceContaining("jit.console.page-size");
    });
  }

  @Test
  @SuppressWarnings("unchecked")
  void theMetadataDescribesTheConsoleProperties() throws Exception {
    Map<String, Object> metadata;
    try (InputStream in = getClass().getResourceAsStream(
        "/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("META-INF/spring-configuration-metadata.json").isNotNull();
      metadata = JsonMapper.shared().readValue(in, Map.class);
    }
    Map<String, Map<String, Object>> properties = new HashMap<>();
    for (Map<String, Object> p : (List<Map<String, Object>>) metadata.get("properties")) {
      properties.put((String) p.get("name"), p);
    }
    for (String name : List.of("jit.console.enabled", "jit.console.path", "jit.console.role",
        "jit.console.page-size")) {
      assertThat(properties).as(name).containsKey(name);
      assertThat((String) properties.get(name).get("description")).as(name + "'s description")
          .isNotBlank();
    }
    assertThat(properties.get("jit.console.path")).containsEntry("defaultValue", "/jit-console");
    assertThat(properties.get("jit.console.role")).containsEntry("defaultValue", "JIT_CONSOLE");
    assertThat(properties.get("jit.console.page-size")).containsEntry("defaultValue", 200);
  }

  /** An application that imports the console itself, as before the starter mounted it. */
  @Configuration(proxyBeanMethods = false)
  @Import(ConsoleConfiguration.class)
  static class OwnImport {}
}
