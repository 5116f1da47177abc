package dev.jitaccess.testkit;

import static dev.jitaccess.testkit.EngineRuns.failed;
import static dev.jitaccess.testkit.EngineRuns.run;
import static dev.jitaccess.testkit.EngineRuns.succeeded;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.jitaccess.governance.AccessRequest;
import dev.jitaccess.governance.Approval;
import dev.jitaccess.governance.RequestState;
import dev.jitaccess.governance.spi.BreakGlassLock;
import dev.jitaccess.governance.spi.GovernanceStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.testkit.engine.Events;

/** GovernanceStoreCompatibilityKit must catch a store that breaks one rule of the contract. */
class BrokenGovernanceStoresTest {
  private static final String INSERTED = "get returns the request that was inserted";

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
            "no decision is lost while many threads decide, each retrying from what it read")),
        arguments(AnyNextStoreCompatibility.class, List.of(
            "refuses a next that is not the next version of the same request, and stores nothing")),
        arguments(UnorderedDecisionsStoreCompatibility.class, List.of(
            "every field round-trips: issuer, ticket, start, approvals with and without a team, "
                + "and rejections, in order")),
        arguments(MicrosecondStoreCompatibility.class, List.of(
            "every field round-trips exactly at its limits: nanoseconds, names of 256 and texts "
                + "of 1,024 characters beyond ASCII and the Basic Multilingual Plane")),
        arguments(ExpiryOnlyDueStoreCompatibility.class, List.of(
            "returns exactly the requests whose deadline is at or before now: PENDING past "
                + "expiresAt, APPROVED past activateBy, unreviewed break-glass past reviewDue",
            "a break-glass request leaves due once reviewed")),
        arguments(LimitThenSortStoreCompatibility.class, List.of(
            "orders by deadline, oldest first, whatever the order of insertion and the kind of "
                + "deadline, and returns at most limit")),
        arguments(CheckThenLockStoreCompatibility.class, List.of(
            "of racing locks of one subject by many threads, exactly one wins")),
        arguments(UnlockBySubjectStoreCompatibility.class, List.of(
            "unlock removes only the same lock, once, and the subject can be locked again")),
        arguments(CaseInsensitiveStoreCompatibility.class, List.of(
            "requests whose id and names look like SQL or patterns round-trip and are found only "
                + "by their own id")));
  }

  /** A correct store on two maps, for the broken ones to change one method of. */
  static class MapStore implements GovernanceStore {
    final Map<String, AccessRequest> requests = new ConcurrentHashMap<>();
    final Map<String, BreakGlassLock> locks = new ConcurrentHashMap<>();

    AccessRequest stored(AccessRequest r) {
      return r;
    }

    @Override
    public void insert(AccessRequest request) {
      if (requests.putIfAbsent(request.id(), stored(request)) != null) {
        throw new IllegalStateException("request.id must be unique");
      }
    }

    @Override
    public @Nullable AccessRequest get(String requestId) {
      return requests.get(requestId);
    }

    static void checkNext(AccessRequest expected, AccessRequest next) {
      if (!next.id().equals(expected.id()) || next.version() != expected.version() + 1) {
        throw new IllegalArgumentException("next must be the next version of the same request");
      }
    }

    @Override
    public boolean compareAndSet(AccessRequest expected, AccessRequest next) {
      checkNext(expected, next);
      boolean[] set = {false};
      requests.computeIfPresent(expected.id(), (id, current) -> {
        set[0] = current.version() == expected.version();
        return set[0] ? stored(next) : current;
      });
      return set[0];
    }

    @Nullable Instant deadline(AccessRequest r) {
      return r.deadline();
    }

    List<AccessRequest> firstOf(Predicate<AccessRequest> test,
        Comparator<AccessRequest> order, int limit) {
      List<AccessRequest> found = new ArrayList<>();
      for (AccessRequest r : requests.values()) {
        if (test.test(r)) {
          found.add(r);
        }
      }
      found.sort(order);
      return found.subList(0, Math.min(limit, found.size()));
    }

    @Override
    public List<AccessRequest> due(Instant now, int limit) {
      return firstOf(r -> deadline(r) != null && !deadline(r).isAfter(now),
          Comparator.comparing(r -> Objects.requireNonNull(deadline(r))), limit);
    }

    @Override
    public List<AccessRequest> pending(int limit) {
      return firstOf(r -> r.state() == RequestState.PENDING,
          Comparator.comparing(AccessRequest::createdAt), limit);
    }

    @Override
    public boolean lock(BreakGlassLock lock) {
      return locks.putIfAbsent(lock.subject(), lock) == null;
    }

    @Override
    public Optional<BreakGlassLock> lockOf(String subject) {
      return Optional.ofNullable(locks.get(subject));
    }

    @Override
    public boolean unlock(BreakGlassLock lock) {
      return locks.remove(lock.subject(), lock);
    }
  }

  /** compareAndSet reads, compares, then writes: not atomic. */
  static final class CheckThenActStore extends MapStore {
    @Override
    public boolean compareAndSet(AccessRequest expected, AccessRequest next) {
      checkNext(expected, next);
      AccessRequest current = requests.get(expected.id());
      if (current == null || current.version() != expected.version()) {
        return false;
      }
      Thread.yield(); // the window every check-then-act has, made wide enough to hit
      requests.put(expected.id(), next);
      return true;
    }
  }

  /** Takes any next, as long as the stored version matches. */
  static final class AnyNextStore extends MapStore {
    @Override
    public boolean compareAndSet(AccessRequest expected, AccessRequest next) {
      return requests.replace(expected.id(), expected, next);
    }
  }

  /** Reads approvals back sorted by approver, as a child table read without ORDER BY would. */
  static final class UnorderedDecisionsStore extends MapStore {
    @Override
    AccessRequest stored(AccessRequest r) {
      List<Approval> approvals = new ArrayList<>(r.approvals());
      approvals.sort(Comparator.comparing(Approval::approver));
      return r.toBuilder().approvals(approvals).build();
    }
  }

  /** Keeps instants to the microsecond, as a timestamptz column does. */
  static final class MicrosecondStore extends MapStore {
    @Override
    AccessRequest stored(AccessRequest r) {
      return r.toBuilder().createdAt(r.createdAt().truncatedTo(ChronoUnit.MICROS))
          .expiresAt(r.expiresAt().truncatedTo(ChronoUnit.MICROS)).build();
    }
  }

  /** Counts a request's expiry, or its review deadline, whatever its state or review. */
  static final class ExpiryOnlyDueStore extends MapStore {
    @Override
    @Nullable Instant deadline(AccessRequest r) {
      if (r.breakGlass()) {
        return r.reviewDue();
      }
      return r.state().isFinal() ? null : r.expiresAt();
    }
  }

  /** Cuts at the limit before it sorts. */
  static final class LimitThenSortStore extends MapStore {
    @Override
    List<AccessRequest> firstOf(Predicate<AccessRequest> test, Comparator<AccessRequest> order,
        int limit) {
      List<AccessRequest> found = new ArrayList<>();
      for (AccessRequest r : requests.values()) {
        if (test.test(r) && found.size() < limit) {
          found.add(r);
        }
      }
      found.sort(order);
      return found;
    }
  }

  /** Checks for a lock, then writes: two racing locks of one subject can both win. */
  static final class CheckThenLockStore extends MapStore {
    @Override
    public boolean lock(BreakGlassLock lock) {
      if (locks.containsKey(lock.subject())) {
        return false;
      }
      Thread.yield();
      locks.put(lock.subject(), lock);
      return true;
    }
  }

  /** Removes whatever lock the subject has. */
  static final class UnlockBySubjectStore extends MapStore {
    @Override
    public boolean unlock(BreakGlassLock lock) {
      return locks.remove(lock.subject()) != null;
    }
  }

  /** Finds requests by their id in any case, as a case-insensitive collation would. */
  static final class CaseInsensitiveStore extends MapStore {
    @Override
    public @Nullable AccessRequest get(String requestId) {
      for (AccessRequest r : requests.values()) {
        if (r.id().toLowerCase(Locale.ROOT).equals(requestId.toLowerCase(Locale.ROOT))) {
          return r;
        }
      }
      return null;
    }
  }

  @Tag("fixture")
  static class CheckThenActStoreCompatibility extends GovernanceStoreCompatibilityKit {
    @Override
    public GovernanceStore createStore() {
      return new CheckThenActStore();
    }
  }

  @Tag("fixture")
  static class AnyNextStoreCompatibility extends GovernanceStoreCompatibilityKit {
    @Override
    public GovernanceStore createStore() {
      return new AnyNextStore();
    }
  }

  @Tag("fixture")
  static class UnorderedDecisionsStoreCompatibility extends GovernanceStoreCompatibilityKit {
    @Override
    public GovernanceStore createStore() {
      return new UnorderedDecisionsStore();
    }
  }

  @Tag("fixture")
  static class MicrosecondStoreCompatibility extends GovernanceStoreCompatibilityKit {
    @Override
    public GovernanceStore createStore() {
      return new MicrosecondStore();
    }
  }

  @Tag("fixture")
  static class ExpiryOnlyDueStoreCompatibility extends GovernanceStoreCompatibilityKit {
    @Override
    public GovernanceStore createStore() {
      return new ExpiryOnlyDueStore();
    }
  }

  @Tag("fixture")
  static class LimitThenSortStoreCompatibility extends GovernanceStoreCompatibilityKit {
    @Override
    public GovernanceStore createStore() {
      return new LimitThenSortStore();
    }
  }

  @Tag("fixture")
  static class CheckThenLockStoreCompatibility extends GovernanceStoreCompatibilityKit {
    @Override
    public GovernanceStore createStore() {
      return new CheckThenLockStore();
    }
  }

  @Tag("fixture")
  static class UnlockBySubjectStoreCompatibility extends GovernanceStoreCompatibilityKit {
    @Override
    public GovernanceStore createStore() {
      return new UnlockBySubjectStore();
    }
  }

  @Tag("fixture")
  static class CaseInsensitiveStoreCompatibility extends GovernanceStoreCompatibilityKit {
    @Override
    public GovernanceStore createStore() {
      return new CaseInsensitiveStore();
    }
  }
}
