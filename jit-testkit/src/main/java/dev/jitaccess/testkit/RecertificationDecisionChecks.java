package dev.jitaccess.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.governance.Certification;
import dev.jitaccess.governance.spi.RecertificationStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The checks of {@link RecertificationStore#latest}, {@link RecertificationStore#record}, {@link
 * RecertificationStore#suspend} and {@link RecertificationStore#isSuspended}, which {@link
 * RecertificationStoreCompatibilityKit} runs as a nested class: the last decision, whole, per
 * item; a suspension until the next decision; items taken literally.
 */
abstract class RecertificationDecisionChecks {
  private final RecertificationStoreCompatibilityKit kit;

  RecertificationDecisionChecks(RecertificationStoreCompatibilityKit kit) {
    this.kit = kit;
  }

  private RecertificationStore store() {
    return kit.store();
  }

  @Test
  @DisplayName("latest is null for an item never decided")
  void latestIsNullForAnItemNeverDecided() {
    store().record(RecertificationStoreCompatibilityKit.decision(
        RecertificationStoreCompatibilityKit.newItem(), true, kit.now()));
    assertNull(store().latest(RecertificationStoreCompatibilityKit.newItem()));
  }

  @Test
  @DisplayName("latest returns the last decision recorded, also when it is dated before the one "
      + "it replaces")
  void latestReturnsTheLastDecisionRecorded() {
    String item = RecertificationStoreCompatibilityKit.newItem();
    Certification kept = RecertificationStoreCompatibilityKit.decision(item, true, kit.now());
    store().record(kept);
    assertEquals(kept, store().latest(item));
    Certification refused = RecertificationStoreCompatibilityKit.decision(item, false,
        kit.now().plusNanos(1));
    store().record(refused);
    assertEquals(refused, store().latest(item));
    Certification earlier = RecertificationStoreCompatibilityKit.decision(item, true,
        kit.now().minusSeconds(60));
    store().record(earlier);
    assertEquals(earlier, store().latest(item), "the last recorded, whatever its date");
  }

  @Test
  @DisplayName("every field round-trips exactly at its limits: nanoseconds, instants before 1970, "
      + "names of 256 and notes of 1,024 characters beyond ASCII and the Basic Multilingual "
      + "Plane")
  void everyFieldRoundTripsAtItsLimits() {
    List<Certification> decisions = List.of(
        new Certification(GovernanceRequests.longText("request:" + KitSupport.newId(),
            GovernanceRequests.MAX_NAME), GovernanceRequests.longText("reviewer",
            GovernanceRequests.MAX_NAME), false, GovernanceRequests.longText("note \u2714\uFE0F",
            GovernanceRequests.MAX_TEXT), Instant.ofEpochSecond(kit.now().getEpochSecond(), 1)),
        new Certification(RecertificationStoreCompatibilityKit.newItem(), "r", true, "n",
            Instant.ofEpochSecond(-1, 999_999_999)));
    for (Certification c : decisions) {
      store().record(c);
      assertEquals(c, store().latest(c.item()));
    }
  }

  @Test
  @DisplayName("text a store cannot keep exactly is refused, never stored altered")
  void textThatCannotBeKeptIsRefusedOrKeptExactly() {
    // A valid decision may hold a lone surrogate, which a driver may send as '?'.
    String item = RecertificationStoreCompatibilityKit.newItem();
    Certification before = RecertificationStoreCompatibilityKit.decision(item, true, kit.now());
    store().record(before);
    Certification awkward = new Certification(item, "reviewer", false, "half an emoji \uD83D",
        kit.now().plusNanos(1));
    try {
      store().record(awkward);
    } catch (RuntimeException refused) {
      assertEquals(before, store().latest(item), "a refused decision must change nothing");
      return;
    }
    assertEquals(awkward, store().latest(item), "stored, it must be stored exactly");
  }

  @Test
  @DisplayName("decisions on different items are kept apart")
  void decisionsArePerItem() {
    String bundle = RecertificationStoreCompatibilityKit.newItem();
    String request = "request:req_" + KitSupport.newId();
    Certification one = RecertificationStoreCompatibilityKit.decision(bundle, true, kit.now());
    Certification two = RecertificationStoreCompatibilityKit.decision(request, false, kit.now());
    store().record(one);
    store().record(two);
    assertEquals(one, store().latest(bundle));
    assertEquals(two, store().latest(request));
  }

  @Test
  @DisplayName("suspend holds until the item's next decision, which clears it; other items stay "
      + "as they are")
  void aSuspensionHoldsUntilTheNextDecision() {
    String item = RecertificationStoreCompatibilityKit.newItem();
    String other = RecertificationStoreCompatibilityKit.newItem();
    assertFalse(store().isSuspended(item), "never suspended");
    store().suspend(item);
    store().suspend(other);
    assertTrue(store().isSuspended(item));
    store().suspend(item);
    assertTrue(store().isSuspended(item), "suspending twice suspends");
    store().record(RecertificationStoreCompatibilityKit.decision(item, true, kit.now()));
    assertFalse(store().isSuspended(item), "a decision clears the suspension");
    assertTrue(store().isSuspended(other), "of its own item only");
    store().record(RecertificationStoreCompatibilityKit.decision(item, false, kit.now()));
    assertFalse(store().isSuspended(item), "a decision on an item not suspended leaves it so");
    store().suspend(item);
    assertTrue(store().isSuspended(item), "suspended again after a decision");
  }

  @Test
  @DisplayName("of racing decisions on one item by many threads, latest is one of them, whole")
  void racingDecisionsLeaveOneWhole() {
    for (int round = 0; round < RecertificationStoreCompatibilityKit.ROUNDS / 4; round++) {
      String item = RecertificationStoreCompatibilityKit.newItem();
      store().suspend(item);
      CyclicBarrier start = new CyclicBarrier(RecertificationStoreCompatibilityKit.THREADS);
      List<Certification> decisions = new ArrayList<>();
      List<Callable<Void>> racers = new ArrayList<>();
      for (int t = 0; t < RecertificationStoreCompatibilityKit.THREADS; t++) {
        Certification c = RecertificationStoreCompatibilityKit.decision(item, t % 2 == 0,
            kit.now().plusNanos(t));
        decisions.add(c);
        racers.add(() -> {
          start.await();
          store().record(c);
          return null;
        });
      }
      KitSupport.runConcurrently(racers);
      assertTrue(decisions.contains(store().latest(item)),
          "round " + round + ": " + store().latest(item));
      assertFalse(store().isSuspended(item), "round " + round);
    }
  }

  @Test
  @DisplayName("items that look like SQL or patterns are decided, suspended and marked apart")
  void itemsAreTakenLiterally() {
    for (String attack : GovernanceLiteralChecks.ATTACKS) {
      store().record(RecertificationStoreCompatibilityKit.decision(attack, true, kit.now()));
      store().suspend(attack);
      assertTrue(store().markLapsed(attack, kit.now()), attack);
    }
    for (String attack : GovernanceLiteralChecks.ATTACKS) {
      Certification c = store().latest(attack);
      assertEquals(attack, c == null ? null : c.item());
      assertTrue(store().isSuspended(attack), attack);
      assertFalse(store().markLapsed(attack, kit.now()), attack);
    }
    for (String probe : List.of("%%", "__", "' OR ''='", "req_aXbYc", "$2", "*")) {
      assertNull(store().latest(probe), probe);
      assertFalse(store().isSuspended(probe), probe);
    }
    store().record(RecertificationStoreCompatibilityKit.decision("%", false, kit.now()));
    assertFalse(store().isSuspended("%"));
    assertTrue(store().isSuspended("_"), "a decision on \"%\" clears no other suspension");
    assertTrue(store().latest("_").keep(), "nor replaces another decision");
  }
}
