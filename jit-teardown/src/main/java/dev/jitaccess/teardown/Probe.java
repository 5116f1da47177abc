package dev.jitaccess.teardown;

/** What a downstream's probe found for a grant whose access it removed. */
public enum Probe {
  /** The access is denied there now: the entry is VERIFIED. */
  DENIED,
  /** The access still works there: the removal is retried. */
  STILL_LIVE,
  /** The downstream cannot tell: the entry stays REVOKED (acknowledged, not verified). */
  UNKNOWN
}
