package dev.jitaccess.testkit;

import static dev.jitaccess.testkit.EngineRuns.failed;
import static dev.jitaccess.testkit.EngineRuns.run;
import static dev.jitaccess.testkit.EngineRuns.succeeded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.jitaccess.governance.Certification;
import dev.jitaccess.governance.spi.RecertificationStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.testkit.engine.Events;

/**
 * RecertificationStoreCompatibilityKit must pass a correct store and catch one that breaks one
 * rule.
 */
class BrokenRecertificationStoresTest {
  private static final String NEVER_DECIDED = "latest is null for an item never decided";

  @Test
  void theKitPassesACorrectStoreAndChecksTwoInstancesOfIt() {
    Events events = run(CorrectStoreCompatibility.class);
    assertEquals(Set.of(), failed(events));
    assertEquals(0, events.aborted().count(), "no check skipped: the store has replicas");
    assertTrue(succeeded(events).contains("through two instances on one backend, a lapse or "
        + "notice marked on one is marked on both, also when they race, and a decision or "
        + "suspension on one is seen on the other"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("storesThatBreakOneRule")
  void theKitCatchesAStoreThatBreaksOneRule(Class<?> fixture, List<String> rules) {
    Events events = run(fixture);
    Set<String> failed = failed(events);
    for (String rule : rules) {
      assertTrue(failed.contains(rule), "the kit must fail \"" + rule + "\"; failed: " + failed);
    }
    assertTrue(succeeded(events).contains(NEVER_DECIDED),
        "the kit must not fail what the store does right; failed: " + failed);
  }

  static Stream<Arguments> storesThatBreakOneRule() {
    return Stream.of(
        arguments(CheckThenMarkStoreCompatibility.class, List.of("of many threads marking one "
            + "lapse or notice at once, exactly one is told it was first")),
        arguments(MillisecondStoreCompatibility.class, List.of("markLapsed is true once per item "
            + "and due time, told apart to the nanosecond", "markNoticed is true once per item "
            + "and due time, told apart to the nanosecond")),
        arguments(ItemOnlyStoreCompatibility.class, List.of("markLapsed is true once per item "
            + "and due time, told apart to the nanosecond")),
        arguments(SharedMarksStoreCompatibility.class, List.of("a notice and a lapse of one due "
            + "time are marked apart, and a decision or suspension unmarks neither")),
        arguments(StickySuspensionStoreCompatibility.class, List.of("suspend holds until the "
            + "item's next decision, which clears it; other items stay as they are",
            "of racing decisions on one item by many threads, latest is one of them, whole")),
        arguments(FirstDecisionStoreCompatibility.class, List.of("latest returns the last "
            + "decision recorded, also when it is dated before the one it replaces")),
        arguments(NewestDecisionStoreCompatibility.class, List.of("latest returns the last "
            + "decision recorded, also when it is dated before the one it replaces")),
        arguments(LikeItemStoreCompatibility.class, List.of("items that look like SQL or "
            + "patterns are decided, suspended and marked apart")),
        arguments(ReplicaLocalMarksStoreCompatibility.class, List.of("through two instances on "
            + "one backend, a lapse or notice marked on one is marked on both, also when they "
            + "race, and a decision or suspension on one is seen on the other")));
  }

  /** A correct store on maps; replicas share them, as instances on one database would. */
  static class MapStore implements RecertificationStore {
    final Map<String, Certification> latest;
    final Set<String> lapsed;
    final Set<String> noticed;
    final Set<String> suspended;

    MapStore() {
      this(new ConcurrentHashMap<>(), ConcurrentHashMap.newKeySet(),
          ConcurrentHashMap.newKeySet(), ConcurrentHashMap.newKeySet());
    }

    MapStore(Map<String, Certification> latest, Set<String> lapsed, Set<String> noticed,
        Set<String> suspended) {
      this.latest = latest;
      this.lapsed = lapsed;
      this.noticed = noticed;
      this.suspended = suspended;
    }

    String key(String item, Instant dueAt) {
      return item + "@" + dueAt;
    }

    @Override
    public @Nullable Certification latest(String item) {
      return latest.get(item);
    }

    @Override
    public void record(Certification certification) {
      latest.put(certification.item(), certification);
      suspended.remove(certification.item());
    }

    @Override
    public boolean markLapsed(String item, Instant dueAt) {
      return lapsed.add(key(item, dueAt));
    }

    @Override
    public boolean markNoticed(String item, Instant dueAt) {
      return noticed.add(key(item, dueAt));
    }

    @Override
    public void suspend(String item) {
      suspended.add(item);
    }

    @Override
    public boolean isSuspended(String item) {
      return suspended.contains(item);
    }
  }

  /** Checks for a mark, then adds it: racing marks can both be first. */
  static final class CheckThenMarkStore extends MapStore {
    @Override
    public boolean markLapsed(String item, Instant dueAt) {
      return checkThenAdd(lapsed, key(item, dueAt));
    }

    @Override
    public boolean markNoticed(String item, Instant dueAt) {
      return checkThenAdd(noticed, key(item, dueAt));
    }

    private static boolean checkThenAdd(Set<String> marks, String key) {
      if (marks.contains(key)) {
        return false;
      }
      Thread.yield();
      marks.add(key);
      return true;
    }
  }

  /** Keeps due times to the millisecond. */
  static final class MillisecondStore extends MapStore {
    @Override
    String key(String item, Instant dueAt) {
      return item + "@" + dueAt.toEpochMilli();
    }
  }

  /** Marks a lapse once per item, whatever its due time. */
  static final class ItemOnlyStore extends MapStore {
    @Override
    public boolean markLapsed(String item, Instant dueAt) {
      return lapsed.add(item);
    }
  }

  /** Keeps lapses and notices in one set. */
  static final class SharedMarksStore extends MapStore {
    @Override
    public boolean markNoticed(String item, Instant dueAt) {
      return lapsed.add(key(item, dueAt));
    }
  }

  /** A decision leaves a suspension in place. */
  static final class StickySuspensionStore extends MapStore {
    @Override
    public void record(Certification certification) {
      latest.put(certification.item(), certification);
    }
  }

  /** Keeps the first decision. */
  static final class FirstDecisionStore extends MapStore {
    @Override
    public void record(Certification certification) {
      latest.putIfAbsent(certification.item(), certification);
      suspended.remove(certification.item());
    }
  }

  /** Keeps the decision with the latest date rather than the last recorded. */
  static final class NewestDecisionStore extends MapStore {
    @Override
    public void record(Certification certification) {
      latest.merge(certification.item(), certification,
          (old, now) -> now.at().isBefore(old.at()) ? old : now);
      suspended.remove(certification.item());
    }
  }

  /** Reads an item as a LIKE pattern when asked whether it is suspended. */
  static final class LikeItemStore extends MapStore {
    @Override
    public boolean isSuspended(String item) {
      String regex = Pattern.quote(item).replace("%", "\\E.*\\Q").replace("_", "\\E.\\Q");
      return suspended.stream().anyMatch(s -> s.matches(regex));
    }
  }

  /** A kit run whose replicas share the store's maps. */
  abstract static class Fixture extends RecertificationStoreCompatibilityKit {
    abstract MapStore newStore();

    @Override
    public RecertificationStore createStore() {
      return newStore();
    }

    @Override
    protected RecertificationStore createReplica(RecertificationStore store) {
      MapStore s = (MapStore) store;
      return new MapStore(s.latest, s.lapsed, s.noticed, s.suspended);
    }
  }

  @Tag("fixture")
  static class CorrectStoreCompatibility extends Fixture {
    @Override
    MapStore newStore() {
      return new MapStore();
    }
  }

  @Tag("fixture")
  static class CheckThenMarkStoreCompatibility extends Fixture {
    @Override
    MapStore newStore() {
      return new CheckThenMarkStore();
    }
  }

  @Tag("fixture")
  static class MillisecondStoreCompatibility extends Fixture {
    @Override
    MapStore newStore() {
      return new MillisecondStore();
    }
  }

  @Tag("fixture")
  static class ItemOnlyStoreCompatibility extends Fixture {
    @Override
    MapStore newStore() {
      return new ItemOnlyStore();
    }
  }

  @Tag("fixture")
  static class SharedMarksStoreCompatibility extends Fixture {
    @Override
    MapStore newStore() {
      return new SharedMarksStore();
    }
  }

  @Tag("fixture")
  static class StickySuspensionStoreCompatibility extends Fixture {
    @Override
    MapStore newStore() {
      return new StickySuspensionStore();
    }
  }

  @Tag("fixture")
  static class FirstDecisionStoreCompatibility extends Fixture {
    @Override
    MapStore newStore() {
      return new FirstDecisionStore();
    }
  }

  @Tag("fixture")
  static class NewestDecisionStoreCompatibility extends Fixture {
    @Override
    MapStore newStore() {
      return new NewestDecisionStore();
    }
  }

  @Tag("fixture")
  static class LikeItemStoreCompatibility extends Fixture {
    @Override
    MapStore newStore() {
      return new LikeItemStore();
    }
  }

  @Tag("fixture")
  static class ReplicaLocalMarksStoreCompatibility extends Fixture {
    @Override
    MapStore newStore() {
      return new MapStore();
    }

    @Override
    protected RecertificationStore createReplica(RecertificationStore store) {
      MapStore s = (MapStore) store;
      return new MapStore(s.latest, ConcurrentHashMap.newKeySet(), ConcurrentHashMap.newKeySet(),
          s.suspended);
    }
  }
}
