package dev.jitaccess.caep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.teardown.TeardownResult;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A receiver that refuses, fails, stalls or redirects: what {@code revoke} answers the teardown,
 * and that its cause names the receiver and the reason, never the grant id or a token.
 */
class ReceiverFailureTest {
  private Rig rig;
  private Grant ended;

  @BeforeEach
  void setUp() {
    rig = new Rig();
    Grant grant = rig.grant();
    rig.transmitter.tokenIssued(grant.reference(), "tok-1", rig.clock.instant().plusSeconds(60));
    ended = rig.ended(grant, RevocationReason.TASK_COMPLETED);
  }

  @AfterEach
  void close() throws Exception {
    rig.close();
  }

  private TeardownResult revoke(CaepReceiver receiver) {
    TeardownResult result = receiver.revoke(ended, RevocationReason.TASK_COMPLETED);
    if (result.kind() != TeardownResult.Kind.DONE) {
      String cause = result.cause();
      assertTrue(cause.startsWith("CAEP receiver orders-caep: "), cause);
      assertFalse(cause.contains(ended.id()), "a cause must not name the grant id");
      assertFalse(cause.contains("tok-1"), "a cause must not name a token id");
    }
    return result;
  }

  @Test
  void a400WithAnRfc8935ErrorIsUnrecoverableAndNamesTheErrorCode() {
    rig.server.otherwise(RecordingReceiver.Response.json(400,
        "{\"err\":\"invalid_audience\",\"description\":\"unknown audience\"}"));

    TeardownResult result = revoke(rig.receiver());

    assertEquals(TeardownResult.Kind.UNRECOVERABLE, result.kind());
    assertTrue(result.cause().contains("err invalid_audience, description \"unknown audience\""),
        result.cause());
  }

  @Test
  void a400WithInvalidKeyIsARetryBecauseTheReceiverMayNotHaveSeenARotation() {
    rig.server.otherwise(RecordingReceiver.Response.json(400,
        "{\"err\":\"invalid_key\",\"description\":\"kid unknown\"}"));

    TeardownResult result = revoke(rig.receiver());

    assertEquals(TeardownResult.Kind.RETRY, result.kind());
    assertTrue(result.cause().contains("invalid_key"), result.cause());
  }

  @Test
  void a400WithoutAnErrorBodyIsUnrecoverable() {
    rig.server.otherwise(RecordingReceiver.Response.json(400, "<html>bad request</html>"));

    TeardownResult result = revoke(rig.receiver());

    assertEquals(TeardownResult.Kind.UNRECOVERABLE, result.kind());
    assertTrue(result.cause().contains("HTTP 400) without an RFC 8935 error body"),
        result.cause());
  }

  @ParameterizedTest
  @ValueSource(ints = {401, 403, 404, 405, 413, 415})
  void otherClientErrorsAreUnrecoverable(int status) {
    rig.server.otherwise(RecordingReceiver.Response.of(status));

    TeardownResult result = revoke(rig.receiver());

    assertEquals(TeardownResult.Kind.UNRECOVERABLE, result.kind());
    assertTrue(result.cause().contains("HTTP " + status), result.cause());
  }

  @ParameterizedTest
  @ValueSource(ints = {500, 502, 503, 504})
  void serverErrorsAreRetries(int status) {
    rig.server.otherwise(RecordingReceiver.Response.of(status));

    TeardownResult result = revoke(rig.receiver());

    assertEquals(TeardownResult.Kind.RETRY, result.kind());
    assertTrue(result.cause().contains("the receiver failed (HTTP " + status + ")"),
        result.cause());
  }

  @Test
  void a429IsARetryAndItsRetryAfterIsQuoted() {
    rig.server.otherwise(new RecordingReceiver.Response(429, "", Map.of("Retry-After", "30"),
        false));

    TeardownResult result = revoke(rig.receiver());

    assertEquals(TeardownResult.Kind.RETRY, result.kind());
    assertTrue(result.cause().contains("HTTP 429; Retry-After 30"), result.cause());
  }

  @Test
  void aSlowReceiverIsARetryOnceTheRequestTimeoutPasses() {
    rig.server.otherwise(new RecordingReceiver.Response(202, "", Map.of(), true));
    CaepReceiver receiver = rig.receiverFor(rig.server, "orders-caep")
        .requestTimeout(Duration.ofMillis(300)).build();

    TeardownResult result = revoke(receiver);

    assertEquals(TeardownResult.Kind.RETRY, result.kind());
    assertTrue(result.cause().contains("no response within the request timeout PT0.3S"),
        result.cause());
  }

  @ParameterizedTest
  @ValueSource(ints = {301, 302, 303, 307, 308})
  void aRedirectIsUnrecoverableAndItsTargetIsNeverCalled(int status) {
    RecordingReceiver elsewhere = rig.newServer(Rig.AUDIENCE);
    rig.server.otherwise(new RecordingReceiver.Response(status, "",
        Map.of("Location", elsewhere.endpoint().toString()), false));

    TeardownResult result = revoke(rig.receiver());

    assertEquals(TeardownResult.Kind.UNRECOVERABLE, result.kind());
    assertTrue(result.cause().contains("redirected (HTTP " + status + "); redirects are never "
        + "followed"), result.cause());
    assertEquals(0, elsewhere.requests());
  }

  @ParameterizedTest
  @ValueSource(ints = {200, 201, 204})
  void anotherSuccessThan202IsNotAnAcknowledgement(int status) {
    rig.server.otherwise(RecordingReceiver.Response.of(status));

    TeardownResult result = revoke(rig.receiver());

    assertEquals(TeardownResult.Kind.UNRECOVERABLE, result.kind());
    assertTrue(result.cause().contains("not 202 Accepted"), result.cause());
  }

  @Test
  void aReceiverThatIsNotListeningIsARetry() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    } // closed: nothing listens there now
    CaepReceiver receiver = CaepReceiver.builder(rig.transmitter).name("orders-caep")
        .endpoint(URI.create("http://127.0.0.1:" + port + "/caep"))
        .audience(Rig.AUDIENCE).allowInsecureLocalhostForTests().build();

    TeardownResult result = revoke(receiver);

    assertEquals(TeardownResult.Kind.RETRY, result.kind());
    assertTrue(result.cause().contains("could not connect"), result.cause());
  }

  @Test
  void anErrorDescriptionThatEchoesWhatItGotIsCleanedBeforeItIsQuoted() {
    String echoed = "got eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJ4In0 for " + ended.id()
        + " \u001b[31m\u2028forged line";
    rig.server.otherwise(RecordingReceiver.Response.json(400,
        "{\"err\":\"invalid_request\",\"description\":\"" + echoed.replace("\u001b", "\\u001b")
            + "\"}"));

    TeardownResult result = revoke(rig.receiver());

    assertEquals(TeardownResult.Kind.UNRECOVERABLE, result.kind());
    assertFalse(result.cause().contains("eyJ"), result.cause());
    assertTrue(result.cause().contains("[redacted]"), result.cause());
    assertTrue(result.cause().chars().allMatch(c -> c >= 0x20 && c < 0x7f), result.cause());
  }

  @Test
  void aFailureAfterSomeSetsWereAcceptedSaysHowMany() {
    rig.transmitter.tokenIssued(ended.reference(), "tok-2", rig.clock.instant().plusSeconds(60));
    rig.server.then(RecordingReceiver.Response.of(202))
        .otherwise(RecordingReceiver.Response.of(503));

    TeardownResult result = revoke(rig.receiver());

    assertEquals(TeardownResult.Kind.RETRY, result.kind());
    assertTrue(result.cause().endsWith("(after 1 SETs accepted)"), result.cause());
    assertEquals(2, rig.server.requests());
  }

  @Test
  void aRetriedRevocationSendsOnlyTheSetsNotYetAccepted() {
    rig.transmitter.tokenIssued(ended.reference(), "tok-2", rig.clock.instant().plusSeconds(60));
    rig.transmitter.tokenIssued(ended.reference(), "tok-3", rig.clock.instant().plusSeconds(60));
    rig.server.then(RecordingReceiver.Response.of(202), RecordingReceiver.Response.of(503));
    CaepReceiver receiver = rig.receiver();
    assertEquals(TeardownResult.Kind.RETRY, revoke(receiver).kind());

    TeardownResult retried = revoke(receiver);

    assertEquals(TeardownResult.Kind.DONE, retried.kind());
    List<Object> sent = rig.server.received().stream().map(r -> r.subId().get("jti"))
        .collect(java.util.stream.Collectors.toList());
    // tok-1 accepted, tok-2 refused; the retry sends tok-2 again and tok-3, never tok-1.
    assertEquals(List.of("tok-1", "tok-2", "tok-2", "tok-3"), sent);
  }

  @Test
  void theAuthorizationIsAskedForOnEveryPushAndSent() {
    int[] asked = {0};
    CaepReceiver receiver = rig.receiverFor(rig.server, "orders-caep")
        .authorization(() -> "Bearer t" + (++asked[0])).build();

    receiver.sendVerification("one");
    receiver.sendVerification("two");

    assertEquals(List.of("Bearer t1", "Bearer t2"), rig.server.received().stream()
        .map(RecordingReceiver.Received::authorization)
        .collect(java.util.stream.Collectors.toList()));
  }

  @Test
  void anAuthorizationSupplierThatThrowsIsARetryAndNothingIsSent() {
    CaepReceiver receiver = rig.receiverFor(rig.server, "orders-caep")
        .authorization(() -> {
          throw new IllegalStateException("vault down");
        }).build();

    TeardownResult result = revoke(receiver);

    assertEquals(TeardownResult.Kind.RETRY, result.kind());
    assertTrue(result.cause().contains("authorization supplier failed"), result.cause());
    assertEquals(0, rig.server.requests());
  }

  @Test
  void aHugeErrorBodyIsReadOnlyUpToTheBound() {
    rig.server.otherwise(RecordingReceiver.Response.json(400, "{\"err\":\"invalid_request\","
        + "\"description\":\"" + "x".repeat(1_000_000) + "\"}"));

    TeardownResult result = revoke(rig.receiver());

    assertEquals(TeardownResult.Kind.UNRECOVERABLE, result.kind());
    assertTrue(result.cause().contains("without an RFC 8935 error body"), result.cause());
  }
}
