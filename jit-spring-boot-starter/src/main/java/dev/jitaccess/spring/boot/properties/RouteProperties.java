package dev.jitaccess.spring.boot.properties;

import org.jspecify.annotations.Nullable;

/**
 * One entry of {@code jit.web.routes}: requests with {@link #getMethod() method} whose path
 * matches {@link #getPattern() pattern} need {@link #getAction() action} on {@link #getResource()
 * resource} (see jit-web's {@code RouteMap}). All four are required.
 */
public class RouteProperties {
  /** The HTTP method, matched exactly (HEAD is not GET), for example GET. */
  private @Nullable String method;

  /** The path pattern: literals, {name}, * and a last **, for example /orders/{id}. */
  private @Nullable String pattern;

  /** The action the request needs, for example read. */
  private @Nullable String action;

  /** The resource template: literals, {name} of the pattern, and a last ** if the pattern ends with one. */
  private @Nullable String resource;

  /** The HTTP method. */
  public @Nullable String getMethod() {
    return method;
  }

  /** Sets the HTTP method. */
  public void setMethod(@Nullable String method) {
    this.method = method;
  }

  /** The path pattern. */
  public @Nullable String getPattern() {
    return pattern;
  }

  /** Sets the path pattern. */
  public void setPattern(@Nullable String pattern) {
    this.pattern = pattern;
  }

  /** The action. */
  public @Nullable String getAction() {
    return action;
  }

  /** Sets the action. */
  public void setAction(@Nullable String action) {
    this.action = action;
  }

  /** The resource template. */
  public @Nullable String getResource() {
    return resource;
  }

  /** Sets the resource template. */
  public void setResource(@Nullable String resource) {
    this.resource = resource;
  }

  void validate(Rules rules, String prefix) {
    required(rules, prefix + ".method", method);
    required(rules, prefix + ".pattern", pattern);
    required(rules, prefix + ".action", action);
    required(rules, prefix + ".resource", resource);
  }

  private static void required(Rules rules, String property, @Nullable String value) {
    if (value == null || value.isBlank()) {
      rules.reject(property, "must be set");
    }
  }
}
