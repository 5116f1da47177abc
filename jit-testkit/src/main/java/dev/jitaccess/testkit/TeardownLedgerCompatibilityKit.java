package dev.jitaccess.testkit;

import dev.jitaccess.teardown.spi.TeardownLedger;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;

/**
 * Proves that a {@link TeardownLedger} keeps the contract {@code jit-teardown} relies on. Subclass
 * it in your test sources and return a fresh, empty ledger:
 *
 * <pre>{@code
 * class JdbcTeardownLedgerCompatibilityTest extends TeardownLedgerCompatibilityKit {
 *   @Override
 *   public TeardownLedger createLedger() {
 *     return new JdbcTeardownLedger(dataSource, freshSchema());
 *   }
 * }
 * }</pre>
 *
 * <p>What it checks: {@code insert} stores one entry per grant and downstream, once also when
 * many threads race, refuses an entry that is not version 0, and {@code get} gives back every
 * field exactly (the grant snapshot with all its fields, instants to the nanosecond, names beyond
 * ASCII, the entry in every state); {@code compareAndSet} stores only over the expected version,
 * refuses an illegal successor, lets exactly one of many threads racing from one snapshot win, and
 * loses no write of threads that retry from what they read; {@code claimDue} leases the due
 * entries of one downstream, earliest claimable first, up to the limit, claims a leased entry only
 * once its lease has passed, never a settled one, and gives each entry to exactly one of many
 * threads claiming at once; {@code lingering} lists the unsettled entries oldest first; {@code
 * deleteSettled} deletes only settled entries old enough.
 *
 * <p>The ledger must be empty when {@link #createLedger()} returns it, since {@code claimDue},
 * {@code lingering} and {@code deleteSettled} answer for the whole ledger (a database: a fresh
 * schema per test). If the ledger is {@link AutoCloseable}, it is closed after each test.
 *
 * <p>Needs {@code jit-teardown} on the class or module path (an optional dependency of this
 * module). Not thread-safe itself (JUnit runs one test of an instance at a time); the concurrency
 * tests call the ledger from {@value #THREADS} threads at once.
 */
public abstract class TeardownLedgerCompatibilityKit {
  /** How many threads the concurrency tests race. */
  protected static final int THREADS = 8;
  /** How many independent races the insert and compare-and-set races run. */
  protected static final int ROUNDS = 50;
  /** How many due entries the claim race shares out. */
  protected static final int CLAIMED_ENTRIES = 400;

  private @Nullable TeardownLedger ledger;

  /** For subclasses. */
  protected TeardownLedgerCompatibilityKit() {}

  /** A ledger to test, holding no entry. Called before each test. */
  public abstract TeardownLedger createLedger();

  @BeforeEach
  void createAnEmptyLedger() {
    ledger = Objects.requireNonNull(createLedger(), "createLedger must not return null");
  }

  @AfterEach
  void closeTheLedger() throws Exception {
    if (ledger instanceof AutoCloseable) {
      ((AutoCloseable) ledger).close();
    }
  }

  /** The ledger of the current test. */
  protected final TeardownLedger ledger() {
    return Objects.requireNonNull(ledger, "ledger is set before each test");
  }

  /** Insert and get. Run by JUnit, one test at a time; not thread-safe. */
  @Nested
  @DisplayName("insert")
  public class Insert extends TeardownInsertChecks {
    /** For JUnit. */
    public Insert() {
      super(TeardownLedgerCompatibilityKit.this);
    }
  }

  /** Compare-and-set. Run by JUnit, one test at a time; not thread-safe. */
  @Nested
  @DisplayName("compareAndSet")
  public class CompareAndSet extends TeardownCompareAndSetChecks {
    /** For JUnit. */
    public CompareAndSet() {
      super(TeardownLedgerCompatibilityKit.this);
    }
  }

  /** Claiming due entries. Run by JUnit, one test at a time; not thread-safe. */
  @Nested
  @DisplayName("claimDue")
  public class ClaimDue extends TeardownClaimChecks {
    /** For JUnit. */
    public ClaimDue() {
      super(TeardownLedgerCompatibilityKit.this);
    }
  }

  /** Lingering entries and retention. Run by JUnit, one test at a time; not thread-safe. */
  @Nested
  @DisplayName("lingering and deleteSettled")
  public class LingeringAndRetention extends TeardownRetentionChecks {
    /** For JUnit. */
    public LingeringAndRetention() {
      super(TeardownLedgerCompatibilityKit.this);
    }
  }
}
