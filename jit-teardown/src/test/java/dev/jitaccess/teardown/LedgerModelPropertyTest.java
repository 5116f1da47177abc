package dev.jitaccess.teardown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.teardown.spi.Downstream;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Random answers per attempt (done, retry, unrecoverable, throws, null, another grant; and after
 * an acknowledgement a probe that denies, finds the access live, cannot tell, throws or answers
 * null), random clock advances, polls and force closes, and sometimes another live grant that
 * shares the entitlement; checked after every step against a model: the entry's state and
 * attempts are the model's for the calls made so far, the ladder's attempts are never exceeded,
 * each retry comes after the ladder's delay (within its jitter) or, once IRREVOCABLE, after the
 * long interval exactly, nothing is called once the entry is settled, and in the end every entry
 * is VERIFIED, REVOKED, IRREVOCABLE, RETAINED or CLOSED as the model says.
 */
class LedgerModelPropertyTest {
  private static final int LADDER = RetryLadder.DEFAULT_ATTEMPTS;

  enum Revoke { DONE, RETRY, UNRECOVERABLE, THROW, NULL, OTHER_GRANT }

  enum Check { DENIED, STILL_LIVE, UNKNOWN, THROW, NULL }

  /** Answers the scripted attempt for the grant under test; every other grant is done at once. */
  static final class ModelDownstream implements Downstream {
    final List<Integer> script;
    volatile String target = "";
    final List<Instant> calls = new ArrayList<>();
    private final FakeClock clock;
    private int probes;

    ModelDownstream(List<Integer> script, FakeClock clock) {
      this.script = script;
      this.clock = clock;
    }

    @Override
    public String name() {
      return "db";
    }

    @Override
    public synchronized TeardownResult revoke(Grant grant, RevocationReason reason) {
      if (!grant.reference().equals(target)) {
        return TeardownResult.done(grant.reference());
      }
      int attempt = calls.size();
      calls.add(clock.instant());
      switch (revokeAnswer(script, attempt)) {
        case DONE:
          return TeardownResult.done(grant.reference());
        case RETRY:
          return TeardownResult.retry("busy");
        case UNRECOVERABLE:
          return TeardownResult.unrecoverable("gone");
        case THROW:
          throw new IllegalStateException("down");
        case NULL:
          return null;
        default:
          return TeardownResult.done("gr_BBBBBBBBBBBBBBBB");
      }
    }

    @Override
    public synchronized Probe verify(Grant grant) {
      if (!grant.reference().equals(target)) {
        return Probe.DENIED;
      }
      switch (checkAnswer(script, probes++)) {
        case DENIED:
          return Probe.DENIED;
        case STILL_LIVE:
          return Probe.STILL_LIVE;
        case UNKNOWN:
          return Probe.UNKNOWN;
        case THROW:
          throw new IllegalStateException("probe down");
        default:
          return null;
      }
    }

    @Override
    public Optional<String> entitlement(Grant grant) {
      return Optional.of("role:payments-writer");
    }

    synchronized List<Instant> calls() {
      return List.copyOf(calls);
    }
  }

  static Revoke revokeAnswer(List<Integer> script, int attempt) {
    return attempt < script.size() ? Revoke.values()[script.get(attempt) % 6] : Revoke.RETRY;
  }

  static Check checkAnswer(List<Integer> script, int probe) {
    return probe < script.size() ? Check.values()[(script.get(probe) / 6) % 5] : Check.DENIED;
  }

  /** What the model expects after {@code calls} attempts; {@code irrevocableAfter[i]} too. */
  static final class Model {
    TeardownState state = TeardownState.PENDING;
    boolean settled;
    final List<Boolean> irrevocableAfter = new ArrayList<>();

    static Model after(List<Integer> script, int calls) {
      Model m = new Model();
      int probes = 0;
      boolean longInterval = false;
      for (int i = 0; i < calls; i++) {
        Revoke r = revokeAnswer(script, i);
        boolean failed;
        if (r == Revoke.DONE) {
          Check c = checkAnswer(script, probes++);
          if (c == Check.DENIED || c == Check.UNKNOWN) {
            m.state = c == Check.DENIED ? TeardownState.VERIFIED : TeardownState.REVOKED;
            m.settled = true;
            failed = false;
          } else {
            m.state = TeardownState.REVOKED;
            failed = true;
          }
        } else if (r == Revoke.UNRECOVERABLE) {
          longInterval = true;
          failed = true;
        } else {
          failed = true;
        }
        if (failed && (longInterval || i + 1 >= LADDER)) {
          longInterval = true;
          m.state = TeardownState.IRREVOCABLE;
        }
        m.irrevocableAfter.add(longInterval && !m.settled);
      }
      return m;
    }
  }

  @Test
  void everyEntryFollowsTheModelThroughRandomAnswersAdvancesPollsAndCloses() {
    qt().withExamples(200).withShrinkCycles(30)
        .forAll(lists().of(integers().between(0, 29)).ofSizeBetween(0, 12),
            lists().of(integers().between(0, 99)).ofSizeBetween(1, 25), booleans().all())
        .checkAssert(LedgerModelPropertyTest::run);
  }

  private static void run(List<Integer> script, List<Integer> steps, boolean shared) {
    FakeClock clock = new FakeClock();
    ModelDownstream db = new ModelDownstream(script, clock);
    try (Rig rig = Rig.of(clock, db)) {
      // A live grant that keeps the entitlement; its expiry ends it later, which re-checks the
      // RETAINED entry at once: PENDING again, it then follows the ladder like any other.
      Instant keeperEnds = shared ? rig.grant("alice").expiresAt() : Instant.MIN;
      Grant grant = rig.grant("alice");
      db.target = grant.reference();
      rig.jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
      TeardownState closedOver = null;
      TeardownEntry[] lastSeen = {rig.entry(grant, "db")};
      for (int op : steps) {
        if (op < 70) {
          clock.advance(Duration.ofSeconds(5L * (op + 1)));
        } else if (op < 85) {
          clock.advance(Duration.ofHours(24));
        } else if (op < 92) {
          rig.teardown.runDue();
        } else if (closedOver == null) {
          TeardownEntry before = rig.teardown.entries(grant.id()).stream().findFirst()
              .orElse(null);
          if (before == null) {
            assertThrows(IllegalArgumentException.class,
                () -> rig.teardown.forceClose(grant.id(), "db", "by hand", "dba-ann"));
          } else if (before.state() == TeardownState.VERIFIED) {
            assertThrows(TeardownStateException.class,
                () -> rig.teardown.forceClose(grant.id(), "db", "by hand", "dba-ann"));
          } else {
            rig.teardown.forceClose(grant.id(), "db", "by hand", "dba-ann");
            closedOver = before.state();
          }
        }
        check(rig, db, grant, keeperEnds, closedOver != null, lastSeen);
      }
      Instant reopenedBy = keeperEnds.plus(Teardown.Builder.DEFAULT_RETAINED_RECHECK)
          .plus(Teardown.Builder.DEFAULT_POLL_INTERVAL);
      if (shared && closedOver == null && clock.instant().isBefore(reopenedBy)) {
        clock.advance(Duration.between(clock.instant(), reopenedBy)); // the ladder has begun
        check(rig, db, grant, keeperEnds, false, lastSeen);
      }
      clock.advance(Duration.ofMinutes(10)); // longer than the whole ladder
      TeardownEntry last = check(rig, db, grant, keeperEnds, closedOver != null, lastSeen);
      assertTrue(EnumSet.of(TeardownState.VERIFIED, TeardownState.REVOKED,
          TeardownState.IRREVOCABLE, TeardownState.RETAINED, TeardownState.CLOSED)
          .contains(last.state()));
      assertTrue(last.isSettled() || last.state() == TeardownState.IRREVOCABLE
          || last.state() == TeardownState.RETAINED && clock.instant().isBefore(keeperEnds
              .plus(Teardown.Builder.DEFAULT_RETAINED_RECHECK)
              .plus(Teardown.Builder.DEFAULT_POLL_INTERVAL)),
          "the ladder has ended: " + last);
    }
  }

  private static TeardownEntry check(Rig rig, ModelDownstream db, Grant grant,
      Instant keeperEnds, boolean closed, TeardownEntry[] lastSeen) {
    Instant now = rig.clock.instant();
    boolean shared = now.isBefore(keeperEnds);
    TeardownEntry current = rig.teardown.entries(grant.id()).stream().findFirst().orElse(null);
    if (!shared && current != null && current.state() == TeardownState.RETAINED) {
      // The keeper ended; the store no longer held this ended grant, so its end did not re-check
      // this entry at once: the periodic re-check (and the poll that claims it) reopens it.
      assertTrue(now.isBefore(keeperEnds.plus(Teardown.Builder.DEFAULT_RETAINED_RECHECK)
          .plus(Teardown.Builder.DEFAULT_POLL_INTERVAL)), "re-checked within the interval: "
          + current);
      assertEquals(0, db.calls().size());
      return current;
    }
    List<TeardownEntry> entries = rig.teardown.entries(grant.id());
    if (entries.isEmpty()) {
      TeardownEntry gone = lastSeen[0];
      assertTrue(gone.isSettled(), "only a settled entry is deleted: " + gone);
      assertTrue(!rig.clock.instant().isBefore(
          gone.updatedAt().plus(Teardown.Builder.DEFAULT_SETTLED_RETENTION)),
          "deleted no sooner than the retention after its last change");
      return gone;
    }
    TeardownEntry entry = entries.get(0);
    lastSeen[0] = entry;
    List<Instant> calls = db.calls();
    Model model = Model.after(db.script, calls.size());
    assertEquals(calls.size(), entry.attempts(), "attempts are the calls made");
    if (shared) {
      assertEquals(0, calls.size(), "a retained entitlement is not removed");
      assertEquals(closed ? TeardownState.CLOSED : TeardownState.RETAINED, entry.state());
      assertFalse(entry.isLingering(), "a retained entitlement is still needed: " + entry);
      return entry;
    }
    assertEquals(closed ? TeardownState.CLOSED : model.state, entry.state(), entry.toString());
    if (model.settled || closed) {
      assertNull(entry.dueAt());
    } else {
      assertNotNull(entry.dueAt());
    }
    int ladderCalls = 0;
    for (int i = 0; i < calls.size(); i++) {
      boolean onLadder = i == 0 || !model.irrevocableAfter.get(i - 1);
      if (onLadder) {
        ladderCalls++;
      }
      if (i > 0) {
        Duration gap = Duration.between(calls.get(i - 1), calls.get(i));
        if (onLadder) {
          Duration base = RetryLadder.ofDefaults().baseDelayAfter(i);
          assertTrue(gap.toNanos() >= base.toNanos() * 0.8 && gap.toNanos() <= base.toNanos() * 1.2,
              "attempt " + (i + 1) + " came " + gap + " after the one before, base " + base);
        } else {
          assertEquals(Duration.ofHours(24), gap, "IRREVOCABLE is retried on the long interval");
        }
      }
    }
    assertTrue(ladderCalls <= LADDER, "the ladder's attempts are never exceeded");
    return entry;
  }
}
