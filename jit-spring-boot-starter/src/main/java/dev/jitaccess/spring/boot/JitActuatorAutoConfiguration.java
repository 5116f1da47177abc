package dev.jitaccess.spring.boot;

import dev.jitaccess.core.JitAccess;
import dev.jitaccess.governance.Governance;
import dev.jitaccess.spi.GrantStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configures the {@code jitaccess} Actuator endpoint ({@link JitAccessEndpoint}) and health
 * indicator ({@link JitAccessHealthIndicator}) when Spring Boot Actuator is on the class path.
 * The endpoint is available once exposed ({@code management.endpoints.web.exposure.include});
 * its exposure report needs jit-governance. Each backs off when the application defines its own.
 */
@AutoConfiguration(after = {JitAccessAutoConfiguration.class,
    JitGovernanceAutoConfiguration.class})
@ConditionalOnBooleanProperty(name = "jit.enabled", matchIfMissing = true)
public class JitActuatorAutoConfiguration {
  /** Made by Spring. */
  public JitActuatorAutoConfiguration() {}

  /** The endpoint. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
  static class EndpointConfiguration {
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(JitAccess.class)
    @ConditionalOnAvailableEndpoint(JitAccessEndpoint.class)
    JitAccessEndpoint jitAccessEndpoint(JitAccess jit, ObjectProvider<ExposureReports> exposure) {
      return new JitAccessEndpoint(jit, exposure.getIfAvailable());
    }

    /** The exposure report, when governance is configured. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(Governance.class)
    static class Exposure {
      @Bean
      @ConditionalOnMissingBean
      @ConditionalOnBean(Governance.class)
      ExposureReports jitExposureReports(Governance governance) {
        return new GovernanceExposureReports(governance);
      }
    }
  }

  /** The health indicator, named {@code jitaccess}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
  @ConditionalOnEnabledHealthIndicator("jitaccess")
  static class Health {
    @Bean
    @ConditionalOnMissingBean(name = "jitaccessHealthIndicator")
    @ConditionalOnBean(GrantStore.class)
    JitAccessHealthIndicator jitaccessHealthIndicator(GrantStore store) {
      return new JitAccessHealthIndicator(store);
    }
  }
}
