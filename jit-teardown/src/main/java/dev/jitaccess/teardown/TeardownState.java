package dev.jitaccess.teardown;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where one grant's teardown at one downstream is, like a finalizer. The legal transitions (an
 * entry may also stay in a state that is not final, as when an attempt fails and is retried):
 *
 * <table>
 *   <caption>Legal transitions</caption>
 *   <tr><th>from</th><th>to</th></tr>
 *   <tr><td>PENDING</td><td>REVOKED, VERIFIED, IRREVOCABLE, RETAINED, CLOSED</td></tr>
 *   <tr><td>REVOKED</td><td>VERIFIED, IRREVOCABLE, CLOSED</td></tr>
 *   <tr><td>IRREVOCABLE</td><td>REVOKED, VERIFIED, RETAINED, CLOSED</td></tr>
 *   <tr><td>RETAINED</td><td>PENDING (a re-check found no live grant needs it), CLOSED</td></tr>
 *   <tr><td>VERIFIED, CLOSED</td><td>none</td></tr>
 * </table>
 *
 * <p>An attempt whose acknowledgement and probe both succeed goes from PENDING to VERIFIED in one
 * step. An entry is <em>settled</em> when no more work is planned for it: VERIFIED, CLOSED, and
 * REVOKED once the downstream's probe could not tell ({@link Probe#UNKNOWN}); a RETAINED entry is
 * re-checked on an interval and whenever a grant of its subject ends; a
 * REVOKED entry whose probe found the access still live, or failed, is retried.
 */
public enum TeardownState {
  /** Not yet acknowledged: attempts are scheduled on the retry ladder. */
  PENDING,
  /** Acknowledged by the downstream; verified when its probe says denied. */
  REVOKED,
  /** The downstream's probe confirmed the access is denied. */
  VERIFIED,
  /**
   * The downstream said it never will, or the ladder ran out: the owner is alerted and it is
   * retried on a long interval.
   */
  IRREVOCABLE,
  /**
   * Kept: another live grant of the same subject still needs the same entitlement. Re-checked
   * periodically and when a grant of the subject ends; PENDING again once no live grant needs it.
   */
  RETAINED,
  /** Closed by force by a person, with a reason. */
  CLOSED;

  private static final Set<TeardownState> FROM_PENDING =
      EnumSet.of(PENDING, REVOKED, VERIFIED, IRREVOCABLE, RETAINED, CLOSED);
  private static final Set<TeardownState> FROM_REVOKED =
      EnumSet.of(REVOKED, VERIFIED, IRREVOCABLE, CLOSED);
  private static final Set<TeardownState> FROM_IRREVOCABLE =
      EnumSet.of(IRREVOCABLE, REVOKED, VERIFIED, RETAINED, CLOSED);
  private static final Set<TeardownState> FROM_RETAINED = EnumSet.of(RETAINED, PENDING, CLOSED);

  /**
   * Whether an entry in this state may be stored next in {@code next}: a transition of the table
   * above, or staying in a state that is not {@linkplain #isFinal() final}.
   */
  public boolean canTransitionTo(TeardownState next) {
    switch (this) {
      case PENDING:
        return FROM_PENDING.contains(next);
      case REVOKED:
        return FROM_REVOKED.contains(next);
      case IRREVOCABLE:
        return FROM_IRREVOCABLE.contains(next);
      case RETAINED:
        return FROM_RETAINED.contains(next);
      default:
        return false;
    }
  }

  /** Whether nothing follows this state: VERIFIED and CLOSED. */
  public boolean isFinal() {
    return this == VERIFIED || this == CLOSED;
  }
}
