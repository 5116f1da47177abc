package dev.jitaccess.web;

import dev.jitaccess.DenialCode;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What {@link GrantEnforcer} decided for one HTTP request: not guarded (pass it on), allowed (pass
 * it on, with the {@link AllowedRequest} for the application), or denied, with the status, the
 * {@code WWW-Authenticate} challenges and the body to send. A denial's {@link #code()} is for the
 * server's logs only: the response carries no reason code, grant reference or token.
 *
 * <p>Immutable and thread-safe.
 */
public final class WebDecision {
  private static final WebDecision NOT_GUARDED = new WebDecision(200, List.of(), null, null);

  private final int status;
  private final List<String> challenges;
  private final @Nullable DenialCode code;
  private final @Nullable AllowedRequest allowed;

  private WebDecision(int status, List<String> challenges, @Nullable DenialCode code,
      @Nullable AllowedRequest allowed) {
    this.status = status;
    this.challenges = challenges;
    this.code = code;
    this.allowed = allowed;
  }

  static WebDecision notGuarded() {
    return NOT_GUARDED;
  }

  static WebDecision allow(AllowedRequest allowed) {
    return new WebDecision(200, List.of(), null, Objects.requireNonNull(allowed, "allowed"));
  }

  static WebDecision deny(int status, List<String> challenges, DenialCode code) {
    return new WebDecision(status, List.copyOf(challenges), Objects.requireNonNull(code, "code"),
        null);
  }

  /** Whether the request must be refused with {@link #status()}. */
  public boolean isDenied() {
    return code != null;
  }

  /** Whether a grant allowed the request; see {@link #allowed()}. */
  public boolean isAllowed() {
    return allowed != null;
  }

  /**
   * The status to send for a denial: 400 (malformed path or credentials), 401 (no or an invalid
   * credential), 403 (a valid credential without the permission, or an unmapped route), 500 (a
   * misconfigured requirement) or 503 (a backend failed); 200 otherwise.
   */
  public int status() {
    return status;
  }

  /** The {@code WWW-Authenticate} header values to send, one header each; empty if none. */
  public List<String> challenges() {
    return challenges;
  }

  /** Why the request was denied, for logs and audit only; null unless denied. */
  public @Nullable DenialCode code() {
    return code;
  }

  /** What allowed the request; null unless allowed. */
  public @Nullable AllowedRequest allowed() {
    return allowed;
  }

  /** The plain-text body of a denial: the status's reason phrase, nothing more. */
  public String body() {
    switch (status) {
      case 400:
        return "Bad Request\n";
      case 401:
        return "Unauthorized\n";
      case 403:
        return "Forbidden\n";
      case 503:
        return "Service Unavailable\n";
      default:
        return status == 200 ? "" : "Internal Server Error\n";
    }
  }

  @Override
  public String toString() {
    if (code != null) {
      return "WebDecision[DENY " + status + " " + code.name() + "]";
    }
    return allowed != null ? "WebDecision[ALLOW " + allowed.grantReference() + "]"
        : "WebDecision[NOT_GUARDED]";
  }
}
