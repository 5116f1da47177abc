package dev.jitaccess.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantReference;
import dev.jitaccess.GrantState;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import dev.jitaccess.spi.GrantStore;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Proves that a {@link GrantStore} keeps the contract the runtime relies on. Subclass it in your
 * test sources and return a fresh store on the given clock:
 *
 * <pre>{@code
 * class JdbcGrantStoreCompatibilityTest extends GrantStoreCompatibilityKit {
 *   @Override
 *   public GrantStore createStore(FakeClock clock) {
 *     return new JdbcGrantStore(dataSource, clock);
 *   }
 * }
 * }</pre>
 *
 * <p>What it checks: insert and get round-trip every field; a duplicate id is rejected;
 * {@code compareAndSet} compares by value, succeeds only on an equal expected snapshot, and of many
 * racing calls with the same expected exactly one wins; no revocation is lost while checks spend
 * uses concurrently; the queries find what was inserted; {@code endChildren} ends the ACTIVE
 * children of ended grants, each once, without losing a racing transition; as the fake clock moves, a usable grant
 * is kept and an ended one is never replaced by a stale ACTIVE snapshot. It does not demand a
 * retention: a store may delete an ended grant at any time after it ended, or never. Override
 * {@link #retention()} to also check that ended grants do disappear.
 *
 * <p>The grants it makes use names unique to each test, so a store that is shared between tests
 * (a database, say) works. If the store is {@link AutoCloseable}, it is closed after each test.
 *
 * <p>Not thread-safe itself (JUnit runs one test of an instance at a time); the concurrency tests
 * call the store from {@value #THREADS} threads at once.
 */
public abstract class GrantStoreCompatibilityKit {
  /** How many threads the concurrency tests race. */
  protected static final int THREADS = 8;
  /** How many independent races the concurrency tests run. */
  protected static final int ROUNDS = 200;
  /** The longest id, name or text a grant may hold. */
  private static final int MAX_TEXT = 1024;

  private @Nullable FakeClock clock;
  private @Nullable GrantStore store;

  /** For subclasses. */
  protected GrantStoreCompatibilityKit() {}

  /**
   * A store to test; it must read time only from {@code clock} and may use it as its scheduler.
   * Called before each test.
   */
  public abstract GrantStore createStore(FakeClock clock);

  /**
   * How long after a grant ends the store promises to have deleted it, or null (the default) if
   * it makes no promise; with a value, the kit also checks that ended grants disappear.
   */
  protected @Nullable Duration retention() {
    return null;
  }

  @BeforeEach
  void createStoreOnAFakeClock() {
    clock = new FakeClock();
    store = Objects.requireNonNull(createStore(clock), "createStore must not return null");
  }

  @AfterEach
  void closeTheStore() throws Exception {
    if (store instanceof AutoCloseable) {
      ((AutoCloseable) store).close();
    }
  }

  /** The clock of the current test. */
  protected final FakeClock clock() {
    return Objects.requireNonNull(clock, "clock is set before each test");
  }

  /** The store of the current test. */
  protected final GrantStore store() {
    return Objects.requireNonNull(store, "store is set before each test");
  }

  /** An ACTIVE grant issued now, expiring in 10 minutes, with a cap of one hour. */
  protected final Grant newGrant(String subject, String owner, String task,
      @Nullable String parentId, OptionalLong useBudget) {
    Instant now = clock().instant();
    return Grant.builder().id(KitSupport.newId()).subject(subject).owner(owner)
        .task(task).purpose("compatibility kit")
        .scope(Scope.parse("read:orders/*", "write:exports/**")).issuedAt(now)
        .expiresAt(now.plus(Duration.ofMinutes(10))).notAfter(now.plus(Duration.ofHours(1)))
        .parentId(parentId).useBudget(useBudget).build();
  }

  /**
   * A grant at the limits the vocabulary allows and the runtime produces: instants with every
   * nanosecond digit set (the system clock has sub-millisecond precision, a SQL timestamp often
   * keeps microseconds), an id and names of 1,024 characters, with characters beyond ASCII and
   * beyond the Basic Multilingual Plane (a column in a 3-byte encoding or of 255 characters loses
   * them), and a scope of 256 permissions.
   */
  private Grant grantAtTheLimits() {
    Instant now = clock().instant();
    Instant issued = Instant.ofEpochSecond(now.getEpochSecond() - 1, 123_456_789);
    String id = (KitSupport.newId() + "-_".repeat(MAX_TEXT))
        .substring(0, MAX_TEXT);
    List<String> permissions = new ArrayList<>();
    for (int p = 0; p < Scope.MAX_PERMISSIONS; p++) {
      permissions.add("read:tenants/t" + p + "/reports/**");
    }
    return Grant.builder().id(id).subject(longName(KitSupport.unique("subject")))
        .owner(longName(KitSupport.unique("owner"))).task(longName(KitSupport.unique("task")))
        .purpose(longName("purpose \uD83D\uDC69\u200D\uD83D\uDCBB \u2714\uFE0F"))
        .scope(Scope.parse(permissions.toArray(new String[0]))).issuedAt(issued)
        .expiresAt(issued.plus(Duration.ofMinutes(10)).plusNanos(1))
        .notAfter(issued.plus(Duration.ofHours(1)).plusNanos(876_543_210 - 123_456_789))
        .useBudget(OptionalLong.of(Long.MAX_VALUE)).usesConsumed(7)
        .tier(longName(KitSupport.unique("tier"))).requestId(longName(KitSupport.unique("request")))
        .source(longName(KitSupport.unique("source")))
        .build();
  }

  /** {@code prefix}, then Latin, Greek, CJK and supplementary characters up to 1,024 in all. */
  private static String longName(String prefix) {
    StringBuilder name = new StringBuilder(prefix).append(' ');
    int[] codePoints = {'\u00e9', '\u03a9', '\u6578', 0x20BB7, 0x1F680, 'x'};
    for (int i = 0; ; i++) {
      int c = codePoints[i % codePoints.length];
      if (name.length() + Character.charCount(c) > MAX_TEXT) {
        return name.toString();
      }
      name.appendCodePoint(c);
    }
  }

  private Grant newGrant() {
    return newGrant(KitSupport.unique("subject"), KitSupport.unique("owner"),
        KitSupport.unique("task"), null, OptionalLong.empty());
  }

  private Grant newGrantWithBudget(long budget) {
    return newGrant(KitSupport.unique("subject"), KitSupport.unique("owner"),
        KitSupport.unique("task"), null, OptionalLong.of(budget));
  }

  /**
   * Asserts that get returns {@code expected}, the latest snapshot written; an ended grant may
   * instead be gone already, since the kit does not demand a retention.
   */
  private void assertLatest(Grant expected, String message) {
    Grant seen = store().get(expected.id());
    if (seen == null && expected.state().isTerminal()) {
      return;
    }
    assertEquals(expected, seen, message);
  }

  /**
   * Waits, up to {@value KitSupport#TIMEOUT_SECONDS} s, until the store reads {@code id} without
   * {@link dev.jitaccess.spi.StaleViewException}: a shared store's follower, just started by a
   * runtime, may not have proved its view fresh yet.
   */
  private void awaitFreshView(String id) {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(
        KitSupport.TIMEOUT_SECONDS);
    while (true) {
      try {
        store().get(id);
        return;
      } catch (dev.jitaccess.spi.StaleViewException stale) {
        if (System.nanoTime() - deadline > 0) {
          throw stale;
        }
        java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
      }
    }
  }

  private static Set<String> ids(Collection<Grant> grants) {
    Set<String> ids = new HashSet<>();
    for (Grant grant : grants) {
      ids.add(grant.id());
    }
    return ids;
  }

  /** Insert and get. Run by JUnit, one test at a time; not thread-safe. */
  @Nested
  @DisplayName("insert and get")
  public class InsertAndGet {
    /** For JUnit. */
    public InsertAndGet() {}

    @Test
    @DisplayName("get returns the grant that was inserted")
    void getReturnsTheInsertedGrant() {
      Grant grant = newGrant();
      store().insert(grant);
      assertEquals(grant, store().get(grant.id()));
    }

    @Test
    @DisplayName("every field round-trips, also a parent and a partly spent use budget")
    void everyFieldRoundTrips() {
      Grant parent = newGrant();
      store().insert(parent);
      Grant child = newGrant("child-" + parent.subject(), parent.owner(), parent.task(),
          parent.id(), OptionalLong.of(5)).withUsesConsumed(2);
      store().insert(child);
      assertEquals(child, store().get(child.id()));
    }

    @Test
    @DisplayName("every field round-trips exactly at its limits: nanoseconds, 1,024 characters "
        + "beyond ASCII, 256 permissions")
    void everyFieldRoundTripsAtItsLimits() {
      Grant grant = grantAtTheLimits();
      store().insert(grant);
      assertEquals(grant, store().get(grant.id()), "a store that rounds an instant, cuts a long "
          + "text or mangles a character hands the runtime a grant it did not mint");
      Grant revoked = grant.end(GrantState.REVOKED, RevocationReason.MANUAL,
          grant.issuedAt().plusNanos(1));
      assertTrue(store().compareAndSet(grant, revoked),
          "compareAndSet must accept the snapshot that was inserted");
      assertLatest(revoked, "the revocation, its nanosecond end instant included, must round-trip");
    }

    @Test
    @DisplayName("get returns null for an id it never saw")
    void getReturnsNullForAnUnknownId() {
      assertNull(store().get(KitSupport.newId()));
    }

    @Test
    @DisplayName("get matches the id exactly: not by case, not as a pattern")
    void getMatchesTheIdExactly() {
      Grant grant = newGrant();
      store().insert(grant);
      StringBuilder flipped = new StringBuilder();
      for (char c : grant.id().toCharArray()) {
        flipped.append(Character.isUpperCase(c) ? Character.toLowerCase(c)
            : Character.toUpperCase(c));
      }
      for (String other : List.of(flipped.toString(), "%", "_".repeat(grant.id().length()),
          grant.id().substring(0, grant.id().length() - 1) + "%", "*", ".*")) {
        if (!other.equals(grant.id())) {
          Grant seen = store().get(other);
          assertTrue(seen == null || seen.id().equals(other),
              "get(\"" + other + "\") returned grant " + (seen == null ? null : seen.id()));
        }
      }
    }

    @Test
    @DisplayName("a second insert with the same id is rejected and the first grant is kept")
    void duplicateIdIsRejected() {
      Grant grant = newGrant();
      store().insert(grant);
      Grant impostor = Grant.builder().id(grant.id()).subject("impostor")
          .owner(grant.owner()).task(grant.task()).purpose(grant.purpose())
          .scope(Scope.parse("admin:everything/**")).issuedAt(grant.issuedAt())
          .expiresAt(grant.expiresAt()).notAfter(grant.notAfter()).build();
      assertThrows(IllegalStateException.class, () -> store().insert(impostor));
      assertEquals(grant, store().get(grant.id()));
    }

    @Test
    @DisplayName("of racing inserts of different grants with one id, exactly one is accepted")
    void exactlyOneRacingInsertOfAnIdIsAccepted() {
      for (int round = 0; round < ROUNDS; round++) {
        Grant first = newGrant();
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Callable<Grant>> racers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          Grant candidate = Grant.builder().id(first.id()).subject("racer-" + t)
              .owner(first.owner()).task(first.task()).purpose(first.purpose()).scope(first.scope())
              .issuedAt(first.issuedAt()).expiresAt(first.expiresAt()).notAfter(first.notAfter())
              .build();
          racers.add(() -> {
            start.await();
            try {
              store().insert(candidate);
              return candidate;
            } catch (IllegalStateException duplicate) {
              return null;
            }
          });
        }
        List<Grant> accepted = new ArrayList<>();
        for (Grant result : KitSupport.runConcurrently(racers)) {
          if (result != null) {
            accepted.add(result);
          }
        }
        assertEquals(1, accepted.size(), "round " + round + ": accepted " + accepted);
        assertLatest(accepted.get(0), "round " + round + ": get must return the accepted grant");
      }
    }

    @Test
    @DisplayName("grants with different ids are kept apart")
    void grantsAreKeptApart() {
      Grant a = newGrant();
      Grant b = newGrant();
      store().insert(a);
      store().insert(b);
      assertEquals(a, store().get(a.id()));
      assertEquals(b, store().get(b.id()));
    }
  }

  /** Versions, the rules of a transition, the listing by expiry, a restart. Not thread-safe. */
  @Nested
  @DisplayName("versions, the listing of ACTIVE grants and a restart")
  public class VersionsAndListing {
    /** For JUnit. */
    public VersionsAndListing() {}

    @Test
    @DisplayName("the version round-trips and compareAndSet is decided by it")
    void compareAndSetIsDecidedByTheVersion() {
      Grant grant = newGrantWithBudget(10);
      store().insert(grant);
      assertEquals(0, Objects.requireNonNull(store().get(grant.id())).version());
      Grant spent = grant.withUsesConsumed(1);
      assertTrue(store().compareAndSet(grant, spent));
      assertEquals(1, Objects.requireNonNull(store().get(grant.id())).version());
      Grant fromTheOldVersion = grant.withUsesConsumed(2);
      assertFalse(store().compareAndSet(grant, fromTheOldVersion),
          "expected has version 0, the store holds version 1");
      assertEquals(spent, store().get(grant.id()));
    }

    @Test
    @DisplayName("refuses a replacement without the next version, or that changes a fixed field")
    void refusesIllegalTransitions() {
      Grant grant = newGrant();
      store().insert(grant);
      Grant skipped = grant.toBuilder().version(grant.version() + 2).build();
      assertThrows(IllegalArgumentException.class, () -> store().compareAndSet(grant, skipped));
      Grant otherScope = grant.toBuilder().version(grant.version() + 1)
          .scope(Scope.parse("admin:everything/**")).build();
      assertThrows(IllegalArgumentException.class,
          () -> store().compareAndSet(grant, otherScope));
      Grant otherSubject = grant.toBuilder().version(grant.version() + 1).subject("mallory")
          .build();
      assertThrows(IllegalArgumentException.class,
          () -> store().compareAndSet(grant, otherSubject));
      assertEquals(grant, store().get(grant.id()), "nothing was stored");
    }

    @Test
    @DisplayName("every field, the version included, round-trips through Grant.builder()")
    void everyFieldRoundTripsThroughTheBuilder() {
      Grant grant = newGrantWithBudget(5);
      store().insert(grant);
      Grant spent = grant.withUsesConsumed(2);
      assertTrue(store().compareAndSet(grant, spent));
      Grant renewed = spent.withExpiresAt(clock().instant().plus(Duration.ofMinutes(20)));
      assertTrue(store().compareAndSet(spent, renewed));
      Grant read = Objects.requireNonNull(store().get(grant.id()));
      assertEquals(renewed, read);
      assertEquals(2, read.version());
      assertEquals(read, read.toBuilder().build());
    }

    @Test
    @DisplayName("lists ACTIVE grants by expiry, then id, page after page, without ended ones")
    void listsActiveGrantsByExpiry() {
      List<Grant> active = new ArrayList<>();
      Instant now = clock().instant();
      for (int i = 0; i < 25; i++) {
        Grant grant = newGrant().toBuilder()
            .expiresAt(now.plus(Duration.ofMinutes(10 + (i % 7)))).build();
        store().insert(grant);
        active.add(grant);
      }
      Grant ended = active.remove(3);
      assertTrue(store().compareAndSet(ended,
          ended.end(GrantState.REVOKED, RevocationReason.MANUAL, clock().instant())));
      active.sort(java.util.Comparator.comparing(Grant::expiresAt).thenComparing(Grant::id));
      List<String> listed = new ArrayList<>();
      Grant after = null;
      for (int pages = 0; pages < 100; pages++) {
        List<Grant> page = store().findActiveByExpiry(after, 4);
        assertTrue(page.size() <= 4, "a page holds at most the limit");
        if (page.isEmpty()) {
          break;
        }
        for (Grant grant : page) {
          listed.add(grant.id());
        }
        after = page.get(page.size() - 1);
      }
      List<String> expected = new ArrayList<>();
      for (Grant grant : active) {
        expected.add(grant.id());
      }
      assertEquals(expected, listed, "every ACTIVE grant once, in ascending (expiresAt, id)");
    }

    @Test
    @DisplayName("a runtime started on the store ends and reports, at its expiry, a grant that a "
        + "closed runtime minted, without any check touching it")
    void aRestartedRuntimeExpiresGrantsItDidNotMint() {
      dev.jitaccess.core.JitAccess first = dev.jitaccess.core.JitAccess.builder()
          .clock(clock()).scheduler(clock()).store(store()).auditSink(event -> { }).build();
      Grant grant = first.request(dev.jitaccess.GrantRequest.builder()
          .subject("kit-subject").owner("kit-owner").task(KitSupport.unique("kit-task"))
          .purpose("restart").scope("read:orders/*")
          .ttl(dev.jitaccess.Ttl.of(Duration.ofMinutes(5))).build());
      first.close();
      RecordingRevocationListener heard = new RecordingRevocationListener();
      try (dev.jitaccess.core.JitAccess second = dev.jitaccess.core.JitAccess.builder()
          .clock(clock()).scheduler(clock()).store(store()).auditSink(event -> { })
          .listener(heard).build()) {
        awaitFreshView(grant.id());
        clock().advance(Duration.ofMinutes(5));
        assertEquals(java.util.Optional.of(RevocationReason.EXPIRED), heard.reasonFor(grant),
            "the second runtime reported the expiry");
        Grant stored = store().get(grant.id());
        assertTrue(stored == null || stored.state() == GrantState.EXPIRED,
            "EXPIRED, or already gone after a retention of zero");
        assertEquals(GrantState.EXPIRED, second.status(grant.id()).state()
            .orElse(GrantState.EXPIRED), "the second runtime sees it ended");
      }
    }
  }

  /** compareAndSet. Run by JUnit, one test at a time; not thread-safe. */
  @Nested
  @DisplayName("compareAndSet")
  public class CompareAndSet {
    /** For JUnit. */
    public CompareAndSet() {}

    @Test
    @DisplayName("replaces the snapshot when the expected one equals the stored one")
    void replacesOnEqualExpected() {
      Grant grant = newGrant();
      store().insert(grant);
      Grant renewed = grant.withExpiresAt(grant.expiresAt().plus(Duration.ofMinutes(5)));
      assertTrue(store().compareAndSet(grant, renewed));
      assertEquals(renewed, store().get(grant.id()));
    }

    @Test
    @DisplayName("compares by value: an equal copy of the stored snapshot is a match")
    void comparesByValue() {
      Grant grant = newGrant();
      store().insert(grant);
      Grant copy = Grant.builder().id(grant.id()).subject(grant.subject())
          .owner(grant.owner()).task(grant.task()).purpose(grant.purpose())
          .scope(Scope.parse(grant.scope().toString())).issuedAt(grant.issuedAt())
          .expiresAt(grant.expiresAt()).notAfter(grant.notAfter()).parentId(grant.parentId())
          .useBudget(grant.useBudget()).usesConsumed(grant.usesConsumed())
          .state(grant.state(), grant.endReason(), grant.endedAt()).build();
      Grant revoked = grant.end(GrantState.REVOKED, RevocationReason.MANUAL, clock().instant());
      assertTrue(store().compareAndSet(copy, revoked));
      assertLatest(revoked, "get after compareAndSet");
    }

    @Test
    @DisplayName("refuses a stale expected snapshot and leaves the stored one alone")
    void refusesAStaleExpected() {
      Grant grant = newGrantWithBudget(10);
      store().insert(grant);
      Grant first = grant.withUsesConsumed(1);
      assertTrue(store().compareAndSet(grant, first));
      Grant revoked = grant.end(GrantState.REVOKED, RevocationReason.MANUAL, clock().instant());
      assertFalse(store().compareAndSet(grant, revoked), "expected was stale");
      assertEquals(first, store().get(grant.id()));
    }

    @Test
    @DisplayName("refuses an expected snapshot that differs from the stored one only in its expiry")
    void refusesAnExpectedThatDiffersOnlyInItsExpiry() {
      Grant grant = newGrant();
      store().insert(grant);
      Grant renewed = grant.withExpiresAt(grant.expiresAt().plus(Duration.ofMinutes(5)));
      assertTrue(store().compareAndSet(grant, renewed));
      Grant lostUpdate = grant.withExpiresAt(grant.expiresAt().plus(Duration.ofMinutes(20)));
      assertFalse(store().compareAndSet(grant, lostUpdate), "expected was the pre-renewal grant");
      assertEquals(renewed, store().get(grant.id()));
    }

    @Test
    @DisplayName("refuses for a grant it does not hold and stores nothing")
    void refusesForAnUnknownGrant() {
      Grant grant = newGrant();
      Grant revoked = grant.end(GrantState.REVOKED, RevocationReason.MANUAL, clock().instant());
      assertFalse(store().compareAndSet(grant, revoked));
      assertNull(store().get(grant.id()));
    }

    @Test
    @DisplayName("get returns the result of the latest compareAndSet, every time")
    void getReturnsTheLatestResult() {
      Grant current = newGrantWithBudget(50);
      store().insert(current);
      for (int i = 1; i < 50; i++) {
        Grant next = current.withUsesConsumed(i);
        assertTrue(store().compareAndSet(current, next), "step " + i);
        assertEquals(next, store().get(current.id()), "step " + i);
        assertEquals(next, store().getLatest(current.id()), "getLatest, step " + i);
        current = next;
      }
      Grant ended = current.end(GrantState.EXHAUSTED, RevocationReason.EXHAUSTED,
          clock().instant());
      assertTrue(store().compareAndSet(current, ended));
      assertLatest(ended, "get after the grant ended");
      assertEquals(store().get(ended.id()), store().getLatest(ended.id()),
          "getLatest after the grant ended: as get (a store without retention holds it no more)");
      assertNull(store().getLatest(KitSupport.newId()), "getLatest of an unknown id");
    }

    @Test
    @DisplayName("another thread's get returns the result of the latest compareAndSet too")
    void anotherThreadSeesTheLatestResult() throws Exception {
      Grant current = newGrantWithBudget(50);
      store().insert(current);
      java.util.concurrent.ExecutorService reader =
          java.util.concurrent.Executors.newSingleThreadExecutor();
      try {
        String id = current.id();
        for (int i = 1; i < 50; i++) {
          // The reader has read the previous snapshot; a cache it keeps must not answer now.
          assertEquals(current, reader.submit(() -> store().get(id)).get(), "before step " + i);
          Grant next = current.withUsesConsumed(i);
          assertTrue(store().compareAndSet(current, next), "step " + i);
          current = next;
          assertEquals(current, reader.submit(() -> store().get(id)).get(), "after step " + i);
        }
      } finally {
        reader.shutdownNow();
      }
    }

    @Test
    @DisplayName("of racing calls with the same expected snapshot exactly one wins")
    void exactlyOneRacingCallWins() {
      for (int round = 0; round < ROUNDS; round++) {
        Grant grant = newGrantWithBudget(THREADS + 1);
        store().insert(grant);
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Callable<Grant>> racers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          Grant replacement = grant.withUsesConsumed(t + 1);
          racers.add(() -> {
            start.await();
            return store().compareAndSet(grant, replacement) ? replacement : null;
          });
        }
        List<Grant> winners = new ArrayList<>();
        for (Grant result : KitSupport.runConcurrently(racers)) {
          if (result != null) {
            winners.add(result);
          }
        }
        assertEquals(1, winners.size(), "round " + round + ": winners " + winners);
        assertEquals(winners.get(0), store().get(grant.id()),
            "round " + round + ": get must return the winner's snapshot");
      }
    }
  }

  /** Queries. Run by JUnit, one test at a time; not thread-safe. */
  @Nested
  @DisplayName("queries")
  public class Queries {
    /** For JUnit. */
    public Queries() {}

    @Test
    @DisplayName("find by subject, owner and task return exactly the matching grants")
    void findsBySubjectOwnerAndTask() {
      String subject = KitSupport.unique("subject");
      String owner = KitSupport.unique("owner");
      String task = KitSupport.unique("task");
      Grant a = newGrant(subject, owner, task, null, OptionalLong.empty());
      Grant b = newGrant(subject, KitSupport.unique("owner"), KitSupport.unique("task"), null,
          OptionalLong.empty());
      Grant c = newGrant(KitSupport.unique("subject"), owner, task, null, OptionalLong.empty());
      Grant other = newGrant();
      for (Grant g : List.of(a, b, c, other)) {
        store().insert(g);
      }
      assertEquals(Set.of(a.id(), b.id()), ids(store().findBySubject(subject)), "findBySubject");
      assertEquals(Set.of(a.id(), c.id()), ids(store().findByOwner(owner)), "findByOwner");
      assertEquals(Set.of(a.id(), c.id()), ids(store().findByTask(task)), "findByTask");
    }

    @Test
    @DisplayName("find by parent returns the direct children only")
    void findsByParent() {
      Grant parent = newGrant();
      store().insert(parent);
      Grant child1 = newGrant(KitSupport.unique("child"), parent.owner(), parent.task(),
          parent.id(), OptionalLong.empty());
      Grant child2 = newGrant(KitSupport.unique("child"), parent.owner(), parent.task(),
          parent.id(), OptionalLong.empty());
      store().insert(child1);
      store().insert(child2);
      Grant grandchild = newGrant(KitSupport.unique("grandchild"), parent.owner(), parent.task(),
          child1.id(), OptionalLong.empty());
      store().insert(grandchild);
      assertEquals(Set.of(child1.id(), child2.id()), ids(store().findByParent(parent.id())));
      assertEquals(Set.of(grandchild.id()), ids(store().findByParent(child1.id())));
      assertEquals(Set.of(), ids(store().findByParent(grandchild.id())));
    }

    @Test
    @DisplayName("queries for keys nobody used return nothing")
    void unknownKeysFindNothing() {
      assertTrue(store().findBySubject(KitSupport.unique("nobody")).isEmpty());
      assertTrue(store().findByOwner(KitSupport.unique("nobody")).isEmpty());
      assertTrue(store().findByTask(KitSupport.unique("nothing")).isEmpty());
      assertTrue(store().findByParent(KitSupport.newId()).isEmpty());
      assertNull(store().findByReference(GrantReference.of(KitSupport.newId())));
    }

    @Test
    @DisplayName("queries see every grant whose insert returned before they began")
    void queriesSeeEveryEarlierInsert() {
      String task = KitSupport.unique("task");
      Set<String> inserted = new HashSet<>();
      for (int i = 0; i < 100; i++) {
        Grant g = newGrant(KitSupport.unique("subject"), KitSupport.unique("owner"), task, null,
            OptionalLong.empty());
        store().insert(g);
        inserted.add(g.id());
        assertTrue(ids(store().findByTask(task)).contains(g.id()), "insert " + i);
      }
      assertEquals(inserted, ids(store().findByTask(task)));
    }

    @Test
    @DisplayName("queries see every grant that racing inserts stored under one key")
    void queriesSeeEveryRacingInsert() {
      String subject = KitSupport.unique("subject");
      String owner = KitSupport.unique("owner");
      String task = KitSupport.unique("task");
      Grant parent = newGrant(subject, owner, task, null, OptionalLong.empty());
      store().insert(parent);
      CyclicBarrier start = new CyclicBarrier(THREADS);
      List<Callable<Set<String>>> inserters = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        inserters.add(() -> {
          Set<String> mine = new HashSet<>();
          start.await();
          for (int i = 0; i < 500; i++) {
            Grant g = newGrant(subject, owner, task, parent.id(), OptionalLong.empty());
            store().insert(g);
            mine.add(g.id());
          }
          return mine;
        });
      }
      Set<String> children = new HashSet<>();
      for (Set<String> mine : KitSupport.runConcurrently(inserters)) {
        children.addAll(mine);
      }
      assertEquals(children, ids(store().findByParent(parent.id())), "findByParent");
      Set<String> all = new HashSet<>(children);
      all.add(parent.id());
      assertEquals(all, ids(store().findBySubject(subject)), "findBySubject");
      assertEquals(all, ids(store().findByOwner(owner)), "findByOwner");
      assertEquals(all, ids(store().findByTask(task)), "findByTask");
    }

    @Test
    @DisplayName("queries still find a grant after its state changed")
    void queriesFindChangedGrants() {
      Grant grant = newGrant();
      store().insert(grant);
      Grant revoked = grant.end(GrantState.REVOKED, RevocationReason.MANUAL, clock().instant());
      assertTrue(store().compareAndSet(grant, revoked));
      Grant child = newGrant(grant.subject(), grant.owner(), grant.task(), grant.id(),
          OptionalLong.empty());
      store().insert(child);
      Grant endedChild = child.end(GrantState.REVOKED, RevocationReason.PARENT_REVOKED,
          clock().instant());
      assertTrue(store().compareAndSet(child, endedChild));
      for (Grant ended : List.of(grant, child)) {
        boolean held = store().get(ended.id()) != null;
        List<Collection<Grant>> answers = new ArrayList<>(List.of(
            store().findBySubject(ended.subject()), store().findByOwner(ended.owner()),
            store().findByTask(ended.task())));
        if (ended.parentId() != null) {
          answers.add(store().findByParent(ended.parentId()));
        }
        for (Collection<Grant> answer : answers) {
          if (held) {
            assertTrue(ids(answer).contains(ended.id()),
                "an ended grant the store still holds must be found by every query: " + ended);
          }
        }
      }
    }
  }

  /** Time. Run by JUnit, one test at a time; not thread-safe. */
  @Nested
  @DisplayName("as the fake clock moves")
  public class AsTimePasses {
    /** For JUnit. */
    public AsTimePasses() {}

    @Test
    @DisplayName("a grant is kept, unchanged, until its expiry")
    void keepsAUsableGrant() {
      Grant grant = newGrant();
      store().insert(grant);
      Duration step = Duration.ofSeconds(30);
      while (clock().instant().plus(step).isBefore(grant.expiresAt())) {
        clock().advance(step);
        assertEquals(grant, store().get(grant.id()), "at " + clock().instant());
      }
    }

    @Test
    @DisplayName("an ACTIVE grant past its expiry is kept until it ends or reaches its notAfter")
    void keepsAnActiveGrantPastItsExpiry() {
      Grant grant = newGrant(); // expires in 10 minutes, notAfter in an hour
      store().insert(grant);
      clock().advance(Duration.ofMinutes(11));
      assertEquals(grant, store().get(grant.id()),
          "the runtime ends a grant at its expiry; until then the store must keep it");
      Grant expired = grant.end(GrantState.EXPIRED, RevocationReason.EXPIRED, clock().instant());
      assertTrue(store().compareAndSet(grant, expired));
      assertLatest(expired, "after it was ended");
    }

    @Test
    @DisplayName("a renewal keeps the grant until its new expiry")
    void keepsARenewedGrant() {
      Grant grant = newGrant();
      store().insert(grant);
      Grant renewed = grant.withExpiresAt(grant.notAfter());
      assertTrue(store().compareAndSet(grant, renewed));
      Duration step = Duration.ofMinutes(1);
      while (clock().instant().plus(step).isBefore(renewed.expiresAt())) {
        clock().advance(step);
        assertEquals(renewed, store().get(grant.id()), "at " + clock().instant());
      }
    }

    @Test
    @DisplayName("never returns a stale snapshot: an ended grant is the ended one or gone")
    void neverReturnsAStaleSnapshot() {
      Grant grant = newGrant();
      store().insert(grant);
      assertEquals(grant, store().get(grant.id()), "a check reads the grant before it is revoked");
      Grant revoked = grant.end(GrantState.REVOKED, RevocationReason.MANUAL, clock().instant());
      assertTrue(store().compareAndSet(grant, revoked));
      boolean gone = false;
      for (Duration step : List.of(Duration.ZERO, Duration.ofSeconds(1), Duration.ofMinutes(1),
          Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofDays(1), Duration.ofDays(30))) {
        clock().advance(step);
        Grant seen = store().get(grant.id());
        if (seen == null) {
          gone = true;
        } else if (gone) {
          fail("a deleted grant came back at " + clock().instant() + ": " + seen);
        } else {
          assertEquals(revoked, seen, "at " + clock().instant());
        }
      }
    }

    @Test
    @DisplayName("an ended grant is deleted once the store's promised retention has passed")
    void deletesEndedGrantsAfterTheRetention() {
      Duration retention = retention();
      Assumptions.assumeTrue(retention != null,
          "the store promises no retention; override retention() to check it");
      Grant grant = newGrant();
      store().insert(grant);
      Grant revoked = grant.end(GrantState.REVOKED, RevocationReason.MANUAL, clock().instant());
      assertTrue(store().compareAndSet(grant, revoked));
      clock().advance(Objects.requireNonNull(retention).plusSeconds(1));
      assertNull(store().get(grant.id()), "get after the retention");
      assertFalse(ids(store().findBySubject(grant.subject())).contains(grant.id()),
          "findBySubject after the retention");
      assertNull(store().findByReference(grant.reference()), "findByReference after the retention");
    }
  }

  /** Concurrent transitions. Run by JUnit, one test at a time; not thread-safe. */
  @Nested
  @DisplayName("under concurrent transitions")
  public class ConcurrentTransitions {
    /** For JUnit. */
    public ConcurrentTransitions() {}

    @Test
    @DisplayName("no revocation is lost while other threads spend uses")
    void noRevocationIsLost() {
      int rounds = Math.max(1, ROUNDS / 4);
      for (int round = 0; round < rounds; round++) {
        raceRevocationsAgainstUses(round);
      }
    }

    private void raceRevocationsAgainstUses(int round) {
      Grant grant = newGrantWithBudget(1_000_000);
      store().insert(grant);
      String id = grant.id();
      List<RevocationReason> reasons = List.of(RevocationReason.MANUAL, RevocationReason.ANOMALY);
      int spenders = THREADS - reasons.size();
      LongAdder spends = new LongAdder();
      AtomicInteger spendersDone = new AtomicInteger();
      CyclicBarrier start = new CyclicBarrier(THREADS);
      List<Callable<@Nullable RevocationReason>> threads = new ArrayList<>();
      for (RevocationReason reason : reasons) {
        threads.add(() -> {
          start.await();
          while (spends.sum() < 5 && spendersDone.get() < spenders) {
            Thread.onSpinWait(); // let the spenders get going so that the race is real
          }
          int attemptsAfterSpenders = 0;
          while (true) {
            Grant current = store().get(id);
            if (current == null || !current.isActive()) {
              return null;
            }
            if (store().compareAndSet(current,
                current.end(GrantState.REVOKED, reason, clock().instant()))) {
              return reason;
            }
            if (spendersDone.get() == spenders && ++attemptsAfterSpenders > 10_000) {
              return null; // nobody competes any more, yet it never succeeds
            }
          }
        });
      }
      for (int t = 0; t < spenders; t++) {
        threads.add(() -> {
          start.await();
          try {
            for (int attempt = 0; attempt < 20_000; attempt++) {
              Grant current = store().get(id);
              if (current == null || !current.isActive()) {
                return null;
              }
              if (store().compareAndSet(current,
                  current.withUsesConsumed(current.usesConsumed() + 1))) {
                spends.increment();
              }
            }
            return null;
          } finally {
            spendersDone.incrementAndGet();
          }
        });
      }
      List<RevocationReason> results = new ArrayList<>();
      for (RevocationReason r : KitSupport.runConcurrently(threads)) {
        if (r != null) {
          results.add(r);
        }
      }
      Grant last = store().get(id);
      if (last == null) {
        // Deleted, which a store may do only once the grant has ended: the revocation won.
        assertEquals(1, results.size(), "round " + round + ": the grant vanished after "
            + results.size() + " successful revocation(s)");
        return;
      }
      assertEquals(GrantState.REVOKED, last.state(), "round " + round
          + ": the revocation was lost, the final state is " + last.state() + " after "
          + results.size() + " successful revocation(s)");
      assertEquals(1, results.size(), "round " + round + ": revocations that won " + results);
      assertEquals(results.get(0), last.endReason(), "round " + round + ": the winner's reason");
      assertEquals(spends.sum(), last.usesConsumed(),
          "round " + round + ": uses spent must equal successful compareAndSets");
    }
  }

  /** Finding grants by reference. Run by JUnit, one test at a time; not thread-safe. */
  @Nested
  @DisplayName("find by reference")
  public class FindByReference extends ReferenceChecks {
    /** For JUnit. */
    public FindByReference() {
      super(GrantStoreCompatibilityKit.this);
    }
  }

  /** Ending the children of ended grants. Run by JUnit, one test at a time; not thread-safe. */
  @Nested
  @DisplayName("end children")
  public class EndChildren extends EndChildrenChecks {
    /** For JUnit. */
    public EndChildren() {
      super(GrantStoreCompatibilityKit.this);
    }
  }
}
