package dev.jitaccess.teardown;

/**
 * Where one grant's teardown at one downstream is, like a finalizer:
 *
 * <pre>
 * PENDING -&gt; REVOKED -&gt; VERIFIED
 * PENDING -&gt; IRREVOCABLE -&gt; REVOKED | CLOSED
 * PENDING | REVOKED -&gt; RETAINED (another live grant of the subject still needs the entitlement)
 * any but VERIFIED -&gt; CLOSED (closed by force, with a reason, audited)
 * </pre>
 */
public enum TeardownState {
  /** Not yet acknowledged: attempts are scheduled on the retry ladder. */
  PENDING,
  /** Acknowledged by the downstream; verified when its probe says denied. */
  REVOKED,
  /** The downstream's probe confirmed the access is denied. */
  VERIFIED,
  /** The downstream said it never will, or the ladder ran out: retried on a long interval. */
  IRREVOCABLE,
  /** Kept: another live grant of the same subject still needs the same entitlement. */
  RETAINED,
  /** Closed by force by a person, with a reason. */
  CLOSED
}
