package dev.jitaccess.governance;

/** What the orphan sweep does with a live grant or bundle whose owner is no longer active. */
public enum OnOrphan {
  /** Make the fallback owner accountable: the request or bundle's owner becomes the fallback. */
  REASSIGN,
  /** End it: a grant is revoked ({@code ORPHANED}), a bundle revoked with all its grants. */
  REVOKE,
  /** Tell the fallback owner (if any) and the audit trail, once per orphan and process. */
  NOTIFY
}
