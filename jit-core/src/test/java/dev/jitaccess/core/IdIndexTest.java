package dev.jitaccess.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IdIndexTest {
  /** {@code 2^blocks} distinct strings with one hash code ("Aa" and "BB" hash alike). */
  static List<String> colliding(int blocks) {
    List<String> keys = new ArrayList<>();
    for (int bits = 0; bits < (1 << blocks); bits++) {
      StringBuilder key = new StringBuilder();
      for (int b = 0; b < blocks; b++) {
        key.append((bits >> b & 1) == 0 ? "Aa" : "BB");
      }
      keys.add(key.toString());
    }
    return keys;
  }

  static Set<String> idsOf(IdIndex index, String key) {
    List<String> ids = index.ids(key);
    Set<String> set = new HashSet<>(ids);
    assertEquals(set.size(), ids.size(), "an id listed twice for " + key);
    return set;
  }

  @Test
  void nullKeysAndIdsAreRejectedByName() {
    IdIndex index = new IdIndex();
    assertEquals("key must not be null", org.junit.jupiter.api.Assertions.assertThrows(
        NullPointerException.class, () -> index.add(null, "g")).getMessage());
    assertEquals("id must not be null", org.junit.jupiter.api.Assertions.assertThrows(
        NullPointerException.class, () -> index.add("k", null)).getMessage());
    assertEquals("key must not be null", org.junit.jupiter.api.Assertions.assertThrows(
        NullPointerException.class, () -> index.remove(null, "g")).getMessage());
    assertEquals("id must not be null", org.junit.jupiter.api.Assertions.assertThrows(
        NullPointerException.class, () -> index.remove("k", null)).getMessage());
    assertEquals("key must not be null", org.junit.jupiter.api.Assertions.assertThrows(
        NullPointerException.class, () -> index.ids(null)).getMessage());
    assertEquals(0, index.size());
  }

  @Test
  void keysCraftedToShareAHashCodeOverflowAndStayCorrect() {
    IdIndex index = new IdIndex();
    List<String> keys = colliding(7);
    for (int i = 0; i < keys.size(); i++) {
      index.add(keys.get(i), "g" + i);
    }
    assertEquals(keys.size(), index.size());
    assertTrue(index.overflowed() >= keys.size() - IdIndex.MAX_PROBES,
        "overflowed " + index.overflowed());
    for (int i = 0; i < keys.size(); i++) {
      assertEquals(Set.of("g" + i), idsOf(index, keys.get(i)));
    }
    for (int i = 0; i < keys.size(); i++) {
      index.remove(keys.get(i), "g" + i);
      assertEquals(Set.of(), idsOf(index, keys.get(i)));
    }
    assertEquals(0, index.size());
    assertEquals(16, index.capacity());
  }

  @Test
  void growsWithItsKeysAndShrinksAsTheyLeave() {
    IdIndex index = new IdIndex();
    for (int i = 0; i < 50_000; i++) {
      index.add("task-" + i, "g" + i);
    }
    assertTrue(index.capacity() >= 100_000, "capacity " + index.capacity());
    for (int i = 0; i < 50_000; i++) {
      index.remove("task-" + i, "g" + i);
      if (i % 5_000 == 0) {
        for (int j = i + 1; j < 50_000; j += 101) {
          assertEquals(Set.of("g" + j), idsOf(index, "task-" + j), "lost by a shrink");
        }
      }
    }
    assertEquals(16, index.capacity());
  }

  /** The index against a map of sets, over random adds and removes, with colliding keys. */
  @Test
  void behavesAsAMapOfIdSetsUnderAnySequenceOfAddsAndRemoves() {
    List<String> keys = new ArrayList<>(colliding(5));
    for (int k = 0; k < 32; k++) {
      keys.add("task-" + k);
    }
    qt().withExamples(300).forAll(
        lists().of(integers().between(0, keys.size() * 4 * 2 - 1)).ofSizeBetween(1, 500))
        .checkAssert(ops -> {
          IdIndex index = new IdIndex();
          Map<String, Set<String>> model = new HashMap<>();
          for (int op : ops) {
            String key = keys.get(op / 8);
            String id = "g" + (op / 2 % 4);
            if (op % 2 == 0) {
              index.add(key, id);
              model.computeIfAbsent(key, k -> new HashSet<>()).add(id);
            } else {
              index.remove(key, id);
              Set<String> ids = model.get(key);
              if (ids != null && ids.remove(id) && ids.isEmpty()) {
                model.remove(key);
              }
            }
            assertEquals(model.getOrDefault(key, Set.of()), idsOf(index, key), key);
          }
          for (String key : keys) {
            assertEquals(model.getOrDefault(key, Set.of()), idsOf(index, key), key);
          }
          assertEquals(model.size(), index.size());
        });
  }

  @Test
  void concurrentAddsAndRemovesFromManyThreadsLoseNothing() throws Exception {
    IdIndex index = new IdIndex();
    int threads = 4;
    int perThread = 20_000;
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Void>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        Callable<Void> work = () -> {
          start.await();
          for (int i = 0; i < perThread; i++) {
            index.add("task-" + (i % 1000), "t" + thread + "-" + i);
            if (i % 2 == 1) {
              index.remove("task-" + ((i - 1) % 1000), "t" + thread + "-" + (i - 1));
            }
          }
          return null;
        };
        done.add(pool.submit(work));
      }
      for (Future<Void> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    int total = 0;
    for (int k = 0; k < 1000; k++) {
      Set<String> ids = idsOf(index, "task-" + k);
      for (String id : ids) {
        int i = Integer.parseInt(id.substring(id.indexOf('-') + 1));
        assertEquals(1, i % 2, "an id that was removed is still listed: " + id);
      }
      total += ids.size();
    }
    assertEquals(threads * perThread / 2, total);
  }
}
