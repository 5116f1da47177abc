package dev.jitaccess.web;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;

/**
 * A {@code jakarta.servlet} filter that enforces grants by the enforcer's {@link RouteMap}: a
 * guarded request passes on only if a grant allows it, with the {@link AllowedRequest} in the
 * request attribute {@link AllowedRequest#ATTRIBUTE}; a denied one gets the enforcer's status,
 * challenges and body, and never reaches the servlet.
 *
 * <pre>{@code
 * FilterRegistration.Dynamic f = servletContext.addFilter("grants", new GrantFilter(enforcer));
 * f.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST, DispatcherType.FORWARD,
 *     DispatcherType.INCLUDE), false, "/*");
 * }</pre>
 *
 * <p>Map it for forwards and includes too: a forward or include into a guarded route is decided
 * by the route it reaches (an include by its {@code jakarta.servlet.include.*} path). If the
 * request was already allowed exactly that route's action and resource, that allowance stands;
 * otherwise the credentials are checked again, as for a request of its own (a DPoP proof already
 * used is then a replay, and denies).
 *
 * <p>Map it to {@code /*} and guard prefixes in the route map, so that the filter sees every
 * request and the route map, not the container's URL patterns, decides what is guarded. A
 * non-HTTP request is refused with a {@link ServletException}. Thread-safe.
 */
public final class GrantFilter implements Filter {
  private final GrantEnforcer enforcer;

  /** A filter deciding by {@code enforcer}. */
  public GrantFilter(GrantEnforcer enforcer) {
    this.enforcer = Objects.requireNonNull(enforcer, "enforcer must not be null");
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!(request instanceof HttpServletRequest) || !(response instanceof HttpServletResponse)) {
      throw new ServletException("GrantFilter handles only HTTP requests");
    }
    HttpServletRequest http = (HttpServletRequest) request;
    HttpServletResponse out = (HttpServletResponse) response;
    DispatcherType type = http.getDispatcherType();
    WebDecision decision;
    if (type == DispatcherType.FORWARD || type == DispatcherType.INCLUDE) {
      Object earlier = http.getAttribute(AllowedRequest.ATTRIBUTE);
      decision = enforcer.decide(type == DispatcherType.INCLUDE ? Servlets.included(http)
          : Servlets.request(http), earlier instanceof AllowedRequest a ? a : null);
    } else {
      decision = enforcer.decide(Servlets.request(http));
    }
    if (Servlets.apply(decision, http, out)) {
      chain.doFilter(request, response);
    }
  }
}
