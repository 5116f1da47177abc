package dev.jitaccess.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reason tag stays bounded, and the application's sink always gets the event. */
class AuditCounterTest {
  private static final Instant AT = Instant.parse("2026-11-23T10:15:30Z");
  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final List<AuditEvent> handedOn = new ArrayList<>();

  @Test
  void freeTextReasonsCountAsOtherAndAMissingReasonAsNone() {
    AuditCounter counter = new AuditCounter(registry, handedOn::add, 10);
    counter.record(event(AuditEventType.REJECTED, "the vendor's contract ended in May"));
    counter.record(event(AuditEventType.REJECTED, "alice@example.com asked twice"));
    counter.record(event(AuditEventType.REQUESTED, null));
    assertEquals(2, count("REJECTED", AuditCounter.OTHER));
    assertEquals(1, count("REQUESTED", AuditCounter.NONE));
    assertEquals(3, handedOn.size());
    registry.getMeters().forEach(m -> assertFalse(
        m.getId().getTag("reason").contains("@"), m.getId().toString()));
  }

  @Test
  void codesPastTheBoundCountAsOtherAndTheFirstOnesKeepTheirTag() {
    AuditCounter counter = new AuditCounter(registry, handedOn::add, 2);
    counter.record(event(AuditEventType.DENIED, "OUT_OF_SCOPE"));
    counter.record(event(AuditEventType.REVOKED, "MANUAL"));
    counter.record(event(AuditEventType.REVOKED, "OFFBOARDED"));
    counter.record(event(AuditEventType.DENIED, "OUT_OF_SCOPE"));
    counter.record(event(AuditEventType.REVOKED, "MANUAL"));
    assertEquals(2, count("DENIED", "OUT_OF_SCOPE"));
    assertEquals(2, count("REVOKED", "MANUAL"));
    assertEquals(1, count("REVOKED", AuditCounter.OTHER));
    assertEquals(3, registry.getMeters().size());
  }

  @Test
  void anEventIsCountedEvenWhenTheApplicationsSinkThrows() {
    AuditCounter counter = new AuditCounter(registry, e -> {
      throw new IllegalStateException("log store down");
    }, 10);
    assertThrows(IllegalStateException.class,
        () -> counter.record(event(AuditEventType.DENIED, "REVOKED")));
    assertEquals(1, count("DENIED", "REVOKED"));
  }

  @Test
  void aCodeHasTheFormOfDenialAndRevocationCodes() {
    assertTrue(AuditCounter.isCode("OUT_OF_SCOPE"));
    assertTrue(AuditCounter.isCode("A1"));
    assertFalse(AuditCounter.isCode(""));
    assertFalse(AuditCounter.isCode("lower"));
    assertFalse(AuditCounter.isCode("1ABC"));
    assertFalse(AuditCounter.isCode("WITH SPACE"));
    assertFalse(AuditCounter.isCode("A".repeat(65)));
  }

  private static AuditEvent event(AuditEventType type, String reason) {
    return AuditEvent.builder(type, AT).subject("vendor-bob").reason(reason).build();
  }

  private double count(String type, String reason) {
    return registry.get(JitMetrics.AUDIT_EVENTS).tag("type", type).tag("reason", reason)
        .counter().count();
  }
}
