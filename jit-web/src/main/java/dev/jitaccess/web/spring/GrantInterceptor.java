package dev.jitaccess.web.spring;

import dev.jitaccess.web.AllowedRequest;
import dev.jitaccess.web.GrantEnforcer;
import dev.jitaccess.web.RequiresGrant;
import dev.jitaccess.web.Servlets;
import dev.jitaccess.web.WebDecision;
import dev.jitaccess.web.WebRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * A Spring MVC interceptor that enforces {@link RequiresGrant} on handler methods (or on their
 * class), filling {@code {name}} placeholders from the URI template variables; a handler without
 * the annotation is decided by the enforcer's {@link dev.jitaccess.web.RouteMap}, so one under a
 * guarded prefix that no route maps is denied.
 *
 * <pre>{@code
 * @Override
 * public void addInterceptors(InterceptorRegistry registry) {
 *   registry.addInterceptor(new GrantInterceptor(enforcer));
 * }
 * }</pre>
 *
 * <p>An allowed request carries its {@link AllowedRequest} in the request attribute {@link
 * AllowedRequest#ATTRIBUTE}. Thread-safe.
 */
public final class GrantInterceptor implements HandlerInterceptor {
  private final GrantEnforcer enforcer;

  /** An interceptor deciding by {@code enforcer}. */
  public GrantInterceptor(GrantEnforcer enforcer) {
    this.enforcer = Objects.requireNonNull(enforcer, "enforcer must not be null");
  }

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response,
      Object handler) throws Exception {
    WebRequest web = Servlets.request(request);
    RequiresGrant requirement = requirement(handler);
    WebDecision decision = requirement == null ? enforcer.decide(web)
        : enforcer.decide(web, requirement, variables(request));
    return Servlets.apply(decision, request, response);
  }

  /** The handler method's annotation, else its class's; null for other handlers or none. */
  static @Nullable RequiresGrant requirement(Object handler) {
    if (!(handler instanceof HandlerMethod)) {
      return null;
    }
    HandlerMethod method = (HandlerMethod) handler;
    RequiresGrant own = AnnotatedElementUtils.findMergedAnnotation(method.getMethod(),
        RequiresGrant.class);
    return own != null ? own
        : AnnotatedElementUtils.findMergedAnnotation(method.getBeanType(), RequiresGrant.class);
  }

  private static Map<String, String> variables(HttpServletRequest request) {
    Object value = request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
    if (!(value instanceof Map)) {
      return Map.of();
    }
    Map<String, String> variables = new java.util.HashMap<>();
    for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
      if (e.getKey() instanceof String && e.getValue() instanceof String) {
        variables.put((String) e.getKey(), (String) e.getValue());
      }
    }
    return variables;
  }
}
