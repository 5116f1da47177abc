package dev.jitaccess.spring.boot.properties;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * {@code jit.governance.*}: requests, approvals, break-glass and exposure reports (jit-governance
 * on the class path). Risk tiers are the library's five defaults ({@code LOW}, {@code MEDIUM},
 * {@code HIGH}, {@code CRITICAL}, {@code LONG_RUNNING}), changed or added to by {@code
 * jit.governance.tiers.<name>.*}, or replaced by them with {@code keep-default-tiers=false}.
 */
public class GovernanceProperties {
  /** The default tiers' names ({@code RiskTiers}' constants). */
  static final List<String> DEFAULT_TIERS =
      List.of("LOW", "MEDIUM", "HIGH", "CRITICAL", "LONG_RUNNING");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:@-]{0,63}");

  /** Whether governance is configured when jit-governance is on the class path. */
  private boolean enabled = true;

  /** Whether the five default tiers stay beside those configured under tiers (false: exactly the configured ones). */
  private boolean keepDefaultTiers = true;

  /** Risk tiers by name: each changes the default tier of that name, or adds one (starting from based-on, default MEDIUM). */
  private Map<String, TierProperties> tiers = new LinkedHashMap<>();

  /** How long a request waits for approval before it expires (default 1h). */
  private @Nullable Duration requestTtl;

  /** How long an approved request may wait to be activated (default 1h). */
  private @Nullable Duration activationWindow;

  /** How long after break-glass its review is due (default 24h). */
  private @Nullable Duration reviewDeadline;

  /** How far ahead a request may ask to start (default 7d). */
  private @Nullable Duration maxStartDelay;

  /** Whether each grant's last use is remembered for exposure reports (audits every allowed check). */
  private boolean trackLastUse;

  /** Whether governance is configured. */
  public boolean isEnabled() {
    return enabled;
  }

  /** Sets whether governance is configured. */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** Whether the default tiers stay beside the configured ones. */
  public boolean isKeepDefaultTiers() {
    return keepDefaultTiers;
  }

  /** Sets whether the default tiers stay beside the configured ones. */
  public void setKeepDefaultTiers(boolean keepDefaultTiers) {
    this.keepDefaultTiers = keepDefaultTiers;
  }

  /** The configured tiers, by name, in the order given. */
  public Map<String, TierProperties> getTiers() {
    return tiers;
  }

  /** Sets the configured tiers. */
  public void setTiers(Map<String, TierProperties> tiers) {
    this.tiers = tiers;
  }

  /** How long a request waits for approval; null for the library's default. */
  public @Nullable Duration getRequestTtl() {
    return requestTtl;
  }

  /** Sets how long a request waits for approval. */
  public void setRequestTtl(@Nullable Duration requestTtl) {
    this.requestTtl = requestTtl;
  }

  /** How long an approved request may wait to be activated; null for the library's default. */
  public @Nullable Duration getActivationWindow() {
    return activationWindow;
  }

  /** Sets how long an approved request may wait to be activated. */
  public void setActivationWindow(@Nullable Duration activationWindow) {
    this.activationWindow = activationWindow;
  }

  /** How long after break-glass its review is due; null for the library's default. */
  public @Nullable Duration getReviewDeadline() {
    return reviewDeadline;
  }

  /** Sets how long after break-glass its review is due. */
  public void setReviewDeadline(@Nullable Duration reviewDeadline) {
    this.reviewDeadline = reviewDeadline;
  }

  /** How far ahead a request may ask to start; null for the library's default. */
  public @Nullable Duration getMaxStartDelay() {
    return maxStartDelay;
  }

  /** Sets how far ahead a request may ask to start. */
  public void setMaxStartDelay(@Nullable Duration maxStartDelay) {
    this.maxStartDelay = maxStartDelay;
  }

  /** Whether each grant's last use is remembered for exposure reports. */
  public boolean isTrackLastUse() {
    return trackLastUse;
  }

  /** Sets whether each grant's last use is remembered for exposure reports. */
  public void setTrackLastUse(boolean trackLastUse) {
    this.trackLastUse = trackLastUse;
  }

  void validate(Rules rules) {
    rules.positive("jit.governance.request-ttl", requestTtl);
    rules.positive("jit.governance.activation-window", activationWindow);
    rules.positive("jit.governance.review-deadline", reviewDeadline);
    rules.positive("jit.governance.max-start-delay", maxStartDelay);
    if (!keepDefaultTiers && tiers.isEmpty()) {
      rules.reject("jit.governance.tiers", "must define at least one tier when "
          + "jit.governance.keep-default-tiers is false");
    }
    tiers.forEach((name, tier) -> {
      String prefix = "jit.governance.tiers." + name;
      if (!NAME.matcher(name).matches()) {
        rules.reject(prefix, "is not a valid tier name: 1 to 64 of [A-Za-z0-9_.:@-], "
            + "starting with a letter or digit");
      }
      tier.validate(prefix, rules);
    });
  }
}
