package dev.jitaccess;

import org.jspecify.annotations.Nullable;

/**
 * A credential did not prove a workload identity. {@link #rule()} names the rule it broke, such as
 * {@code "signature"}, {@code "iss"}, {@code "aud"} or {@code "exp"}, so callers and audit logs can
 * tell the failures apart without parsing the message.
 */
public class IdentityVerificationException extends JitAccessException {
  private static final long serialVersionUID = 1L;

  private final String rule;

  /** The credential broke {@code rule}, described by {@code message}. */
  public IdentityVerificationException(String rule, String message) {
    this(rule, message, null);
  }

  /** The credential broke {@code rule}, described by {@code message}, found through {@code cause}. */
  public IdentityVerificationException(String rule, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.rule = rule;
  }

  /** The rule the credential broke. */
  public String rule() {
    return rule;
  }
}
