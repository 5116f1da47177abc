package dev.jitaccess.web;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP request as {@link GrantEnforcer} sees it, independent of any framework. Immutable and
 * thread-safe if {@code headers} is.
 *
 * @param method the HTTP method, as received ({@code GET})
 * @param requestPath the raw path as received: not decoded, with the context path, without the
 *     query ({@code /app/orders/42}; a servlet's {@code getRequestURI()})
 * @param contextPath the raw prefix under which the application is mounted, {@code ""} for none
 * @param containerPath the path as the container decoded and normalised it for its own mapping
 *     (a servlet's {@code getServletPath() + getPathInfo()}), or null if there is none; a request
 *     is guarded if either this or {@code requestPath} falls under a guarded prefix
 * @param targetUri the absolute URI of the request without query and fragment ({@code
 *     https://orders.example.com/app/orders/42}), the {@code htu} a DPoP proof must name
 * @param headers the values of a header by name, case-insensitively, empty if absent
 */
public record WebRequest(String method, String requestPath, String contextPath,
    @Nullable String containerPath, String targetUri, Function<String, List<String>> headers) {
  /**
   * Checks that no required field is null.
   *
   * @throws NullPointerException naming the field
   */
  public WebRequest {
    Objects.requireNonNull(method, "method must not be null");
    Objects.requireNonNull(requestPath, "requestPath must not be null");
    Objects.requireNonNull(contextPath, "contextPath must not be null");
    Objects.requireNonNull(targetUri, "targetUri must not be null");
    Objects.requireNonNull(headers, "headers must not be null");
  }

  /** The values of header {@code name}; never null. */
  List<String> header(String name) {
    List<String> values = headers.apply(name);
    return values == null ? List.of() : values;
  }
}
