package dev.jitaccess.core;

import dev.jitaccess.internal.Validation;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The built-in {@link AnomalyDetector}s. Each keeps its state per runtime: one detector object may
 * be registered with several runtimes, and each then watches its own checks on its own clock. A
 * built-in works only inside a runtime; calling its {@code inspect} directly throws {@link
 * IllegalStateException}.
 *
 * <pre>{@code
 * JitAccess jit = JitAccess.builder()
 *     .anomalyDetector(AnomalyDetectors.denialBurst(5, Duration.ofMinutes(1)))
 *     .anomalyDetector(AnomalyDetectors.sourcePinning())
 *     .anomalyDetector(AnomalyDetectors.checkAfterTaskEnded(Duration.ofSeconds(30)))
 *     .anomalyListener(report -> pager.tell(report.owner(), report.toString()))
 *     .build();
 * }</pre>
 *
 * <p>What they cost a check: nothing on an allowed check, except source pinning on a check with a
 * {@link dev.jitaccess.CheckContext}, which compares two strings; the other two look at denials
 * only. Thread-safe.
 */
public final class AnomalyDetectors {
  /** The most denials {@link #denialBurst} may count to. */
  public static final int MAX_BURST = 1_000;
  /** How many grants {@link #denialBurst} and {@link #checkAfterTaskEnded} track by default. */
  public static final int DEFAULT_MAX_TRACKED_GRANTS = 100_000;
  /** The most grants a built-in detector may be asked to track. */
  public static final int MAX_TRACKED_GRANTS = 10_000_000;

  private AnomalyDetectors() {}

  /** A detector whose state is made for each runtime it is registered with, on its clock. */
  interface PerRuntime {
    /** A fresh detector with its own state, measuring time with {@code clock}. */
    AnomalyDetector forRuntime(Clock clock);
  }

  /**
   * Probing: {@code denials} checks of one grant denied {@code OUT_OF_SCOPE} or {@code
   * MALFORMED_REQUEST} within {@code window}, that is, the last of them less than {@code window}
   * after the first, by the runtime's clock. Named {@code "denial-burst"}. Tracks at most
   * {@value #DEFAULT_MAX_TRACKED_GRANTS} grants; see {@link #denialBurst(int, Duration, int)}.
   *
   * @throws IllegalArgumentException if {@code denials} is not in [1, {@value #MAX_BURST}] or
   *     {@code window} is not {@code > 0}
   */
  public static AnomalyDetector denialBurst(int denials, Duration window) {
    return denialBurst(denials, window, DEFAULT_MAX_TRACKED_GRANTS);
  }

  /**
   * As {@link #denialBurst(int, Duration)}, tracking at most {@code maxTrackedGrants} grants.
   *
   * <p>Memory: one entry per grant that had such a denial, each the times of its last {@code
   * denials} denials, about {@code 100 + 8 * denials} bytes; never more than {@code
   * maxTrackedGrants} entries, the least used dropped first (denials older than the window never
   * count, so a dropped entry held nothing that could still make a burst unless its grant was
   * probed within the window). An attacker cannot fill it from outside: only the denial of a grant
   * that exists makes an entry, so flooding checks with made-up or malformed ids adds nothing, and
   * each grant id (128 random bits, a secret) adds at most one entry whatever is asked with it.
   * Filling it takes that many grant ids; past the bound a grant being probed, one used often, is
   * the last to be dropped.
   *
   * @throws IllegalArgumentException if {@code denials} is not in [1, {@value #MAX_BURST}], {@code
   *     window} is not {@code > 0}, or {@code maxTrackedGrants} is not in [1, {@value
   *     #MAX_TRACKED_GRANTS}]
   */
  public static AnomalyDetector denialBurst(int denials, Duration window, int maxTrackedGrants) {
    if (denials < 1 || denials > MAX_BURST) {
      throw new IllegalArgumentException(
          "denials must be in [1, " + MAX_BURST + "], was " + denials);
    }
    Validation.positive(window, "window");
    return new DenialBurst(denials, window, tracked(maxTrackedGrants));
  }

  /**
   * Use from a second source: a check with a {@link dev.jitaccess.CheckContext} whose source is
   * not the one the grant is pinned to ({@link dev.jitaccess.Grant#source()}, the source of its
   * request's context), on a grant still ACTIVE, allowed or denied. Named {@code
   * "source-pinning"}. A grant without a source, and a check without a context, are not judged:
   * an application that pins sources checks with {@link JitAccess#check(String, String, String,
   * dev.jitaccess.CheckContext)}. A delegated grant is pinned to the source of its own delegation
   * request, if it names one, not to its parent's. Keeps no state.
   */
  public static AnomalyDetector sourcePinning() {
    return SourcePinning.INSTANCE;
  }

  /**
   * A check of a grant after its task ended (see {@link ObservedCheck#taskEnded()}): someone still
   * holds and uses the id of a task that is over. Such a grant has already ended, so the check
   * denies anyway; this detector audits it and tells the listeners, once per grant. A check less
   * than {@code grace} after the grant ended is let go: a request in flight when the task ended.
   * Named {@code "check-after-task-end"}. Remembers the grants it reported for an hour, at most
   * {@value #DEFAULT_MAX_TRACKED_GRANTS} of them, and only grants that exist and have ended.
   *
   * @throws IllegalArgumentException if {@code grace} is negative
   */
  public static AnomalyDetector checkAfterTaskEnded(Duration grace) {
    Objects.requireNonNull(grace, "grace must not be null");
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace must be >= 0, was " + grace);
    }
    return new ChecksAfterTaskEnd(grace, DEFAULT_MAX_TRACKED_GRANTS);
  }

  private static int tracked(int maxTrackedGrants) {
    if (maxTrackedGrants < 1 || maxTrackedGrants > MAX_TRACKED_GRANTS) {
      throw new IllegalArgumentException("maxTrackedGrants must be in [1, " + MAX_TRACKED_GRANTS
          + "], was " + maxTrackedGrants);
    }
    return maxTrackedGrants;
  }

  /** Thrown by a built-in's {@code inspect} outside a runtime. */
  static IllegalStateException unbound(String name) {
    return new IllegalStateException(name + " works inside a runtime: register it with "
        + "JitAccessBuilder.anomalyDetector(...)");
  }
}
