package dev.jitaccess.spring.boot.properties;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * {@code jit.teardown.*}: verified teardown (jit-teardown), configured when the application
 * defines at least one {@code Downstream} bean. Unset values keep the library's defaults.
 */
public class TeardownProperties {
  /** Whether verified teardown is configured when jit-teardown and a Downstream bean are present. */
  private boolean enabled = true;

  /** This replica's unique name in the shared ledger (default: a random one). */
  private @Nullable String instanceId;

  /** How often due entries are claimed and worked (default 30s). */
  private @Nullable Duration pollInterval;

  /** How long a replica holds an entry it works; more than twice a downstream's timeout (default 5m). */
  private @Nullable Duration lease;

  /** How long settled entries are kept after their last change (default 7d). */
  private @Nullable Duration settledRetention;

  /** Whether verified teardown is configured. */
  public boolean isEnabled() {
    return enabled;
  }

  /** Sets whether verified teardown is configured. */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** This replica's name in the ledger; null for a random one. */
  public @Nullable String getInstanceId() {
    return instanceId;
  }

  /** Sets this replica's name in the ledger. */
  public void setInstanceId(@Nullable String instanceId) {
    this.instanceId = instanceId;
  }

  /** How often due entries are claimed; null for the library's default. */
  public @Nullable Duration getPollInterval() {
    return pollInterval;
  }

  /** Sets how often due entries are claimed. */
  public void setPollInterval(@Nullable Duration pollInterval) {
    this.pollInterval = pollInterval;
  }

  /** How long a replica holds an entry; null for the library's default. */
  public @Nullable Duration getLease() {
    return lease;
  }

  /** Sets how long a replica holds an entry. */
  public void setLease(@Nullable Duration lease) {
    this.lease = lease;
  }

  /** How long settled entries are kept; null for the library's default. */
  public @Nullable Duration getSettledRetention() {
    return settledRetention;
  }

  /** Sets how long settled entries are kept. */
  public void setSettledRetention(@Nullable Duration settledRetention) {
    this.settledRetention = settledRetention;
  }

  void validate(Rules rules) {
    rules.positive("jit.teardown.poll-interval", pollInterval);
    rules.positive("jit.teardown.lease", lease);
    rules.positive("jit.teardown.settled-retention", settledRetention);
    if (instanceId != null && instanceId.isBlank()) {
      rules.reject("jit.teardown.instance-id", "must not be blank");
    }
  }
}
