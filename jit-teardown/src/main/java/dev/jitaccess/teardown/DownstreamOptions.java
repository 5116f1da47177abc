package dev.jitaccess.teardown;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * How a teardown calls one downstream: on which executor its attempts run and how many at a time,
 * how long a call may take before it is cut and retried, how many cut calls may still be running,
 * and its own retry ladder. Immutable and thread-safe; {@link #ofDefaults()}: one attempt at a
 * time on a thread of the teardown's own (stopped by {@link Teardown#close()}), a 30 s timeout, at
 * most 4 cut calls still running, and the teardown's ladder.
 */
public final class DownstreamOptions {
  /** The timeout of each call by default. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  /** Cut calls that may still be running by default. */
  public static final int DEFAULT_MAX_HUNG_CALLS = 4;

  private static final DownstreamOptions DEFAULTS = builder().build();

  private final @Nullable Executor executor;
  private final int concurrency;
  private final Duration timeout;
  private final int maxHungCalls;
  private final @Nullable RetryLadder ladder;

  private DownstreamOptions(Builder b) {
    this.executor = b.executor;
    this.concurrency = b.concurrency;
    this.timeout = b.timeout;
    this.maxHungCalls = b.maxHungCalls;
    this.ladder = b.ladder;
  }

  /** The defaults. */
  public static DownstreamOptions ofDefaults() {
    return DEFAULTS;
  }

  /** A builder, with the defaults set. */
  public static Builder builder() {
    return new Builder();
  }

  /** The executor attempts run on, or null for threads of the teardown's own. */
  public @Nullable Executor executor() {
    return executor;
  }

  /** How many attempts at this downstream may run at once (on as many executor threads). */
  public int concurrency() {
    return concurrency;
  }

  /** How long one call ({@code revoke} or {@code verify}) may take before it is cut. */
  public Duration timeout() {
    return timeout;
  }

  /**
   * How many calls cut by the timeout may still be running when the next call starts (a call that
   * ignores interruption keeps its thread): with more, the next call is not made and the attempt
   * counts as a retry, so a downstream that hangs holds at most {@code maxHungCalls + 1} threads.
   */
  public int maxHungCalls() {
    return maxHungCalls;
  }

  /** This downstream's ladder, or null for the teardown's. */
  public @Nullable RetryLadder ladder() {
    return ladder;
  }

  @Override
  public String toString() {
    return "DownstreamOptions[executor=" + (executor == null ? "own threads" : executor)
        + ", concurrency=" + concurrency + ", timeout=" + timeout + ", maxHungCalls="
        + maxHungCalls + ", ladder="
        + (ladder == null ? "the teardown's" : ladder) + "]";
  }

  /** Builds {@link DownstreamOptions}; each setter may be called once. Not thread-safe. */
  public static final class Builder {
    private @Nullable Executor executor;
    private int concurrency = 1;
    private Duration timeout = DEFAULT_TIMEOUT;
    private int maxHungCalls = DEFAULT_MAX_HUNG_CALLS;
    private @Nullable RetryLadder ladder;
    private boolean concurrencySet;
    private boolean timeoutSet;
    private boolean hungSet;

    private Builder() {}

    /**
     * The executor the downstream's attempts run on: never the thread that ended the grant. The
     * teardown runs at most {@link #concurrency} attempts on it at once, each a task that works
     * queued attempts one after another; the calls themselves run on threads of the teardown's
     * own, so that a call that hangs can be cut.
     */
    public Builder executor(Executor executor) {
      if (this.executor != null) {
        throw new IllegalStateException("executor was already set");
      }
      this.executor = Objects.requireNonNull(executor, "executor must not be null");
      return this;
    }

    /**
     * How many attempts at this downstream may run at once, from 1 (the default: one grant at a
     * time) to 64: for a slow downstream that takes parallel calls.
     */
    public Builder concurrency(int concurrency) {
      if (concurrencySet) {
        throw new IllegalStateException("concurrency was already set");
      }
      if (concurrency < 1 || concurrency > 64) {
        throw new IllegalArgumentException("concurrency must be in [1, 64], was " + concurrency);
      }
      this.concurrency = concurrency;
      concurrencySet = true;
      return this;
    }

    /** How long one call may take before it is cut and retried, {@code > 0}, at most 10 min. */
    public Builder timeout(Duration timeout) {
      if (timeoutSet) {
        throw new IllegalStateException("timeout was already set");
      }
      Objects.requireNonNull(timeout, "timeout must not be null");
      if (timeout.isNegative() || timeout.isZero()
          || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new IllegalArgumentException("timeout must be > 0 and <= PT10M, was " + timeout);
      }
      this.timeout = timeout;
      timeoutSet = true;
      return this;
    }

    /** How many cut calls may still be running, from 0 to 64. */
    public Builder maxHungCalls(int maxHungCalls) {
      if (hungSet) {
        throw new IllegalStateException("maxHungCalls was already set");
      }
      if (maxHungCalls < 0 || maxHungCalls > 64) {
        throw new IllegalArgumentException("maxHungCalls must be in [0, 64], was " + maxHungCalls);
      }
      this.maxHungCalls = maxHungCalls;
      hungSet = true;
      return this;
    }

    /** This downstream's own retry ladder. */
    public Builder ladder(RetryLadder ladder) {
      if (this.ladder != null) {
        throw new IllegalStateException("ladder was already set");
      }
      this.ladder = Objects.requireNonNull(ladder, "ladder must not be null");
      return this;
    }

    /** The options. */
    public DownstreamOptions build() {
      return new DownstreamOptions(this);
    }
  }
}
