package dev.jitaccess.benchmarks;

import dev.jitaccess.Decision;
import dev.jitaccess.DenyReason;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantReference;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.core.JitAccessBuilder;
import dev.jitaccess.postgres.Consistency;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Revoking, on replica A, the root of {@value #DESCENDANTS} descendants ({@value #CHILDREN}
 * children with {@value #GRANDCHILDREN} grandchildren each) on the embedded PostgreSQL of {@link
 * EmbeddedDatabase}, one revocation per iteration ({@link Mode#SingleShotTime}).
 *
 * <p>Two replicas, each the default runtime on a {@code PostgresGrantStore} of its own: A (CACHED,
 * the default) revokes; B (STRICT, so that its check reads the database) follows the store, as
 * every replica does, and so hears of every end and runs the cascade of each grant it hears of
 * (each runtime does, in case the one that ended it stops). {@code cascade=ON_CALLER} is A's
 * default runtime: {@code revoke} returns once A has ended every descendant; {@code
 * cascade=ON_EXECUTOR} gives A a single-thread cascade executor: {@code revoke} returns once the
 * root has ended, and the descendants end on the executor.
 *
 * <p>{@link #revokeUntilAllEnded} times A's {@code revoke}, then one check of a leaf on B (its
 * outcome is counted: {@code leafDeniedOnB}, or {@code leafAllowedOnB}, which fails the run), then
 * polls the database until no grant is ACTIVE. {@link #revokeUntilHeardOnB} times A's {@code
 * revoke} until B's listener has heard of all {@value #DESCENDANTS} + 1 ends: how long a replica
 * that did not make the revocation is busy with it.
 *
 * <p>Before each iteration (not timed) the tables are emptied, the root is minted on A, the tree
 * is written in one {@code INSERT} (without change rows: followers arm no timers for it) and
 * analysed, and B allows a leaf. After each (not timed) the run waits until B has heard of every
 * end, and fails unless every grant has ended in the database and B denies the leaf.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class PostgresCascadeBenchmark {
  static final int CHILDREN = 100;
  static final int GRANDCHILDREN = 999;
  static final int DESCENDANTS = CHILDREN + CHILDREN * GRANDCHILDREN;
  private static final Duration PATIENCE = Duration.ofMinutes(10);

  /** Where A ends the descendants. */
  public enum Cascade {
    ON_CALLER,
    ON_EXECUTOR
  }

  @Param({"ON_CALLER", "ON_EXECUTOR"})
  public Cascade cascade;

  private EmbeddedDatabase database;
  private @Nullable ExecutorService executor;
  private JitAccess a;
  private JitAccess b;
  private final AtomicInteger heardOnB = new AtomicInteger();
  private int next;
  /** The permission of the root's request. */
  private int p;
  private Grant root;
  private String leaf;

  /** What B's check of a leaf right after A's {@code revoke} returned decided. */
  @AuxCounters(AuxCounters.Type.EVENTS)
  @State(Scope.Thread)
  public static class LeafOnB {
    public long leafDeniedOnB;
    public long leafAllowedOnB;
  }

  @Setup(Level.Trial)
  public void setUp() {
    database = EmbeddedDatabase.start();
    JitAccessBuilder builder = database.replicaBuilder(Consistency.CACHED);
    if (cascade == Cascade.ON_EXECUTOR) {
      executor = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "cascade");
        thread.setDaemon(true);
        return thread;
      });
      builder.cascadeExecutor(executor);
    }
    a = builder.build();
    b = database.replicaBuilder(Consistency.STRICT)
        .listener((grant, reason) -> heardOnB.incrementAndGet()).build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    b.close();
    a.close();
    if (executor != null) {
      executor.shutdownNow();
    }
    database.close();
  }

  /** Empties the tables, mints the root on A and writes its tree. Not timed. */
  @Setup(Level.Iteration)
  public void buildTree() {
    database.execute("TRUNCATE " + EmbeddedDatabase.SCHEMA + ".grants, "
        + EmbeddedDatabase.SCHEMA + ".grant_changes");
    int i = next++;
    p = i & Workload.K_MASK;
    root = a.request(Workload.request(i));
    String[] ids = Workload.unknownIds(DESCENDANTS, i);
    String[] references = new String[DESCENDANTS];
    String[] parents = new String[DESCENDANTS];
    for (int c = 0; c < CHILDREN; c++) {
      parents[c] = root.id();
    }
    for (int g = CHILDREN; g < DESCENDANTS; g++) {
      parents[g] = ids[(g - CHILDREN) / GRANDCHILDREN];
    }
    for (int d = 0; d < DESCENDANTS; d++) {
      references[d] = GrantReference.of(ids[d]);
    }
    insertTree(ids, references, parents);
    database.execute("ANALYZE " + EmbeddedDatabase.SCHEMA + ".grants");
    leaf = ids[DESCENDANTS - 1];
    heardOnB.set(0);
    require(b.check(leaf, action(), resource()).isAllowed(), "B allows a leaf before");
  }

  /** One statement: every descendant, with the root's names, scope and times. */
  private void insertTree(String[] ids, String[] references, String[] parents) {
    String sql = "INSERT INTO " + EmbeddedDatabase.SCHEMA + ".grants (id, reference, subject, "
        + "owner, task, purpose, scope, issued_at_s, issued_at_n, expires_at_s, expires_at_n, "
        + "not_after_s, not_after_n, parent_id, use_budget, uses_consumed, version, state, "
        + "end_reason, ended_at_s, ended_at_n) SELECT t.id, t.reference, ?, ?, ?, ?, ?, ?, ?, ?, "
        + "?, ?, ?, t.parent, NULL, 0, 0, 'ACTIVE', NULL, NULL, NULL "
        + "FROM unnest(?::text[], ?::text[], ?::text[]) AS t(id, reference, parent)";
    try (Connection connection = database.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      int i = 1;
      statement.setString(i++, root.subject());
      statement.setString(i++, root.owner());
      statement.setString(i++, root.task());
      statement.setString(i++, root.purpose());
      statement.setString(i++, root.scope().toString());
      statement.setLong(i++, root.issuedAt().getEpochSecond());
      statement.setInt(i++, root.issuedAt().getNano());
      statement.setLong(i++, root.expiresAt().getEpochSecond());
      statement.setInt(i++, root.expiresAt().getNano());
      statement.setLong(i++, root.notAfter().getEpochSecond());
      statement.setInt(i++, root.notAfter().getNano());
      statement.setArray(i++, connection.createArrayOf("text", ids));
      statement.setArray(i++, connection.createArrayOf("text", references));
      statement.setArray(i, connection.createArrayOf("text", parents));
      require(statement.executeUpdate() == DESCENDANTS, "the tree is written");
    } catch (SQLException e) {
      throw new IllegalStateException("writing the tree failed", e);
    }
  }

  private String action() {
    return Workload.ACTIONS[p];
  }

  private String resource() {
    return Workload.RESOURCES[p];
  }

  /** Waits until B heard of every end, then checks the outcome. Not timed. */
  @TearDown(Level.Iteration)
  public void verify() {
    EmbeddedDatabase.await(() -> heardOnB.get() >= DESCENDANTS + 1, PATIENCE,
        "B hears of every end");
    require(!anyActive(), "every grant ended in the database");
    require(b.check(leaf, action(), resource()).reason() == DenyReason.REVOKED, "B denies");
  }

  private boolean anyActive() {
    try (Connection connection = database.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement("SELECT EXISTS (SELECT 1 FROM "
            + EmbeddedDatabase.SCHEMA + ".grants WHERE state = 'ACTIVE')");
        ResultSet row = statement.executeQuery()) {
      row.next();
      return row.getBoolean(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void require(boolean condition, String what) {
    if (!condition) {
      throw new IllegalStateException("failed: " + what);
    }
  }

  /** A's revoke, B's check of a leaf, then until no grant is ACTIVE in the database. */
  @Benchmark
  public boolean revokeUntilAllEnded(LeafOnB outcome) {
    require(a.revoke(root.id(), RevocationReason.ANOMALY), "A revokes the root");
    Decision decision = b.check(leaf, action(), resource());
    if (decision.isAllowed()) {
      outcome.leafAllowedOnB++;
      throw new IllegalStateException("B allowed a leaf after the root's revoke returned");
    }
    outcome.leafDeniedOnB++;
    while (anyActive()) {
      LockSupport.parkNanos(1_000_000);
    }
    return true;
  }

  /** A's revoke, until B's listener has heard of every end. */
  @Benchmark
  public boolean revokeUntilHeardOnB() {
    require(a.revoke(root.id(), RevocationReason.ANOMALY), "A revokes the root");
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (heardOnB.get() < DESCENDANTS + 1) {
      require(System.nanoTime() - deadline < 0, "B hears of every end within " + PATIENCE);
      LockSupport.parkNanos(1_000_000);
    }
    return true;
  }
}
