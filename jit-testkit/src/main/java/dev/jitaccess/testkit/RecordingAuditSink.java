package dev.jitaccess.testkit;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.Grant;
import dev.jitaccess.spi.AuditSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An {@link AuditSink} that keeps every event in memory, in the order it was recorded, for tests
 * to inspect and for {@link AuditTrailAssert} to check.
 *
 * <pre>{@code
 * RecordingAuditSink audit = new RecordingAuditSink();
 * JitAccess jit = JitAccess.builder().auditSink(audit).build();
 * Grant grant = jit.request(request);
 * audit.typesFor(grant);   // [ISSUED]
 * }</pre>
 *
 * <p>Thread-safe: events may be recorded from any number of threads; the order kept is the order
 * in which {@link #record} calls took effect, so the events of one thread stay in that thread's
 * order. The queries return snapshots that later events do not change.
 */
public final class RecordingAuditSink implements AuditSink {
  private final Object lock = new Object();
  private final List<AuditEvent> events = new ArrayList<>();

  /** An empty sink. */
  public RecordingAuditSink() {}

  @Override
  public void record(AuditEvent event) {
    Objects.requireNonNull(event, "event must not be null");
    synchronized (lock) {
      events.add(event);
    }
  }

  /** Every event recorded so far, oldest first. */
  public List<AuditEvent> events() {
    synchronized (lock) {
      return List.copyOf(events);
    }
  }

  /** The events about the grant {@code grantId}, oldest first. */
  public List<AuditEvent> eventsFor(String grantId) {
    Objects.requireNonNull(grantId, "grantId must not be null");
    List<AuditEvent> found = new ArrayList<>();
    for (AuditEvent event : events()) {
      if (event.concerns(grantId)) {
        found.add(event);
      }
    }
    return found;
  }

  /** The events about {@code grant}, oldest first. */
  public List<AuditEvent> eventsFor(Grant grant) {
    return eventsFor(Objects.requireNonNull(grant, "grant must not be null").id());
  }

  /** The types of the events about {@code grant}, oldest first. */
  public List<AuditEventType> typesFor(Grant grant) {
    List<AuditEventType> types = new ArrayList<>();
    for (AuditEvent event : eventsFor(grant)) {
      types.add(event.type());
    }
    return types;
  }

  /** The events of one type, oldest first. */
  public List<AuditEvent> eventsOfType(AuditEventType type) {
    Objects.requireNonNull(type, "type must not be null");
    List<AuditEvent> found = new ArrayList<>();
    for (AuditEvent event : events()) {
      if (event.type() == type) {
        found.add(event);
      }
    }
    return found;
  }

  /** How many events were recorded. */
  public int size() {
    synchronized (lock) {
      return events.size();
    }
  }

  /** Forgets every event. */
  public void clear() {
    synchronized (lock) {
      events.clear();
    }
  }

  @Override
  public String toString() {
    return "RecordingAuditSink[" + size() + " events]";
  }
}
