package dev.jitaccess.teardown;

import dev.jitaccess.JitAccessException;

/**
 * An operation needed a teardown entry in another state, for example closing one that is already
 * VERIFIED. The message names the grant by its reference, never its id.
 */
public class TeardownStateException extends JitAccessException {
  private static final long serialVersionUID = 1L;

  private final TeardownState state;

  /** {@code entry} is in a state in which {@code operation} is not allowed. */
  public TeardownStateException(TeardownEntry entry, String operation) {
    super("teardown entry of grant " + entry.grantReference() + " at downstream "
        + entry.downstream() + " must not be " + entry.state() + " to " + operation);
    this.state = entry.state();
  }

  /** The state the entry was in. */
  public TeardownState state() {
    return state;
  }
}
