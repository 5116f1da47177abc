package dev.jitaccess.testkit;

import dev.jitaccess.governance.Certification;
import dev.jitaccess.governance.spi.RecertificationStore;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;

/**
 * Proves that a {@link RecertificationStore} keeps the contract {@code jit-governance}'s
 * recertification sweeps rely on. Subclass it in your test sources and return a fresh store:
 *
 * <pre>{@code
 * class JdbcRecertificationStoreCompatibilityTest extends RecertificationStoreCompatibilityKit {
 *   @Override
 *   public RecertificationStore createStore() {
 *     return new JdbcRecertificationStore(dataSource, freshSchema());
 *   }
 * }
 * }</pre>
 *
 * <p>What it checks: {@code latest} returns the last decision recorded on an item, every field
 * exact (instants to the nanosecond, the longest texts, characters beyond ASCII), or the store
 * refuses what it cannot keep exactly, and of racing decisions one whole; {@code record} clears a
 * suspension, {@code suspend} holds until then; {@code markLapsed} and {@code markNoticed} are
 * true exactly once per item and due time (told apart to the nanosecond), each apart from the
 * other, also when many threads mark at once and, where the test can make two, through two
 * instances on one backend; items that look like SQL or patterns are taken literally.
 *
 * <p>Every check but the one of literal items uses items of its own, so a store shared between
 * tests works; a fresh one per test (a database: a fresh schema) is simplest. If it is {@link
 * AutoCloseable}, it is closed after each test, as is the one {@link #createReplica} returns.
 *
 * <p>Not thread-safe itself (JUnit runs one test of an instance at a time); the concurrency tests
 * call the store from {@value #THREADS} threads at once.
 */
public abstract class RecertificationStoreCompatibilityKit {
  /** How many threads the concurrency tests race. */
  protected static final int THREADS = 8;
  /** How many independent races the concurrency tests run. */
  protected static final int ROUNDS = 100;

  private @Nullable RecertificationStore store;
  private @Nullable RecertificationStore replica;
  private Instant now = Instant.EPOCH;

  /** For subclasses. */
  protected RecertificationStoreCompatibilityKit() {}

  /** A store to test. Called before each test. */
  public abstract RecertificationStore createStore();

  /**
   * Another instance on the backend of {@code store}, as another replica of the application would
   * make it (its own connections, say), or null (the default) if there is none to make: a store
   * in memory is its own backend. With one, the kit also checks that a lapse or notice is marked
   * once across both; without, those checks are skipped.
   */
  protected @Nullable RecertificationStore createReplica(RecertificationStore store) {
    return null;
  }

  @BeforeEach
  void createTheStore() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    now = Instant.ofEpochSecond(random.nextLong(1_800_000_000L, 4_000_000_000L),
        random.nextInt(100_000_000, 999_999_999));
    replica = null;
    store = Objects.requireNonNull(createStore(), "createStore must not return null");
  }

  @AfterEach
  void closeTheStores() throws Exception {
    for (RecertificationStore s : new RecertificationStore[] {replica, store}) {
      if (s instanceof AutoCloseable) {
        ((AutoCloseable) s).close();
      }
    }
  }

  /** The store of the current test. */
  protected final RecertificationStore store() {
    return Objects.requireNonNull(store, "store is set before each test");
  }

  /** A second instance on the store's backend; skips the calling test if there is none. */
  final RecertificationStore replica() {
    if (replica == null) {
      replica = createReplica(store());
      Assumptions.assumeTrue(replica != null,
          "no second instance on one backend; override createReplica to check two");
    }
    return Objects.requireNonNull(replica);
  }

  /** The moment the test treats as now: of this century, every nanosecond digit set. */
  final Instant now() {
    return now;
  }

  /** A fresh item, as governance names a bundle's. */
  static String newItem() {
    return KitSupport.unique("bundle:kit");
  }

  /** A decision on {@code item} at {@code at}. */
  static Certification decision(String item, boolean keep, Instant at) {
    return new Certification(item, KitSupport.unique("reviewer"), keep,
        keep ? "still needed for the quarter" : "no longer needed", at);
  }

  /** Decisions and suspensions. Run by JUnit, one test at a time; not thread-safe. */
  @Nested
  @DisplayName("decisions and suspensions")
  public class Decisions extends RecertificationDecisionChecks {
    /** For JUnit. */
    public Decisions() {
      super(RecertificationStoreCompatibilityKit.this);
    }
  }

  /** Lapses and notices. Run by JUnit, one test at a time; not thread-safe. */
  @Nested
  @DisplayName("markLapsed and markNoticed")
  public class Marks extends RecertificationMarkChecks {
    /** For JUnit. */
    public Marks() {
      super(RecertificationStoreCompatibilityKit.this);
    }
  }
}
