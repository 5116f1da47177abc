package dev.jitaccess.governance;

/** What happens when a recertification is not made by its due time, per risk tier. */
public enum LapseAction {
  /** End it: grants revoked, bundles revoked with their grants ({@code RECERTIFICATION_LAPSED}). */
  REVOKE,
  /**
   * Freeze it until recertified: a grant lives out its current lifetime but does not renew; a
   * bundle mints nothing and renews nothing.
   */
  SUSPEND,
  /** Tell the owner and the audit trail, and change nothing. */
  NOTIFY
}
