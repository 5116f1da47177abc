package dev.jitaccess.core;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.Grant;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Counts allowed checks per grant, when asked to ({@link AllowedCheckAudit#COUNT} or {@link
 * AllowedCheckAudit#EACH}), and sends an ALLOWED event for each with {@code EACH}. With {@link
 * AllowedCheckAudit#OFF} it holds nothing and the check never calls it.
 */
final class AllowedChecks {
  private final AllowedCheckAudit mode;
  private final @Nullable ConcurrentHashMap<String, LongAdder> counts;
  private final Grants grants;
  private final Reporter reporter;

  AllowedChecks(AllowedCheckAudit mode, Grants grants, Reporter reporter) {
    this.mode = mode;
    this.counts = mode == AllowedCheckAudit.OFF ? null : new ConcurrentHashMap<>();
    this.grants = grants;
    this.reporter = reporter;
  }

  boolean enabled() {
    return counts != null;
  }

  /**
   * The new grant's counter, made before the grant can be seen: its terminal report, whenever it
   * comes, then finds it and removes it. Null when not counting, or if the id already has one.
   */
  @Nullable LongAdder open(String grantId) {
    if (counts == null) {
      return null;
    }
    LongAdder counter = new LongAdder();
    return counts.putIfAbsent(grantId, counter) == null ? counter : null;
  }

  /** Removes a counter {@link #open} made for a grant that was never issued. */
  void discard(String grantId, @Nullable LongAdder counter) {
    if (counts != null && counter != null) {
      counts.remove(grantId, counter);
    }
  }

  /** Removes and returns the count of an ended grant, for its terminal event; null if off. */
  @Nullable String closeDetail(String grantId) {
    if (counts == null) {
      return null;
    }
    LongAdder count = counts.remove(grantId);
    return "allowedChecks=" + (count == null ? 0 : count.sum());
  }

  /**
   * Counts an allowed check. A grant this runtime minted has had its counter since before it could
   * be seen, until its terminal report removes it. A grant inserted into the store by other means
   * gets one at its first allowed check, only while the grant is ACTIVE in the store or by the
   * check that ended it (which reports it next), so that a check racing the report does not make
   * it again.
   */
  void count(Grant grant, @Nullable String action, @Nullable String resource, Instant now,
      boolean endedByThisCheck) {
    ConcurrentHashMap<String, LongAdder> map = counts;
    if (map == null) {
      return;
    }
    LongAdder count = map.get(grant.id());
    if (count == null) {
      count = map.computeIfAbsent(grant.id(),
          id -> endedByThisCheck || isActiveInStore(id) ? new LongAdder() : null);
    }
    if (count != null) {
      count.increment();
    }
    if (mode == AllowedCheckAudit.EACH) {
      reporter.audit(AuditEvent.ofGrant(AuditEventType.ALLOWED, now, grant, null, action,
          resource, null));
    }
  }

  private boolean isActiveInStore(String grantId) {
    Grant current = grants.getQuietly(grantId);
    return current != null && current.isActive();
  }

  OptionalLong get(@Nullable String grantId) {
    if (counts == null || grantId == null) {
      return OptionalLong.empty();
    }
    LongAdder count = counts.get(grantId);
    return count == null ? OptionalLong.empty() : OptionalLong.of(count.sum());
  }
}
