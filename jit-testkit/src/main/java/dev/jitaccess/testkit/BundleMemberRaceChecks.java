package dev.jitaccess.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.governance.Bundle;
import dev.jitaccess.governance.spi.BundleStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The checks of member changes by many threads at once, which {@link BundleStoreCompatibilityKit}
 * runs as a nested class: each member is added and removed once, and what was added less what was
 * removed is exactly what is there, also through two instances on one backend.
 */
abstract class BundleMemberRaceChecks {
  /** How many members the racing threads share. */
  private static final int POOL = 100;
  /** How many calls each thread makes in the mixed race. */
  private static final int CALLS = 40;

  private final BundleStoreCompatibilityKit kit;

  BundleMemberRaceChecks(BundleStoreCompatibilityKit kit) {
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

  private static List<String> shuffled(List<String> members) {
    List<String> copy = new ArrayList<>(members);
    Collections.shuffle(copy);
    return copy;
  }

  @Test
  @DisplayName("of many threads adding one set at once, in different orders, each member is "
      + "counted once")
  void racingAddsCountEachMemberOnce() {
    String bundle = inserted();
    List<String> members = BundleMemberChecks.members(POOL * 2);
    CyclicBarrier start = new CyclicBarrier(BundleStoreCompatibilityKit.THREADS);
    List<Callable<Integer>> adders = new ArrayList<>();
    for (int t = 0; t < BundleStoreCompatibilityKit.THREADS; t++) {
      List<String> mine = shuffled(members);
      adders.add(() -> {
        start.await();
        int added = 0;
        for (int from = 0; from < mine.size(); from += POOL / 2) {
          added += store().addMembers(bundle, mine.subList(from, from + POOL / 2));
        }
        return added;
      });
    }
    int added = KitSupport.runConcurrently(adders).stream().mapToInt(Integer::intValue).sum();
    assertEquals(members.size(), added, "each member counted by exactly one call");
    assertEquals(members.size(), store().memberCount(bundle));
  }

  @Test
  @DisplayName("of many threads removing one set at once, in different orders, each member is "
      + "answered once")
  void racingRemovesAnswerEachMemberOnce() {
    String bundle = inserted();
    List<String> members = BundleMemberChecks.members(POOL * 2);
    store().addMembers(bundle, members);
    CyclicBarrier start = new CyclicBarrier(BundleStoreCompatibilityKit.THREADS);
    List<Callable<List<String>>> removers = new ArrayList<>();
    for (int t = 0; t < BundleStoreCompatibilityKit.THREADS; t++) {
      List<String> mine = shuffled(members);
      removers.add(() -> {
        start.await();
        List<String> removed = new ArrayList<>();
        for (int from = 0; from < mine.size(); from += POOL / 2) {
          removed.addAll(store().removeMembers(bundle, mine.subList(from, from + POOL / 2)));
        }
        return removed;
      });
    }
    List<String> removed = new ArrayList<>();
    KitSupport.runConcurrently(removers).forEach(removed::addAll);
    Collections.sort(removed);
    List<String> expected = new ArrayList<>(members);
    Collections.sort(expected);
    assertEquals(expected, removed, "each member answered by exactly one call");
    assertEquals(0, store().memberCount(bundle));
  }

  @Test
  @DisplayName("many threads adding and removing at once keep an exact set: what was added less "
      + "what was removed is what is there")
  void racingAddsAndRemovesKeepAnExactSet() {
    assertExactUnderRaces(store(), store());
  }

  @Test
  @DisplayName("through two instances on one backend, members added on one are seen and removed "
      + "on the other, and racing changes keep an exact set")
  void twoInstancesKeepOneSet() {
    BundleStore replica = kit.replica();
    String bundle = inserted();
    List<String> members = BundleMemberChecks.members(3);
    assertEquals(3, store().addMembers(bundle, members));
    assertTrue(replica.isMember(bundle, members.get(0)));
    assertEquals(3, replica.memberCount(bundle));
    assertEquals(0, replica.addMembers(bundle, members));
    assertEquals(List.of(members.get(2)), replica.removeMembers(bundle, List.of(members.get(2))));
    assertEquals(2, store().memberCount(bundle));
    assertExactUnderRaces(store(), replica);
  }

  /** Threads on {@code a} and {@code b} add and remove members of a shared pool at random. */
  private void assertExactUnderRaces(BundleStore a, BundleStore b) {
    String bundle = inserted();
    List<String> pool = BundleMemberChecks.members(POOL);
    CyclicBarrier start = new CyclicBarrier(BundleStoreCompatibilityKit.THREADS);
    List<Callable<int[]>> threads = new ArrayList<>();
    for (int t = 0; t < BundleStoreCompatibilityKit.THREADS; t++) {
      BundleStore through = t % 2 == 0 ? a : b;
      threads.add(() -> {
        start.await();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int added = 0;
        int removed = 0;
        for (int c = 0; c < CALLS; c++) {
          List<String> some = shuffled(pool).subList(0, random.nextInt(1, POOL / 4));
          if (random.nextBoolean()) {
            added += through.addMembers(bundle, some);
          } else {
            List<String> gone = through.removeMembers(bundle, some);
            assertTrue(some.containsAll(gone), "removed only what was asked: " + gone);
            assertEquals(gone.size(), new HashSet<>(gone).size(), "each at most once: " + gone);
            removed += gone.size();
          }
        }
        return new int[] {added, removed};
      });
    }
    int net = 0;
    for (int[] counts : KitSupport.runConcurrently(threads)) {
      net += counts[0] - counts[1];
    }
    Set<String> present = new HashSet<>();
    for (String member : pool) {
      if (a.isMember(bundle, member)) {
        present.add(member);
      }
    }
    assertEquals(net, present.size(), "added less removed must be the members there");
    assertEquals(net, a.memberCount(bundle));
    assertEquals(net, b.memberCount(bundle));
    assertEquals(present, new HashSet<>(b.removeMembers(bundle, pool)),
        "removing the pool answers exactly the members there");
  }
}
