package dev.jitaccess.governance;

import java.time.Duration;
import java.util.Objects;

/**
 * A named risk tier: how long its grants live, how many approvals they need, whether they renew,
 * whether break-glass is allowed, and how often they are recertified. Made with {@link
 * #builder(String)}; the defaults are in {@link RiskTiers#ofDefaults()}.
 *
 * @param name the tier's name, as requests and grants carry it
 * @param rank higher is riskier; a request's tier must rank at least as high as its scope's
 *     {@linkplain EligibilityRule minimum}
 * @param maxLifetime the longest lifetime a request may ask for, and a renewal may add
 * @param hardCap how long after activation its grant may live at most, renewals included
 * @param approvals how many distinct approvals a request needs (0: approved when requested)
 * @param renewable whether its grants renew
 * @param renewOnlyWhileTaskAlive whether a renewal needs the grant's task to be alive (the
 *     exception tier for long-running jobs)
 * @param breakGlass whether break-glass is allowed
 * @param breakGlassCap the hard cap of a break-glass grant
 * @param recertifyEvery how often its live grants are recertified
 * @param maxBundleWindow the longest window a pre-approved bundle in this tier may have
 * @param onLapse what happens when a recertification in this tier is not made in time
 */
public record RiskTier(String name, int rank, Duration maxLifetime, Duration hardCap,
    int approvals, boolean renewable, boolean renewOnlyWhileTaskAlive, boolean breakGlass,
    Duration breakGlassCap, Duration recertifyEvery, Duration maxBundleWindow,
    LapseAction onLapse) {

  /** Checks every rule, naming the field. */
  public RiskTier {
    Names.check(name, "name");
    positive(maxLifetime, "maxLifetime");
    positive(hardCap, "hardCap");
    positive(breakGlassCap, "breakGlassCap");
    positive(recertifyEvery, "recertifyEvery");
    positive(maxBundleWindow, "maxBundleWindow");
    Objects.requireNonNull(onLapse, "onLapse must not be null");
    if (hardCap.compareTo(maxLifetime) < 0) {
      throw new IllegalArgumentException("hardCap must be >= maxLifetime " + maxLifetime
          + ", was " + hardCap);
    }
    if (approvals < 0 || approvals > 16) {
      throw new IllegalArgumentException("approvals must be within [0, 16], was " + approvals);
    }
    if (renewOnlyWhileTaskAlive && !renewable) {
      throw new IllegalArgumentException("renewOnlyWhileTaskAlive needs renewable");
    }
  }

  private static void positive(Duration d, String field) {
    Objects.requireNonNull(d, () -> field + " must not be null");
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(field + " must be > 0, was " + d);
    }
  }

  /** A builder for a tier named {@code name}, starting from {@link RiskTiers#MEDIUM}'s values. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Builds a {@link RiskTier}. */
  public static final class Builder {
    private final String name;
    private int rank = 1;
    private Duration maxLifetime = Duration.ofHours(4);
    private Duration hardCap = Duration.ofHours(12);
    private int approvals = 1;
    private boolean renewable = true;
    private boolean renewOnlyWhileTaskAlive;
    private boolean breakGlass;
    private Duration breakGlassCap = Duration.ofHours(1);
    private Duration recertifyEvery = Duration.ofDays(14);
    private Duration maxBundleWindow = Duration.ofDays(30);
    private LapseAction onLapse = LapseAction.NOTIFY;

    private Builder(String name) {
      this.name = name;
    }

    /** Higher is riskier. */
    public Builder rank(int rank) {
      this.rank = rank;
      return this;
    }

    /** The longest lifetime a request may ask for, and a renewal may add. */
    public Builder maxLifetime(Duration maxLifetime) {
      this.maxLifetime = maxLifetime;
      return this;
    }

    /** How long after activation a grant may live at most. */
    public Builder hardCap(Duration hardCap) {
      this.hardCap = hardCap;
      return this;
    }

    /** How many distinct approvals a request needs. */
    public Builder approvals(int approvals) {
      this.approvals = approvals;
      return this;
    }

    /** Whether grants renew; {@code whileTaskAlive}: only while their task is alive. */
    public Builder renewable(boolean renewable, boolean whileTaskAlive) {
      this.renewable = renewable;
      this.renewOnlyWhileTaskAlive = whileTaskAlive;
      return this;
    }

    /** Whether break-glass is allowed, and the hard cap of its grants. */
    public Builder breakGlass(boolean allowed, Duration cap) {
      this.breakGlass = allowed;
      this.breakGlassCap = cap;
      return this;
    }

    /** How often live grants are recertified. */
    public Builder recertifyEvery(Duration every) {
      this.recertifyEvery = every;
      return this;
    }

    /** The longest window of a bundle in this tier. */
    public Builder maxBundleWindow(Duration window) {
      this.maxBundleWindow = window;
      return this;
    }

    /** What happens when a recertification is not made in time. */
    public Builder onLapse(LapseAction action) {
      this.onLapse = action;
      return this;
    }

    /** The tier; checks every rule. */
    public RiskTier build() {
      return new RiskTier(name, rank, maxLifetime, hardCap, approvals, renewable,
          renewOnlyWhileTaskAlive, breakGlass, breakGlassCap, recertifyEvery, maxBundleWindow,
          onLapse);
    }
  }
}
