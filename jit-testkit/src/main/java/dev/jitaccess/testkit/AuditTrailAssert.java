package dev.jitaccess.testkit;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.Grant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.opentest4j.AssertionFailedError;

/**
 * Assertions on the audit trail kept by a {@link RecordingAuditSink}, for one grant or for all.
 *
 * <pre>{@code
 * assertThat(audit, grant).containsInOrder(ISSUED, RENEWED, REVOKED);
 * assertThat(audit).hasNoEventsFor(otherGrant);
 * }</pre>
 *
 * <p>A failure throws {@link AssertionFailedError} with the expected and actual event types and
 * the events themselves. Each assertion reads the sink anew. Not thread-safe: use one instance
 * from one thread (the sink it reads may be written concurrently).
 */
public final class AuditTrailAssert {
  private final RecordingAuditSink audit;
  private final @Nullable Grant grant;

  private AuditTrailAssert(RecordingAuditSink audit, @Nullable Grant grant) {
    this.audit = audit;
    this.grant = grant;
  }

  /** Assertions on every event in {@code audit}. */
  public static AuditTrailAssert assertThat(RecordingAuditSink audit) {
    return new AuditTrailAssert(Objects.requireNonNull(audit, "audit must not be null"), null);
  }

  /** Assertions on the events about {@code grant} in {@code audit}. */
  public static AuditTrailAssert assertThat(RecordingAuditSink audit, Grant grant) {
    Objects.requireNonNull(audit, "audit must not be null");
    Objects.requireNonNull(grant, "grant must not be null");
    return new AuditTrailAssert(audit, grant);
  }

  /**
   * The trail has events of these types in this order; other events may come before, between
   * and after them.
   *
   * @throws IllegalArgumentException if no type is given
   */
  public AuditTrailAssert containsInOrder(AuditEventType... types) {
    List<AuditEventType> expected = types(types);
    List<AuditEvent> events = events();
    int matched = 0;
    for (AuditEvent event : events) {
      if (matched < expected.size() && event.type() == expected.get(matched)) {
        matched++;
      }
    }
    if (matched < expected.size()) {
      throw fail("to contain in order " + expected + " (missing " + expected.get(matched)
          + " after the first " + matched + ")", expected, events);
    }
    return this;
  }

  /**
   * The trail has exactly events of these types, in this order, and no others.
   *
   * @throws IllegalArgumentException if no type is given
   */
  public AuditTrailAssert containsExactly(AuditEventType... types) {
    List<AuditEventType> expected = types(types);
    List<AuditEvent> events = events();
    if (!typesOf(events).equals(expected)) {
      throw fail("to contain exactly " + expected, expected, events);
    }
    return this;
  }

  /**
   * The trail has no event of any of these types. For one grant, its trail must also show how it
   * began (ISSUED or DELEGATED): a trail without that is not the one the grant's runtime writes
   * to, and an absence in it proves nothing.
   */
  public AuditTrailAssert doesNotContain(AuditEventType... types) {
    List<AuditEventType> unwanted = types(types);
    List<AuditEvent> events = events();
    if (grant != null && events.stream().noneMatch(
        e -> e.type() == AuditEventType.ISSUED || e.type() == AuditEventType.DELEGATED)) {
      throw fail("to contain no " + unwanted + ", in a trail that shows the grant was issued; "
          + "it has no ISSUED or DELEGATED event: is this the sink its runtime writes to?",
          "ISSUED or DELEGATED, then no " + unwanted, events);
    }
    for (AuditEvent event : events) {
      if (unwanted.contains(event.type())) {
        throw fail("to contain no " + unwanted, "no " + unwanted, events);
      }
    }
    return this;
  }

  /** The sink recorded no event about {@code other}. */
  public AuditTrailAssert hasNoEventsFor(Grant other) {
    Objects.requireNonNull(other, "grant must not be null");
    List<AuditEvent> events = audit.eventsFor(other.id());
    if (!events.isEmpty()) {
      String header = "expected no audit events for grant " + Trails.redact(other.id()) + "\n"
          + "  expected: []\n"
          + "  actual:   " + typesOf(events) + "\n"
          + "  events:\n" + Trails.history(events);
      throw new AssertionFailedError(header.stripTrailing(), List.of(), typesOf(events));
    }
    return this;
  }

  private List<AuditEvent> events() {
    return grant == null ? audit.events() : audit.eventsFor(grant.id());
  }

  private static List<AuditEventType> types(AuditEventType[] types) {
    Objects.requireNonNull(types, "types must not be null");
    if (types.length == 0) {
      throw new IllegalArgumentException("types must name at least one event type");
    }
    for (AuditEventType type : types) {
      Objects.requireNonNull(type, "types must not contain null");
    }
    return Arrays.asList(types.clone());
  }

  private static List<AuditEventType> typesOf(List<AuditEvent> events) {
    List<AuditEventType> types = new ArrayList<>();
    for (AuditEvent event : events) {
      types.add(event.type());
    }
    return types;
  }

  private AssertionFailedError fail(String expectation, Object expected, List<AuditEvent> events) {
    String whose = grant == null ? "the audit trail" : "the audit trail of grant "
        + Trails.redact(grant.id());
    String message = "expected " + whose + " " + expectation + "\n"
        + "  expected: " + expected + "\n"
        + "  actual:   " + typesOf(events) + "\n"
        + "  events:\n" + Trails.history(events);
    return new AssertionFailedError(message.stripTrailing(), expected, typesOf(events));
  }

  @Override
  public String toString() {
    return "AuditTrailAssert[" + (grant == null ? "all" : Trails.redact(grant.id())) + "]";
  }
}
