package dev.jitaccess.governance;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.Grant;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When each live grant last allowed a check, as this process saw it: the time of its latest
 * {@code ALLOWED} audit event (which the runtime sends with {@code AllowedCheckAudit.EACH}), by
 * grant reference. Forgets a grant when it ends, and grants a full exposure scan no longer finds.
 * Holds at most {@value #MAX_TRACKED} grants: past that it starts over, and grants issued before
 * then count as unknown. Thread-safe.
 */
final class UsageTracker {
  static final int MAX_TRACKED = 100_000;
  private static final Logger LOG = LoggerFactory.getLogger(Governance.class);

  /** What is known of a grant's use. */
  record Usage(boolean known, @Nullable Instant lastUsedAt) {
    static final Usage UNKNOWN = new Usage(false, null);
  }

  private final boolean enabled;
  private final Map<String, Instant> lastUse = new ConcurrentHashMap<>();
  private volatile Instant since;

  UsageTracker(boolean enabled, Instant since) {
    this.enabled = enabled;
    this.since = since;
  }

  /** Since when every use in this process has been seen; null if not tracked. */
  @Nullable Instant since() {
    return enabled ? since : null;
  }

  /** Takes note of a runtime audit event. */
  void observe(AuditEvent event) {
    if (!enabled) {
      return;
    }
    switch (event.type()) {
      case ALLOWED:
        String ref = event.grantRef();
        if (ref != null) {
          if (lastUse.size() >= MAX_TRACKED && !lastUse.containsKey(ref)) {
            startOver(event.at());
          }
          lastUse.merge(ref, event.at(), (a, b) -> a.isAfter(b) ? a : b);
        }
        break;
      case REVOKED:
      case EXPIRED:
      case EXHAUSTED:
        String ended = event.grantRef();
        if (ended != null) {
          lastUse.remove(ended);
        }
        break;
      default:
        break;
    }
  }

  private synchronized void startOver(Instant at) {
    if (lastUse.size() < MAX_TRACKED) {
      return;
    }
    lastUse.clear();
    since = at;
    LOG.warn("last-use tracking holds {} grants: starting over; uses before {} are unknown",
        MAX_TRACKED, at);
  }

  /** What is known of the use of {@code grant}, whose reference is {@code reference}. */
  Usage of(Grant grant, String reference) {
    if (!enabled) {
      return Usage.UNKNOWN;
    }
    Instant at = lastUse.get(reference);
    if (at != null) {
      return new Usage(true, at);
    }
    // Never seen used: known only if every use since its issue was seen here.
    return grant.issuedAt().isBefore(since) ? Usage.UNKNOWN : new Usage(true, null);
  }

  /** Forgets grants not in {@code live} that were last used before {@code scanStart}. */
  void retainOnly(Set<String> live, Instant scanStart) {
    lastUse.entrySet().removeIf(e -> !live.contains(e.getKey()) && e.getValue().isBefore(scanStart));
  }
}
