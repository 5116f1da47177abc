package dev.jitaccess.testkit;

import static dev.jitaccess.testkit.EngineRuns.failed;
import static dev.jitaccess.testkit.EngineRuns.run;
import static dev.jitaccess.testkit.EngineRuns.succeeded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.Scope;
import dev.jitaccess.spi.AccessPolicy;
import dev.jitaccess.spi.AuditSink;
import dev.jitaccess.spi.GrantStore;
import dev.jitaccess.spi.PolicyDecision;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
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
    assertTrue(failed.contains(
        "answers each question as it does alone while many threads ask different ones"),
        "failed: " + failed);
  }

  @Test
  void policyKitCatchesAPolicyThatAnswersAnotherCallersQuestion() {
    Set<String> failed = failed(run(SharedFieldPolicyCompatibility.class));
    assertEquals(Set.of(
        "answers each question as it does alone while many threads ask different ones"), failed,
        "asked one question at a time the policy is right; only the concurrent test may fail");
  }

  @Test
  void policyKitCatchesADenialWithoutWords() {
    Set<String> failed = failed(run(WordlessDenialPolicyCompatibility.class));
    assertTrue(failed.contains("a denial carries a reason code and words for the audit trail"),
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

  @ParameterizedTest(name = "{0}")
  @MethodSource("storesThatBreakOneRule")
  void storeKitCatchesAStoreThatBreaksOneRule(Class<?> fixture, String rule) {
    Events events = run(fixture);
    Set<String> failed = failed(events);
    assertTrue(failed.contains(rule), "the kit must fail \"" + rule + "\"; failed: " + failed);
    assertTrue(succeeded(events).contains("get returns the grant that was inserted"),
        "the kit must not fail what the store does right; failed: " + failed);
  }

  static Stream<Arguments> storesThatBreakOneRule() {
    return Stream.of(
        arguments(CaseInsensitiveStoreCompatibility.class,
            "get matches the id exactly: not by case, not as a pattern"),
        arguments(PerThreadCacheStoreCompatibility.class,
            "another thread's get returns the result of the latest compareAndSet too"),
        arguments(ExpiryBlindStoreCompatibility.class,
            "refuses an expected snapshot that differs from the stored one only in its expiry"),
        arguments(DropsAtExpiryStoreCompatibility.class,
            "an ACTIVE grant past its expiry is kept until it ends or reaches its notAfter"),
        arguments(ForgetsEndedGrantsInQueriesStoreCompatibility.class,
            "queries still find a grant after its state changed"),
        arguments(MicrosecondStoreCompatibility.class, AT_THE_LIMITS),
        arguments(ThreeByteUtf8StoreCompatibility.class, AT_THE_LIMITS),
        arguments(ShortColumnStoreCompatibility.class, AT_THE_LIMITS));
  }

  private static final String AT_THE_LIMITS = "every field round-trips exactly at its limits: "
      + "nanoseconds, 1,024 characters beyond ASCII, 256 permissions";

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

  /**
   * Keeps grants in a map, as the contract asks: the base of the broken stores, each of which
   * breaks one rule. {@link #stored} is what a write keeps of a grant.
   */
  static class MapStore implements GrantStore {
    final ConcurrentHashMap<String, Grant> grants = new ConcurrentHashMap<>();

    Grant stored(Grant grant) {
      return grant;
    }

    @Override
    public void insert(Grant grant) {
      if (grants.putIfAbsent(grant.id(), stored(grant)) != null) {
        throw new IllegalStateException("grant.id must be unique");
      }
    }

    @Override
    public @Nullable Grant get(String id) {
      return grants.get(id);
    }

    @Override
    public boolean compareAndSet(Grant expected, Grant replacement) {
      GrantStore.checkTransition(expected, replacement);
      return grants.replace(expected.id(), stored(expected), stored(replacement));
    }

    @Override
    public List<Grant> findActiveByExpiry(@Nullable Grant after, int limit) {
      java.util.Comparator<Grant> order =
          java.util.Comparator.comparing(Grant::expiresAt).thenComparing(Grant::id);
      List<Grant> active = new ArrayList<>();
      for (Grant grant : grants.values()) {
        if (grant.isActive() && (after == null || order.compare(grant, after) > 0)) {
          active.add(grant);
        }
      }
      active.sort(order);
      return active.subList(0, Math.min(limit, active.size()));
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
    public @Nullable Grant findByReference(String reference) {
      Collection<Grant> found = find(g -> g.reference().equals(reference));
      return found.isEmpty() ? null : found.iterator().next();
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

  /** compareAndSet reads, compares, then writes: not atomic. */
  static class CheckThenActStore extends MapStore {
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
  }

  /** A correct store behind a read cache that writes never invalidate. */
  static final class CachingStore extends MapStore {
    private final ConcurrentHashMap<String, Grant> cache = new ConcurrentHashMap<>();

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
  static class CheckThenInsertStore extends MapStore {
    @Override
    public void insert(Grant grant) {
      if (grants.containsKey(grant.id())) {
        throw new IllegalStateException("grant.id must be unique");
      }
      Thread.yield();
      grants.put(grant.id(), grant);
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

  /** get matches ids regardless of case, as a case-insensitive collation does. */
  static final class CaseInsensitiveStore extends MapStore {
    @Override
    public @Nullable Grant get(String id) {
      for (Grant grant : grants.values()) {
        if (grant.id().equalsIgnoreCase(id)) {
          return grant;
        }
      }
      return null;
    }
  }

  /** Each thread caches what it read; only that thread's own writes clear its cache. */
  static final class PerThreadCacheStore extends MapStore {
    private final ThreadLocal<Map<String, Grant>> cache = ThreadLocal.withInitial(HashMap::new);

    @Override
    public @Nullable Grant get(String id) {
      return cache.get().computeIfAbsent(id, grants::get);
    }

    @Override
    public boolean compareAndSet(Grant expected, Grant replacement) {
      cache.get().remove(expected.id());
      return super.compareAndSet(expected, replacement);
    }
  }

  /** compareAndSet compares the state and the uses spent, not the expiry: a renewal is lost. */
  static final class ExpiryBlindStore extends MapStore {
    @Override
    public synchronized boolean compareAndSet(Grant expected, Grant replacement) {
      Grant current = grants.get(expected.id());
      if (current == null || current.state() != expected.state()
          || current.usesConsumed() != expected.usesConsumed()) {
        return false;
      }
      grants.put(expected.id(), replacement);
      return true;
    }
  }

  /** Deletes an ACTIVE grant once its expiry has passed, before the runtime has ended it. */
  static final class DropsAtExpiryStore extends MapStore {
    private final Clock clock;

    DropsAtExpiryStore(Clock clock) {
      this.clock = clock;
    }

    @Override
    public @Nullable Grant get(String id) {
      Grant grant = grants.get(id);
      if (grant != null && grant.isActive() && !clock.instant().isBefore(grant.expiresAt())) {
        grants.remove(id, grant);
        return null;
      }
      return grant;
    }
  }

  /** Indexes owners, tasks and parents of ACTIVE grants only. */
  static final class ForgetsEndedGrantsInQueriesStore extends MapStore {
    private static Collection<Grant> active(Collection<Grant> found) {
      return found.stream().filter(Grant::isActive).collect(Collectors.toList());
    }

    @Override
    public Collection<Grant> findByOwner(String owner) {
      return active(super.findByOwner(owner));
    }

    @Override
    public Collection<Grant> findByTask(String task) {
      return active(super.findByTask(task));
    }

    @Override
    public Collection<Grant> findByParent(String parentId) {
      return active(super.findByParent(parentId));
    }
  }

  /** Keeps instants to the microsecond, as a SQL timestamp column often does. */
  static final class MicrosecondStore extends MapStore {
    @Override
    Grant stored(Grant g) {
      return copy(g, UnaryOperator.identity(), t -> t.truncatedTo(ChronoUnit.MICROS));
    }
  }

  /** Keeps text in a 3-byte UTF-8 column: characters beyond the BMP become '?'. */
  static final class ThreeByteUtf8Store extends MapStore {
    @Override
    Grant stored(Grant g) {
      return copy(g, text -> text.codePoints()
          .map(c -> Character.isSupplementaryCodePoint(c) ? '?' : c)
          .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
          .toString(), UnaryOperator.identity());
    }
  }

  /** Keeps the first 255 characters of each name and purpose, as a VARCHAR(255) column. */
  static final class ShortColumnStore extends MapStore {
    @Override
    Grant stored(Grant g) {
      return copy(g, text -> text.codePoints().limit(255)
          .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
          .toString(), UnaryOperator.identity());
    }
  }

  /** {@code g} with its names and purpose, and its instants, passed through the functions. */
  static Grant copy(Grant g, UnaryOperator<String> text, UnaryOperator<Instant> instant) {
    Instant ended = g.endedAt();
    return Grant.builder().id(g.id()).subject(text.apply(g.subject()))
        .owner(text.apply(g.owner())).task(text.apply(g.task())).purpose(text.apply(g.purpose()))
        .scope(g.scope()).issuedAt(instant.apply(g.issuedAt()))
        .expiresAt(instant.apply(g.expiresAt())).notAfter(instant.apply(g.notAfter()))
        .parentId(g.parentId()).useBudget(g.useBudget()).usesConsumed(g.usesConsumed())
        .state(g.state(), g.endReason(), ended == null ? null : instant.apply(ended)).build();
  }

  @Tag("fixture")
  static class CaseInsensitiveStoreCompatibility extends GrantStoreCompatibilityKit {
    @Override
    public GrantStore createStore(FakeClock clock) {
      return new CaseInsensitiveStore();
    }
  }

  @Tag("fixture")
  static class PerThreadCacheStoreCompatibility extends GrantStoreCompatibilityKit {
    @Override
    public GrantStore createStore(FakeClock clock) {
      return new PerThreadCacheStore();
    }
  }

  @Tag("fixture")
  static class ExpiryBlindStoreCompatibility extends GrantStoreCompatibilityKit {
    @Override
    public GrantStore createStore(FakeClock clock) {
      return new ExpiryBlindStore();
    }
  }

  @Tag("fixture")
  static class DropsAtExpiryStoreCompatibility extends GrantStoreCompatibilityKit {
    @Override
    public GrantStore createStore(FakeClock clock) {
      return new DropsAtExpiryStore(clock);
    }
  }

  @Tag("fixture")
  static class ForgetsEndedGrantsInQueriesStoreCompatibility extends GrantStoreCompatibilityKit {
    @Override
    public GrantStore createStore(FakeClock clock) {
      return new ForgetsEndedGrantsInQueriesStore();
    }
  }

  @Tag("fixture")
  static class MicrosecondStoreCompatibility extends GrantStoreCompatibilityKit {
    @Override
    public GrantStore createStore(FakeClock clock) {
      return new MicrosecondStore();
    }
  }

  @Tag("fixture")
  static class ThreeByteUtf8StoreCompatibility extends GrantStoreCompatibilityKit {
    @Override
    public GrantStore createStore(FakeClock clock) {
      return new ThreeByteUtf8Store();
    }
  }

  @Tag("fixture")
  static class ShortColumnStoreCompatibility extends GrantStoreCompatibilityKit {
    @Override
    public GrantStore createStore(FakeClock clock) {
      return new ShortColumnStore();
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

  /**
   * Keeps the request it is deciding in a field shared by every caller, so under concurrency it
   * may answer another caller's question. Right when asked one question at a time.
   */
  static final class SharedFieldPolicy implements AccessPolicy {
    private @Nullable GrantRequest deciding;

    @Override
    public PolicyDecision onRequest(GrantRequest request, @Nullable Grant parent) {
      deciding = request;
      Thread.yield(); // the window, made wide enough to hit
      GrantRequest r = Objects.requireNonNull(deciding);
      return r.scope().toString().contains("write:")
          ? PolicyDecision.deny("NO_WRITES", "writes need a human approver")
          : PolicyDecision.approve();
    }

    @Override
    public PolicyDecision onRenewal(Grant grant, Duration extension) {
      return PolicyDecision.approve();
    }
  }

  @Tag("fixture")
  static class SharedFieldPolicyCompatibility extends AccessPolicyCompatibilityKit {
    @Override
    public AccessPolicy createPolicy(FakeClock clock) {
      return new SharedFieldPolicy();
    }
  }

  /** Denies everything, with a reason code but no words for the audit trail. */
  @Tag("fixture")
  static class WordlessDenialPolicyCompatibility extends AccessPolicyCompatibilityKit {
    @Override
    public AccessPolicy createPolicy(FakeClock clock) {
      return new AccessPolicy() {
        @Override
        public PolicyDecision onRequest(GrantRequest request, @Nullable Grant parent) {
          return PolicyDecision.deny("NO", "");
        }

        @Override
        public PolicyDecision onRenewal(Grant grant, Duration extension) {
          return PolicyDecision.deny("NO", " ");
        }
      };
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
