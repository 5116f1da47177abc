package dev.jitaccess;

/**
 * The lifecycle of a grant. A grant is born {@link #ACTIVE} and leaves it exactly once, for one of
 * the terminal states; no state leads back. The legal transitions are:
 *
 * <table>
 *   <caption>Legal transitions</caption>
 *   <tr><th>from</th><th>to</th></tr>
 *   <tr><td>ACTIVE</td><td>ACTIVE (renewal, a use), EXPIRED, REVOKED, EXHAUSTED</td></tr>
 *   <tr><td>EXPIRED, REVOKED, EXHAUSTED</td><td>none</td></tr>
 * </table>
 */
public enum GrantState {
  /** Usable until it expires. */
  ACTIVE,
  /** Its lifetime ran out. */
  EXPIRED,
  /** Ended on purpose: task completed or failed, anomaly, manual, or its parent ended. */
  REVOKED,
  /** Its use budget was spent. */
  EXHAUSTED;

  /** Whether a grant in this state may move to {@code next}. */
  public boolean canTransitionTo(GrantState next) {
    return this == ACTIVE;
  }

  /** Whether this state is final. */
  public boolean isTerminal() {
    return this != ACTIVE;
  }
}
