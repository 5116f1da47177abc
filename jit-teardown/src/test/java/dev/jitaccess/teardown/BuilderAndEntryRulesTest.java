package dev.jitaccess.teardown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.Scope;
import dev.jitaccess.Ttl;
import dev.jitaccess.teardown.spi.Downstream;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** The builders refuse what breaks their rules, with messages naming the field and the rule. */
class BuilderAndEntryRulesTest {
  private final FakeClock clock = new FakeClock();
  private final ScriptedDownstream db = new ScriptedDownstream("db", clock);

  @Test
  void aTeardownNeedsADownstreamAndEachNameOnce() {
    IllegalStateException none = assertThrows(IllegalStateException.class,
        () -> Teardown.builder().build());
    assertEquals("at least one downstream must be registered", none.getMessage());
    IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
        () -> Teardown.builder().downstream(db).downstream(new ScriptedDownstream("db", clock)));
    assertEquals("downstream.name must be unique, 'db' was already registered",
        twice.getMessage());
    IllegalArgumentException badName = assertThrows(IllegalArgumentException.class,
        () -> Teardown.builder().downstream(new ScriptedDownstream("db\nforged", clock)));
    assertEquals("downstream.name must match [A-Za-z0-9][A-Za-z0-9._:-]{0,63}, was 'db?forged'",
        badName.getMessage());
  }

  @Test
  void eachSetterMayBeCalledOnceAndDurationsMustBePositive() {
    Teardown.Builder b = Teardown.builder().clock(clock);
    IllegalStateException again = assertThrows(IllegalStateException.class, () -> b.clock(clock));
    assertEquals("clock was already set", again.getMessage());
    IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
        () -> Teardown.builder().lease(Duration.ZERO));
    assertEquals("lease must be > 0, was PT0S", zero.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Teardown.builder().irrevocableRetry(Duration.ofHours(-1)));
    assertThrows(IllegalArgumentException.class, () -> Teardown.builder().claimBatch(0));
    assertThrows(NullPointerException.class, () -> Teardown.builder().ledger(null));
    assertThrows(IllegalArgumentException.class, () -> Teardown.builder().instanceId(" "));
  }

  @Test
  void theLeaseMustOutlastTwoCallsOfEveryDownstream() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Teardown.builder().clock(clock).scheduler(clock).lease(Duration.ofMinutes(1))
            .downstream(db, DownstreamOptions.builder().timeout(Duration.ofSeconds(30)).build())
            .build());
    assertEquals("lease must be > twice the timeout of downstream db (PT1M), was PT1M",
        e.getMessage());
  }

  @Test
  void downstreamOptionsRefuseTimeoutsAndBoundsOutsideTheirRules() {
    assertThrows(IllegalArgumentException.class,
        () -> DownstreamOptions.builder().timeout(Duration.ZERO));
    assertThrows(IllegalArgumentException.class,
        () -> DownstreamOptions.builder().timeout(Duration.ofHours(1)));
    assertThrows(IllegalArgumentException.class,
        () -> DownstreamOptions.builder().maxHungCalls(-1));
    DownstreamOptions.Builder b = DownstreamOptions.builder().executor(Runnable::run);
    assertThrows(IllegalStateException.class, () -> b.executor(Runnable::run));
    assertEquals(Duration.ofSeconds(30), DownstreamOptions.ofDefaults().timeout());
  }

  @Test
  void theBuilderIsReusableAndBuildsIndependentTeardowns() {
    Teardown.Builder b = Teardown.builder().clock(clock).scheduler(clock).downstream(db);
    try (Teardown first = b.build(); Teardown second = b.build()) {
      assertFalse(first == second);
      assertTrue(first.toString().startsWith("Teardown[teardown-"));
    }
  }

  @Test
  void anEntryRefusesFieldsThatDisagree() {
    Instant now = clock.instant();
    GrantRequest request = GrantRequest.builder().subject("alice").owner("team").task("t")
        .purpose("p").scope("read:x").ttl(Ttl.of(Duration.ofMinutes(5))).build();
    Grant live = Grant.issue(SharedEntitlementTest.randomId(), request, Scope.parse("read:x"), now,
        now.plusSeconds(300), now.plusSeconds(300), null);
    IllegalArgumentException active = assertThrows(IllegalArgumentException.class,
        () -> TeardownEntry.builder(live, "db"));
    assertEquals("grant must have left ACTIVE, was ACTIVE", active.getMessage());
    Grant ended = Entries.ended("alice", now);
    TeardownEntry.Builder b = TeardownEntry.builder(ended, "db").createdAt(now).updatedAt(now);
    assertEquals("dueAt must be set for a PENDING entry",
        assertThrows(IllegalArgumentException.class, b::build).getMessage());
    assertEquals("dueAt must be null for a VERIFIED entry",
        assertThrows(IllegalArgumentException.class,
            () -> b.state(TeardownState.VERIFIED).dueAt(now).build()).getMessage());
    assertEquals("lease owner and lease end must be set together",
        assertThrows(IllegalArgumentException.class, () -> b.state(TeardownState.PENDING)
            .lease("a", null).build()).getMessage());
    assertThrows(IllegalArgumentException.class, () -> b.lease(null, null)
        .state(TeardownState.RETAINED).dueAt(null).build());
    assertThrows(IllegalArgumentException.class, () -> b.state(TeardownState.CLOSED).build());
    TeardownEntry settled = b.state(TeardownState.VERIFIED).dueAt(null).build();
    assertThrows(IllegalStateException.class, () -> settled.withLease("a", now, now));
  }

  @Test
  void theStateTableAllowsExactlyItsTransitions() {
    for (TeardownState from : TeardownState.values()) {
      for (TeardownState to : TeardownState.values()) {
        boolean legal = switch (from) {
          case PENDING -> true;
          case REVOKED -> EnumSet.of(TeardownState.REVOKED, TeardownState.VERIFIED,
              TeardownState.IRREVOCABLE, TeardownState.CLOSED).contains(to);
          case IRREVOCABLE -> to != TeardownState.PENDING;
          case RETAINED -> EnumSet.of(TeardownState.RETAINED, TeardownState.PENDING,
              TeardownState.CLOSED).contains(to);
          case VERIFIED, CLOSED -> false;
        };
        assertEquals(legal, from.canTransitionTo(to), from + " -> " + to);
      }
    }
  }

  @Test
  void theDefaultAlertsLogAndNeverThrow() {
    TeardownEntry e = Entries.pending(
        Entries.ended("alice", clock.instant()), "db", clock.instant());
    new LoggingTeardownAlerts().irrevocable(e);
    Downstream plain = new Downstream() {
      @Override
      public String name() {
        return "plain";
      }

      @Override
      public TeardownResult revoke(Grant grant, dev.jitaccess.RevocationReason reason) {
        return TeardownResult.done(grant.reference());
      }
    };
    assertEquals(Probe.UNKNOWN, plain.verify(e.grant()));
    assertTrue(plain.entitlement(e.grant()).isEmpty());
  }
}
