package dev.jitaccess.testkit;

import dev.jitaccess.governance.spi.BundleStore;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;

/**
 * Proves that a {@link BundleStore} keeps the contract {@code jit-governance}'s bundles rely on.
 * Subclass it in your test sources and return a fresh, empty store:
 *
 * <pre>{@code
 * class JdbcBundleStoreCompatibilityTest extends BundleStoreCompatibilityKit {
 *   @Override
 *   public BundleStore createStore() {
 *     return new JdbcBundleStore(dataSource, freshSchema());
 *   }
 * }
 * }</pre>
 *
 * <p>What it checks: insert and get round-trip every field of a bundle exactly (each state,
 * instants to the nanosecond, the longest names, characters beyond ASCII and the Basic
 * Multilingual Plane, the largest scope), or the store refuses what it cannot keep exactly; a
 * duplicate name is refused, also when inserts race; {@code bundles} returns every bundle ordered
 * by name as {@link String#compareTo} orders them; {@code compareAndSet} succeeds once from the
 * stored snapshot, fails on a stale one, refuses a {@code next} that is not the next version of
 * the same bundle, and of many threads racing from one snapshot exactly one wins; {@code
 * addMembers} and {@code removeMembers} are idempotent and answer what they changed (how many
 * were added; those removed, in the order given), take 1,000 members in one call, and keep an
 * exact set while many threads add and remove at once; {@code isMember} and {@code memberCount}
 * answer per bundle; {@code recordGrant} and {@code grantsOf} keep every grant id per bundle and
 * member, literally, also after the member leaves, and a store that refuses one never quotes it;
 * names, members and grant ids that look like SQL or patterns are taken literally.
 *
 * <p>The store must be empty when {@link #createStore()} returns it, since {@code bundles}
 * answers for the whole store (a database: a fresh schema per test). If the store is {@link
 * AutoCloseable}, it is closed after each test, as is the one {@link #createReplica} returns.
 *
 * <p>Not thread-safe itself (JUnit runs one test of an instance at a time); the concurrency tests
 * call the store from {@value #THREADS} threads at once.
 */
public abstract class BundleStoreCompatibilityKit {
  /** How many threads the concurrency tests race. */
  protected static final int THREADS = 8;
  /** How many independent races the concurrency tests run. */
  protected static final int ROUNDS = 100;

  private @Nullable BundleStore store;
  private @Nullable BundleStore replica;
  private @Nullable GovernanceBundles bundles;

  /** For subclasses. */
  protected BundleStoreCompatibilityKit() {}

  /** A store to test, holding no bundle. Called before each test. */
  public abstract BundleStore createStore();

  /**
   * Another instance on the backend of {@code store}, as another replica of the application would
   * make it (its own connections, say), or null (the default) if there is none to make: a store
   * in memory is its own backend. With one, the kit also checks that two instances agree; without,
   * those checks are skipped.
   */
  protected @Nullable BundleStore createReplica(BundleStore store) {
    return null;
  }

  @BeforeEach
  void createAnEmptyStore() {
    bundles = new GovernanceBundles();
    replica = null;
    store = Objects.requireNonNull(createStore(), "createStore must not return null");
  }

  @AfterEach
  void closeTheStores() throws Exception {
    for (BundleStore s : new BundleStore[] {replica, store}) {
      if (s instanceof AutoCloseable) {
        ((AutoCloseable) s).close();
      }
    }
  }

  /** The store of the current test. */
  protected final BundleStore store() {
    return Objects.requireNonNull(store, "store is set before each test");
  }

  /** A second instance on the store's backend; skips the calling test if there is none. */
  final BundleStore replica() {
    if (replica == null) {
      replica = createReplica(store());
      Assumptions.assumeTrue(replica != null,
          "no second instance on one backend; override createReplica to check two");
    }
    return Objects.requireNonNull(replica);
  }

  /** The bundles of the current test. */
  final GovernanceBundles bundles() {
    return Objects.requireNonNull(bundles, "bundles are set before each test");
  }

  /** Insert, get and bundles. Run by JUnit, one test at a time; not thread-safe. */
  @Nested
  @DisplayName("insert, get and bundles")
  public class InsertAndGet extends BundleInsertChecks {
    /** For JUnit. */
    public InsertAndGet() {
      super(BundleStoreCompatibilityKit.this);
    }
  }

  /** Compare-and-set. Run by JUnit, one test at a time; not thread-safe. */
  @Nested
  @DisplayName("compareAndSet")
  public class CompareAndSet extends BundleCompareAndSetChecks {
    /** For JUnit. */
    public CompareAndSet() {
      super(BundleStoreCompatibilityKit.this);
    }
  }

  /** Members. Run by JUnit, one test at a time; not thread-safe. */
  @Nested
  @DisplayName("members")
  public class Members extends BundleMemberChecks {
    /** For JUnit. */
    public Members() {
      super(BundleStoreCompatibilityKit.this);
    }
  }

  /** Members changed by many threads. Run by JUnit, one test at a time; not thread-safe. */
  @Nested
  @DisplayName("members under racing threads")
  public class RacingMembers extends BundleMemberRaceChecks {
    /** For JUnit. */
    public RacingMembers() {
      super(BundleStoreCompatibilityKit.this);
    }
  }

  /** Grants minted from bundles. Run by JUnit, one test at a time; not thread-safe. */
  @Nested
  @DisplayName("grants")
  public class Grants extends BundleGrantChecks {
    /** For JUnit. */
    public Grants() {
      super(BundleStoreCompatibilityKit.this);
    }
  }

  /** Names that look like SQL. Run by JUnit, one test at a time; not thread-safe. */
  @Nested
  @DisplayName("names, members and grant ids are taken literally")
  public class LiteralNames extends BundleLiteralChecks {
    /** For JUnit. */
    public LiteralNames() {
      super(BundleStoreCompatibilityKit.this);
    }
  }
}
