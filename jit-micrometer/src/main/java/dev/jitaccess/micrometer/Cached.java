package dev.jitaccess.micrometer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A value read from a backend at most once per interval of the injected clock, for gauges: a
 * scrape reads the backend only if the last read is at least the interval old, and only one
 * thread reads it at a time (the others get the previous value). A read that fails leaves no
 * value, so the gauge shows NaN (unknown) rather than a number that is no longer true, and is
 * logged with the exception's class only. Thread-safe.
 */
final class Cached<T> {
  private static final Logger LOG = LoggerFactory.getLogger(Cached.class);

  private final String what;
  private final Supplier<T> read;
  private final Clock clock;
  private final Duration interval;
  private final ReentrantLock reading = new ReentrantLock();
  private volatile @Nullable T value;
  private volatile @Nullable Instant readAt;

  Cached(String what, Supplier<T> read, Clock clock, Duration interval) {
    this.what = what;
    this.read = read;
    this.clock = clock;
    this.interval = interval;
  }

  /** The value, read again first if the last read is an interval old; null if unknown. */
  @Nullable T get() {
    if (isFresh()) {
      return value;
    }
    if (!reading.tryLock()) {
      return value;
    }
    try {
      if (!isFresh()) {
        Instant at = clock.instant();
        try {
          value = read.get();
        } catch (RuntimeException e) {
          value = null;
          LOG.warn("could not read {} for its gauge: {}", what, e.getClass().getName());
        }
        readAt = at;
      }
      return value;
    } finally {
      reading.unlock();
    }
  }

  private boolean isFresh() {
    Instant last = readAt;
    return last != null && clock.instant().isBefore(last.plus(interval));
  }
}
