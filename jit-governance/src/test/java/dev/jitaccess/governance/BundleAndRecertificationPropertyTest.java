package dev.jitaccess.governance;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.jitaccess.Grant;
import dev.jitaccess.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Random sequences of bundle creation, membership changes, activations, early ends, renewals,
 * recertifications and clock advances: no grant from a bundle allows a check once the bundle has
 * ended or its member was removed, and no HIGH grant whose recertification lapsed allows one.
 */
class BundleAndRecertificationPropertyTest {
  private static final String[] MEMBERS = {"m0", "m1", "m2", "m3"};

  @Test
  void noBundleGrantOutlivesItsBundleOrMembership() {
    qt().withExamples(120).withShrinkCycles(40)
        .forAll(lists().of(integers().between(0, 9_999)).ofSizeBetween(1, 40))
        .checkAssert(BundleAndRecertificationPropertyTest::bundles);
  }

  private static void bundles(List<Integer> ops) {
    Desk desk = new Desk();
    Bundles bundles = desk.gov.bundles();
    Map<String, List<Grant>> grantsOf = new HashMap<>();
    Map<String, Set<String>> members = new HashMap<>();
    Set<String> closed = new HashSet<>();
    Map<String, Instant> ends = new HashMap<>();
    int created = 0;
    for (int op : ops) {
      int kind = op % 6;
      int arg = op / 6;
      Instant now = desk.clock.instant();
      String name = created == 0 ? null : "b" + (arg % created);
      String member = MEMBERS[arg % MEMBERS.length];
      try {
        switch (kind) {
          case 0:
            String b = "b" + created++;
            Instant end = now.plus(Duration.ofHours(1 + arg % 48));
            bundles.create(new BundleSpec(b, "platform", "lead-lee",
                Scope.parse("read:tickets/**"), RiskTiers.MEDIUM, now, end));
            ends.put(b, end);
            members.put(b, new HashSet<>());
            break;
          case 1:
            if (name != null) {
              bundles.addMembers(name, List.of(member), "lead-lee");
              members.get(name).add(member);
            }
            break;
          case 2:
            if (name != null) {
              bundles.removeMembers(name, List.of(member), "lead-lee");
              members.get(name).remove(member);
            }
            break;
          case 3:
            if (name != null) {
              Grant g = bundles.activate(name, member, "t", "p", Scope.parse("read:tickets/1"),
                  Duration.ofMinutes(5 + arg % 200));
              grantsOf.computeIfAbsent(name + "/" + member, k -> new ArrayList<>()).add(g);
            }
            break;
          case 4:
            if (name != null) {
              bundles.end(name, "lead-lee", arg % 2 == 0);
              closed.add(name);
            }
            break;
          default:
            desk.clock.advance(Duration.ofMinutes(1 + arg % 240));
        }
      } catch (GovernanceException refused) {
        // refused calls change nothing the invariant depends on
      }
      Instant at = desk.clock.instant();
      for (Map.Entry<String, List<Grant>> e : grantsOf.entrySet()) {
        String bundle = e.getKey().substring(0, e.getKey().indexOf('/'));
        String who = e.getKey().substring(e.getKey().indexOf('/') + 1);
        boolean alive = !closed.contains(bundle) && at.isBefore(ends.get(bundle))
            && members.get(bundle).contains(who);
        for (Grant g : e.getValue()) {
          if (!alive) {
            assertFalse(desk.gov.access().check(g.id(), "read", "tickets/1").isAllowed(),
                () -> "a grant outlived bundle " + bundle + " or " + who + "'s membership");
          }
        }
      }
    }
  }

  @Test
  void noLapsedRecertificationLeavesAHighGrantAllowing() {
    qt().withExamples(60).withShrinkCycles(30)
        .forAll(lists().of(integers().between(0, 9_999)).ofSizeBetween(40, 150))
        .checkAssert(BundleAndRecertificationPropertyTest::recertification);
  }

  private static void recertification(List<Integer> ops) {
    RiskTiers tiers = RiskTiers.of(RiskTier.builder(RiskTiers.HIGH).rank(2)
        .maxLifetime(Duration.ofHours(2)).hardCap(Duration.ofDays(4)).approvals(1)
        .recertifyEvery(Duration.ofHours(12)).onLapse(LapseAction.REVOKE).build());
    Desk desk = new Desk(new InMemoryGovernanceStore(),
        b -> b.tiers(tiers).sweepEvery(Duration.ofMinutes(5)).renewalsBeforeRecertification(0)
            .recertificationNotice(Duration.ofHours(1)));
    List<Grant> grants = new ArrayList<>();
    Map<String, Instant> due = new HashMap<>();
    Set<String> lapsed = new HashSet<>();
    for (int op : ops) {
      int kind = op % 10;
      int arg = op / 10;
      try {
        if (kind == 0) {
          AccessRequest r = desk.gov.request(Desk.vendorAsks(RiskTiers.HIGH).build());
          desk.gov.approve(r.id(), "dba-ann");
          Grant g = desk.gov.activate(r.id(), "vendor-bob");
          grants.add(g);
          due.put(g.requestId(), g.issuedAt().plus(Duration.ofHours(12)));
        } else if (kind >= 1 && kind <= 4) {
          for (Grant g : grants) {
            if (desk.gov.access().check(g.id(), "read", "db/orders").isAllowed()) {
              desk.gov.access().renew(g.id(), Duration.ofHours(2));
            }
          }
        } else if (kind == 5 && !grants.isEmpty()) {
          Grant g = grants.get(arg % grants.size());
          Instant now = desk.clock.instant();
          desk.gov.recertify("request:" + g.requestId(), "lead-lee", true, "still needed");
          if (!lapsed.contains(g.requestId())) {
            due.put(g.requestId(), now.plus(Duration.ofHours(12)));
          }
        } else if (kind >= 6) {
          desk.clock.advance(Duration.ofMinutes(1 + arg % 60));
        }
      } catch (dev.jitaccess.JitAccessException refused) {
        // refused or ended: the invariant below still holds
      }
      Instant now = desk.clock.instant();
      for (Grant g : grants) {
        Instant d = due.get(g.requestId());
        // A sweep runs every 5 minutes: past that, a lapse must have been acted on.
        if (!now.isBefore(d.plus(Duration.ofMinutes(5)))) {
          lapsed.add(g.requestId());
        }
        if (lapsed.contains(g.requestId())) {
          assertFalse(desk.gov.access().check(g.id(), "read", "db/orders").isAllowed(),
              "a HIGH grant outlived its lapsed recertification");
        }
      }
    }
  }
}
