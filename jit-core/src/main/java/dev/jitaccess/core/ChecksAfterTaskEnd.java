package dev.jitaccess.core;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.jitaccess.Grant;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The built-in detector of checks after a grant's task ended: reports each such grant once, unless
 * the check came within a grace after the grant ended. The grants reported are remembered in a
 * Caffeine cache bounded in size, each for {@link #REMEMBER}, on a ticker that reads the runtime's
 * clock. Thread-safe.
 */
final class ChecksAfterTaskEnd implements AnomalyDetector, AnomalyDetectors.PerRuntime {
  static final String NAME = "check-after-task-end";
  /** How long a reported grant is not reported again. */
  static final Duration REMEMBER = Duration.ofHours(1);

  private final Duration grace;
  private final int maxTracked;
  /** Null until made for a runtime. */
  private final @Nullable Cache<String, Boolean> reported;

  ChecksAfterTaskEnd(Duration grace, int maxTracked) {
    this.grace = grace;
    this.maxTracked = maxTracked;
    this.reported = null;
  }

  private ChecksAfterTaskEnd(ChecksAfterTaskEnd spec, Clock clock) {
    this.grace = spec.grace;
    this.maxTracked = spec.maxTracked;
    Instant start = clock.instant();
    this.reported = Caffeine.newBuilder()
        .executor(Runnable::run)
        .ticker(() -> Times.saturatedNanos(start, clock.instant()))
        .maximumSize(maxTracked)
        .expireAfterWrite(REMEMBER)
        .build();
  }

  @Override
  public AnomalyDetector forRuntime(Clock clock) {
    return new ChecksAfterTaskEnd(this, clock);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public @Nullable String inspect(ObservedCheck check) {
    Cache<String, Boolean> seen = reported;
    if (seen == null) {
      throw AnomalyDetectors.unbound(NAME);
    }
    if (check.decision().isAllowed() || !check.taskEnded()) {
      return null;
    }
    Grant grant = check.grant();
    Instant endedAt = grant.endedAt();
    if (endedAt != null && check.at().isBefore(Times.saturatedPlus(endedAt, grace))) {
      return null;
    }
    if (seen.asMap().putIfAbsent(grant.id(), Boolean.TRUE) != null) {
      return null;
    }
    return endedAt == null
        ? "checked while ACTIVE after its task ended"
        : "checked " + Duration.between(endedAt, check.at()) + " after it ended ("
            + grant.endReason() + "), its task ended";
  }

  @Override
  public String toString() {
    return NAME + "(grace " + grace + ")";
  }
}
