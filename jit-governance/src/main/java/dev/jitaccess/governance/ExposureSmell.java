package dev.jitaccess.governance;

/**
 * A sign that temporary access has turned into standing access, flagged per grant in an {@link
 * ExposureReport}. Thresholds come from {@link ExposureThresholds}.
 */
public enum ExposureSmell {
  /** Renewed more than {@link ExposureThresholds#renewedOften()} times. */
  RENEWED_OFTEN,
  /**
   * Older than {@link ExposureThresholds#tierLifetimes()} times its tier's maximum lifetime. Not
   * flagged for a grant without a tier, or with a tier this governance does not know.
   */
  OLDER_THAN_TIER,
  /**
   * Never allowed a check since it was issued: flagged only when last use is tracked ({@link
   * GovernanceBuilder#trackLastUse()}) over the grant's whole life in this process, and no use
   * was recorded. Tracking is per replica: a grant used only on another replica is flagged here.
   */
  NEVER_USED,
  /**
   * Its owner is no longer active per the {@link dev.jitaccess.governance.spi.OwnerDirectory}; a
   * directory that fails counts as "not known to be active", so the grant is flagged.
   */
  OWNER_GONE
}
