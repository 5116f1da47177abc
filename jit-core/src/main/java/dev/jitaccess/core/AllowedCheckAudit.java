package dev.jitaccess.core;

/** What the runtime records about allowed checks; denials are always audited. */
public enum AllowedCheckAudit {
  /** Nothing: the check's hot path does no audit work (the default). */
  OFF,
  /**
   * Count allowed checks per grant; the count is reported in the grant's terminal audit event and
   * by {@link JitAccess#allowedChecks(String)}.
   */
  COUNT,
  /** Count, and also send an {@code ALLOWED} audit event for every allowed check. */
  EACH
}
