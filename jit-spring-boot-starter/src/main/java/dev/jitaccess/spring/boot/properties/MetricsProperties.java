package dev.jitaccess.spring.boot.properties;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * {@code jit.metrics.*}: Micrometer meters (jit-micrometer), configured when a {@code
 * MeterRegistry} bean exists. Unset values keep jit-micrometer's defaults.
 */
public class MetricsProperties {
  /** Whether the meters are configured when jit-micrometer and a MeterRegistry are present. */
  private boolean enabled = true;

  /** The least time between two reads of one gauge's backend (default 30s). */
  private @Nullable Duration refreshInterval;

  /** The most grants one read of the grant store scans for the live-grants gauge (default 100000). */
  private @Nullable Integer maxScan;

  /** The most pending requests, or lingering teardown entries, one read counts (default 10000). */
  private @Nullable Integer maxCount;

  /** The most distinct reason codes kept as tags of jit.audit.events (default 100). */
  private @Nullable Integer maxReasons;

  /** How long after its grant ended an unsettled teardown entry counts as lingering (default 15m). */
  private @Nullable Duration lingeringAfter;

  /** Whether the meters are configured (default true). */
  public boolean isEnabled() {
    return enabled;
  }

  /** Sets whether the meters are configured. */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** The least time between two reads of a gauge's backend; null for the default. */
  public @Nullable Duration getRefreshInterval() {
    return refreshInterval;
  }

  /** Sets the least time between two reads of a gauge's backend. */
  public void setRefreshInterval(@Nullable Duration refreshInterval) {
    this.refreshInterval = refreshInterval;
  }

  /** The most grants one scan reads; null for the default. */
  public @Nullable Integer getMaxScan() {
    return maxScan;
  }

  /** Sets the most grants one scan reads. */
  public void setMaxScan(@Nullable Integer maxScan) {
    this.maxScan = maxScan;
  }

  /** The most pending requests or lingering entries one read counts; null for the default. */
  public @Nullable Integer getMaxCount() {
    return maxCount;
  }

  /** Sets the most pending requests or lingering entries one read counts. */
  public void setMaxCount(@Nullable Integer maxCount) {
    this.maxCount = maxCount;
  }

  /** The most distinct reason tags; null for the default. */
  public @Nullable Integer getMaxReasons() {
    return maxReasons;
  }

  /** Sets the most distinct reason tags. */
  public void setMaxReasons(@Nullable Integer maxReasons) {
    this.maxReasons = maxReasons;
  }

  /** How long after its grant ended an entry lingers; null for the default. */
  public @Nullable Duration getLingeringAfter() {
    return lingeringAfter;
  }

  /** Sets how long after its grant ended an entry lingers. */
  public void setLingeringAfter(@Nullable Duration lingeringAfter) {
    this.lingeringAfter = lingeringAfter;
  }

  void validate(Rules rules) {
    rules.positive("jit.metrics.refresh-interval", refreshInterval);
    rules.range("jit.metrics.max-scan", maxScan, 1, 10_000_000);
    rules.range("jit.metrics.max-count", maxCount, 1, 1_000_000);
    rules.range("jit.metrics.max-reasons", maxReasons, 1, 10_000);
    if (lingeringAfter != null && lingeringAfter.isNegative()) {
      rules.reject("jit.metrics.lingering-after", "must be >= 0, was " + lingeringAfter);
    }
  }
}
