package dev.jitaccess.spring.boot;

import dev.jitaccess.spring.boot.properties.JitProperties;
import dev.jitaccess.web.GrantEnforcer;
import dev.jitaccess.web.GrantFilter;
import dev.jitaccess.web.RouteMap;
import jakarta.servlet.DispatcherType;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * Registers the {@link GrantFilter} on {@code /*} when a {@link RouteMap} bean exists (the
 * starter's, from {@code jit.web.routes} and {@code jit.web.guard}, or the application's), so
 * that route groups are enforced for every request, Spring MVC or not; the route map, not the
 * URL pattern, decides what is guarded. The filter decides with the {@link GrantEnforcer} bean,
 * at {@code jit.web.filter-order} (default 0, after Spring Security's filter chain). Backs off
 * when the application defines a {@link GrantFilter} bean or a bean named {@code
 * jitGrantFilter}.
 */
@AutoConfiguration(after = JitWebAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "jit.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "jit.web.enabled", matchIfMissing = true)
@ConditionalOnClass({GrantFilter.class, FilterRegistrationBean.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBean({RouteMap.class, GrantEnforcer.class})
@EnableConfigurationProperties(JitProperties.class)
public class JitWebFilterAutoConfiguration {
  /** Made by Spring. */
  public JitWebFilterAutoConfiguration() {}

  /**
   * The filter on every request, for REQUEST, FORWARD and INCLUDE dispatches: a forward or include
   * into a guarded route is decided by the route it reaches (see {@link GrantFilter}).
   */
  @Bean
  @ConditionalOnMissingBean(value = GrantFilter.class, name = "jitGrantFilter")
  FilterRegistrationBean<GrantFilter> jitGrantFilter(GrantEnforcer enforcer,
      JitProperties properties) {
    FilterRegistrationBean<GrantFilter> registration =
        new FilterRegistrationBean<>(new GrantFilter(enforcer));
    registration.setName("jitGrantFilter");
    registration.addUrlPatterns("/*");
    registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.FORWARD,
        DispatcherType.INCLUDE);
    registration.setOrder(properties.getWeb().getFilterOrder());
    return registration;
  }
}
