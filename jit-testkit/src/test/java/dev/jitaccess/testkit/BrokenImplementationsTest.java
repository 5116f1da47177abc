package dev.jitaccess.testkit;

import static dev.jitaccess.testkit.EngineRuns.failed;
import static dev.jitaccess.testkit.EngineRuns.run;
import static dev.jitaccess.testkit.EngineRuns.succeeded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.Scope;
import dev.jitaccess.spi.AccessPolicy;
import dev.jitaccess.spi.AuditSink;
import dev.jitaccess.spi.GrantStore;
import dev.jitaccess.spi.PolicyDecision;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/** Each kit must catch a deliberately broken implementation of its SPI. */
class BrokenImplementationsTest {

  @Test
  void storeKitCatchesACheckThenActCompareAndSet() {
    Events events = run(CheckThenActStoreCompatibility.class);
    Set<String> failed = failed(events);
    assertTrue(failed.contains("of racing calls with the same expected snapshot exactly one wins"),
        "failed: " + failed);
    assertTrue(failed.contains("no revocation is lost while other threads spend uses"),
        "failed: " + failed);
    assertTrue(succeeded(events).contains("get returns the grant that was inserted"),
        "the kit must not fail what the store does right");
  }

  @Test
  void storeKitCatchesACheckThenActInsert() {
    Events events = run(CheckThenInsertStoreCompatibility.class);
    Set<String> failed = failed(events);
    assertTrue(failed.contains(
        "of racing inserts of different grants with one id, exactly one is accepted"),
        "failed: " + failed);
    assertTrue(succeeded(events).contains(
        "of racing calls with the same expected snapshot exactly one wins"));
  }

  @Test
  void storeKitCatchesAReadCacheThatOutlivesWrites() {
    Events events = run(CachingStoreCompatibility.class);
    Set<String> failed = failed(events);
    assertTrue(failed.contains("get returns the result of the latest compareAndSet, every time"),
        "failed: " + failed);
    assertTrue(failed.contains(
        "never returns a stale snapshot: an ended grant is the ended one or gone"),
        "failed: " + failed);
  }

  @Test
  void sinkKitCatchesASinkThatDropsEventsUnderConcurrency() {
    Events events = run(RacySinkCompatibility.class);
    Set<String> failed = failed(events);
    assertTrue(failed.contains("no event is lost or duplicated under concurrent records"),
        "failed: " + failed);
    assertTrue(succeeded(events).contains("accepts every event type with every field set"));
  }

  @Test
  void sinkKitCatchesASinkThatChokesOnNullFieldsAndFarInstants() {
    Set<String> failed = failed(run(NaiveFormattingSinkCompatibility.class));
    assertEquals(Set.of(
        "accepts every event type with only the required fields, the rest null",
        "accepts instants at the edges of time"), failed);
  }

  @Test
  void policyKitCatchesANonDeterministicPolicy() {
    Set<String> failed = failed(run(CoinFlipPolicyCompatibility.class));
    assertTrue(failed.contains("answers the same question the same way every time"),
        "failed: " + failed);
    assertTrue(failed.contains("answers the same way when asked from many threads at once"),
        "failed: " + failed);
  }

  @Test
  void policyKitCatchesAPolicyThatAnswersNull() {
    Set<String> failed = failed(run(NullRenewalPolicyCompatibility.class));
    assertTrue(failed.contains("never answers null, to a request, a delegation or a renewal"),
        "failed: " + failed);
  }

  @Test
  void policyKitCatchesAPolicyThatWidensTheScope() {
    Set<String> failed = failed(run(WideningPolicyCompatibility.class));
    assertTrue(failed.contains(
        "narrows only within what was asked: a smaller scope, a shorter duration"),
        "failed: " + failed);
    assertTrue(failed.contains("an approval mints a grant within the scope and lifetime asked for"),
        "failed: " + failed);
  }

  @Test
  void aKitWhoseFactoryReturnsNullFailsNamingTheMethod() {
    Events events = run(NullFactoryStoreCompatibility.class);
    assertTrue(events.failed().count() > 0);
    assertEquals(0, events.succeeded().count());
    Throwable failure = EngineRuns.onlyFailure(events);
    assertEquals("createStore must not return null", failure.getMessage());
  }

  @Tag("fixture")
  static class NullFactoryStoreCompatibility extends GrantStoreCompatibilityKit {
    @Override
    @SuppressWarnings("NullAway")
    public GrantStore createStore(FakeClock clock) {
      return null;
    }
  }

  // ------------------------------------------------------------------ broken stores

  /** Keeps grants in a map; compareAndSet reads, compares, then writes: not atomic. */
  static class CheckThenActStore implements GrantStore {
    final ConcurrentHashMap<String, Grant> grants = new ConcurrentHashMap<>();

    @Override
    public void insert(Grant grant) {
      if (grants.putIfAbsent(grant.id(), grant) != null) {
        throw new IllegalStateException("grant.id must be unique");
      }
    }

    @Override
    public @Nullable Grant get(String id) {
      return grants.get(id);
    }

    @Override
    public boolean compareAndSet(Grant expected, Grant replacement) {
      Grant current = grants.get(expected.id());
      if (current == null || !current.equals(expected)) {
        return false;
      }
      Thread.yield(); // the window every check-then-act has, made wide enough to hit
      grants.put(expected.id(), replacement);
      return true;
    }

    private Collection<Grant> find(Predicate<Grant> test) {
      List<Grant> found = new ArrayList<>();
      for (Grant grant : grants.values()) {
        if (test.test(grant)) {
          found.add(grant);
        }
      }
      return found;
    }

    @Override
    public Collection<Grant> findBySubject(String subject) {
      return find(g -> g.subject().equals(subject));
    }

    @Override
    public Collection<Grant> findByOwner(String owner) {
      return find(g -> g.owner().equals(owner));
    }

    @Override
    public Collection<Grant> findByTask(String task) {
      return find(g -> g.task().equals(task));
    }

    @Override
    public Collection<Grant> findByParent(String parentId) {
      return find(g -> parentId.equals(g.parentId()));
    }
  }

  /** A correct store behind a read cache that writes never invalidate. */
  static final class CachingStore extends CheckThenActStore {
    private final ConcurrentHashMap<String, Grant> cache = new ConcurrentHashMap<>();

    @Override
    public synchronized boolean compareAndSet(Grant expected, Grant replacement) {
      return grants.replace(expected.id(), expected, replacement);
    }

    @Override
    public @Nullable Grant get(String id) {
      Grant cached = cache.get(id);
      if (cached != null) {
        return cached;
      }
      Grant fresh = grants.get(id);
      if (fresh != null) {
        cache.put(id, fresh);
      }
      return fresh;
    }
  }

  /** Checks for the id, then writes: two racing inserts of one id can both get in. */
  static class CheckThenInsertStore extends CheckThenActStore {
    @Override
    public void insert(Grant grant) {
      if (grants.containsKey(grant.id())) {
        throw new IllegalStateException("grant.id must be unique");
      }
      Thread.yield();
      grants.put(grant.id(), grant);
    }

    @Override
    public boolean compareAndSet(Grant expected, Grant replacement) {
      return grants.replace(expected.id(), expected, replacement);
    }
  }

  @Tag("fixture")
  static class CheckThenInsertStoreCompatibility extends GrantStoreCompatibilityKit {
    @Override
    public GrantStore createStore(FakeClock clock) {
      return new CheckThenInsertStore();
    }
  }

  @Tag("fixture")
  static class CheckThenActStoreCompatibility extends GrantStoreCompatibilityKit {
    @Override
    public GrantStore createStore(FakeClock clock) {
      return new CheckThenActStore();
    }
  }

  @Tag("fixture")
  static class CachingStoreCompatibility extends GrantStoreCompatibilityKit {
    @Override
    public GrantStore createStore(FakeClock clock) {
      return new CachingStore();
    }
  }

  // ------------------------------------------------------------------ broken sinks

  /** Appends to an array without any synchronization. */
  static final class RacySink implements AuditSink {
    private final AuditEvent[] events = new AuditEvent[100_000];
    private int size;

    @Override
    public void record(AuditEvent event) {
      int n = size;
      Thread.yield();
      events[n] = event;
      size = n + 1;
    }

    List<AuditEvent> events() {
      return new ArrayList<>(Arrays.asList(events).subList(0, size));
    }
  }

  /** Formats as if every field were set and every instant fit in epoch milliseconds. */
  static final class NaiveFormattingSink implements AuditSink {
    final List<String> lines = new ArrayList<>();

    @Override
    public synchronized void record(AuditEvent event) {
      lines.add(event.at().toEpochMilli() + " " + event.type() + " " + event.subject().trim());
    }
  }

  @Tag("fixture")
  static class RacySinkCompatibility extends AuditSinkCompatibilityKit {
    @Override
    public AuditSink createSink(FakeClock clock) {
      return new RacySink();
    }

    @Override
    protected List<AuditEvent> recordedBy(AuditSink sink) {
      return ((RacySink) sink).events();
    }
  }

  @Tag("fixture")
  static class NaiveFormattingSinkCompatibility extends AuditSinkCompatibilityKit {
    @Override
    public AuditSink createSink(FakeClock clock) {
      return new NaiveFormattingSink();
    }
  }

  // ------------------------------------------------------------------ broken policies

  /** Approves or denies at random. */
  static final class CoinFlipPolicy implements AccessPolicy {
    @Override
    public PolicyDecision onRequest(GrantRequest request, @Nullable Grant parent) {
      return flip();
    }

    @Override
    public PolicyDecision onRenewal(Grant grant, Duration extension) {
      return flip();
    }

    private static PolicyDecision flip() {
      return ThreadLocalRandom.current().nextBoolean()
          ? PolicyDecision.approve()
          : PolicyDecision.deny("TAILS", "the coin said no");
    }
  }

  @Tag("fixture")
  static class CoinFlipPolicyCompatibility extends AccessPolicyCompatibilityKit {
    @Override
    public AccessPolicy createPolicy(FakeClock clock) {
      return new CoinFlipPolicy();
    }
  }

  @Tag("fixture")
  static class NullRenewalPolicyCompatibility extends AccessPolicyCompatibilityKit {
    @Override
    public AccessPolicy createPolicy(FakeClock clock) {
      return new AccessPolicy() {
        @Override
        public PolicyDecision onRequest(GrantRequest request, @Nullable Grant parent) {
          return PolicyDecision.approve();
        }

        @Override
        @SuppressWarnings("NullAway")
        public PolicyDecision onRenewal(Grant grant, Duration extension) {
          return null;
        }
      };
    }
  }

  @Tag("fixture")
  static class WideningPolicyCompatibility extends AccessPolicyCompatibilityKit {
    @Override
    public AccessPolicy createPolicy(FakeClock clock) {
      return new AccessPolicy() {
        @Override
        public PolicyDecision onRequest(GrantRequest request, @Nullable Grant parent) {
          return PolicyDecision.approveNarrowed(Scope.parse("admin:**"), null);
        }

        @Override
        public PolicyDecision onRenewal(Grant grant, Duration extension) {
          return PolicyDecision.approve();
        }
      };
    }
  }
}
