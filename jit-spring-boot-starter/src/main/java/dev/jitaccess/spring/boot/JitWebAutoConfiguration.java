package dev.jitaccess.spring.boot;

import dev.jitaccess.core.JitAccess;
import dev.jitaccess.jwt.JwtKeyRing;
import dev.jitaccess.jwt.JwtVerifier;
import dev.jitaccess.spi.AuditSink;
import dev.jitaccess.spring.boot.properties.JitProperties;
import dev.jitaccess.spring.boot.properties.WebProperties;
import dev.jitaccess.web.GrantEnforcer;
import dev.jitaccess.web.RequiresGrant;
import dev.jitaccess.web.RouteMap;
import dev.jitaccess.web.spring.GrantInterceptor;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Auto-configures HTTP enforcement of grants (jit-web) in a servlet web application: a {@link
 * JwtVerifier} from {@code jit.web.jwt.*} that checks every token's grant live in the {@link
 * JitAccess} bean, a {@link RouteMap} from {@code jit.web.routes} and {@code jit.web.guard} (when
 * either is set), a {@link GrantEnforcer}, and, with Spring MVC, a {@link GrantInterceptor}
 * registered for handlers annotated with {@link RequiresGrant}. The grant filter is {@link
 * JitWebFilterAutoConfiguration}'s. Every bean backs off when the application defines its own;
 * {@code jit.web.enabled=false} turns it off. A bad value fails the start naming the property.
 */
@AutoConfiguration(after = {JitAccessAutoConfiguration.class,
    JitGovernanceAutoConfiguration.class, JitMetricsAutoConfiguration.class})
@ConditionalOnBooleanProperty(name = "jit.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "jit.web.enabled", matchIfMissing = true)
@ConditionalOnClass({GrantEnforcer.class, JwtVerifier.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(JitProperties.class)
public class JitWebAutoConfiguration {
  /** Made by Spring. */
  public JitWebAutoConfiguration() {}

  /**
   * Verifies access tokens against {@code jit.web.jwt.*}, trusting the keys at {@code
   * jwks-location} or the application's {@link JwtKeyRing} bean, and checks each token's grant
   * in the runtime.
   */
  @Bean
  @ConditionalOnMissingBean
  JwtVerifier jitJwtVerifier(JitProperties properties, Clock clock, JitAccess jit,
      ObjectProvider<JwtKeyRing> rings, ResourceLoader resources, JitAuditTrail audit) {
    return WebFactory.verifier(properties.getWeb().getJwt(), clock, jit,
        rings.getIfUnique(), resources, audit.sink());
  }

  /** The routes of {@code jit.web.routes} under the prefixes of {@code jit.web.guard}. */
  @Bean
  @ConditionalOnMissingBean
  @Conditional(RoutesConfigured.class)
  RouteMap jitRouteMap(JitProperties properties) {
    return WebFactory.routes(properties.getWeb());
  }

  /**
   * The enforcer: the verifier, the route map (if any; else every route-map decision denies), the
   * realm, the DPoP algorithms of {@code jit.web.jwt.proof-algorithms}, the opt-in grant header,
   * and the audit trail for its own denials.
   */
  @Bean
  @ConditionalOnMissingBean
  GrantEnforcer jitGrantEnforcer(JitProperties properties, JwtVerifier verifier,
      ObjectProvider<RouteMap> routes, JitAccess jit, Clock clock, JitAuditTrail audit) {
    WebProperties web = properties.getWeb();
    GrantEnforcer.Builder builder = GrantEnforcer.builder().tokens(verifier).clock(clock);
    routes.ifUnique(builder::routes);
    if (web.getRealm() != null) {
      WebFactory.property("jit.web.realm", () -> builder.realm(web.getRealm()));
    }
    if (!web.getJwt().getProofAlgorithms().isEmpty()) {
      WebFactory.property("jit.web.jwt.proof-algorithms", () -> builder.dpopAlgorithms(
          String.join(" ", web.getJwt().getProofAlgorithms())));
    }
    if (web.getGrantHeader() != null) {
      WebFactory.property("jit.web.grant-header",
          () -> builder.grantHeader(web.getGrantHeader(), jit));
    }
    AuditSink sink = audit.sink();
    if (sink != null) {
      builder.auditSink(sink);
    }
    return builder.build();
  }

  /** The {@link GrantInterceptor}, registered for {@link RequiresGrant} handlers. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({WebMvcConfigurer.class, GrantInterceptor.class})
  static class Interceptor {
    /** The starter's interceptor, unless the application defines its own, which is registered. */
    @Bean
    @ConditionalOnMissingBean(GrantInterceptor.class)
    GrantInterceptor jitGrantInterceptor(GrantEnforcer enforcer) {
      return new GrantInterceptor(enforcer);
    }

    @Bean
    WebMvcConfigurer jitGrantInterceptorConfigurer(GrantInterceptor interceptor) {
      return new WebMvcConfigurer() {
        @Override
        public void addInterceptors(InterceptorRegistry registry) {
          registry.addInterceptor(new RequiresGrantInterceptor(interceptor));
        }
      };
    }
  }
}
