package dev.jitaccess.micrometer;

import dev.jitaccess.teardown.Teardown;
import dev.jitaccess.teardown.TeardownEntry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * How many teardown entries linger, by state (PENDING, REVOKED awaiting a probe, IRREVOCABLE):
 * not settled although their grant ended more than {@code olderThan} ago, at most {@code max}
 * in all ({@link Teardown#lingering(Duration, int)}). Only loaded when a teardown is given, so
 * the module works without jit-teardown. Thread-safe.
 */
final class LingeringTeardowns implements Supplier<Map<String, Long>> {
  /** The states a lingering entry can be in, the gauge's {@code state} tag. */
  static final List<String> STATES = List.of("PENDING", "REVOKED", "IRREVOCABLE");

  private final Teardown teardown;
  private final Duration olderThan;
  private final int max;

  LingeringTeardowns(Teardown teardown, Duration olderThan, int max) {
    this.teardown = teardown;
    this.olderThan = olderThan;
    this.max = max;
  }

  @Override
  public Map<String, Long> get() {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String state : STATES) {
      counts.put(state, 0L);
    }
    for (TeardownEntry entry : teardown.lingering(olderThan, max)) {
      counts.merge(entry.state().name(), 1L, Long::sum);
    }
    return counts;
  }
}
