package dev.jitaccess.web;

import dev.jitaccess.Permission;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Maps method and path patterns to the action and resource a request needs, for whole route
 * groups, and names the path prefixes that are guarded: a request under a guarded prefix that no
 * route maps is denied (fail closed).
 *
 * <pre>{@code
 * RouteMap routes = RouteMap.builder()
 *     .guard("/orders")
 *     .route("GET", "/orders/**", "read", "orders/**")
 *     .route("POST", "/orders/{id}", "write", "orders/{id}")
 *     .build();
 * }</pre>
 *
 * <p>A path pattern starts with {@code /}; its segments are literals, {@code {name}} (one segment,
 * bound to {@code name}), {@code *} (one segment) or, last, {@code **} (zero or more segments). The
 * resource is a template of literals, {@code {name}} placeholders and, last and only if the path
 * pattern ends with {@code **}, {@code **}, which stands for the segments it matched. Patterns are
 * matched against the decoded segments, in the order the routes were added: the first match wins.
 * Methods are matched exactly ({@code HEAD} is not {@code GET}).
 *
 * <p>Immutable and thread-safe.
 */
public final class RouteMap {
  private final List<String> guarded;
  private final List<Route> routes;

  private RouteMap(List<String> guarded, List<Route> routes) {
    this.guarded = guarded;
    this.routes = routes;
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** A map with no routes that guards every path: every request it decides is denied. */
  public static RouteMap denyAll() {
    return builder().build();
  }

  /**
   * Whether a request is guarded: its raw path (after the context path) or its container path
   * falls under a guarded prefix.
   */
  boolean guards(String rawPath, @Nullable String containerPath) {
    for (String prefix : guarded) {
      if (under(rawPath, prefix) || (containerPath != null && under(containerPath, prefix))) {
        return true;
      }
    }
    return false;
  }

  private static boolean under(String path, String prefix) {
    if (prefix.equals("/")) {
      return true;
    }
    return path.startsWith(prefix)
        && (path.length() == prefix.length() || !isSegmentContinuation(path.charAt(prefix.length())));
  }

  /**
   * Whether {@code c}, after a prefix, continues its last segment ({@code /ordersX} is not under
   * {@code /orders}); anything else ({@code /}, {@code ;}, {@code %}) is treated as under it, so
   * that an odd form is guarded and refused rather than passed.
   */
  private static boolean isSegmentContinuation(char c) {
    return RequestPath.isSegmentChar(c) && c != '.';
  }

  /** The action and resource of the first route that matches, or null if none does. */
  ResourceTemplate.@Nullable Resolved resolve(String method, List<String> segments) {
    for (Route route : routes) {
      ResourceTemplate.Resolved r = route.resolve(method, segments);
      if (r != null) {
        return r;
      }
    }
    return null;
  }

  /** One route: a method and a path pattern, and the action and resource template they need. */
  private record Route(String method, List<String> pattern, boolean tail, String action,
      ResourceTemplate resource) {
    ResourceTemplate.@Nullable Resolved resolve(String requestMethod, List<String> segments) {
      if (!method.equals(requestMethod)) {
        return null;
      }
      int fixed = pattern.size();
      if (segments.size() < fixed || (!tail && segments.size() != fixed)) {
        return null;
      }
      Map<String, String> variables = new HashMap<>();
      for (int i = 0; i < fixed; i++) {
        String p = pattern.get(i);
        String s = segments.get(i);
        if (ResourceTemplate.isPlaceholder(p)) {
          variables.put(p.substring(1, p.length() - 1), s);
        } else if (!p.equals("*") && !p.equals(s)) {
          return null;
        }
      }
      return resource.fill(action, variables, segments.subList(fixed, segments.size()));
    }
  }

  /** Builds a {@link RouteMap}. Not thread-safe; {@link #build()} leaves it reusable. */
  public static final class Builder {
    private final List<String> guarded = new ArrayList<>();
    private final List<Route> routes = new ArrayList<>();

    private Builder() {}

    /**
     * Guards the paths under {@code prefix} ({@code /api} guards {@code /api} and {@code
     * /api/...}): those no route maps are denied. Without any call every path is guarded.
     *
     * @throws IllegalArgumentException if the prefix is not {@code /} or {@code /}-led literal
     *     segments without a trailing {@code /}
     */
    public Builder guard(String prefix) {
      Objects.requireNonNull(prefix, "prefix must not be null");
      if (!prefix.equals("/")) {
        if (!prefix.startsWith("/")) {
          throw new IllegalArgumentException("prefix must start with /, was '" + prefix + "'");
        }
        for (String segment : prefix.substring(1).split("/", -1)) {
          if (!ResourceTemplate.isLiteral(segment)) {
            throw new IllegalArgumentException("prefix must be literal segments of"
                + " [A-Za-z0-9._~:@+=,-] without a trailing /, was '" + prefix + "'");
          }
        }
      }
      guarded.add(prefix);
      return this;
    }

    /**
     * Maps requests with {@code method} whose path matches {@code pathPattern} to {@code action}
     * on {@code resource}.
     *
     * @throws IllegalArgumentException naming the field and rule, if a part is malformed, or the
     *     resource uses a placeholder the path does not bind
     */
    public Builder route(String method, String pathPattern, String action, String resource) {
      Objects.requireNonNull(method, "method must not be null");
      Objects.requireNonNull(pathPattern, "pathPattern must not be null");
      Objects.requireNonNull(action, "action must not be null");
      if (!method.matches("[A-Z]{1,16}")) {
        throw new IllegalArgumentException("method must be 1 to 16 of [A-Z], was '" + method + "'");
      }
      if (!Permission.isWellFormedRequest(action, "x")) {
        throw new IllegalArgumentException(
            "action must match [A-Za-z0-9][A-Za-z0-9._-]{0,63}, was '" + action + "'");
      }
      if (!pathPattern.startsWith("/")) {
        throw new IllegalArgumentException(
            "pathPattern must start with /, was '" + pathPattern + "'");
      }
      List<String> pattern = new ArrayList<>();
      Set<String> bound = new HashSet<>();
      boolean tail = false;
      String[] segments = pathPattern.equals("/") ? new String[0]
          : pathPattern.substring(1).split("/", -1);
      for (int i = 0; i < segments.length; i++) {
        String s = segments[i];
        if (s.equals("**") && i == segments.length - 1) {
          tail = true;
        } else if (ResourceTemplate.isPlaceholder(s)) {
          if (!bound.add(s.substring(1, s.length() - 1))) {
            throw new IllegalArgumentException(
                "pathPattern binds " + s + " twice, in '" + pathPattern + "'");
          }
          pattern.add(s);
        } else if (s.equals("*") || ResourceTemplate.isLiteral(s)) {
          pattern.add(s);
        } else {
          throw new IllegalArgumentException("pathPattern segment " + (i + 1) + " must be a"
              + " literal, {name}, * or (last) **, was '" + pathPattern + "'");
        }
      }
      ResourceTemplate template = ResourceTemplate.parse(resource, tail, "resource");
      for (String name : template.placeholders()) {
        if (!bound.contains(name)) {
          throw new IllegalArgumentException("resource uses {" + name + "}, which pathPattern '"
              + pathPattern + "' does not bind");
        }
      }
      routes.add(new Route(method, List.copyOf(pattern), tail, action, template));
      return this;
    }

    /** The route map; guards every path if no prefix was given. */
    public RouteMap build() {
      return new RouteMap(guarded.isEmpty() ? List.of("/") : List.copyOf(guarded),
          List.copyOf(routes));
    }
  }
}
