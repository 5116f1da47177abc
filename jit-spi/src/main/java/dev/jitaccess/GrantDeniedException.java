package dev.jitaccess;

import org.jspecify.annotations.Nullable;

/**
 * A request, delegation or renewal was refused: by the access policy (or because it failed, which
 * also refuses), or by the runtime ({@code HARD_CAP_REACHED}, {@code POLICY_WIDENED}, {@code
 * SCHEDULER_FAILURE}).
 */
public class GrantDeniedException extends JitAccessException {
  private static final long serialVersionUID = 1L;

  private final String reason;

  /** Refused for {@code reason} (a code), described by {@code message}. */
  public GrantDeniedException(String reason, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** The reason code: the policy's, or the runtime's. */
  public String reason() {
    return reason;
  }
}
