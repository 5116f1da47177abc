package dev.jitaccess.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.governance.Bundle;
import dev.jitaccess.governance.spi.BundleStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The checks of {@link BundleStore#addMembers}, {@link BundleStore#removeMembers}, {@link
 * BundleStore#isMember} and {@link BundleStore#memberCount}, which {@link
 * BundleStoreCompatibilityKit} runs as a nested class: idempotent, answering what changed, per
 * bundle, and 1,000 members in one call.
 */
abstract class BundleMemberChecks {
  /** How many members a bulk call holds. */
  static final int BULK = 1_000;

  private final BundleStoreCompatibilityKit kit;

  BundleMemberChecks(BundleStoreCompatibilityKit kit) {
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

  /** {@code n} fresh member names. */
  static List<String> members(int n) {
    String prefix = KitSupport.unique("member");
    List<String> members = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      members.add(prefix + "-" + i);
    }
    return members;
  }

  @Test
  @DisplayName("addMembers answers how many were not members yet, counting a name given twice "
      + "once, and adding them again adds none")
  void addMembersAnswersHowManyWereNew() {
    String bundle = inserted();
    List<String> m = members(4);
    assertEquals(2, store().addMembers(bundle, List.of(m.get(0), m.get(1))));
    assertEquals(2, store().addMembers(bundle, List.of(m.get(1), m.get(2), m.get(3), m.get(2))),
        "two of four names are new, one of them given twice");
    assertEquals(0, store().addMembers(bundle, m), "all are members already");
    assertEquals(4, store().memberCount(bundle));
    for (String member : m) {
      assertTrue(store().isMember(bundle, member), member);
    }
  }

  @Test
  @DisplayName("removeMembers answers those that were members, in the order given, each once, and "
      + "removing them again removes none")
  void removeMembersAnswersThoseRemovedInTheOrderGiven() {
    String bundle = inserted();
    List<String> m = members(5);
    store().addMembers(bundle, m);
    String stranger = KitSupport.unique("stranger");
    List<String> removed = store().removeMembers(bundle,
        List.of(m.get(3), stranger, m.get(0), m.get(3), m.get(4)));
    assertEquals(List.of(m.get(3), m.get(0), m.get(4)), removed);
    assertEquals(List.of(), store().removeMembers(bundle, List.of(m.get(0), m.get(3))),
        "removed already");
    assertEquals(2, store().memberCount(bundle));
    assertTrue(store().isMember(bundle, m.get(1)));
    assertTrue(store().isMember(bundle, m.get(2)));
    assertFalse(store().isMember(bundle, m.get(0)));
    assertFalse(store().isMember(bundle, stranger));
    assertEquals(1, store().addMembers(bundle, List.of(m.get(0))), "a removed member comes back");
    assertTrue(store().isMember(bundle, m.get(0)));
  }

  @Test
  @DisplayName("empty calls change nothing and answer nothing")
  void emptyCallsChangeNothing() {
    String bundle = inserted();
    assertEquals(0, store().addMembers(bundle, List.of()));
    assertEquals(List.of(), store().removeMembers(bundle, List.of()));
    store().addMembers(bundle, members(2));
    assertEquals(0, store().addMembers(bundle, Set.of()));
    assertEquals(List.of(), store().removeMembers(bundle, Set.of()));
    assertEquals(2, store().memberCount(bundle));
  }

  @Test
  @DisplayName("isMember and memberCount answer for each bundle apart, and nothing for a bundle "
      + "with no members or none at all")
  void membersAreKeptPerBundle() {
    String first = inserted();
    String second = inserted();
    String empty = inserted();
    List<String> m = members(3);
    store().addMembers(first, m);
    store().addMembers(second, List.of(m.get(0)));
    assertEquals(3, store().memberCount(first));
    assertEquals(1, store().memberCount(second));
    assertTrue(store().isMember(second, m.get(0)));
    assertFalse(store().isMember(second, m.get(1)));
    assertEquals(List.of(m.get(0)), store().removeMembers(second, m));
    assertEquals(3, store().memberCount(first), "removing from one bundle leaves the other");
    assertTrue(store().isMember(first, m.get(0)));
    String unknown = GovernanceBundles.newName();
    for (String bundle : List.of(empty, unknown)) {
      assertEquals(0, store().memberCount(bundle), bundle);
      assertFalse(store().isMember(bundle, m.get(0)), bundle);
      assertEquals(List.of(), store().removeMembers(bundle, m), bundle);
    }
  }

  @Test
  @DisplayName("a bulk of 1,000 members is added in one call, and removed in one call in the "
      + "order given")
  void aBulkOfAThousandMembersIsOneCall() {
    String bundle = inserted();
    List<String> first = members(BULK);
    assertEquals(BULK, store().addMembers(bundle, first));
    assertEquals(BULK, store().memberCount(bundle));
    List<String> overlapping = new ArrayList<>(first.subList(BULK / 2, BULK));
    overlapping.addAll(members(BULK / 2));
    Collections.shuffle(overlapping);
    assertEquals(BULK / 2, store().addMembers(bundle, new LinkedHashSet<>(overlapping)),
        "half of them are new");
    assertEquals(BULK + BULK / 2, store().memberCount(bundle));
    for (String member : overlapping) {
      assertTrue(store().isMember(bundle, member), member);
    }
    List<String> leaving = new ArrayList<>(first);
    leaving.addAll(members(BULK / 4));
    Collections.shuffle(leaving);
    List<String> expected = new ArrayList<>(leaving);
    expected.retainAll(new HashSet<>(first));
    assertEquals(expected, store().removeMembers(bundle, leaving),
        "the members among them, in the order given");
    assertEquals(BULK / 2, store().memberCount(bundle));
    assertFalse(store().isMember(bundle, first.get(0)));
  }
}
