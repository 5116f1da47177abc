package dev.jitaccess.caep;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.spi.AuditSink;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The audit tap: TOKEN_ISSUED feeds the token index, RENEWED becomes token-claims-change. */
class AuditTapTest {
  private final Rig rig = new Rig();
  private final Grant grant = rig.grant();
  private final Instant newExpiry = rig.clock.instant().plusSeconds(1200);

  @AfterEach
  void close() throws Exception {
    assertEquals(List.of(), rig.server.problems());
    rig.close();
  }

  private AuditEvent tokenIssued(String tokenId) {
    return AuditEvent.builder(AuditEventType.TOKEN_ISSUED, rig.clock.instant()).grant(grant)
        .tokenId(tokenId).expiresAt(rig.clock.instant().plusSeconds(300)).build();
  }

  private AuditEvent renewed() {
    return AuditEvent.builder(AuditEventType.RENEWED, rig.clock.instant()).grant(grant)
        .expiresAt(newExpiry).build();
  }

  @Test
  void aRenewedEventPushesTheNewExpiryToEveryReceiverOnTheExecutor() {
    RecordingReceiver other = rig.newServer(Rig.AUDIENCE);
    List<Runnable> queued = new ArrayList<>();
    AuditSink tap = rig.transmitter.auditTap(queued::add,
        List.of(rig.receiver(), rig.receiverFor(other, "billing-caep").build()));
    tap.record(tokenIssued("tok-1"));

    tap.record(renewed());

    assertEquals(0, rig.server.requests(), "nothing is pushed on the renewing thread");
    queued.forEach(Runnable::run);
    for (RecordingReceiver server : List.of(rig.server, other)) {
      RecordingReceiver.Received got = server.received().get(0);
      assertEquals(CaepEvents.TOKEN_CLAIMS_CHANGE, got.eventType());
      assertEquals(Map.of("exp", newExpiry.getEpochSecond()), got.event().get("claims"));
      assertEquals("tok-1", got.subId().get("jti"));
    }
    assertEquals(List.of(), other.problems());
  }

  @Test
  void aRenewalPushedExplicitlyCarriesTheGrantsExpiry() {
    Delivery delivery = rig.receiver().tokenClaimsChanged(grant);

    assertTrue(delivery.isAccepted());
    assertEquals(1, delivery.setsAccepted());
    RecordingReceiver.Received got = rig.server.received().get(0);
    assertEquals(Map.of("exp", grant.expiresAt().getEpochSecond()), got.event().get("claims"));
    assertEquals(Map.of("format", "opaque", "id", grant.reference()), got.subId());
  }

  @Test
  void aFailedRenewalPushIsLoggedByReceiverAndReferenceNeverByGrantId() {
    rig.server.otherwise(RecordingReceiver.Response.of(503));
    AuditSink tap = rig.transmitter.auditTap(Runnable::run, List.of(rig.receiver()));

    try (LogCapture log = new LogCapture(AuditTap.class)) {
      assertDoesNotThrow(() -> tap.record(renewed()));
      List<LogRecord> records = log.records();
      assertEquals(1, records.size());
      String line = records.get(0).getMessage();
      assertTrue(line.contains("CAEP receiver orders-caep: token-claims-change for grant "
          + grant.reference() + " not delivered: RETRY 503"), line);
      assertFalse(line.contains(grant.id()), line);
    }
  }

  @Test
  void aRejectingExecutorLosesOnlyThatPushAndNeverThrows() {
    AuditSink tap = rig.transmitter.auditTap(task -> {
      throw new RejectedExecutionException("full");
    }, List.of(rig.receiver()));

    try (LogCapture log = new LogCapture(AuditTap.class)) {
      assertDoesNotThrow(() -> tap.record(renewed()));
      assertTrue(log.records().get(0).getMessage().contains("the executor refused it"));
    }
    assertEquals(0, rig.server.requests());
  }

  @Test
  void aTokenIdTheAuditEventCutShortMakesTheGrantNamedWhole() {
    AuditSink tap = rig.transmitter.auditTap();
    tap.record(tokenIssued("readable-token"));
    tap.record(tokenIssued("x".repeat(80))); // kept as 64 characters and a length note

    rig.receiver().revoke(rig.ended(grant, RevocationReason.MANUAL), RevocationReason.MANUAL);

    assertEquals(List.of(
            Map.of("format", "jwt_id", "iss", Rig.TOKEN_ISSUER, "jti", "readable-token"),
            Map.of("format", "opaque", "id", grant.reference())),
        rig.server.received().stream().map(RecordingReceiver.Received::subId)
            .collect(java.util.stream.Collectors.toList()));
  }

  @Test
  void eventsTheTapDoesNotUseChangeNothing() {
    AuditSink tap = rig.transmitter.auditTap(Runnable::run, List.of(rig.receiver()));

    tap.record(AuditEvent.ofGrant(AuditEventType.ISSUED, rig.clock.instant(), grant, null, null,
        null, null));
    tap.record(AuditEvent.ofGrant(AuditEventType.REVOKED, rig.clock.instant(), grant, "MANUAL",
        null, null, null));

    assertEquals(0, rig.server.requests());
    assertEquals(0, rig.transmitter.tokens().grantCount());
  }

  @Test
  void aTapForReceiversOfAnotherTransmitterIsRefused() throws Exception {
    try (Rig other = new Rig()) {
      String message = assertThrows(IllegalArgumentException.class,
          () -> rig.transmitter.auditTap(Runnable::run, List.of(other.receiver()))).getMessage();
      assertEquals("receivers must be built on this transmitter, orders-caep was not", message);
    }
  }

  @Test
  void anExplicitTokenIssueRefusesAGrantIdInPlaceOfItsReference() {
    String message = assertThrows(IllegalArgumentException.class,
        () -> rig.transmitter.tokenIssued(grant.id(), "t", newExpiry)).getMessage();
    assertTrue(message.startsWith("grantReference must be gr_"), message);
    assertFalse(message.contains(grant.id()));
  }
}
