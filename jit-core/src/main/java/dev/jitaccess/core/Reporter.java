package dev.jitaccess.core;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.RevocationListener;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.spi.AuditSink;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns recorded transitions into audit events and listener calls, in causal order per grant: a
 * grant's end is never reported before its ISSUED or DELEGATED event. While a grant is being
 * published (stored, but its start not yet recorded), reports of its end are held and follow the
 * start; if the grant is abandoned, they are dropped with it (it was never issued).
 */
final class Reporter {
  private static final Logger LOG = LoggerFactory.getLogger(JitAccess.class);
  private static final List<Grant> HOLDING = List.of();

  private final Clock clock;
  private final AuditSink sink;
  private final RevocationListener[] listeners;
  private @Nullable AllowedChecks allowed;
  /**
   * Told of every end before the listeners, here or elsewhere: the decision caches. Replaced
   * whole under this object's lock, read without one.
   */
  private volatile List<Consumer<Grant>> endHooks = List.of();
  /** Grants being published, with the ends reported meanwhile. */
  private final ConcurrentHashMap<String, List<Grant>> held = new ConcurrentHashMap<>();

  Reporter(Clock clock, AuditSink sink, List<RevocationListener> listeners) {
    this.clock = clock;
    this.sink = sink;
    this.listeners = listeners.toArray(new RevocationListener[0]);
  }

  void countWith(AllowedChecks allowed) {
    this.allowed = allowed;
  }

  /** The clock's now; {@link Instant#EPOCH} if the clock fails, so a report is never lost. */
  Instant now() {
    try {
      return Objects.requireNonNull(clock.instant());
    } catch (Throwable e) { // an Error too: the event is still recorded
      return Instant.EPOCH;
    }
  }

  /** Adds a hook told of every grant that ends, before the listeners. */
  synchronized void addEndHook(Consumer<Grant> hook) {
    List<Consumer<Grant>> more = new ArrayList<>(endHooks);
    more.add(hook);
    endHooks = List.copyOf(more);
  }

  /** Removes a hook {@link #addEndHook} added. */
  synchronized void removeEndHook(Consumer<Grant> hook) {
    List<Consumer<Grant>> fewer = new ArrayList<>(endHooks);
    fewer.remove(hook);
    endHooks = List.copyOf(fewer);
  }

  /** Holds the end reports of {@code grantId} until {@link #started} or {@link #abandoned}. */
  void hold(String grantId) {
    held.put(grantId, HOLDING);
  }

  /** Records the start of a published grant, then any end held meanwhile. */
  void started(AuditEventType type, Grant grant, GrantRequest request) {
    audit(AuditEvent.started(type, grant, request));
    List<Grant> ends = held.remove(grant.id());
    if (ends != null) {
      for (Grant ended : ends) {
        report(ended);
      }
    }
  }

  /** Forgets a grant that was stored but never issued, with any end held for it. */
  void abandoned(String grantId) {
    held.remove(grantId);
  }

  /** Audits a renewal. */
  void renewed(Grant renewed) {
    audit(AuditEvent.builder(AuditEventType.RENEWED, now()).grant(renewed)
        .expiresAt(renewed.expiresAt()).build());
  }

  /**
   * Audits a grant that left ACTIVE and tells every listener, after any start still being
   * recorded.
   */
  void ended(Grant ended) {
    // A grant is held from before it is stored, so one that is not held now is not being
    // published: no lambda, no allocation on the common path.
    if (!held.containsKey(ended.id())) {
      report(ended);
      return;
    }
    boolean[] deferred = new boolean[1];
    held.computeIfPresent(ended.id(), (id, ends) -> {
      List<Grant> more = new ArrayList<>(ends);
      more.add(ended);
      deferred[0] = true;
      return more;
    });
    if (!deferred[0]) {
      report(ended);
    }
  }

  /**
   * Tells every listener of a grant another runtime ended: that runtime recorded the audit event.
   */
  void endedElsewhere(Grant ended) {
    RevocationReason reason = Objects.requireNonNull(ended.endReason());
    notifyListeners(ended, reason);
  }

  private void report(Grant ended) {
    AuditEventType type = switch (ended.state()) {
      case EXPIRED -> AuditEventType.EXPIRED;
      case EXHAUSTED -> AuditEventType.EXHAUSTED;
      case REVOKED -> AuditEventType.REVOKED;
      case ACTIVE -> throw new IllegalArgumentException("an ACTIVE grant has not ended");
    };
    AllowedChecks counts = allowed;
    String detail = counts == null ? null : counts.closeDetail(ended.id());
    RevocationReason reason = Objects.requireNonNull(ended.endReason());
    audit(AuditEvent.ofGrant(type, now(), ended, reason.code(), null, null, detail));
    notifyListeners(ended, reason);
  }

  private void notifyListeners(Grant ended, RevocationReason reason) {
    List<Consumer<Grant>> hooks = endHooks;
    for (int i = 0; i < hooks.size(); i++) {
      try {
        hooks.get(i).accept(ended);
      } catch (Throwable e) { // an Error too: the listeners must still hear of it
        LOG.error("Dropping the cached decisions of grant {} failed", ended.reference(), e);
      }
    }
    for (RevocationListener listener : listeners) {
      try {
        listener.onRevocation(ended, reason);
      } catch (Throwable e) { // an Error too: every other listener must still hear of it
        LOG.error("RevocationListener {} failed for grant {}; the revocation stands",
            listener, ended.reference(), e);
      }
    }
  }

  /** Sends an event to the sink; a failing sink is logged and changes nothing else. */
  void audit(AuditEvent event) {
    try {
      sink.record(event);
    } catch (Throwable e) { // an Error too: the lifecycle step it records goes on
      LOG.error("AuditSink {} failed to record {} event", sink, event.type(), e);
    }
  }

  AuditSink sink() {
    return sink;
  }
}
