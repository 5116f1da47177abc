package dev.jitaccess.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Random sequences of request, approve, reject, cancel, activate, break-glass, review, unlock,
 * revoke and clock advances, checked step by step against a small model: every call succeeds
 * exactly when the model says, every request is in the state the model says, no request is
 * activated with fewer distinct approvals than its tier needs or with a self-approval, and no
 * break-glass whose review was missed or rejected still allows.
 */
class GovernanceModelPropertyTest {
  private static final String[] APPROVERS = {"dba-ann", "dba-dan", "sec-sue", "vendor-bob",
      "oncall-olga"};
  private static final Map<String, String> TEAM = Map.of("dba-ann", "db", "dba-dan", "db",
      "sec-sue", "security");
  private static final Set<String> DBA = Set.of("dba-ann", "dba-dan", "sec-sue");
  private static final String[] TIERS = {RiskTiers.LOW, RiskTiers.MEDIUM, RiskTiers.HIGH};
  private static final Map<String, Integer> NEEDED = Map.of(RiskTiers.LOW, 0, RiskTiers.MEDIUM,
      1, RiskTiers.HIGH, 2);

  /** What the model knows of one request. */
  private static final class Model {
    final String id;
    final String requester;
    final String tier;
    final boolean breakGlass;
    RequestState state;
    Instant deadline;
    final List<String> approvers = new ArrayList<>();
    final Set<String> teams = new HashSet<>();
    final Set<String> decided = new HashSet<>();
    boolean reviewed;
    boolean grantMustDeny;
    Grant grant;

    Model(AccessRequest r, boolean breakGlass) {
      this.id = r.id();
      this.requester = r.requester();
      this.tier = r.tier();
      this.breakGlass = breakGlass;
      this.state = r.state();
      this.deadline = r.deadline();
    }
  }

  @Test
  void governanceAgreesWithTheModelAndKeepsItsInvariants() {
    qt().withExamples(150).withShrinkCycles(50)
        .forAll(lists().of(integers().between(0, 9_999)).ofSizeBetween(1, 40))
        .checkAssert(GovernanceModelPropertyTest::run);
  }

  private static void run(List<Integer> ops) {
    // A review deadline shorter than a break-glass grant's life: a missed review must revoke.
    Desk desk = new Desk(new InMemoryGovernanceStore(),
        b -> b.reviewDeadline(Duration.ofMinutes(10)));
    Governance gov = desk.gov;
    List<Model> models = new ArrayList<>();
    boolean locked = false;
    for (int op : ops) {
      int kind = op % 10;
      int arg = op / 10;
      Model m = models.isEmpty() ? null : models.get(arg % models.size());
      String who = APPROVERS[arg % APPROVERS.length];
      Instant now = desk.clock.instant();
      switch (kind) {
        case 0: {
          String tier = TIERS[arg % TIERS.length];
          AccessRequest r = gov.request(Desk.vendorAsks(tier).build());
          Model n = new Model(r, false);
          assertEquals(NEEDED.get(tier) == 0 ? RequestState.APPROVED : RequestState.PENDING,
              r.state());
          n.deadline = r.deadline();
          models.add(n);
          break;
        }
        case 1:
        case 2: {
          if (m == null) {
            break;
          }
          boolean approve = kind == 1;
          boolean may = m.state == RequestState.PENDING && DBA.contains(who)
              && !who.equals(m.requester) && !m.decided.contains(who)
              && (!approve || m.breakGlass || !m.teams.contains(TEAM.get(who)));
          boolean ok = succeeds(() -> {
            if (approve) {
              gov.approve(m.id, who);
            } else {
              gov.reject(m.id, who, "not this time, sorry");
            }
          });
          assertEquals(may, ok, () -> (approve ? "approve " : "reject ") + who + " of " + m.state);
          if (ok) {
            m.decided.add(who);
            if (approve) {
              m.approvers.add(who);
              m.teams.add(TEAM.get(who));
              if (m.approvers.size() >= NEEDED.get(m.tier)) {
                m.state = RequestState.APPROVED;
                m.deadline = now.plus(Duration.ofHours(1));
              }
            } else {
              m.state = RequestState.REJECTED;
            }
          }
          break;
        }
        case 3: {
          if (m == null) {
            break;
          }
          boolean may = !m.breakGlass
              && (m.state == RequestState.PENDING || m.state == RequestState.APPROVED);
          assertEquals(may, succeeds(() -> gov.cancel(m.id, m.requester)));
          if (may) {
            m.state = RequestState.CANCELLED;
          }
          break;
        }
        case 4: {
          if (m == null) {
            break;
          }
          boolean may = m.state == RequestState.APPROVED;
          Grant[] minted = new Grant[1];
          assertEquals(may, succeeds(() -> minted[0] = gov.activate(m.id, m.requester)));
          if (may) {
            m.state = RequestState.ACTIVE;
            m.grant = minted[0];
            assertTrue(m.approvers.size() >= NEEDED.get(m.tier), "activated under-approved");
          }
          break;
        }
        case 5: {
          boolean may = !locked;
          Grant[] minted = new Grant[1];
          assertEquals(may, succeeds(() -> minted[0] = gov.breakGlass(
              Desk.oncallBreaksGlass(RiskTiers.HIGH).build())));
          if (may) {
            Model n = new Model(gov.find(minted[0].requestId()).orElseThrow(), true);
            n.grant = minted[0];
            models.add(n);
          }
          break;
        }
        case 6: {
          if (m == null) {
            break;
          }
          boolean reject = arg % 2 == 0;
          boolean may = m.breakGlass && !m.reviewed && DBA.contains(who);
          assertEquals(may, succeeds(() -> gov.review(m.id, who,
              reject ? Review.Verdict.REJECTED : Review.Verdict.CONFIRMED, "looked at it")));
          if (may) {
            m.reviewed = true;
            m.grantMustDeny |= reject;
          }
          break;
        }
        case 7: {
          boolean was = locked;
          assertEquals(was, gov.unlockBreakGlass("oncall-olga", "lead-lee"));
          locked = false;
          break;
        }
        case 8: {
          if (m != null && m.grant != null) {
            gov.access().revoke(m.grant.id(), RevocationReason.MANUAL);
            m.grantMustDeny = true;
          }
          break;
        }
        default: {
          desk.clock.advance(Duration.ofMinutes(1 + (arg % 3 == 0 ? arg % 900 : arg % 12)));
          Instant after = desk.clock.instant();
          for (Model x : models) {
            if (x.breakGlass) {
              if (!x.reviewed && !x.deadline.isAfter(after)) {
                x.reviewed = true;
                x.grantMustDeny = true;
                locked = true;
              }
            } else if ((x.state == RequestState.PENDING || x.state == RequestState.APPROVED)
                && !x.deadline.isAfter(after)) {
              x.state = RequestState.EXPIRED;
            }
          }
        }
      }
      check(desk, models, locked);
    }
  }

  private static void check(Desk desk, List<Model> models, boolean locked) {
    assertEquals(locked, desk.store.lockOf("oncall-olga").isPresent(), "break-glass lock");
    for (Model m : models) {
      AccessRequest r = desk.gov.find(m.id).orElseThrow();
      assertEquals(m.state, r.state(), () -> "state of " + r);
      if (r.state() == RequestState.ACTIVE && !r.breakGlass()) {
        Set<String> distinct = new HashSet<>();
        for (Approval a : r.approvals()) {
          assertTrue(distinct.add(a.approver()), "an approver counted twice");
          assertNotEquals(r.requester(), a.approver());
          assertNotEquals(r.subject(), a.approver());
        }
        assertTrue(distinct.size() >= NEEDED.get(r.tier()));
      }
      if (m.grantMustDeny) {
        assertFalse(desk.gov.access().check(m.grant.id(), "admin", "prod/payments").isAllowed());
        assertFalse(desk.gov.access().check(m.grant.id(), "read", "db/orders").isAllowed());
      }
    }
  }

  private static boolean succeeds(Runnable call) {
    try {
      call.run();
      return true;
    } catch (GovernanceException refused) {
      return false;
    }
  }
}
