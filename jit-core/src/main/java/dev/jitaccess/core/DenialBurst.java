package dev.jitaccess.core;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.jitaccess.DenyReason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The built-in probing detector: {@code denials} out-of-scope (or malformed) denials of one grant
 * within a window. Per grant, the times of its last {@code denials} such denials (by the runtime's
 * clock, as the check read it) in a ring; a denial that completes the ring with its oldest less
 * than a window ago is a burst, so denials older than a window never count, however long an entry
 * is kept. The grants are tracked in a Caffeine cache bounded in size (least used dropped first),
 * with no time-based expiry: it reads no clock, so a denial pays for no clock read here. Thread-safe:
 * a ring is updated under its own lock.
 */
final class DenialBurst implements AnomalyDetector, AnomalyDetectors.PerRuntime {
  static final String NAME = "denial-burst";

  private final int denials;
  private final Duration window;
  private final long windowNanos;
  private final int maxTracked;
  /** Null until made for a runtime. */
  private final @Nullable Cache<String, Recent> tracked;
  private final Instant origin;

  DenialBurst(int denials, Duration window, int maxTracked) {
    this.denials = denials;
    this.window = window;
    this.windowNanos = saturatedNanos(window);
    this.maxTracked = maxTracked;
    this.tracked = null;
    this.origin = Instant.EPOCH;
  }

  private DenialBurst(DenialBurst spec, Clock clock) {
    this.denials = spec.denials;
    this.window = spec.window;
    this.windowNanos = spec.windowNanos;
    this.maxTracked = spec.maxTracked;
    this.origin = clock.instant();
    this.tracked = Caffeine.newBuilder()
        .executor(Runnable::run)
        .maximumSize(maxTracked)
        .build();
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  @Override
  public AnomalyDetector forRuntime(Clock clock) {
    return new DenialBurst(this, clock);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public @Nullable String inspect(ObservedCheck check) {
    Cache<String, Recent> cache = tracked;
    if (cache == null) {
      throw AnomalyDetectors.unbound(NAME);
    }
    DenyReason reason = check.decision().reason();
    if (reason != DenyReason.OUT_OF_SCOPE && reason != DenyReason.MALFORMED_REQUEST) {
      return null;
    }
    long at = Times.saturatedNanos(origin, check.at());
    Recent recent = cache.get(check.grant().id(), id -> new Recent(denials));
    long span = recent.record(at);
    if (span < 0 || span >= windowNanos) {
      return null;
    }
    return denials + " out-of-scope or malformed checks within " + window + " (the last "
        + Duration.ofNanos(span) + " after the first)";
  }

  /** How many grants are tracked now, for tests of the bound. */
  long tracked() {
    Cache<String, Recent> cache = tracked;
    if (cache == null) {
      return 0;
    }
    cache.cleanUp();
    return cache.estimatedSize();
  }

  @Override
  public String toString() {
    return NAME + "(" + denials + " within " + window + ", at most " + maxTracked + " grants)";
  }

  /** The times of one grant's last denials, oldest first from {@code next}. */
  private static final class Recent {
    private final long[] times;
    private int next;
    private int count;
    private long last = Long.MIN_VALUE;

    Recent(int size) {
      this.times = new long[size];
    }

    /**
     * Records a denial at {@code at} (never before the last one recorded: a clock read a moment
     * earlier by a racing thread counts as the same moment).
     *
     * @return how long after the oldest of the last {@code size} denials this one came, or -1 if
     *     fewer have been recorded
     */
    synchronized long record(long at) {
      long now = Math.max(at, last);
      last = now;
      times[next] = now;
      next = next + 1 == times.length ? 0 : next + 1;
      if (count < times.length) {
        count++;
      }
      return count < times.length ? -1 : now - times[next];
    }
  }
}
