package dev.jitaccess.spring.boot;

import dev.jitaccess.web.AllowedRequest;
import dev.jitaccess.web.RequiresGrant;
import dev.jitaccess.web.spring.GrantInterceptor;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Hands only handlers annotated with {@link RequiresGrant} (on the method or its class) to the
 * {@link GrantInterceptor}; every other handler passes, since route groups are the grant filter's.
 *
 * <p>A request the grant filter already allowed for exactly the permission the annotation names
 * (same action, and the resource the annotation's template gives with this request's path
 * variables) is not decided again: a second decision would spend a second use of a budgeted grant
 * and would refuse a DPoP proof as replayed. Any other request is decided by the interceptor, so
 * a differing annotation is checked in full. Thread-safe.
 */
final class RequiresGrantInterceptor implements HandlerInterceptor {
  /** One literal resource segment of the scope grammar. */
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._~:@+=,-]+");

  private final GrantInterceptor delegate;

  RequiresGrantInterceptor(GrantInterceptor delegate) {
    this.delegate = delegate;
  }

  /** The interceptor that decides what the filter has not already allowed. */
  GrantInterceptor delegate() {
    return delegate;
  }

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response,
      Object handler) throws Exception {
    RequiresGrant requirement = requirement(handler);
    if (requirement == null || allowedAlready(request, requirement)) {
      return true;
    }
    return delegate.preHandle(request, response, handler);
  }

  private static @Nullable RequiresGrant requirement(Object handler) {
    if (!(handler instanceof HandlerMethod method)) {
      return null;
    }
    RequiresGrant own = AnnotatedElementUtils.findMergedAnnotation(method.getMethod(),
        RequiresGrant.class);
    return own != null ? own
        : AnnotatedElementUtils.findMergedAnnotation(method.getBeanType(), RequiresGrant.class);
  }

  /** Whether the filter allowed this request for exactly what {@code requirement} names. */
  static boolean allowedAlready(HttpServletRequest request, RequiresGrant requirement) {
    if (!(request.getAttribute(AllowedRequest.ATTRIBUTE) instanceof AllowedRequest allowed)
        || !allowed.action().equals(requirement.action())) {
      return false;
    }
    String resource = fill(requirement.resource(),
        request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE));
    return resource != null && resource.equals(allowed.resource());
  }

  /**
   * The template with each {@code {name}} segment replaced by its path variable; null if one is
   * missing or is not one literal segment (the interceptor then decides, and refuses it).
   */
  private static @Nullable String fill(String template, @Nullable Object variables) {
    StringBuilder out = new StringBuilder();
    for (String segment : template.split("/", -1)) {
      String value = segment;
      if (segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}")) {
        if (!(variables instanceof Map<?, ?> map)
            || !(map.get(segment.substring(1, segment.length() - 1)) instanceof String v)) {
          return null;
        }
        value = v;
      }
      if (!SEGMENT.matcher(value).matches() || value.equals(".") || value.equals("..")) {
        return null;
      }
      if (out.length() > 0) {
        out.append('/');
      }
      out.append(value);
    }
    return out.toString();
  }
}
