package dev.jitaccess.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.governance.Certification;
import dev.jitaccess.governance.spi.RecertificationStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The checks of {@link RecertificationStore#markLapsed} and {@link
 * RecertificationStore#markNoticed}, which {@link RecertificationStoreCompatibilityKit} runs as a
 * nested class: true exactly once per item and due time, each apart from the other, under racing
 * threads and through two instances on one backend.
 */
abstract class RecertificationMarkChecks {
  private final RecertificationStoreCompatibilityKit kit;

  RecertificationMarkChecks(RecertificationStoreCompatibilityKit kit) {
    this.kit = kit;
  }

  private RecertificationStore store() {
    return kit.store();
  }

  private void assertOncePerItemAndDueTime(BiPredicate<String, Instant> mark) {
    String item = RecertificationStoreCompatibilityKit.newItem();
    Instant due = kit.now();
    assertTrue(mark.test(item, due), "the first time");
    assertFalse(mark.test(item, due), "the second time");
    assertFalse(mark.test(item, Instant.ofEpochSecond(due.getEpochSecond(), due.getNano())),
        "an equal instant");
    assertTrue(mark.test(item, due.plusNanos(1)), "one nanosecond later is another due time");
    assertTrue(mark.test(item, due.minusNanos(1)), "one nanosecond earlier too");
    assertTrue(mark.test(item, due.plusSeconds(1)), "one second later too");
    assertTrue(mark.test(RecertificationStoreCompatibilityKit.newItem(), due), "another item");
    assertFalse(mark.test(item, due.plusNanos(1)), "each once");
    String before1970 = RecertificationStoreCompatibilityKit.newItem();
    assertTrue(mark.test(before1970, Instant.ofEpochSecond(-1, 999_999_999)));
    assertTrue(mark.test(before1970, Instant.ofEpochSecond(0, 0)));
    assertFalse(mark.test(before1970, Instant.ofEpochSecond(-1, 999_999_999)));
  }

  @Test
  @DisplayName("markLapsed is true once per item and due time, told apart to the nanosecond")
  void markLapsedIsTrueOnce() {
    assertOncePerItemAndDueTime(store()::markLapsed);
  }

  @Test
  @DisplayName("markNoticed is true once per item and due time, told apart to the nanosecond")
  void markNoticedIsTrueOnce() {
    assertOncePerItemAndDueTime(store()::markNoticed);
  }

  @Test
  @DisplayName("a notice and a lapse of one due time are marked apart, and a decision or "
      + "suspension unmarks neither")
  void noticesAndLapsesAreApart() {
    String item = RecertificationStoreCompatibilityKit.newItem();
    Instant due = kit.now();
    assertTrue(store().markNoticed(item, due));
    assertTrue(store().markLapsed(item, due), "noticed is not lapsed");
    store().suspend(item);
    store().record(RecertificationStoreCompatibilityKit.decision(item, true, due));
    assertFalse(store().markNoticed(item, due));
    assertFalse(store().markLapsed(item, due));
    String other = RecertificationStoreCompatibilityKit.newItem();
    assertTrue(store().markLapsed(other, due));
    assertTrue(store().markNoticed(other, due), "lapsed is not noticed");
  }

  @Test
  @DisplayName("of many threads marking one lapse or notice at once, exactly one is told it was "
      + "first")
  void exactlyOneRacingMarkIsFirst() {
    assertOneFirst(store(), store());
  }

  @Test
  @DisplayName("through two instances on one backend, a lapse or notice marked on one is marked "
      + "on both, also when they race, and a decision or suspension on one is seen on the other")
  void twoInstancesMarkOnce() {
    RecertificationStore replica = kit.replica();
    String item = RecertificationStoreCompatibilityKit.newItem();
    assertTrue(store().markLapsed(item, kit.now()));
    assertFalse(replica.markLapsed(item, kit.now()));
    assertTrue(replica.markNoticed(item, kit.now()));
    assertFalse(store().markNoticed(item, kit.now()));
    replica.suspend(item);
    assertTrue(store().isSuspended(item));
    Certification c = RecertificationStoreCompatibilityKit.decision(item, true, kit.now());
    store().record(c);
    assertEquals(c, replica.latest(item));
    assertFalse(replica.isSuspended(item));
    assertOneFirst(store(), replica);
  }

  /** Races threads on {@code a} and {@code b}, half of them marking lapses, half notices. */
  private void assertOneFirst(RecertificationStore a, RecertificationStore b) {
    for (int round = 0; round < RecertificationStoreCompatibilityKit.ROUNDS; round++) {
      String item = RecertificationStoreCompatibilityKit.newItem();
      Instant due = kit.now().plusNanos(round);
      CyclicBarrier start = new CyclicBarrier(RecertificationStoreCompatibilityKit.THREADS);
      List<Callable<Integer>> racers = new ArrayList<>();
      for (int t = 0; t < RecertificationStoreCompatibilityKit.THREADS; t++) {
        RecertificationStore through = t % 2 == 0 ? a : b;
        boolean lapse = t % 4 < 2;
        racers.add(() -> {
          start.await();
          boolean first = lapse ? through.markLapsed(item, due) : through.markNoticed(item, due);
          return first ? (lapse ? 1 : 100) : 0;
        });
      }
      int firsts = KitSupport.runConcurrently(racers).stream().mapToInt(Integer::intValue).sum();
      assertEquals(101, firsts, "round " + round + ": one first lapse (1) and one first notice "
          + "(100)");
    }
  }
}
