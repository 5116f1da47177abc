package dev.jitaccess.governance;

import dev.jitaccess.governance.spi.LingeringSource;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How expiry warnings and exposure reports are configured, checked when the governance is built.
 *
 * @param lead how long before expiry a grant is warned of; null: no warnings
 * @param maxInterval the longest time between two expiry sweeps
 * @param listeners told of each warning
 * @param thresholds when exposure reports flag smells
 * @param trackLastUse whether the last use of each grant is remembered
 * @param lingering the ended grants whose teardown lingers, shown by exposure reports; or null
 */
record OversightSettings(@Nullable Duration lead, Duration maxInterval,
    List<ExpiryWarningListener> listeners, ExposureThresholds thresholds, boolean trackLastUse,
    @Nullable LingeringSource lingering) {

  OversightSettings {
    listeners = List.copyOf(listeners);
  }

  /**
   * The settings of {@code b}.
   *
   * @throws IllegalStateException naming the setting, if one needs another that is missing
   */
  static OversightSettings of(GovernanceBuilder b) {
    if (b.expiryWarningLead == null && !b.expiryWarningListeners.isEmpty()) {
      throw new IllegalStateException("expiryWarningListener needs expiryWarnings(lead) to be set");
    }
    return new OversightSettings(b.expiryWarningLead,
        b.expirySweepInterval != null ? b.expirySweepInterval : Duration.ofMinutes(1),
        b.expiryWarningListeners,
        b.exposureThresholds != null ? b.exposureThresholds : ExposureThresholds.ofDefaults(),
        b.trackLastUse, b.lingeringSource);
  }
}
