package dev.jitaccess.testkit;

import dev.jitaccess.governance.spi.GovernanceStore;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;

/**
 * Proves that a {@link GovernanceStore} keeps the contract {@code jit-governance} relies on.
 * Subclass it in your test sources and return a fresh, empty store:
 *
 * <pre>{@code
 * class JdbcGovernanceStoreCompatibilityTest extends GovernanceStoreCompatibilityKit {
 *   @Override
 *   public GovernanceStore createStore() {
 *     return new JdbcGovernanceStore(dataSource, freshSchema());
 *   }
 * }
 * }</pre>
 *
 * <p>What it checks: insert and get round-trip every field of an access request exactly
 * (approvals and rejections in order, the review, break-glass, issuer, ticket, start, instants to
 * the nanosecond, the longest names and texts, characters beyond ASCII), or the store refuses
 * what it cannot keep exactly; a duplicate id is refused, also when inserts race; {@code
 * compareAndSet} succeeds once from the stored snapshot, fails on a stale one, refuses a {@code
 * next} that is not the next version of the same request, and of many threads racing from one
 * snapshot exactly one wins, while threads that retry from what they read lose no decision;
 * {@code due} returns exactly the requests whose {@link
 * dev.jitaccess.governance.AccessRequest#deadline() deadline} is at or before {@code now}, oldest
 * first, up to the limit, as they are stored now; {@code pending} returns the PENDING requests,
 * oldest first, up to the limit; a subject's break-glass is locked once, also when many threads
 * race, and unlocked only by its own lock; ids and names that look like SQL or patterns are
 * stored and matched literally.
 *
 * <p>The store must be empty when {@link #createStore()} returns it, since {@code due} and {@code
 * pending} answer for the whole store (a database: a fresh schema per test). If the store is
 * {@link AutoCloseable}, it is closed after each test.
 *
 * <p>Not thread-safe itself (JUnit runs one test of an instance at a time); the concurrency tests
 * call the store from {@value #THREADS} threads at once.
 */
public abstract class GovernanceStoreCompatibilityKit {
  /** How many threads the concurrency tests race. */
  protected static final int THREADS = 8;
  /** How many independent races the concurrency tests run. */
  protected static final int ROUNDS = 100;

  private @Nullable GovernanceStore store;
  private @Nullable GovernanceRequests requests;

  /** For subclasses. */
  protected GovernanceStoreCompatibilityKit() {}

  /** A store to test, holding no request and no lock. Called before each test. */
  public abstract GovernanceStore createStore();

  @BeforeEach
  void createAnEmptyStore() {
    requests = new GovernanceRequests();
    store = Objects.requireNonNull(createStore(), "createStore must not return null");
  }

  @AfterEach
  void closeTheStore() throws Exception {
    if (store instanceof AutoCloseable) {
      ((AutoCloseable) store).close();
    }
  }

  /** The store of the current test. */
  protected final GovernanceStore store() {
    return Objects.requireNonNull(store, "store is set before each test");
  }

  /** The requests of the current test. */
  final GovernanceRequests requests() {
    return Objects.requireNonNull(requests, "requests are set before each test");
  }

  /** Insert and get. Run by JUnit, one test at a time; not thread-safe. */
  @Nested
  @DisplayName("insert and get")
  public class InsertAndGet extends GovernanceInsertChecks {
    /** For JUnit. */
    public InsertAndGet() {
      super(GovernanceStoreCompatibilityKit.this);
    }
  }

  /** Compare-and-set. Run by JUnit, one test at a time; not thread-safe. */
  @Nested
  @DisplayName("compareAndSet")
  public class CompareAndSet extends GovernanceCompareAndSetChecks {
    /** For JUnit. */
    public CompareAndSet() {
      super(GovernanceStoreCompatibilityKit.this);
    }
  }

  /** Requests past their deadline. Run by JUnit, one test at a time; not thread-safe. */
  @Nested
  @DisplayName("due")
  public class Due extends GovernanceDueChecks {
    /** For JUnit. */
    public Due() {
      super(GovernanceStoreCompatibilityKit.this);
    }
  }

  /** Requests waiting for approvers. Run by JUnit, one test at a time; not thread-safe. */
  @Nested
  @DisplayName("pending")
  public class Pending extends GovernancePendingChecks {
    /** For JUnit. */
    public Pending() {
      super(GovernanceStoreCompatibilityKit.this);
    }
  }

  /** Break-glass locks. Run by JUnit, one test at a time; not thread-safe. */
  @Nested
  @DisplayName("break-glass locks")
  public class BreakGlassLocks extends BreakGlassLockChecks {
    /** For JUnit. */
    public BreakGlassLocks() {
      super(GovernanceStoreCompatibilityKit.this);
    }
  }

  /** Ids and names that look like SQL. Run by JUnit, one test at a time; not thread-safe. */
  @Nested
  @DisplayName("ids and names are taken literally")
  public class LiteralNames extends GovernanceLiteralChecks {
    /** For JUnit. */
    public LiteralNames() {
      super(GovernanceStoreCompatibilityKit.this);
    }
  }
}
