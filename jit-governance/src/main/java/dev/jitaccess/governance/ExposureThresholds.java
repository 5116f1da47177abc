package dev.jitaccess.governance;

/**
 * When a live grant in an {@linkplain ExposureReport exposure report} smells of standing access.
 * Immutable and thread-safe.
 *
 * @param renewedOften a grant is {@link ExposureSmell#RENEWED_OFTEN} when it has been renewed more
 *     than this many times ({@code >= 0}; default 3)
 * @param tierLifetimes a grant is {@link ExposureSmell#OLDER_THAN_TIER} when its age is over this
 *     many times its tier's {@link RiskTier#maxLifetime()} ({@code 1} to {@code 1000}; default 1:
 *     a grant that has lived longer than one lifetime of its tier has been renewed into standing
 *     access). Raise it where renewals are the norm, such as the LONG_RUNNING tier.
 */
public record ExposureThresholds(int renewedOften, int tierLifetimes) {
  private static final ExposureThresholds DEFAULTS = new ExposureThresholds(3, 1);

  /** Checks both, naming the field and the rule. */
  public ExposureThresholds {
    if (renewedOften < 0) {
      throw new IllegalArgumentException("renewedOften must be >= 0, was " + renewedOften);
    }
    if (tierLifetimes < 1 || tierLifetimes > 1000) {
      throw new IllegalArgumentException(
          "tierLifetimes must be within [1, 1000], was " + tierLifetimes);
    }
  }

  /** More than 3 renewals; older than one lifetime of the tier. */
  public static ExposureThresholds ofDefaults() {
    return DEFAULTS;
  }
}
