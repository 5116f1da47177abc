package dev.jitaccess;

import dev.jitaccess.internal.Validation;

/** An operation needed a grant in another state, for example renewing one that is not ACTIVE. */
public class GrantStateException extends JitAccessException {
  private static final long serialVersionUID = 1L;

  private final GrantState state;

  /** The grant {@code id} is in {@code state}, in which {@code operation} is not allowed. */
  public GrantStateException(String id, GrantState state, String operation) {
    super("grant " + Validation.redactId(id) + " must be ACTIVE to " + operation + ", was " + state);
    this.state = state;
  }

  /** A message of its own, for a grant in {@code state}. */
  public GrantStateException(GrantState state, String message) {
    super(message);
    this.state = state;
  }

  /** The state the grant was in. */
  public GrantState state() {
    return state;
  }
}
