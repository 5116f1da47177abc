package dev.jitaccess.teardown;

import java.time.Duration;
import java.util.Objects;

/**
 * How often and how far apart a downstream is asked again before its teardown is IRREVOCABLE:
 * up to {@link #attempts()} attempts, the first at once, then after delays that grow from {@link
 * #firstDelay()} by {@link #multiplier()} up to {@link #maxDelay()}, each spread by a random
 * {@link #jitter()} so that many entries that failed together do not retry together.
 *
 * <p>The defaults ({@link #ofDefaults()}) follow Vault's revocation ladder: 6 attempts, 10 s
 * doubling (10, 20, 40, 80, 160 s, so about five minutes in all), capped at 10 minutes, each
 * delay spread by &plusmn;20 %. Immutable and thread-safe.
 */
public final class RetryLadder {
  /** Attempts by default. */
  public static final int DEFAULT_ATTEMPTS = 6;
  /** The delay after the first failed attempt by default. */
  public static final Duration DEFAULT_FIRST_DELAY = Duration.ofSeconds(10);
  /** The growth of each delay by default. */
  public static final double DEFAULT_MULTIPLIER = 2.0;
  /** The longest delay by default. */
  public static final Duration DEFAULT_MAX_DELAY = Duration.ofMinutes(10);
  /** The spread of each delay by default: &plusmn;20 %. */
  public static final double DEFAULT_JITTER = 0.2;
  /** The most attempts a ladder may have. */
  public static final int MAX_ATTEMPTS = 100;

  private static final RetryLadder DEFAULTS = builder().build();

  private final int attempts;
  private final Duration firstDelay;
  private final double multiplier;
  private final Duration maxDelay;
  private final double jitter;

  private RetryLadder(Builder b) {
    this.attempts = b.attempts;
    this.firstDelay = b.firstDelay;
    this.multiplier = b.multiplier;
    this.maxDelay = b.maxDelay;
    this.jitter = b.jitter;
  }

  /** The default ladder. */
  public static RetryLadder ofDefaults() {
    return DEFAULTS;
  }

  /** A builder, with the defaults set. */
  public static Builder builder() {
    return new Builder();
  }

  /** How many attempts are made before the entry is IRREVOCABLE, {@code >= 1}. */
  public int attempts() {
    return attempts;
  }

  /** The delay after the first failed attempt, before jitter. */
  public Duration firstDelay() {
    return firstDelay;
  }

  /** How much each delay grows over the one before, {@code >= 1}. */
  public double multiplier() {
    return multiplier;
  }

  /** The longest delay, before jitter. */
  public Duration maxDelay() {
    return maxDelay;
  }

  /** The spread of each delay, from 0 (none) to 1: a delay d becomes one in [d(1-j), d(1+j)]. */
  public double jitter() {
    return jitter;
  }

  /**
   * The delay before jitter after failed attempt {@code attempt} (from 1): {@code firstDelay *
   * multiplier^(attempt-1)}, at most {@link #maxDelay()}.
   *
   * @throws IllegalArgumentException if {@code attempt} is not in [1, attempts - 1]
   */
  public Duration baseDelayAfter(int attempt) {
    if (attempt < 1 || attempt >= attempts) {
      throw new IllegalArgumentException(
          "attempt must be in [1, " + (attempts - 1) + "], was " + attempt);
    }
    double nanos = firstDelay.toNanos() * Math.pow(multiplier, attempt - 1);
    long max = maxDelay.toNanos();
    return Duration.ofNanos(nanos >= max ? max : (long) nanos);
  }

  /**
   * The delay after failed attempt {@code attempt}, spread by {@code random} (a number in [0, 1)):
   * {@code base * (1 - jitter + 2 * jitter * random)}, never below one millisecond.
   *
   * @throws IllegalArgumentException if {@code attempt} is not in [1, attempts - 1] or {@code
   *     random} not in [0, 1)
   */
  public Duration delayAfter(int attempt, double random) {
    if (!(random >= 0 && random < 1)) {
      throw new IllegalArgumentException("random must be in [0, 1), was " + random);
    }
    long base = baseDelayAfter(attempt).toNanos();
    double factor = 1 - jitter + 2 * jitter * random;
    return Duration.ofNanos(Math.max(1_000_000L, (long) (base * factor)));
  }

  @Override
  public String toString() {
    return "RetryLadder[attempts=" + attempts + ", firstDelay=" + firstDelay + ", multiplier="
        + multiplier + ", maxDelay=" + maxDelay + ", jitter=" + jitter + "]";
  }

  /** Builds a {@link RetryLadder}; starts with the defaults. Not thread-safe. */
  public static final class Builder {
    private int attempts = DEFAULT_ATTEMPTS;
    private Duration firstDelay = DEFAULT_FIRST_DELAY;
    private double multiplier = DEFAULT_MULTIPLIER;
    private Duration maxDelay = DEFAULT_MAX_DELAY;
    private double jitter = DEFAULT_JITTER;

    private Builder() {}

    /** Attempts before IRREVOCABLE, from 1 to {@value RetryLadder#MAX_ATTEMPTS}. */
    public Builder attempts(int attempts) {
      if (attempts < 1 || attempts > MAX_ATTEMPTS) {
        throw new IllegalArgumentException(
            "attempts must be in [1, " + MAX_ATTEMPTS + "], was " + attempts);
      }
      this.attempts = attempts;
      return this;
    }

    /** The delay after the first failed attempt, {@code > 0}. */
    public Builder firstDelay(Duration firstDelay) {
      this.firstDelay = positive(firstDelay, "firstDelay");
      return this;
    }

    /** The growth of each delay, from 1 (constant) to 10. */
    public Builder multiplier(double multiplier) {
      if (!(multiplier >= 1 && multiplier <= 10)) {
        throw new IllegalArgumentException("multiplier must be in [1, 10], was " + multiplier);
      }
      this.multiplier = multiplier;
      return this;
    }

    /** The longest delay, {@code > 0}, at most 30 days. */
    public Builder maxDelay(Duration maxDelay) {
      positive(maxDelay, "maxDelay");
      if (maxDelay.compareTo(Duration.ofDays(30)) > 0) {
        throw new IllegalArgumentException("maxDelay must be <= P30D, was " + maxDelay);
      }
      this.maxDelay = maxDelay;
      return this;
    }

    /** The spread of each delay, from 0 (none) to 1. */
    public Builder jitter(double jitter) {
      if (!(jitter >= 0 && jitter <= 1)) {
        throw new IllegalArgumentException("jitter must be in [0, 1], was " + jitter);
      }
      this.jitter = jitter;
      return this;
    }

    /**
     * The ladder.
     *
     * @throws IllegalArgumentException if firstDelay is longer than maxDelay
     */
    public RetryLadder build() {
      if (firstDelay.compareTo(maxDelay) > 0) {
        throw new IllegalArgumentException("firstDelay must be <= maxDelay " + maxDelay
            + ", was " + firstDelay);
      }
      return new RetryLadder(this);
    }

    private static Duration positive(Duration d, String field) {
      Objects.requireNonNull(d, () -> field + " must not be null");
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(field + " must be > 0, was " + d);
      }
      return d;
    }
  }
}
