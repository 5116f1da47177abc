package dev.jitaccess.spring.boot.properties;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * {@code jit.governance.tiers.<name>.*}: one risk tier. Every unset field keeps the value of the
 * tier it is based on: the default tier of the same name, or {@code based-on} (default {@code
 * MEDIUM}) for a new one.
 */
public class TierProperties {
  /** The default tier to start from: LOW, MEDIUM, HIGH, CRITICAL or LONG_RUNNING. */
  private @Nullable String basedOn;

  /** Higher is riskier. */
  private @Nullable Integer rank;

  /** The longest lifetime a request may ask for, and a renewal may add. */
  private @Nullable Duration maxLifetime;

  /** How long after activation a grant may live at most, renewals included. */
  private @Nullable Duration hardCap;

  /** How many distinct approvals a request needs, 0 to 16. */
  private @Nullable Integer approvals;

  /** Whether grants renew. */
  private @Nullable Boolean renewable;

  /** Whether a renewal needs the grant's task to be alive (needs renewable). */
  private @Nullable Boolean renewOnlyWhileTaskAlive;

  /** Whether break-glass is allowed. */
  private @Nullable Boolean breakGlass;

  /** The hard cap of a break-glass grant. */
  private @Nullable Duration breakGlassCap;

  /** How often live grants are recertified. */
  private @Nullable Duration recertifyEvery;

  /** The longest window of a pre-approved bundle in this tier. */
  private @Nullable Duration maxBundleWindow;

  /** What a missed recertification does: NOTIFY, SUSPEND or REVOKE. */
  private @Nullable String onLapse;

  /** The default tier to start from; null for the same name, else MEDIUM. */
  public @Nullable String getBasedOn() {
    return basedOn;
  }

  /** Sets the default tier to start from. */
  public void setBasedOn(@Nullable String basedOn) {
    this.basedOn = basedOn;
  }

  /** The rank; null to keep the base's. */
  public @Nullable Integer getRank() {
    return rank;
  }

  /** Sets the rank. */
  public void setRank(@Nullable Integer rank) {
    this.rank = rank;
  }

  /** The longest lifetime; null to keep the base's. */
  public @Nullable Duration getMaxLifetime() {
    return maxLifetime;
  }

  /** Sets the longest lifetime. */
  public void setMaxLifetime(@Nullable Duration maxLifetime) {
    this.maxLifetime = maxLifetime;
  }

  /** The hard cap; null to keep the base's. */
  public @Nullable Duration getHardCap() {
    return hardCap;
  }

  /** Sets the hard cap. */
  public void setHardCap(@Nullable Duration hardCap) {
    this.hardCap = hardCap;
  }

  /** How many approvals; null to keep the base's. */
  public @Nullable Integer getApprovals() {
    return approvals;
  }

  /** Sets how many approvals. */
  public void setApprovals(@Nullable Integer approvals) {
    this.approvals = approvals;
  }

  /** Whether grants renew; null to keep the base's. */
  public @Nullable Boolean getRenewable() {
    return renewable;
  }

  /** Sets whether grants renew. */
  public void setRenewable(@Nullable Boolean renewable) {
    this.renewable = renewable;
  }

  /** Whether renewal needs the task alive; null to keep the base's. */
  public @Nullable Boolean getRenewOnlyWhileTaskAlive() {
    return renewOnlyWhileTaskAlive;
  }

  /** Sets whether renewal needs the task alive. */
  public void setRenewOnlyWhileTaskAlive(@Nullable Boolean renewOnlyWhileTaskAlive) {
    this.renewOnlyWhileTaskAlive = renewOnlyWhileTaskAlive;
  }

  /** Whether break-glass is allowed; null to keep the base's. */
  public @Nullable Boolean getBreakGlass() {
    return breakGlass;
  }

  /** Sets whether break-glass is allowed. */
  public void setBreakGlass(@Nullable Boolean breakGlass) {
    this.breakGlass = breakGlass;
  }

  /** The break-glass hard cap; null to keep the base's. */
  public @Nullable Duration getBreakGlassCap() {
    return breakGlassCap;
  }

  /** Sets the break-glass hard cap. */
  public void setBreakGlassCap(@Nullable Duration breakGlassCap) {
    this.breakGlassCap = breakGlassCap;
  }

  /** How often grants are recertified; null to keep the base's. */
  public @Nullable Duration getRecertifyEvery() {
    return recertifyEvery;
  }

  /** Sets how often grants are recertified. */
  public void setRecertifyEvery(@Nullable Duration recertifyEvery) {
    this.recertifyEvery = recertifyEvery;
  }

  /** The longest bundle window; null to keep the base's. */
  public @Nullable Duration getMaxBundleWindow() {
    return maxBundleWindow;
  }

  /** Sets the longest bundle window. */
  public void setMaxBundleWindow(@Nullable Duration maxBundleWindow) {
    this.maxBundleWindow = maxBundleWindow;
  }

  /** What a missed recertification does; null to keep the base's. */
  public @Nullable String getOnLapse() {
    return onLapse;
  }

  /** Sets what a missed recertification does. */
  public void setOnLapse(@Nullable String onLapse) {
    this.onLapse = onLapse;
  }

  void validate(String prefix, Rules rules) {
    if (basedOn != null && !GovernanceProperties.DEFAULT_TIERS.contains(basedOn)) {
      rules.reject(prefix + ".based-on", "must name a default tier "
          + GovernanceProperties.DEFAULT_TIERS + ", was '" + basedOn + "'");
    }
    rules.range(prefix + ".approvals", approvals, 0, 16);
    rules.positive(prefix + ".max-lifetime", maxLifetime);
    rules.positive(prefix + ".hard-cap", hardCap);
    rules.positive(prefix + ".break-glass-cap", breakGlassCap);
    rules.positive(prefix + ".recertify-every", recertifyEvery);
    rules.positive(prefix + ".max-bundle-window", maxBundleWindow);
    if (onLapse != null && !onLapse.matches("(?i)NOTIFY|SUSPEND|REVOKE")) {
      rules.reject(prefix + ".on-lapse", "must be one of NOTIFY, SUSPEND, REVOKE, was '"
          + onLapse + "'");
    }
  }
}
