package dev.jitaccess.teardown;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.GrantState;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import dev.jitaccess.Ttl;
import java.time.Duration;
import java.time.Instant;

/**
 * Ended grants and new entries for tests of entries alone. The ledger contract itself is
 * jit-testkit's TeardownLedgerCompatibilityKit, run there against the in-memory ledger.
 */
final class Entries {
  private Entries() {}

  /** A grant of {@code subject}, revoked at {@code endedAt}. */
  static Grant ended(String subject, Instant endedAt) {
    GrantRequest request = GrantRequest.builder().subject(subject).owner("team-payments")
        .task("task").purpose("purpose").scope("write:db/payments")
        .ttl(Ttl.of(Duration.ofHours(1))).build();
    Grant live = Grant.issue(SharedEntitlementTest.randomId(), request,
        Scope.parse("write:db/payments"), endedAt.minus(Duration.ofMinutes(5)),
        endedAt.plus(Duration.ofMinutes(55)), endedAt.plus(Duration.ofMinutes(55)), null);
    return live.end(GrantState.REVOKED, RevocationReason.MANUAL, endedAt);
  }

  /** A new PENDING entry of {@code grant} at {@code downstream}, due at {@code at}. */
  static TeardownEntry pending(Grant grant, String downstream, Instant at) {
    return TeardownEntry.builder(grant, downstream).createdAt(at).updatedAt(at).dueAt(at).build();
  }
}
