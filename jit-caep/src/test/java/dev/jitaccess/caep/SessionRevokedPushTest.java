package dev.jitaccess.caep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.teardown.Probe;
import dev.jitaccess.teardown.TeardownResult;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** session-revoked SETs, as a real receiver verifies and records them. */
class SessionRevokedPushTest {
  private Rig rig;

  @AfterEach
  void close() throws Exception {
    if (rig != null) {
      assertEquals(List.of(), rig.server.problems(), "every SET must verify at the receiver");
      rig.close();
    }
  }

  @Test
  void revokingAGrantWithTwoKnownTokensPushesOneJwtIdSetPerTokenAndAnswersDone() {
    rig = new Rig();
    Grant grant = rig.grant();
    Instant exp = rig.clock.instant().plusSeconds(300);
    rig.transmitter.tokenIssued(grant.reference(), "tokenAAAAAAAAAAAAAAAAA", exp);
    rig.transmitter.tokenIssued(grant.reference(), "tokenBBBBBBBBBBBBBBBBBB", exp);

    TeardownResult result = rig.receiver().revoke(rig.ended(grant, RevocationReason.TASK_COMPLETED),
        RevocationReason.TASK_COMPLETED);

    assertEquals(TeardownResult.Kind.DONE, result.kind());
    assertEquals(grant.reference(), result.grantReference());
    List<RecordingReceiver.Received> got = rig.server.received();
    assertEquals(2, got.size());
    assertEquals(Set.of("tokenAAAAAAAAAAAAAAAAA", "tokenBBBBBBBBBBBBBBBBBB"),
        got.stream().map(r -> r.subId().get("jti")).collect(Collectors.toSet()));
    for (RecordingReceiver.Received r : got) {
      assertEquals(CaepEvents.SESSION_REVOKED, r.eventType());
      assertEquals(CaepEvents.FORMAT_JWT_ID, r.format());
      assertEquals(Rig.TOKEN_ISSUER, r.subId().get("iss"));
      assertEquals("system", r.event().get("initiating_entity"));
      assertEquals(Map.of("en", "TASK_COMPLETED"), r.event().get("reason_admin"));
      assertEquals(rig.clock.instant().getEpochSecond(), r.event().get("event_timestamp"));
    }
  }

  @Test
  void revokingAGrantWithNoKnownTokenNamesTheGrantByItsOpaqueReference() {
    rig = new Rig();
    Grant grant = rig.grant();

    TeardownResult result = rig.receiver().revoke(rig.ended(grant, RevocationReason.MANUAL),
        RevocationReason.MANUAL);

    assertEquals(TeardownResult.Kind.DONE, result.kind());
    RecordingReceiver.Received only = rig.server.received().get(0);
    assertEquals(1, rig.server.received().size());
    assertEquals(Map.of("format", "opaque", "id", grant.reference()), only.subId());
    assertEquals("admin", only.event().get("initiating_entity"));
  }

  @Test
  void issSubFallbackNamesTheGrantsHolderWithTheTransmitterAsIssuer() {
    rig = new Rig(b -> b.fallbackSubject(GrantSubjectFormat.ISS_SUB));
    Grant grant = rig.grant();

    rig.receiver().revoke(rig.ended(grant, RevocationReason.ANOMALY), RevocationReason.ANOMALY);

    RecordingReceiver.Received only = rig.server.received().get(0);
    assertEquals(Map.of("format", "iss_sub", "iss", Rig.ISSUER, "sub", "ci-job-4711"),
        only.subId());
    assertEquals("policy", only.event().get("initiating_entity"));
  }

  @Test
  void aGrantPastItsTokenCapIsNamedByEveryKnownTokenAndByItsReference() {
    rig = new Rig(b -> b.maxTokensPerGrant(2));
    Grant grant = rig.grant();
    Instant exp = rig.clock.instant().plusSeconds(60);
    for (String id : List.of("t1", "t2", "t3")) {
      rig.transmitter.tokenIssued(grant.reference(), id, exp);
    }

    rig.receiver().revoke(rig.ended(grant, RevocationReason.MANUAL), RevocationReason.MANUAL);

    Set<Map<String, Object>> subjects = rig.server.received().stream()
        .map(RecordingReceiver.Received::subId).collect(Collectors.toSet());
    assertEquals(Set.of(
        Map.of("format", "jwt_id", "iss", Rig.TOKEN_ISSUER, "jti", "t1"),
        Map.of("format", "jwt_id", "iss", Rig.TOKEN_ISSUER, "jti", "t2"),
        Map.of("format", "opaque", "id", grant.reference())), subjects);
  }

  @Test
  void aGrantWhoseTokensCannotAllBeFollowedIsNamedWholeWhenTheTransmitterIsFull() {
    rig = new Rig(b -> b.maxTrackedGrants(1));
    Grant first = rig.grant();
    Grant second = rig.grant();
    Instant exp = rig.clock.instant().plusSeconds(60);
    rig.transmitter.tokenIssued(first.reference(), "first-token", exp);
    rig.transmitter.tokenIssued(second.reference(), "second-token", exp);

    rig.receiver().revoke(rig.ended(second, RevocationReason.MANUAL), RevocationReason.MANUAL);

    assertEquals(List.of(Map.of("format", "opaque", "id", second.reference())),
        rig.server.received().stream().map(RecordingReceiver.Received::subId)
            .collect(Collectors.toList()));
  }

  @Test
  void tokensPastTheirExpiryPlusRetentionAreNoLongerNamed() {
    rig = new Rig(b -> b.tokenRetention(Duration.ofMinutes(10)));
    Grant grant = rig.grant();
    rig.transmitter.tokenIssued(grant.reference(), "short-lived",
        rig.clock.instant().plusSeconds(60));
    rig.transmitter.tokenIssued(grant.reference(), "longer-lived",
        rig.clock.instant().plusSeconds(300));
    rig.clock.advance(Duration.ofSeconds(60 + 600 + 1));

    rig.receiver().revoke(rig.ended(grant, RevocationReason.MANUAL), RevocationReason.MANUAL);

    assertEquals(List.of("longer-lived"), rig.server.received().stream()
        .map(r -> r.subId().get("jti")).collect(Collectors.toList()));
  }

  @Test
  void noSetCarriesTheGrantIdOrATokenAndNoneHasSubOrExp() {
    rig = new Rig();
    Grant grant = rig.grant();
    rig.transmitter.tokenIssued(grant.reference(), "jti-1", rig.clock.instant().plusSeconds(60));
    CaepReceiver receiver = rig.receiver();

    receiver.revoke(rig.ended(grant, RevocationReason.MANUAL), RevocationReason.MANUAL);
    receiver.tokenClaimsChanged(grant);
    receiver.sendVerification("state-1");

    assertEquals(3, rig.server.received().size());
    for (String payload : rig.server.payloads()) {
      assertFalse(payload.contains(grant.id()), "a SET must not carry the grant id");
    }
    for (RecordingReceiver.Received r : rig.server.received()) {
      assertNull(r.claims().getSubject());
      assertNull(r.claims().getExpirationTime());
    }
  }

  @Test
  void everySetOfOneGrantsEndSharesOneTxnAndHasItsOwnJti() {
    rig = new Rig();
    Grant grant = rig.grant();
    for (String id : List.of("a", "b", "c")) {
      rig.transmitter.tokenIssued(grant.reference(), id, rig.clock.instant().plusSeconds(60));
    }
    CaepReceiver receiver = rig.receiver();
    Grant ended = rig.ended(grant, RevocationReason.TASK_FAILED);

    receiver.revoke(ended, RevocationReason.TASK_FAILED);
    receiver.revoke(ended, RevocationReason.TASK_FAILED); // a retry by the ledger

    List<RecordingReceiver.Received> got = rig.server.received();
    assertEquals(6, got.size());
    Set<Object> txns = got.stream().map(r -> r.claims().getClaim("txn"))
        .collect(Collectors.toSet());
    assertEquals(Set.of(grant.reference() + ":end"), txns);
    Set<String> jtis = new HashSet<>();
    got.forEach(r -> assertTrue(jtis.add(r.claims().getJWTID()), "jti must be fresh per SET"));
  }

  @Test
  void aRotatedSetSignerSignsNewSetsAndThePreviousKeyStaysPublished() {
    rig = Rig.withSigner();
    CaepReceiver receiver = rig.receiver();
    receiver.sendVerification("before");
    rig.transmitter.rotate(SetSigner.fromKey(Rig.ecKey("caep-2")));

    receiver.sendVerification("after");

    List<RecordingReceiver.Received> got = rig.server.received();
    assertEquals("caep-1", got.get(0).set().getHeader().getKeyID());
    assertEquals("caep-2", got.get(1).set().getHeader().getKeyID());
    assertEquals(Set.of("caep-2", "caep-1"), rig.transmitter.publicJwkSet().getKeys().stream()
        .map(k -> k.getKeyID()).collect(Collectors.toSet()));
    assertEquals("caep-2", rig.transmitter.currentKeyId());
    assertFalse(rig.transmitter.publicJwkSet().getKeys().stream().anyMatch(k -> k.isPrivate()));
  }

  @Test
  void aPushReceiverCannotProbeWhetherASessionIsGone() {
    rig = new Rig();
    assertEquals(Probe.UNKNOWN, rig.receiver().verify(rig.grant()));
  }
}
