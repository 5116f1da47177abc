package dev.jitaccess.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.Grant;
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
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
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

  Grant newGrant() {
    return newGrant(KitSupport.unique("subject"), KitSupport.unique("owner"),
        KitSupport.unique("task"), null, OptionalLong.empty());
  }

  Grant newGrantWithBudget(long budget) {
    return newGrant(KitSupport.unique("subject"), KitSupport.unique("owner"),
        KitSupport.unique("task"), null, OptionalLong.of(budget));
  }

  /**
   * Asserts that get returns {@code expected}, the latest snapshot written; an ended grant may
   * instead be gone already, since the kit does not demand a retention.
   */
  void assertLatest(Grant expected, String message) {
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
  void awaitFreshView(String id) {
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

  static Set<String> ids(Collection<Grant> grants) {
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
  public class VersionsAndListing extends GrantVersionChecks {
    /** For JUnit. */
    public VersionsAndListing() {
      super(GrantStoreCompatibilityKit.this);
    }
  }

  /** compareAndSet. Run by JUnit, one test at a time; not thread-safe. */
  @Nested
  @DisplayName("compareAndSet")
  public class CompareAndSet extends GrantCompareAndSetChecks {
    /** For JUnit. */
    public CompareAndSet() {
      super(GrantStoreCompatibilityKit.this);
    }
  }

  /** Queries. Run by JUnit, one test at a time; not thread-safe. */
  @Nested
  @DisplayName("queries")
  public class Queries extends GrantQueryChecks {
    /** For JUnit. */
    public Queries() {
      super(GrantStoreCompatibilityKit.this);
    }
  }

  /** Time. Run by JUnit, one test at a time; not thread-safe. */
  @Nested
  @DisplayName("as the fake clock moves")
  public class AsTimePasses extends GrantExpiryChecks {
    /** For JUnit. */
    public AsTimePasses() {
      super(GrantStoreCompatibilityKit.this);
    }
  }

  /** Concurrent transitions. Run by JUnit, one test at a time; not thread-safe. */
  @Nested
  @DisplayName("under concurrent transitions")
  public class ConcurrentTransitions extends GrantRaceChecks {
    /** For JUnit. */
    public ConcurrentTransitions() {
      super(GrantStoreCompatibilityKit.this);
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
