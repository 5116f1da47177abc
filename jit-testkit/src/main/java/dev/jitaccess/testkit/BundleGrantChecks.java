package dev.jitaccess.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.jitaccess.governance.Bundle;
import dev.jitaccess.governance.spi.BundleStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The checks of {@link BundleStore#recordGrant} and {@link BundleStore#grantsOf}, which {@link
 * BundleStoreCompatibilityKit} runs as a nested class: every grant id kept literally per bundle
 * and member, also after the member leaves and while many threads record; a grant id is a secret,
 * so a store that refuses one never quotes it.
 */
abstract class BundleGrantChecks {
  /** How many grants each thread of the racing test records. */
  private static final int GRANTS_PER_THREAD = 25;

  private final BundleStoreCompatibilityKit kit;

  BundleGrantChecks(BundleStoreCompatibilityKit kit) {
    this.kit = kit;
  }

  private BundleStore store() {
    return kit.store();
  }

  private String inserted() {
    Bundle b = kit.bundles().active();
    store().insert(b);
    return b.name();
  }

  /** {@code ids} sorted, as grantsOf promises no order. */
  static List<String> sorted(Collection<String> ids) {
    List<String> copy = new ArrayList<>(ids);
    copy.sort(null);
    return copy;
  }

  @Test
  @DisplayName("grantsOf answers the grants of one member, and of every member when member is "
      + "null")
  void grantsOfAnswersPerMemberAndForAll() {
    String bundle = inserted();
    List<String> m = BundleMemberChecks.members(3);
    store().addMembers(bundle, m);
    List<String> first = List.of(GovernanceBundles.newGrantId(), GovernanceBundles.newGrantId());
    List<String> second = List.of(GovernanceBundles.newGrantId());
    for (String id : first) {
      store().recordGrant(bundle, m.get(0), id);
    }
    store().recordGrant(bundle, m.get(1), second.get(0));
    assertEquals(sorted(first), sorted(store().grantsOf(bundle, m.get(0))));
    assertEquals(second, store().grantsOf(bundle, m.get(1)));
    assertEquals(List.of(), store().grantsOf(bundle, m.get(2)), "a member with no grant");
    List<String> all = new ArrayList<>(first);
    all.addAll(second);
    assertEquals(sorted(all), sorted(store().grantsOf(bundle, null)));
  }

  @Test
  @DisplayName("grants are kept per bundle and member apart, and a bundle with none or unknown "
      + "answers none")
  void grantsAreKeptPerBundleAndMember() {
    String one = inserted();
    String other = inserted();
    String member = KitSupport.unique("member");
    store().addMembers(one, List.of(member));
    store().addMembers(other, List.of(member));
    String inOne = GovernanceBundles.newGrantId();
    String inOther = GovernanceBundles.newGrantId();
    store().recordGrant(one, member, inOne);
    store().recordGrant(other, member, inOther);
    assertEquals(List.of(inOne), store().grantsOf(one, member));
    assertEquals(List.of(inOne), store().grantsOf(one, null));
    assertEquals(List.of(inOther), store().grantsOf(other, member));
    assertEquals(List.of(), store().grantsOf(inserted(), null), "a bundle with no grant");
    assertEquals(List.of(), store().grantsOf(GovernanceBundles.newName(), null), "no bundle");
    assertEquals(List.of(), store().grantsOf(one, KitSupport.unique("member")), "no member");
  }

  @Test
  @DisplayName("a member's grants are still listed after it leaves, so that they can be ended")
  void grantsOutliveTheMembership() {
    String bundle = inserted();
    String member = KitSupport.unique("member");
    store().addMembers(bundle, List.of(member));
    String id = GovernanceBundles.newGrantId();
    store().recordGrant(bundle, member, id);
    assertEquals(List.of(member), store().removeMembers(bundle, List.of(member)));
    assertEquals(List.of(id), store().grantsOf(bundle, member));
    assertEquals(List.of(id), store().grantsOf(bundle, null));
  }

  @Test
  @DisplayName("grant ids are kept literally: the runtime's form, the longest, beyond ASCII, and "
      + "like SQL or patterns")
  void grantIdsAreKeptLiterally() {
    String bundle = inserted();
    String member = KitSupport.unique("member");
    store().addMembers(bundle, List.of(member));
    List<String> ids = new ArrayList<>(List.of(GovernanceBundles.newGrantId(),
        GovernanceRequests.longText("gr_" + KitSupport.newId(), 512),
        "gr_" + KitSupport.newId() + "\u00e9\u6578\uD83D\uDE80",
        "gr_" + KitSupport.newId().toUpperCase(Locale.ROOT)));
    for (String attack : GovernanceLiteralChecks.ATTACKS) {
      ids.add(attack + KitSupport.newId());
    }
    for (String id : ids) {
      store().recordGrant(bundle, member, id);
    }
    assertEquals(sorted(ids), sorted(store().grantsOf(bundle, member)));
    assertEquals(sorted(ids), sorted(store().grantsOf(bundle, null)));
  }

  @Test
  @DisplayName("a grant id a store cannot keep exactly is refused without being quoted, never "
      + "stored altered")
  void aGrantIdThatCannotBeKeptIsRefusedWithoutQuotingIt() {
    String bundle = inserted();
    String member = KitSupport.unique("member");
    store().addMembers(bundle, List.of(member));
    List<String> kept = new ArrayList<>();
    for (String awkward : List.of("gr\u0000%s", "gr\uD83D%s", "%s\uDC00")) {
      String secret = KitSupport.newId();
      String id = String.format(Locale.ROOT, awkward, secret);
      try {
        store().recordGrant(bundle, member, id);
        kept.add(id);
      } catch (RuntimeException refused) {
        assertQuotesNoGrantId(refused, secret);
      }
    }
    assertEquals(sorted(kept), sorted(store().grantsOf(bundle, member)),
        "kept exactly, or not at all");
  }

  @Test
  @DisplayName("a grant recorded for a bundle the store does not hold is kept or refused, and a "
      + "refusal quotes no grant id")
  void aGrantOfAnUnknownBundleIsRefusedWithoutQuotingIt() {
    String bundle = GovernanceBundles.newName();
    String id = GovernanceBundles.newGrantId();
    try {
      store().recordGrant(bundle, "member", id);
    } catch (RuntimeException refused) {
      assertQuotesNoGrantId(refused, id);
      assertEquals(List.of(), store().grantsOf(bundle, null));
      return;
    }
    assertEquals(List.of(id), store().grantsOf(bundle, null));
  }

  /** Fails if {@code e}, its causes or their suppressed exceptions print {@code secret}. */
  static void assertQuotesNoGrantId(Throwable e, String secret) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append(t).append('\n');
      for (Throwable s : t.getSuppressed()) {
        all.append(s).append('\n');
      }
    }
    assertFalse(all.toString().contains(secret),
        "a grant id is a secret, but was quoted: " + all);
  }

  @Test
  @DisplayName("grants recorded by many threads at once, for one member and for their own, are "
      + "all kept")
  void racingRecordsAreAllKept() {
    String bundle = inserted();
    String shared = KitSupport.unique("member");
    CyclicBarrier start = new CyclicBarrier(BundleStoreCompatibilityKit.THREADS);
    List<Callable<List<String>>> recorders = new ArrayList<>();
    for (int t = 0; t < BundleStoreCompatibilityKit.THREADS; t++) {
      String own = KitSupport.unique("member");
      recorders.add(() -> {
        start.await();
        List<String> ids = new ArrayList<>();
        for (int g = 0; g < GRANTS_PER_THREAD; g++) {
          String id = GovernanceBundles.newGrantId();
          store().recordGrant(bundle, g % 2 == 0 ? shared : own, id);
          ids.add(id);
        }
        assertEquals(GRANTS_PER_THREAD / 2, store().grantsOf(bundle, own).size());
        return ids;
      });
    }
    List<String> all = new ArrayList<>();
    KitSupport.runConcurrently(recorders).forEach(all::addAll);
    assertEquals(sorted(all), sorted(store().grantsOf(bundle, null)));
    assertEquals(BundleStoreCompatibilityKit.THREADS * ((GRANTS_PER_THREAD + 1) / 2),
        store().grantsOf(bundle, shared).size());
  }
}
