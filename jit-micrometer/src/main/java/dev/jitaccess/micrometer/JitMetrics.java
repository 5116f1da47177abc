package dev.jitaccess.micrometer;

import dev.jitaccess.core.JitAccess;
import dev.jitaccess.governance.Governance;
import dev.jitaccess.spi.AuditSink;
import dev.jitaccess.spi.GrantStore;
import dev.jitaccess.teardown.Teardown;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer meters for JIT Access, usable without Spring: the one entry point.
 *
 * <pre>{@code
 * JitMetrics metrics = JitMetrics.builder().registry(registry).grants(store).build();
 * AuditSink sink = metrics.auditSink(new Slf4jAuditSink());        // counts, then logs
 * JitAccess jit = metrics.timed(JitAccess.builder().store(store).auditSink(sink).build());
 * metrics.bindTo(registry);                                         // the gauges
 * }</pre>
 *
 * <ul>
 *   <li>{@link #auditSink(AuditSink)}: a sink that counts every audit event ({@value
 *       #AUDIT_EVENTS}, tagged {@code type} and {@code reason}) and hands it to the application's.
 *   <li>{@link #timed(JitAccess)}: a decorator that times checks ({@value #CHECK}), mints
 *       ({@value #MINT}) and revocations ({@value #REVOKE}). Wrap the runtime only when a registry
 *       is present: without it, a check costs nothing more than the runtime's own.
 *   <li>{@link #bindTo(MeterRegistry)}: gauges of live grants by tier ({@value #LIVE_GRANTS}, if a
 *       grant store was given), pending access requests ({@value #PENDING_REQUESTS}, if a
 *       governance was) and lingering teardown entries ({@value #LINGERING_TEARDOWNS}, if a
 *       teardown was). A gauge reads its backend at most once per {@linkplain
 *       Builder#refreshInterval refresh interval} of the injected clock, however often it is
 *       scraped, and each read is bounded; NaN means the last read failed.
 * </ul>
 *
 * <p>Counters and timers go to the builder's registry. Two {@code JitMetrics} on one registry
 * share their meters (a registry keeps one meter per name and tags), so the audit sink may come
 * from one built before the governance and teardown exist (they take the sink), and the gauges
 * from one built after. No tag ever holds a grant id or reference, a subject, owner or task.
 * Thread-safe.
 */
public final class JitMetrics implements MeterBinder {
  /** Counter: audit events, tags {@code type} and {@code reason}. */
  public static final String AUDIT_EVENTS = "jit.audit.events";
  /** Timer: checks, tag {@code outcome} ({@code allowed}, {@code denied}). */
  public static final String CHECK = "jit.check";
  /** Timer: mints, tags {@code kind} ({@code request}, {@code delegate}) and {@code outcome}. */
  public static final String MINT = "jit.mint";
  /** Timer: revocations, tag {@code target} ({@code grant}, {@code subject}, {@code owner}, {@code task}). */
  public static final String REVOKE = "jit.revoke";
  /** Gauge: live grants, tag {@code tier}. */
  public static final String LIVE_GRANTS = "jit.grants.live";
  /** Gauge: PENDING access requests. */
  public static final String PENDING_REQUESTS = "jit.requests.pending";
  /** Gauge: lingering teardown entries, tag {@code state}. */
  public static final String LINGERING_TEARDOWNS = "jit.teardown.lingering";

  private final MeterRegistry registry;
  private final int maxReasons;
  private final @Nullable Cached<Map<String, Long>> liveGrants;
  private final Set<String> tierTags;
  private final @Nullable Cached<Integer> pending;
  private final @Nullable Cached<Map<String, Long>> lingering;

  private JitMetrics(Builder b, MeterRegistry registry) {
    this.registry = registry;
    this.maxReasons = b.maxReasons;
    Clock clock = b.clock == null ? Clock.systemUTC() : b.clock;
    Duration every = b.refreshInterval == null ? Builder.DEFAULT_REFRESH : b.refreshInterval;
    Set<String> tiers = b.tiers == null ? Set.copyOf(Builder.DEFAULT_TIERS) : b.tiers;
    if (b.grants != null) {
      LiveGrants scan = new LiveGrants(b.grants, tiers, b.maxScan, clock);
      this.tierTags = scan.tags();
      this.liveGrants = new Cached<>("live grants", scan, clock, every);
    } else {
      this.tierTags = Set.of();
      this.liveGrants = null;
    }
    this.pending = b.governance == null ? null : new Cached<>("pending requests",
        new PendingRequests(b.governance, b.maxCount), clock, every);
    Duration after = b.lingeringAfter == null ? Builder.DEFAULT_LINGERING_AFTER : b.lingeringAfter;
    this.lingering = b.teardown == null ? null : new Cached<>("lingering teardowns",
        new LingeringTeardowns(b.teardown, after, b.maxCount), clock, every);
  }

  /** A builder; {@link Builder#registry} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A sink that counts each event in {@value #AUDIT_EVENTS} and then hands it to {@code
   * delegate}; give it to the runtime, governance and teardown builders in place of {@code
   * delegate}. A failure to count is logged and never keeps the event from {@code delegate}.
   */
  public AuditSink auditSink(AuditSink delegate) {
    return new AuditCounter(registry, delegate, maxReasons);
  }

  /**
   * {@code access}, with its checks, mints and revocations timed; every method is forwarded to
   * {@code access}, which the returned runtime closes when closed. Each call of this method wraps
   * again: wrap once.
   */
  public JitAccess timed(JitAccess access) {
    return new TimedJitAccess(access, registry);
  }

  /** Registers the gauges this was built for on {@code registry}. */
  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry must not be null");
    Cached<Map<String, Long>> live = liveGrants;
    if (live != null) {
      for (String tier : tierTags) {
        gauge(registry, LIVE_GRANTS, live, c -> count(c.get(), tier),
            "Live grants (ACTIVE, not expired) by risk tier", "grants", "tier", tier);
      }
    }
    Cached<Integer> requests = pending;
    if (requests != null) {
      gauge(registry, PENDING_REQUESTS, requests, c -> {
        Integer n = c.get();
        return n == null ? Double.NaN : n;
      }, "Access requests waiting for approval", "requests", null, null);
    }
    Cached<Map<String, Long>> entries = lingering;
    if (entries != null) {
      for (String state : LingeringTeardowns.STATES) {
        gauge(registry, LINGERING_TEARDOWNS, entries, c -> count(c.get(), state),
            "Teardown entries not settled although their grant ended a while ago, by state",
            "entries", "state", state);
      }
    }
  }

  private static <T> void gauge(MeterRegistry registry, String name, T state,
      ToDoubleFunction<T> value, String description, String unit, @Nullable String tag,
      @Nullable String tagValue) {
    Gauge.Builder<T> builder = Gauge.builder(name, state, value).description(description)
        .baseUnit(unit).strongReference(true);
    if (tag != null && tagValue != null) {
      builder.tag(tag, tagValue);
    }
    builder.register(registry);
  }

  private static double count(@Nullable Map<String, Long> counts, String key) {
    if (counts == null) {
      return Double.NaN;
    }
    Long n = counts.get(key);
    return n == null ? 0 : n;
  }

  /**
   * Builds {@link JitMetrics}. Each setter may be called once; {@link #build()} validates and
   * leaves the builder reusable. Not thread-safe.
   *
   * <p>Defaults: the system UTC clock; gauges read at most every {@value #DEFAULT_REFRESH_SECONDS}
   * s; the tiers of jit-governance's default risk tiers ({@code LOW}, {@code MEDIUM}, {@code
   * HIGH}, {@code CRITICAL}, {@code LONG_RUNNING}); at most {@value #DEFAULT_MAX_SCAN} grants
   * scanned per read; at most {@value #DEFAULT_MAX_COUNT} pending requests or lingering entries
   * counted; entries lingering once their grant ended {@value #DEFAULT_LINGERING_MINUTES}
   * minutes ago; at most {@value #DEFAULT_MAX_REASONS} distinct reason tags.
   */
  public static final class Builder {
    /** Seconds between two reads of a gauge's backend, by default. */
    public static final int DEFAULT_REFRESH_SECONDS = 30;
    /** Grants read per scan of the grant store, at most, by default. */
    public static final int DEFAULT_MAX_SCAN = 100_000;
    /** Pending requests, or lingering entries, counted at most, by default. */
    public static final int DEFAULT_MAX_COUNT = 10_000;
    /** Minutes after its grant ended that an unsettled entry lingers, by default. */
    public static final int DEFAULT_LINGERING_MINUTES = 15;
    /** Distinct reason codes kept as tags, by default; the others count as {@code OTHER}. */
    public static final int DEFAULT_MAX_REASONS = 100;
    static final Duration DEFAULT_REFRESH = Duration.ofSeconds(DEFAULT_REFRESH_SECONDS);
    static final Duration DEFAULT_LINGERING_AFTER = Duration.ofMinutes(DEFAULT_LINGERING_MINUTES);
    static final List<String> DEFAULT_TIERS =
        List.of("LOW", "MEDIUM", "HIGH", "CRITICAL", "LONG_RUNNING");

    @Nullable MeterRegistry registry;
    @Nullable GrantStore grants;
    @Nullable Governance governance;
    @Nullable Teardown teardown;
    @Nullable Clock clock;
    @Nullable Duration refreshInterval;
    @Nullable Duration lingeringAfter;
    @Nullable Set<String> tiers;
    int maxScan = DEFAULT_MAX_SCAN;
    int maxCount = DEFAULT_MAX_COUNT;
    int maxReasons = DEFAULT_MAX_REASONS;
    private final Set<String> set = new LinkedHashSet<>();

    Builder() {}

    /** Where counters and timers are registered. Required. */
    public Builder registry(MeterRegistry registry) {
      this.registry = once(this.registry, registry, "registry");
      return this;
    }

    /** The grant store the runtime uses: its live grants are counted by tier. */
    public Builder grants(GrantStore grants) {
      this.grants = once(this.grants, grants, "grants");
      return this;
    }

    /** The governance whose PENDING requests are counted. Needs jit-governance. */
    public Builder governance(Governance governance) {
      this.governance = once(this.governance, governance, "governance");
      return this;
    }

    /** The teardown whose lingering entries are counted. Needs jit-teardown. */
    public Builder teardown(Teardown teardown) {
      this.teardown = once(this.teardown, teardown, "teardown");
      return this;
    }

    /** The clock that decides when a gauge's backend is read again, and what has expired. */
    public Builder clock(Clock clock) {
      this.clock = once(this.clock, clock, "clock");
      return this;
    }

    /**
     * The least time between two reads of one gauge's backend, {@code > 0}: a scrape within it
     * shows the last read.
     */
    public Builder refreshInterval(Duration interval) {
      this.refreshInterval = positive(this.refreshInterval, interval, "refreshInterval");
      return this;
    }

    /** How long after its grant ended an unsettled teardown entry counts as lingering, {@code >= 0}. */
    public Builder lingeringAfter(Duration after) {
      Duration d = once(this.lingeringAfter, after, "lingeringAfter");
      if (d.isNegative()) {
        throw new IllegalArgumentException("lingeringAfter must be >= 0, was " + d);
      }
      this.lingeringAfter = d;
      return this;
    }

    /**
     * The tier names a live grant's tier tag may take; a grant of another tier counts as {@code
     * other}, one without a tier as {@code none}.
     *
     * @throws IllegalArgumentException if a name is blank, or is {@code none} or {@code other}
     */
    public Builder tiers(String... names) {
      once(this.tiers, names, "tiers");
      set.clear();
      for (String name : names) {
        Objects.requireNonNull(name, "tiers must not contain null");
        if (name.isBlank() || name.equals(LiveGrants.NONE) || name.equals(LiveGrants.OTHER)) {
          throw new IllegalArgumentException(
              "tiers must be non-blank and neither 'none' nor 'other', was '" + name + "'");
        }
        set.add(name);
      }
      this.tiers = Set.copyOf(set);
      return this;
    }

    /** The most grants one read of the grant store scans, in [1, 10,000,000]. */
    public Builder maxScan(int max) {
      this.maxScan = bounded(this.maxScan, DEFAULT_MAX_SCAN, max, 10_000_000, "maxScan");
      return this;
    }

    /** The most pending requests, or lingering entries, one read counts, in [1, 1,000,000]. */
    public Builder maxCount(int max) {
      this.maxCount = bounded(this.maxCount, DEFAULT_MAX_COUNT, max, 1_000_000, "maxCount");
      return this;
    }

    /** The most distinct reason codes kept as tags, in [1, 10,000]. */
    public Builder maxReasons(int max) {
      this.maxReasons = bounded(this.maxReasons, DEFAULT_MAX_REASONS, max, 10_000, "maxReasons");
      return this;
    }

    /**
     * The metrics.
     *
     * @throws IllegalStateException if no registry was set
     */
    public JitMetrics build() {
      if (registry == null) {
        throw new IllegalStateException("registry must be set");
      }
      return new JitMetrics(this, registry);
    }

    private static <T> T once(@Nullable Object current, T value, String field) {
      if (current != null) {
        throw new IllegalStateException(field + " was already set");
      }
      return Objects.requireNonNull(value, () -> field + " must not be null");
    }

    private static Duration positive(@Nullable Duration current, Duration value, String field) {
      Duration d = once(current, value, field);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(field + " must be > 0, was " + d);
      }
      return d;
    }

    private static int bounded(int current, int unset, int value, int max, String field) {
      if (current != unset) {
        throw new IllegalStateException(field + " was already set");
      }
      if (value < 1 || value > max) {
        throw new IllegalArgumentException(field + " must be in [1, " + max + "], was " + value);
      }
      return value;
    }
  }
}
