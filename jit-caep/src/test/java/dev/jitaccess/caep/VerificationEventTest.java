package dev.jitaccess.caep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SSF verification events, sent on demand to check that a stream delivers. */
class VerificationEventTest {
  private final Rig rig = new Rig();

  @AfterEach
  void close() throws Exception {
    assertEquals(List.of(), rig.server.problems());
    rig.close();
  }

  @Test
  void aVerificationEventEchoesTheStateWithTheStreamAsItsSubject() {
    CaepReceiver receiver = rig.receiverFor(rig.server, "orders-caep").streamId("stream-42")
        .build();

    Delivery delivery = receiver.sendVerification("VGhpcyBpcyBhIHN0YXRl");

    assertTrue(delivery.isAccepted());
    RecordingReceiver.Received got = rig.server.received().get(0);
    assertEquals(CaepEvents.VERIFICATION, got.eventType());
    assertEquals(Map.of("state", "VGhpcyBpcyBhIHN0YXRl"), got.event());
    assertEquals(Map.of("format", "opaque", "id", "stream-42"), got.subId());
    assertNull(got.claims().getClaim("txn"));
  }

  @Test
  void aVerificationEventWithoutStateOrStreamIdIsAnEmptyEventWithoutSubject() {
    Delivery delivery = rig.receiver().sendVerification(null);

    assertTrue(delivery.isAccepted());
    RecordingReceiver.Received got = rig.server.received().get(0);
    assertEquals(Map.of(), got.event());
    assertNull(got.subId());
  }

  @Test
  void aFailedVerificationSaysWhy() {
    rig.server.otherwise(RecordingReceiver.Response.json(400,
        "{\"err\":\"invalid_issuer\",\"description\":\"who are you\"}"));

    Delivery delivery = rig.receiver().sendVerification("s");

    assertEquals(Delivery.Outcome.UNRECOVERABLE, delivery.outcome());
    assertEquals(400, delivery.status());
    assertEquals(0, delivery.setsAccepted());
    assertTrue(delivery.cause().orElseThrow().contains("err invalid_issuer"));
  }

  @Test
  void aStateWithControlCharactersIsRefused() {
    String message = assertThrows(IllegalArgumentException.class,
        () -> rig.receiver().sendVerification("a\nb")).getMessage();
    assertEquals("state must not contain control or format characters, had one at offset 1",
        message);
  }
}
