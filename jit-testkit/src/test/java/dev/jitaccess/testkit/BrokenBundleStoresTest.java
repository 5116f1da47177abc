package dev.jitaccess.testkit;

import static dev.jitaccess.testkit.EngineRuns.failed;
import static dev.jitaccess.testkit.EngineRuns.run;
import static dev.jitaccess.testkit.EngineRuns.succeeded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.jitaccess.governance.spi.BundleStore;
import dev.jitaccess.testkit.BrokenBundleStores.AnyNextStore;
import dev.jitaccess.testkit.BrokenBundleStores.CappedBatchStore;
import dev.jitaccess.testkit.BrokenBundleStores.CaseInsensitiveStore;
import dev.jitaccess.testkit.BrokenBundleStores.CheckThenActStore;
import dev.jitaccess.testkit.BrokenBundleStores.CheckThenAddStore;
import dev.jitaccess.testkit.BrokenBundleStores.CheckThenRemoveStore;
import dev.jitaccess.testkit.BrokenBundleStores.CodePointOrderStore;
import dev.jitaccess.testkit.BrokenBundleStores.GrantsLeaveWithMemberStore;
import dev.jitaccess.testkit.BrokenBundleStores.LastGrantOnlyStore;
import dev.jitaccess.testkit.BrokenBundleStores.LikeMemberStore;
import dev.jitaccess.testkit.BrokenBundleStores.LostGrantStore;
import dev.jitaccess.testkit.BrokenBundleStores.MicrosecondStore;
import dev.jitaccess.testkit.BrokenBundleStores.QuotingStore;
import dev.jitaccess.testkit.BrokenBundleStores.ReplicaLocalMembersStore;
import dev.jitaccess.testkit.BrokenBundleStores.RequestedCountStore;
import dev.jitaccess.testkit.BrokenBundleStores.SortedRemovalStore;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.testkit.engine.Events;

/** BundleStoreCompatibilityKit must pass a correct store and catch one that breaks one rule. */
class BrokenBundleStoresTest {
  private static final String INSERTED = "get returns the bundle that was inserted";

  @Test
  void theKitPassesACorrectStoreAndChecksTwoInstancesOfIt() {
    Events events = run(CorrectStoreCompatibility.class);
    assertEquals(Set.of(), failed(events));
    assertEquals(0, events.aborted().count(), "no check skipped: the store has replicas");
    assertTrue(succeeded(events).contains("through two instances on one backend, members added "
        + "on one are seen and removed on the other, and racing changes keep an exact set"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("storesThatBreakOneRule")
  void theKitCatchesAStoreThatBreaksOneRule(Class<?> fixture, List<String> rules) {
    Events events = run(fixture);
    Set<String> failed = failed(events);
    for (String rule : rules) {
      assertTrue(failed.contains(rule), "the kit must fail \"" + rule + "\"; failed: " + failed);
    }
    if (fixture != MicrosecondStoreCompatibility.class) {
      assertTrue(succeeded(events).contains(INSERTED),
          "the kit must not fail what the store does right; failed: " + failed);
    }
  }

  static Stream<Arguments> storesThatBreakOneRule() {
    return Stream.of(
        arguments(CheckThenActStoreCompatibility.class, List.of(
            "of racing calls from one snapshot by many threads, exactly one wins",
            "no change is lost while many threads change one bundle, each retrying from what it "
                + "read")),
        arguments(AnyNextStoreCompatibility.class, List.of("refuses a next that is not the next "
            + "version of the same bundle, and stores nothing")),
        arguments(MicrosecondStoreCompatibility.class, List.of("every field round-trips exactly "
            + "at its limits: nanoseconds, instants before 1970, names of 256 characters beyond "
            + "ASCII and the Basic Multilingual Plane, a scope of 256 permissions")),
        arguments(CodePointOrderStoreCompatibility.class, List.of("bundles returns every bundle, "
            + "as stored now, ordered by name as String.compareTo orders them, also beyond the "
            + "Basic Multilingual Plane")),
        arguments(RequestedCountStoreCompatibility.class, List.of("addMembers answers how many "
            + "were not members yet, counting a name given twice once, and adding them again "
            + "adds none")),
        arguments(SortedRemovalStoreCompatibility.class, List.of("removeMembers answers those "
            + "that were members, in the order given, each once, and removing them again removes "
            + "none", "a bulk of 1,000 members is added in one call, and removed in one call in "
            + "the order given")),
        arguments(CheckThenAddStoreCompatibility.class, List.of("of many threads adding one set "
            + "at once, in different orders, each member is counted once")),
        arguments(CheckThenRemoveStoreCompatibility.class, List.of("of many threads removing one "
            + "set at once, in different orders, each member is answered once")),
        arguments(CappedBatchStoreCompatibility.class, List.of("a bulk of 1,000 members is added "
            + "in one call, and removed in one call in the order given")),
        arguments(LastGrantOnlyStoreCompatibility.class, List.of("grantsOf answers the grants of "
            + "one member, and of every member when member is null")),
        arguments(LostGrantStoreCompatibility.class, List.of("grants recorded by many threads at "
            + "once, for one member and for their own, are all kept")),
        arguments(QuotingStoreCompatibility.class, List.of("a grant id a store cannot keep "
            + "exactly is refused without being quoted, never stored altered")),
        arguments(GrantsLeaveWithMemberStoreCompatibility.class, List.of("a member's grants are "
            + "still listed after it leaves, so that they can be ended")),
        arguments(CaseInsensitiveStoreCompatibility.class, List.of("bundles whose names look "
            + "like SQL or patterns round-trip and are found only by their own name")),
        arguments(LikeMemberStoreCompatibility.class, List.of("members that look like SQL, "
            + "patterns or array literals are kept apart and found only as themselves")),
        arguments(ReplicaLocalMembersStoreCompatibility.class, List.of("through two instances on "
            + "one backend, members added on one are seen and removed on the other, and racing "
            + "changes keep an exact set")));
  }

  /** A kit run whose replicas share the store's maps. */
  abstract static class Fixture extends BundleStoreCompatibilityKit {
    abstract MapBundleStore newStore();

    @Override
    public BundleStore createStore() {
      return newStore();
    }

    @Override
    protected BundleStore createReplica(BundleStore store) {
      return ((MapBundleStore) store).replica();
    }
  }

  @Tag("fixture")
  static class CorrectStoreCompatibility extends Fixture {
    @Override
    MapBundleStore newStore() {
      return new MapBundleStore();
    }
  }

  @Tag("fixture")
  static class CheckThenActStoreCompatibility extends Fixture {
    @Override
    MapBundleStore newStore() {
      return new CheckThenActStore();
    }
  }

  @Tag("fixture")
  static class AnyNextStoreCompatibility extends Fixture {
    @Override
    MapBundleStore newStore() {
      return new AnyNextStore();
    }
  }

  @Tag("fixture")
  static class MicrosecondStoreCompatibility extends Fixture {
    @Override
    MapBundleStore newStore() {
      return new MicrosecondStore();
    }
  }

  @Tag("fixture")
  static class CodePointOrderStoreCompatibility extends Fixture {
    @Override
    MapBundleStore newStore() {
      return new CodePointOrderStore();
    }
  }

  @Tag("fixture")
  static class RequestedCountStoreCompatibility extends Fixture {
    @Override
    MapBundleStore newStore() {
      return new RequestedCountStore();
    }
  }

  @Tag("fixture")
  static class SortedRemovalStoreCompatibility extends Fixture {
    @Override
    MapBundleStore newStore() {
      return new SortedRemovalStore();
    }
  }

  @Tag("fixture")
  static class CheckThenAddStoreCompatibility extends Fixture {
    @Override
    MapBundleStore newStore() {
      return new CheckThenAddStore();
    }
  }

  @Tag("fixture")
  static class CheckThenRemoveStoreCompatibility extends Fixture {
    @Override
    MapBundleStore newStore() {
      return new CheckThenRemoveStore();
    }
  }

  @Tag("fixture")
  static class CappedBatchStoreCompatibility extends Fixture {
    @Override
    MapBundleStore newStore() {
      return new CappedBatchStore();
    }
  }

  @Tag("fixture")
  static class LastGrantOnlyStoreCompatibility extends Fixture {
    @Override
    MapBundleStore newStore() {
      return new LastGrantOnlyStore();
    }
  }

  @Tag("fixture")
  static class LostGrantStoreCompatibility extends Fixture {
    @Override
    MapBundleStore newStore() {
      return new LostGrantStore();
    }
  }

  @Tag("fixture")
  static class QuotingStoreCompatibility extends Fixture {
    @Override
    MapBundleStore newStore() {
      return new QuotingStore();
    }
  }

  @Tag("fixture")
  static class GrantsLeaveWithMemberStoreCompatibility extends Fixture {
    @Override
    MapBundleStore newStore() {
      return new GrantsLeaveWithMemberStore();
    }
  }

  @Tag("fixture")
  static class CaseInsensitiveStoreCompatibility extends Fixture {
    @Override
    MapBundleStore newStore() {
      return new CaseInsensitiveStore();
    }
  }

  @Tag("fixture")
  static class LikeMemberStoreCompatibility extends Fixture {
    @Override
    MapBundleStore newStore() {
      return new LikeMemberStore();
    }
  }

  @Tag("fixture")
  static class ReplicaLocalMembersStoreCompatibility extends Fixture {
    @Override
    MapBundleStore newStore() {
      return new MapBundleStore();
    }

    @Override
    protected BundleStore createReplica(BundleStore store) {
      return new ReplicaLocalMembersStore((MapBundleStore) store);
    }
  }
}
