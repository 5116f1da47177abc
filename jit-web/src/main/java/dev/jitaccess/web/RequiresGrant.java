package dev.jitaccess.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Requires a grant that permits {@link #action()} on {@link #resource()} to call a handler: on a
 * method, or on a type for all of its handler methods (the method's own annotation wins).
 *
 * <pre>{@code
 * @PostMapping("/orders/{id}")
 * @RequiresGrant(action = "write", resource = "orders/{id}")
 * Order update(@PathVariable String id, ...) { ... }
 * }</pre>
 *
 * <p>The resource is a concrete resource of the scope grammar ({@code /}-separated segments of
 * {@code [A-Za-z0-9._~:@+=,-]}), in which a segment {@code {name}} is filled with the path
 * variable {@code name}, which must itself be one well-formed segment (or the request is denied
 * with 400). Wildcards are not allowed: a request is for one resource.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface RequiresGrant {
  /** The exact action, for example {@code read} or {@code write}. */
  String action();

  /** The resource, with optional {@code {name}} placeholder segments. */
  String resource();
}
