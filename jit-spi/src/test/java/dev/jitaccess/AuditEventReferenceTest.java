package dev.jitaccess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuditEventReferenceTest {
  private static final String ID = "AAAAAAAAAAAAAAAAAAAAAA";
  private static final Instant AT = Instant.parse("2026-12-07T10:00:00Z");

  @Test
  void anEventKnownOnlyByItsGrantsReferenceConcernsTheHolderOfTheId() {
    AuditEvent event = AuditEvent.builder(AuditEventType.DENIED, AT)
        .grantRef(GrantReference.of(ID)).tokenId("tok-1").reason("BAD_SIGNATURE").build();
    assertEquals(GrantReference.of(ID), event.grantRef());
    assertTrue(event.concerns(ID));
    assertFalse(event.concerns("BBBBBBBBBBBBBBBBBBBBBB"));
    assertFalse(event.concerns(null));
    assertEquals("tok-1", event.tokenId());
    assertTrue(event.toString().contains("grant=" + GrantReference.of(ID)), event.toString());
    assertTrue(event.toString().contains("token=tok-1"), event.toString());
    assertFalse(event.toString().contains(ID), "the id is never shown");
  }

  @Test
  void theGrantsIdWinsOverAReferenceGivenBeside() {
    AuditEvent event = AuditEvent.builder(AuditEventType.DENIED, AT).grantId(ID)
        .grantRef(GrantReference.of("another")).build();
    assertEquals(GrantReference.of(ID), event.grantRef());
    assertTrue(event.concerns(ID));
  }

  @Test
  void eventsThatDifferOnlyInTheirReferenceOrTokenAreNotEqual() {
    AuditEvent a = AuditEvent.builder(AuditEventType.DENIED, AT).grantRef(GrantReference.of(ID))
        .build();
    AuditEvent b = AuditEvent.builder(AuditEventType.DENIED, AT)
        .grantRef(GrantReference.of("BBBBBBBBBBBBBBBBBBBBBB")).build();
    AuditEvent c = AuditEvent.builder(AuditEventType.DENIED, AT).grantRef(GrantReference.of(ID))
        .tokenId("t").build();
    assertNotEquals(a, b);
    assertNotEquals(a, c);
    assertEquals(a, AuditEvent.builder(AuditEventType.DENIED, AT).grantRef(GrantReference.of(ID))
        .build());
  }

  @Test
  void aMalformedReferenceIsRefusedAndATokenIdIsCleaned() {
    for (String bad : new String[] {"", ID, "gr_short", GrantReference.of(ID) + "x",
        "gr_AAAAAAAAAAAAAAA=", "gr_AAAAAAAAAAAAAAA+"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> AuditEvent.builder(AuditEventType.DENIED, AT).grantRef(bad));
      assertEquals("grantRef must be gr_ and 16 base64url characters", e.getMessage());
    }
    AuditEvent event = AuditEvent.builder(AuditEventType.TOKEN_ISSUED, AT)
        .tokenId("a\nb\u202Ec").build();
    assertFalse(event.tokenId().contains("\n"));
    assertFalse(event.tokenId().contains("\u202E"));
    assertNull(AuditEvent.builder(AuditEventType.DENIED, AT).build().tokenId());
  }
}
