package dev.jitaccess.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;

/**
 * Adapts {@code jakarta.servlet} requests and responses to {@link GrantEnforcer}: for {@link
 * GrantFilter}, for the Spring MVC interceptor, and for an application's own servlet code.
 * Stateless and thread-safe.
 */
public final class Servlets {
  private Servlets() {}

  /**
   * The request as the enforcer sees it: {@code getRequestURI()} (raw), {@code getContextPath()},
   * {@code getServletPath() + getPathInfo()} as the container path, and {@code getRequestURL()}
   * (scheme, host, port and raw path, no query) as the target URI a DPoP proof must name. Behind a
   * proxy, let the container rewrite the scheme and host (Tomcat's {@code RemoteIpValve}) so that
   * {@code getRequestURL()} is the URI the client called.
   */
  public static WebRequest request(HttpServletRequest request) {
    Objects.requireNonNull(request, "request must not be null");
    String servletPath = request.getServletPath();
    String pathInfo = request.getPathInfo();
    String containerPath = servletPath == null && pathInfo == null ? null
        : (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
    String uri = request.getRequestURI();
    String context = request.getContextPath();
    return new WebRequest(request.getMethod(), uri == null ? "" : uri,
        context == null ? "" : context, containerPath, request.getRequestURL().toString(),
        name -> values(request.getHeaders(name)));
  }

  /**
   * The target of an include dispatch as the enforcer sees it: the {@code
   * jakarta.servlet.include.*} request URI, context path, servlet path and path info, with the
   * including request's method, URL and headers. A named dispatch (no include URI) is the request
   * itself ({@link #request}).
   */
  public static WebRequest included(HttpServletRequest request) {
    Objects.requireNonNull(request, "request must not be null");
    if (!(request.getAttribute(RequestDispatcher.INCLUDE_REQUEST_URI) instanceof String uri)) {
      return request(request);
    }
    String servletPath = (String) request.getAttribute(RequestDispatcher.INCLUDE_SERVLET_PATH);
    String pathInfo = (String) request.getAttribute(RequestDispatcher.INCLUDE_PATH_INFO);
    String containerPath = servletPath == null && pathInfo == null ? null
        : (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
    String context = (String) request.getAttribute(RequestDispatcher.INCLUDE_CONTEXT_PATH);
    return new WebRequest(request.getMethod(), uri, context == null ? "" : context, containerPath,
        request.getRequestURL().toString(), name -> values(request.getHeaders(name)));
  }

  private static List<String> values(Enumeration<String> values) {
    return values == null ? List.of() : Collections.list(values);
  }

  /**
   * Sends a denial: its status, one {@code WWW-Authenticate} header per challenge, {@code
   * Cache-Control: no-store}, and the plain-text reason phrase as the body.
   *
   * @throws IllegalArgumentException if the decision is not a denial
   */
  public static void sendDenial(WebDecision decision, HttpServletResponse response)
      throws IOException {
    Objects.requireNonNull(decision, "decision must not be null");
    Objects.requireNonNull(response, "response must not be null");
    if (!decision.isDenied()) {
      throw new IllegalArgumentException("decision must be a denial, was " + decision);
    }
    response.resetBuffer();
    response.setStatus(decision.status());
    for (String challenge : decision.challenges()) {
      response.addHeader("WWW-Authenticate", challenge);
    }
    response.setHeader("Cache-Control", "no-store");
    response.setContentType("text/plain;charset=UTF-8");
    response.getWriter().write(decision.body());
    response.flushBuffer();
  }

  /**
   * Applies a decision: sends a denial and returns false, or stores the {@link AllowedRequest} as
   * the attribute {@link AllowedRequest#ATTRIBUTE} (if a grant allowed it) and returns true.
   */
  public static boolean apply(WebDecision decision, HttpServletRequest request,
      HttpServletResponse response) throws IOException {
    if (decision.isDenied()) {
      sendDenial(decision, response);
      return false;
    }
    AllowedRequest allowed = decision.allowed();
    if (allowed != null) {
      request.setAttribute(AllowedRequest.ATTRIBUTE, allowed);
    }
    return true;
  }
}
