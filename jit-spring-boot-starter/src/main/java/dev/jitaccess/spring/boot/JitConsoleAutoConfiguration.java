package dev.jitaccess.spring.boot;

import dev.jitaccess.console.ConsoleConfiguration;
import dev.jitaccess.governance.Governance;
import dev.jitaccess.spring.boot.properties.ConsoleProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * Mounts the jit-console pages ({@link ConsoleConfiguration}) in a Spring MVC application when
 * jit-console is on the class path, the application has a {@link Governance} bean (its own or the
 * starter's) and {@code jit.console.enabled} is not false. Where and for whom come from {@code
 * jit.console.path}, {@code jit.console.role} and {@code jit.console.page-size} ({@link
 * ConsoleProperties}). A {@code Teardown} bean, if any, adds the lingering-teardowns page. An
 * application that still imports {@link ConsoleConfiguration} itself gets it once (Spring imports
 * a configuration class once); {@code jit.console.enabled=false} does not unmount an import of
 * the application's own.
 *
 * <p>The application's own security authenticates the people who use it: the console answers
 * 401 without a principal and 403 without the role, and the path should be guarded in the
 * application's security configuration too.
 */
@AutoConfiguration(after = {JitGovernanceAutoConfiguration.class,
    JitTeardownAutoConfiguration.class, JitAccessAutoConfiguration.class})
@ConditionalOnBooleanProperty(name = "jit.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "jit.console.enabled", matchIfMissing = true)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ConsoleConfiguration.class, Governance.class, DispatcherServlet.class})
public class JitConsoleAutoConfiguration {
  /** Made by Spring. */
  public JitConsoleAutoConfiguration() {}

  /**
   * Imports the console once a governance exists. The properties are imported first, so they
   * are bound (and a value of the wrong type fails the start naming its property) before the
   * console reads them.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnBean(Governance.class)
  @Import({Properties.class, ConsoleConfiguration.class})
  static class Mount {}

  /** Binds {@code jit.console.*}. */
  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(ConsoleProperties.class)
  static class Properties {}
}
