package dev.jitaccess.spring.boot;

import dev.jitaccess.governance.LapseAction;
import dev.jitaccess.governance.RiskTier;
import dev.jitaccess.governance.RiskTiers;
import dev.jitaccess.spring.boot.properties.GovernanceProperties;
import dev.jitaccess.spring.boot.properties.TierProperties;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Makes the {@link RiskTiers} of {@code jit.governance.tiers.*} and {@code keep-default-tiers}. */
final class TierFactory {
  private TierFactory() {}

  /**
   * The tiers: the defaults (if kept), each changed by the configured tier of its name, then the
   * configured tiers that are new, in the order given.
   *
   * @throws IllegalStateException naming the tier's property and the broken rule
   */
  static RiskTiers tiers(GovernanceProperties properties) {
    Map<String, RiskTier> tiers = new LinkedHashMap<>();
    if (properties.isKeepDefaultTiers()) {
      for (RiskTier tier : RiskTiers.ofDefaults().all()) {
        tiers.put(tier.name(), tier);
      }
    }
    properties.getTiers().forEach((name, configured) ->
        tiers.put(name, tier(name, configured)));
    return RiskTiers.of(tiers.values().toArray(new RiskTier[0]));
  }

  private static RiskTier tier(String name, TierProperties p) {
    String baseName = p.getBasedOn() != null ? p.getBasedOn()
        : isDefault(name) ? name : RiskTiers.MEDIUM;
    RiskTier base = RiskTiers.ofDefaults().get(baseName);
    try {
      return new RiskTier(name,
          p.getRank() != null ? p.getRank() : base.rank(),
          p.getMaxLifetime() != null ? p.getMaxLifetime() : base.maxLifetime(),
          p.getHardCap() != null ? p.getHardCap() : base.hardCap(),
          p.getApprovals() != null ? p.getApprovals() : base.approvals(),
          p.getRenewable() != null ? p.getRenewable() : base.renewable(),
          p.getRenewOnlyWhileTaskAlive() != null ? p.getRenewOnlyWhileTaskAlive()
              : base.renewOnlyWhileTaskAlive(),
          p.getBreakGlass() != null ? p.getBreakGlass() : base.breakGlass(),
          p.getBreakGlassCap() != null ? p.getBreakGlassCap() : base.breakGlassCap(),
          p.getRecertifyEvery() != null ? p.getRecertifyEvery() : base.recertifyEvery(),
          p.getMaxBundleWindow() != null ? p.getMaxBundleWindow() : base.maxBundleWindow(),
          p.getOnLapse() != null ? LapseAction.valueOf(p.getOnLapse().toUpperCase(Locale.ROOT))
              : base.onLapse());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("jit.governance.tiers." + name + " is not a valid tier: "
          + e.getMessage(), e);
    }
  }

  private static boolean isDefault(String name) {
    for (RiskTier tier : RiskTiers.ofDefaults().all()) {
      if (tier.name().equals(name)) {
        return true;
      }
    }
    return false;
  }
}
