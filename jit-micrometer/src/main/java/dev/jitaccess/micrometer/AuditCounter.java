package dev.jitaccess.micrometer;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.spi.AuditSink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An audit sink that counts each event in {@code jit.audit.events}, tagged with its type and
 * reason code, then hands it to the application's own sink.
 *
 * <p>Tags stay bounded: a reason is a tag only if it has the form of a code ({@code
 * [A-Z][A-Z0-9_]{0,63}}, as denial and revocation codes have) and is one of the first {@code
 * maxReasons} distinct codes seen; any other reason (free text, or one code too many) counts as
 * {@code OTHER}, and an event without a reason as {@code none}. No grant id, reference, subject,
 * owner or task is ever a tag. Thread-safe; a counted event costs one map lookup and one counter
 * increment.
 */
final class AuditCounter implements AuditSink {
  static final String NONE = "none";
  static final String OTHER = "OTHER";
  private static final Logger LOG = LoggerFactory.getLogger(AuditCounter.class);
  private static final int MAX_CODE_LENGTH = 64;

  private final MeterRegistry registry;
  private final AuditSink delegate;
  private final int maxReasons;
  /** Counters by reason tag, one map per event type (by ordinal). */
  private final List<ConcurrentHashMap<String, Counter>> counters;
  /** The distinct reason codes admitted as tags so far. */
  private final ConcurrentHashMap<String, Boolean> reasons = new ConcurrentHashMap<>();
  private final AtomicInteger admitted = new AtomicInteger();

  AuditCounter(MeterRegistry registry, AuditSink delegate, int maxReasons) {
    this.registry = Objects.requireNonNull(registry, "registry must not be null");
    this.delegate = Objects.requireNonNull(delegate, "delegate must not be null");
    this.maxReasons = maxReasons;
    List<ConcurrentHashMap<String, Counter>> maps = new ArrayList<>();
    for (int i = 0; i < AuditEventType.values().length; i++) {
      maps.add(new ConcurrentHashMap<>());
    }
    this.counters = List.copyOf(maps);
  }

  @Override
  public void record(AuditEvent event) {
    try {
      counter(event.type(), event.reason()).increment();
    } catch (RuntimeException e) { // counting must never keep the event from the real sink
      LOG.warn("could not count an audit event of type {}: {}", event.type(),
          e.getClass().getName());
    }
    delegate.record(event);
  }

  /** The counter of this type and reason, registered on first use. */
  Counter counter(AuditEventType type, @Nullable String reason) {
    ConcurrentHashMap<String, Counter> byReason = counters.get(type.ordinal());
    String key = reason == null ? NONE : reason;
    Counter counter = byReason.get(key);
    if (counter != null) {
      return counter;
    }
    String tag = tagOf(reason);
    counter = byReason.get(tag);
    if (counter == null) {
      counter = byReason.computeIfAbsent(tag, t -> register(type, t));
    }
    return counter;
  }

  /** The reason tag for {@code reason}: itself if admitted, else {@code none} or {@code OTHER}. */
  private String tagOf(@Nullable String reason) {
    if (reason == null) {
      return NONE;
    }
    if (!isCode(reason)) {
      return OTHER;
    }
    if (reasons.containsKey(reason)) {
      return reason;
    }
    while (true) {
      int n = admitted.get();
      if (n >= maxReasons) {
        return reasons.containsKey(reason) ? reason : OTHER;
      }
      if (admitted.compareAndSet(n, n + 1)) {
        if (reasons.putIfAbsent(reason, Boolean.TRUE) != null) {
          admitted.decrementAndGet(); // another thread admitted it first
        }
        return reason;
      }
    }
  }

  private Counter register(AuditEventType type, String reason) {
    return Counter.builder(JitMetrics.AUDIT_EVENTS)
        .description("Audit events recorded, by event type and reason code")
        .baseUnit("events")
        .tag("type", type.name())
        .tag("reason", reason)
        .register(registry);
  }

  /** Whether {@code text} has the form of a denial or revocation code. */
  static boolean isCode(String text) {
    int n = text.length();
    if (n == 0 || n > MAX_CODE_LENGTH) {
      return false;
    }
    char first = text.charAt(0);
    if (first < 'A' || first > 'Z') {
      return false;
    }
    for (int i = 1; i < n; i++) {
      char c = text.charAt(i);
      if (!(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) {
        return false;
      }
    }
    return true;
  }
}
