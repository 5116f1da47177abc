package dev.jitaccess.governance;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The risk tiers a governance knows, by name. {@link #ofDefaults()}:
 *
 * <table>
 *   <caption>Default tiers</caption>
 *   <tr><th>tier</th><th>rank</th><th>max lifetime</th><th>hard cap</th><th>approvals</th>
 *       <th>renewal</th><th>break-glass (cap)</th><th>recertify</th></tr>
 *   <tr><td>LOW</td><td>0</td><td>8 h</td><td>24 h</td><td>0</td><td>yes</td><td>no</td>
 *       <td>30 d</td></tr>
 *   <tr><td>MEDIUM</td><td>1</td><td>4 h</td><td>12 h</td><td>1</td><td>yes</td><td>no</td>
 *       <td>14 d</td></tr>
 *   <tr><td>HIGH</td><td>2</td><td>1 h</td><td>4 h</td><td>2</td><td>yes</td><td>yes (1 h)</td>
 *       <td>7 d</td></tr>
 *   <tr><td>CRITICAL</td><td>3</td><td>30 min</td><td>1 h</td><td>2</td><td>no</td>
 *       <td>yes (30 min)</td><td>1 d</td></tr>
 *   <tr><td>LONG_RUNNING</td><td>2</td><td>1 h</td><td>7 d</td><td>2</td>
 *       <td>only while the task is alive</td><td>no</td><td>1 d</td></tr>
 * </table>
 *
 * <p>A recertification that lapses revokes in HIGH and CRITICAL, suspends renewal in
 * LONG_RUNNING, and notifies in LOW and MEDIUM.
 *
 * <p>A bundle's window may be at most 90 days in LOW, 30 in MEDIUM and LONG_RUNNING, 7 in HIGH
 * and 1 in CRITICAL.
 *
 * <p>LONG_RUNNING is the explicit exception for jobs that outlive a short grant: each renewal adds
 * at most an hour, and only while the job's task is alive. Immutable and thread-safe.
 */
public final class RiskTiers {
  /** The name of the default tier for low-risk access. */
  public static final String LOW = "LOW";
  /** The name of the default tier for everyday production access. */
  public static final String MEDIUM = "MEDIUM";
  /** The name of the default tier for sensitive access. */
  public static final String HIGH = "HIGH";
  /** The name of the default tier for destructive or administrative access. */
  public static final String CRITICAL = "CRITICAL";
  /** The name of the default exception tier for long-running jobs. */
  public static final String LONG_RUNNING = "LONG_RUNNING";

  private static final RiskTiers DEFAULTS = of(
      RiskTier.builder(LOW).rank(0).maxLifetime(Duration.ofHours(8)).hardCap(Duration.ofHours(24))
          .approvals(0).recertifyEvery(Duration.ofDays(30)).maxBundleWindow(Duration.ofDays(90))
          .build(),
      RiskTier.builder(MEDIUM).build(),
      RiskTier.builder(HIGH).rank(2).maxLifetime(Duration.ofHours(1)).hardCap(Duration.ofHours(4))
          .approvals(2).breakGlass(true, Duration.ofHours(1)).recertifyEvery(Duration.ofDays(7))
          .maxBundleWindow(Duration.ofDays(7)).onLapse(LapseAction.REVOKE).build(),
      RiskTier.builder(CRITICAL).rank(3).maxLifetime(Duration.ofMinutes(30))
          .hardCap(Duration.ofHours(1)).approvals(2).renewable(false, false)
          .breakGlass(true, Duration.ofMinutes(30)).recertifyEvery(Duration.ofDays(1))
          .maxBundleWindow(Duration.ofDays(1)).onLapse(LapseAction.REVOKE).build(),
      RiskTier.builder(LONG_RUNNING).rank(2).maxLifetime(Duration.ofHours(1))
          .hardCap(Duration.ofDays(7)).approvals(2).renewable(true, true)
          .recertifyEvery(Duration.ofDays(1)).onLapse(LapseAction.SUSPEND).build());

  private final Map<String, RiskTier> byName;

  private RiskTiers(Map<String, RiskTier> byName) {
    this.byName = byName;
  }

  /** The default tiers. */
  public static RiskTiers ofDefaults() {
    return DEFAULTS;
  }

  /**
   * Exactly these tiers.
   *
   * @throws IllegalArgumentException if there are none or two share a name
   */
  public static RiskTiers of(RiskTier... tiers) {
    if (tiers.length == 0) {
      throw new IllegalArgumentException("tiers must hold at least one tier");
    }
    Map<String, RiskTier> map = new LinkedHashMap<>();
    for (RiskTier tier : tiers) {
      Objects.requireNonNull(tier, "tier must not be null");
      if (map.putIfAbsent(tier.name(), tier) != null) {
        throw new IllegalArgumentException("tiers must have distinct names, " + tier.name()
            + " is given twice");
      }
    }
    return new RiskTiers(Collections.unmodifiableMap(map));
  }

  /**
   * The tier named {@code name}.
   *
   * @throws GovernanceException {@link GovernanceException.Rule#UNKNOWN_TIER} if there is none
   */
  public RiskTier get(String name) {
    RiskTier tier = name == null ? null : byName.get(name);
    if (tier == null) {
      throw new GovernanceException(GovernanceException.Rule.UNKNOWN_TIER,
          "tier must be one of " + byName.keySet() + ", was " + name);
    }
    return tier;
  }

  /** Every tier, in the order given. */
  public Collection<RiskTier> all() {
    return byName.values();
  }

  @Override
  public String toString() {
    return "RiskTiers" + byName.keySet();
  }
}
