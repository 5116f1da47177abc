package dev.jitaccess;

import org.jspecify.annotations.Nullable;

/**
 * A request, delegation or renewal was refused by the access policy (or the policy failed, which
 * also refuses).
 */
public class GrantDeniedException extends JitAccessException {
  private static final long serialVersionUID = 1L;

  private final String reason;

  /** Refused for {@code reason} (a code), described by {@code message}. */
  public GrantDeniedException(String reason, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** The policy's reason code. */
  public String reason() {
    return reason;
  }
}
