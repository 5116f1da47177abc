package dev.jitaccess.teardown;

import static dev.jitaccess.AuditEventType.TEARDOWN_RETAINED;
import static dev.jitaccess.AuditEventType.TEARDOWN_VERIFIED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import dev.jitaccess.Ttl;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Overlapping grants (AWS TEAM #279): the end of one grant does not remove an entitlement that
 * another live grant of the same subject still needs; the last of them to end removes it.
 */
class SharedEntitlementTest {
  private static final String ROLE = "role:payments-writer";

  private final FakeClock clock = new FakeClock();
  private final ScriptedDownstream db = new ScriptedDownstream("db", clock)
      .entitlement(g -> g.scope().toString().contains("db/payments")
          ? Optional.of(ROLE) : Optional.empty());

  @Test
  void theEndOfOneGrantRetainsTheEntitlementAnotherLiveGrantOfTheSubjectStillNeeds() {
    try (Rig rig = Rig.of(clock, db)) {
      Grant first = rig.grant("alice");
      Grant second = rig.grant("alice");
      rig.jit.revoke(first.id(), RevocationReason.TASK_COMPLETED);

      TeardownEntry kept = rig.entry(first, "db");
      assertEquals(TeardownState.RETAINED, kept.state());
      assertEquals(ROLE, kept.entitlement());
      assertEquals(second.reference(), kept.retainedBy());
      assertFalse(kept.isLingering(), "the access is still needed: not lingering");
      assertEquals(clock.instant().plus(Teardown.Builder.DEFAULT_RETAINED_RECHECK), kept.dueAt(),
          "re-checked on the interval");
      assertEquals(0, db.revokes(), "the role stays for the live grant");
      assertEquals(List.of(TEARDOWN_RETAINED), rig.teardownEvents(first));
      assertTrue(rig.jit.check(second.id(), "write", "db/payments").isAllowed());
      rig.jit.revoke(second.id(), RevocationReason.TASK_COMPLETED);
    }
  }

  @Test
  void theLastGrantToEndRemovesTheSharedEntitlement() {
    try (Rig rig = Rig.of(clock, db)) {
      Grant first = rig.grant("alice");
      Grant second = rig.grant("alice");
      Grant third = rig.grant("alice");
      rig.jit.revoke(first.id(), RevocationReason.TASK_COMPLETED);
      rig.jit.revoke(second.id(), RevocationReason.TASK_COMPLETED);
      assertEquals(0, db.revokes());
      assertEquals(TeardownState.RETAINED, rig.entry(first, "db").state());
      assertEquals(TeardownState.RETAINED, rig.entry(second, "db").state());
      clock.advance(Duration.ofMinutes(30)); // the third expires: the last to end

      TeardownEntry last = rig.entry(third, "db");
      assertEquals(TeardownState.VERIFIED, last.state());
      assertEquals(ROLE, last.entitlement());
      assertEquals(RevocationReason.EXPIRED, last.endReason());
      // Its end re-checks the two RETAINED entries at once: no keeper is left, so each is
      // PENDING again and confirmed (an idempotent revoke each).
      assertEquals(TeardownState.VERIFIED, rig.entry(first, "db").state());
      assertEquals(TeardownState.VERIFIED, rig.entry(second, "db").state());
      assertEquals(3, db.revokes());
    }
  }

  @Test
  void anotherSubjectsGrantOrAnotherEntitlementRetainsNothing() {
    try (Rig rig = Rig.of(clock, db)) {
      Grant alices = rig.grant("alice");
      Grant bobs = rig.grant("bob");
      Grant alicesOther = rig.jit.request(GrantRequest.builder().subject("alice")
          .owner("team-payments").task("other").purpose("read reports")
          .scope("read:reports/**").ttl(Ttl.of(Duration.ofMinutes(30))).build());
      rig.jit.revoke(alices.id(), RevocationReason.TASK_COMPLETED);
      assertEquals(TeardownState.VERIFIED, rig.entry(alices, "db").state());
      rig.jit.revoke(bobs.id(), RevocationReason.TASK_COMPLETED);
      rig.jit.revoke(alicesOther.id(), RevocationReason.TASK_COMPLETED);
      assertNull(rig.entry(alicesOther, "db").entitlement());
    }
  }

  @Test
  void aGrantPastItsExpiryWhoseEndIsNotYetReportedRetainsNothing() {
    try (Rig rig = Rig.of(clock, db)) {
      Grant grant = rig.grant("alice");
      Instant now = clock.instant();
      GrantRequest request = GrantRequest.builder().subject("alice").owner("team-payments")
          .task("stale").purpose("a grant whose expiry timer has not run")
          .scope("write:db/payments").ttl(Ttl.of(Duration.ofMinutes(1))).build();
      rig.grants.insert(Grant.issue(randomId(), request, Scope.parse("write:db/payments"),
          now.minus(Duration.ofMinutes(10)), now.minus(Duration.ofMinutes(1)),
          now.minus(Duration.ofMinutes(1)), null));
      rig.jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
      assertEquals(TeardownState.VERIFIED, rig.entry(grant, "db").state());
    }
  }

  @Test
  void aListingThatStillShowsAnEndedGrantAsActiveDoesNotRetain() {
    Grant[] minted = new Grant[2];
    try (Rig rig = new Rig(clock, new InMemoryTeardownLedger(), List.of(db), b -> { },
        store -> new ForwardingGrantStore(store) {
          @Override
          public Collection<Grant> findBySubject(String subject) {
            return List.of(minted[0], minted[1]); // as minted: both ACTIVE
          }
        })) {
      minted[0] = rig.grant("alice");
      minted[1] = rig.grant("alice");
      rig.jit.revoke(minted[1].id(), RevocationReason.TASK_COMPLETED);
      assertEquals(TeardownState.RETAINED, rig.entry(minted[1], "db").state(),
          "the other is live");
      rig.jit.revoke(minted[0].id(), RevocationReason.TASK_COMPLETED);
      assertEquals(TeardownState.VERIFIED, rig.entry(minted[0], "db").state(),
          "the listing says ACTIVE, the source of truth says REVOKED");
    }
  }

  @Test
  void whenTheKeeperEndsBetweenTheReadAndTheRetainedMarkTheReCheckReopensAndRemovesIt() {
    Grant[] minted = new Grant[2];
    AtomicBoolean raced = new AtomicBoolean();
    Rig[] rigs = new Rig[1];
    try (Rig rig = new Rig(clock, new InMemoryTeardownLedger(), List.of(db), b -> { },
        store -> new ForwardingGrantStore(store) {
          @Override
          public Grant getLatest(String id) {
            Grant read = store.getLatest(id);
            if (id.equals(minted[1].id()) && raced.compareAndSet(false, true)) {
              // the keeper ends, and its teardown runs, after this read and before the mark
              Thread other = new Thread(() -> rigs[0].jit.revoke(minted[1].id(),
                  RevocationReason.TASK_FAILED));
              other.start();
              try {
                other.join();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            return read;
          }
        })) {
      rigs[0] = rig;
      minted[0] = rig.grant("alice");
      minted[1] = rig.grant("alice");
      rig.jit.revoke(minted[0].id(), RevocationReason.TASK_COMPLETED);

      assertTrue(raced.get());
      assertEquals(TeardownState.VERIFIED, rig.entry(minted[1], "db").state(),
          "the keeper, ending last, saw the first ended and removed the role");
      TeardownEntry first = rig.entry(minted[0], "db");
      assertEquals(TeardownState.VERIFIED, first.state(), "reopened by the re-check");
      assertEquals(List.of(TEARDOWN_RETAINED, TEARDOWN_VERIFIED), rig.teardownEvents(minted[0]));
      assertEquals(2, db.revokes(), "removed twice, which a downstream takes as done");
    }
  }

  @Test
  void aGrantStoreThatFailsLetsTheEntitlementBeRemoved() {
    try (Rig rig = new Rig(clock, new InMemoryTeardownLedger(), List.of(db), b -> { },
        store -> new ForwardingGrantStore(store) {
          @Override
          public Collection<Grant> findBySubject(String subject) {
            throw new IllegalStateException("database down");
          }
        })) {
      Grant first = rig.grant("alice");
      Grant second = rig.grant("alice");
      rig.jit.revoke(first.id(), RevocationReason.TASK_COMPLETED);
      assertEquals(TeardownState.VERIFIED, rig.entry(first, "db").state());
      assertFalse(rig.entry(first, "db").isClaimableAt(clock.instant()));
      rig.jit.revoke(second.id(), RevocationReason.TASK_COMPLETED);
    }
  }

  @Test
  void withoutAGrantStoreEveryEndingGrantsEntitlementIsRemoved() {
    try (Rig rig = new Rig(clock, new InMemoryTeardownLedger(), List.of(db), b -> { },
        store -> store)) {
      Teardown bare = Teardown.builder().clock(clock).scheduler(clock).downstream(db, Rig.INLINE)
          .auditSink(e -> { }).build();
      try {
        Grant first = rig.grant("alice");
        rig.grant("alice");
        rig.jit.revoke(first.id(), RevocationReason.TASK_COMPLETED);
        bare.listener().onRevocation(rig.grants.get(first.id()), RevocationReason.TASK_COMPLETED);
        assertEquals(TeardownState.VERIFIED, bare.entries(first.id()).get(0).state());
      } finally {
        bare.close();
      }
    }
  }

  static String randomId() {
    byte[] bits = new byte[16];
    ThreadLocalRandom.current().nextBytes(bits);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
  }
}
