package dev.jitaccess.testkit;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.GrantState;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import dev.jitaccess.Ttl;
import dev.jitaccess.teardown.TeardownEntry;
import dev.jitaccess.teardown.TeardownState;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * Ended grants and teardown entries for {@link TeardownLedgerCompatibilityKit}: each grant has a
 * fresh random id, so entries of one test never collide. Stateless and thread-safe.
 */
final class TeardownEntries {
  /** The instant the kit's entries are timed from; it has nanoseconds, to catch rounding. */
  static final Instant T0 = Instant.parse("2026-03-14T09:26:53.589793238Z");

  private TeardownEntries() {}

  /** A grant of {@code subject}, revoked at {@code endedAt}. */
  static Grant ended(String subject, Instant endedAt) {
    GrantRequest request = GrantRequest.builder().subject(subject).owner("team-payments")
        .task("task").purpose("purpose").scope("write:db/payments")
        .ttl(Ttl.of(Duration.ofHours(1))).build();
    Grant live = Grant.issue(KitSupport.newId(), request, Scope.parse("write:db/payments"),
        endedAt.minus(Duration.ofMinutes(5)), endedAt.plus(Duration.ofMinutes(55)),
        endedAt.plus(Duration.ofMinutes(55)), null);
    return live.end(GrantState.REVOKED, RevocationReason.MANUAL, endedAt);
  }

  /**
   * A grant with every optional field set, names beyond ASCII, nanoseconds everywhere: what a
   * ledger must give back exactly.
   */
  static Grant everyField(Instant endedAt) {
    return Grant.builder().id(KitSupport.newId()).subject("j\u00f6rg-\uD83D\uDE80")
        .owner("team-z\u00fcrich").task("incident-4711 \u2014 n\u00e4chtlich")
        .purpose("rotate the keys; DROP TABLE x; -- 'quoted' %_")
        .scope(Scope.parse("read:orders/* write:db/payments"))
        .issuedAt(endedAt.minusSeconds(600).plusNanos(1))
        .expiresAt(endedAt.plusSeconds(3000).plusNanos(2))
        .notAfter(endedAt.plusSeconds(7200).plusNanos(3)).parentId(KitSupport.newId())
        .useBudget(OptionalLong.of(7)).usesConsumed(3).version(5).tier("HIGH")
        .requestId("req_" + KitSupport.newId())
        .state(GrantState.REVOKED, RevocationReason.ANOMALY, endedAt).build();
  }

  /** A new PENDING entry of {@code grant} at {@code downstream}, due at {@code at}. */
  static TeardownEntry pending(Grant grant, String downstream, Instant at) {
    return TeardownEntry.builder(grant, downstream).createdAt(at).updatedAt(at).dueAt(at).build();
  }

  /** The next version of {@code e}: one more attempt, in {@code state}, due at {@code dueAt}. */
  static TeardownEntry next(TeardownEntry e, TeardownState state, Instant at, Instant dueAt) {
    return e.toBuilder().state(state).dueAt(dueAt).lease(null, null).updatedAt(at)
        .attempts(e.attempts() + 1).version(e.version() + 1).build();
  }

  /** The next version of {@code e}, VERIFIED at {@code at}. */
  static TeardownEntry verified(TeardownEntry e, Instant at) {
    return e.toBuilder().state(TeardownState.VERIFIED).dueAt(null).lease(null, null)
        .updatedAt(at).attempts(e.attempts() + 1).version(e.version() + 1).build();
  }
}
