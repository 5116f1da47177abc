package dev.jitaccess.governance;

/**
 * A request asked to move where its lifecycle does not go: approving a request that is not
 * PENDING, activating one that is not APPROVED, and so on. Rule {@link
 * GovernanceException.Rule#ILLEGAL_TRANSITION}.
 */
public final class RequestStateException extends GovernanceException {
  private static final long serialVersionUID = 1L;

  private final RequestState state;

  /** {@code operation} is not possible on a request in {@code state}. */
  public RequestStateException(String requestId, RequestState state, String operation) {
    super(Rule.ILLEGAL_TRANSITION,
        "cannot " + operation + " request " + requestId + ": it is " + state);
    this.state = state;
  }

  /** The state the request was in. */
  public RequestState state() {
    return state;
  }
}
