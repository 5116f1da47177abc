package dev.jitaccess.caep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import dev.jitaccess.Ttl;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.teardown.DownstreamOptions;
import dev.jitaccess.teardown.InMemoryTeardownLedger;
import dev.jitaccess.teardown.Teardown;
import dev.jitaccess.teardown.TeardownEntry;
import dev.jitaccess.teardown.TeardownState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A CaepReceiver as a teardown downstream: a grant revoked through a runtime whose listener is the
 * teardown's is pushed to a real loopback receiver, which verifies the SET with Nimbus, and the
 * ledger entry ends REVOKED (the receiver has no probe, so never VERIFIED); failed pushes walk the
 * retry ladder on the fake clock.
 */
class TeardownLedgerDeliveryTest {
  private Rig rig;
  private InMemoryTeardownLedger ledger;
  private Teardown teardown;
  private JitAccess jit;

  @BeforeEach
  void wire() {
    rig = new Rig();
    ledger = new InMemoryTeardownLedger();
    teardown = Teardown.builder().clock(rig.clock).scheduler(rig.clock).ledger(ledger)
        .instanceId("replica-a").auditSink(e -> { }).alerts(e -> { })
        .downstream(rig.receiver(), DownstreamOptions.builder().executor(Runnable::run)
            .timeout(Duration.ofSeconds(10)).build())
        .build();
    jit = JitAccess.builder().clock(rig.clock).scheduler(rig.clock).auditSink(e -> { })
        .listener(teardown.listener()).build();
  }

  @AfterEach
  void close() throws Exception {
    assertEquals(List.of(), rig.server.problems(), "every SET must verify at the receiver");
    teardown.close();
    jit.close();
    rig.close();
  }

  private Grant grant() {
    return jit.request(GrantRequest.builder().subject("ci-job-4711").owner("team-orders")
        .task("export-2026-11").purpose("export the November orders")
        .scope(Scope.parse("read:orders/*"))
        .ttl(Ttl.of(Duration.ofMinutes(10), Duration.ofHours(1))).build());
  }

  private TeardownEntry entry(Grant grant) {
    return ledger.get(grant.id(), "orders-caep");
  }

  @Test
  void aRevokedGrantsSetArrivesVerifiedAndItsLedgerEntryEndsRevoked() {
    Grant grant = grant();

    jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);

    List<RecordingReceiver.Received> got = rig.server.received();
    assertEquals(1, got.size());
    assertEquals(CaepEvents.SESSION_REVOKED, got.get(0).eventType());
    assertEquals(Map.of("format", "opaque", "id", grant.reference()), got.get(0).subId());
    TeardownEntry entry = entry(grant);
    assertEquals(TeardownState.REVOKED, entry.state());
    assertEquals(1, entry.attempts());
    assertNull(entry.dueAt(), "no probe: the entry is settled as REVOKED");
    assertNull(entry.leaseOwner());
  }

  @Test
  void aReceiverFailingTwiceWith503WalksTheLadderAndTheEntryEndsRevoked() {
    rig.server.then(RecordingReceiver.Response.of(503), RecordingReceiver.Response.of(503));
    Grant grant = grant();

    jit.revoke(grant.id(), RevocationReason.MANUAL);
    TeardownEntry first = entry(grant);
    assertEquals(TeardownState.PENDING, first.state());
    assertEquals(1, first.attempts());

    rig.clock.advance(Duration.ofSeconds(15)); // past the ladder's first step (10 s, jittered)
    assertEquals(2, entry(grant).attempts());
    assertEquals(TeardownState.PENDING, entry(grant).state());

    rig.clock.advance(Duration.ofSeconds(30)); // past the second step (20 s, jittered)
    TeardownEntry last = entry(grant);
    assertEquals(TeardownState.REVOKED, last.state());
    assertEquals(3, last.attempts());
    assertNull(last.dueAt());
    assertEquals(3, rig.server.requests());
    List<RecordingReceiver.Received> got = rig.server.received();
    assertEquals(3, got.size(), "each try is a SET the receiver verified");
    for (RecordingReceiver.Received r : got) {
      assertEquals(CaepEvents.SESSION_REVOKED, r.eventType());
      assertEquals(grant.reference() + ":end", r.claims().getClaim("txn"));
    }
  }
}
