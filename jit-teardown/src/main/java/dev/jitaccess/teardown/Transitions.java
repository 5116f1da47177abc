package dev.jitaccess.teardown;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.spi.AuditSink;
import dev.jitaccess.teardown.spi.TeardownAlerts;
import dev.jitaccess.teardown.spi.TeardownLedger;
import java.time.Clock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place an entry changes: compare and set in the ledger, then audit the transition and
 * alert the owner of an IRREVOCABLE entry. Audit sinks and alerts that throw are logged and change
 * nothing.
 */
final class Transitions {
  private static final Logger LOG = LoggerFactory.getLogger(Teardown.class);

  private final TeardownLedger ledger;
  private final AuditSink audit;
  private final TeardownAlerts alerts;
  private final Clock clock;

  Transitions(TeardownLedger ledger, AuditSink audit, TeardownAlerts alerts, Clock clock) {
    this.ledger = ledger;
    this.audit = audit;
    this.alerts = alerts;
    this.clock = clock;
  }

  /**
   * Stores {@code next} in place of {@code current} and, if stored, reports it.
   *
   * @param attempted whether {@code next} records an attempt (an IRREVOCABLE one alerts again)
   * @return whether it was stored: false if the entry changed meanwhile (another replica, a close)
   *     or the ledger failed, and the caller then drops its work
   */
  boolean transitionTo(TeardownEntry current, TeardownEntry next, boolean attempted) {
    boolean stored;
    try {
      stored = ledger.compareAndSet(current, next);
    } catch (RuntimeException e) {
      LOG.error("teardown ledger failed to record {} of grant {} at downstream {}; the entry is "
          + "worked again once its lease passes", next.state(), next.grantReference(),
          next.downstream(), e);
      return false;
    }
    if (!stored) {
      LOG.debug("teardown entry of grant {} at downstream {} changed meanwhile; this step is "
          + "dropped", next.grantReference(), next.downstream());
      return false;
    }
    report(current, next, attempted);
    return true;
  }

  private void report(TeardownEntry before, TeardownEntry after, boolean attempted) {
    AuditEventType type = eventOf(before, after);
    if (type != null) {
      record(type, after);
    }
    if (after.state() == TeardownState.IRREVOCABLE && attempted) {
      try {
        alerts.irrevocable(after);
      } catch (Throwable e) { // an Error too: the alert is lost, the entry stands
        LOG.error("teardown alert for grant {} at downstream {} failed", after.grantReference(),
            after.downstream(), e);
      }
    } else if (attempted && !after.isSettled()) {
      LOG.info("teardown of grant {} at downstream {}: attempt {} failed ({}); next at {}",
          after.grantReference(), after.downstream(), after.attempts(), after.cause(),
          after.dueAt());
    }
  }

  /** The event of a change of state, or null if the state did not change (a retry). */
  private static @Nullable AuditEventType eventOf(TeardownEntry before, TeardownEntry after) {
    if (before.state() == after.state()) {
      return null;
    }
    switch (after.state()) {
      case REVOKED:
        return AuditEventType.TEARDOWN_REVOKED;
      case VERIFIED:
        return AuditEventType.TEARDOWN_VERIFIED;
      case IRREVOCABLE:
        return AuditEventType.TEARDOWN_IRREVOCABLE;
      case RETAINED:
        return AuditEventType.TEARDOWN_RETAINED;
      case CLOSED:
        return AuditEventType.TEARDOWN_CLOSED;
      default:
        return null; // back to PENDING after a re-check: logged, not audited
    }
  }

  private void record(AuditEventType type, TeardownEntry e) {
    StringBuilder detail = new StringBuilder("attempts=").append(e.attempts());
    if (e.entitlement() != null) {
      detail.append("; entitlement=").append(e.entitlement());
    }
    if (e.retainedBy() != null) {
      detail.append("; retainedBy=").append(e.retainedBy());
    }
    if (e.cause() != null) {
      detail.append(type == AuditEventType.TEARDOWN_CLOSED ? "; reason=" : "; cause=")
          .append(e.cause());
    }
    try {
      audit.record(AuditEvent.builder(type, clock.instant()).grant(e.grant())
          .reason(e.endReason().code()).resource(e.downstream()).actor(e.actor())
          .detail(detail.toString()).build());
    } catch (Throwable failure) { // an Error too: the transition stands
      LOG.error("audit sink failed to record {} of grant {} at downstream {}", type,
          e.grantReference(), e.downstream(), failure);
    }
  }
}
