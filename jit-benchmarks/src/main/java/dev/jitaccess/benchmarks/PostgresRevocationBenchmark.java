package dev.jitaccess.benchmarks;

import dev.jitaccess.Decision;
import dev.jitaccess.DenyReason;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.postgres.Consistency;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long after replica A's {@code revoke()} returns replica B first denies the grant: two
 * replicas (each the default runtime on a {@code PostgresGrantStore} of its own, in {@code
 * consistency} mode) on the embedded PostgreSQL of {@link EmbeddedDatabase}, sampled for
 * percentiles ({@link Mode#SampleTime}).
 *
 * <p>Each invocation's setup (not timed) mints a fresh grant on A, waits until B allows it (in
 * CACHED mode this puts the grant in B's local copy, so B must hear of the revocation from its
 * follower rather than read it on a miss), and revokes it on A. The measured call starts when
 * A's {@code revoke()} has returned and checks the grant on B over and over (yielding the
 * processor between checks, so the follower and the database keep theirs) until B denies it. In
 * STRICT mode every check on B is a query, so the first check denies: the figure is one check's
 * round trip. In CACHED mode B denies once its follower has been notified, read the change and
 * applied it to the copy, or once it can no longer prove its copy fresh within {@code maxLag}
 * (250 ms, STALE_VIEW); the setup of the next invocation counts the first denials that were not
 * REVOKED, and the trial fails if any was neither REVOKED nor STALE_VIEW.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class PostgresRevocationBenchmark {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresRevocationBenchmark.class);

  private static final Duration PATIENCE = Duration.ofSeconds(10);

  @Param({"CACHED", "STRICT"})
  public Consistency consistency;

  private EmbeddedDatabase database;
  private JitAccess a;
  private JitAccess b;
  private int next;
  private String id;
  private int p;
  private Decision first;
  private long staleViewFirst;
  private long revokedFirst;

  @Setup(Level.Trial)
  public void setUp() {
    database = EmbeddedDatabase.start();
    a = database.replica(consistency);
    b = database.replica(consistency);
  }

  /** Mints a grant on A, waits until B allows it, then revokes it on A. Not timed. */
  @Setup(Level.Invocation)
  public void revokeOnA() {
    tally();
    int i = next++;
    p = i & Workload.K_MASK;
    id = a.request(Workload.request(i)).id();
    EmbeddedDatabase.await(() -> b.check(id, Workload.ACTIONS[p], Workload.RESOURCES[p])
        .isAllowed(), PATIENCE, "replica B allowing the grant minted on A");
    // A revoke reads the database, never A's copy: a stale view does not stop it.
    if (!a.revoke(id, RevocationReason.TASK_COMPLETED)) {
      throw new IllegalStateException("replica A did not revoke its grant");
    }
  }

  /** Counts the previous invocation's first denial by reason. */
  private void tally() {
    if (first == null) {
      return;
    }
    if (first.reason() == DenyReason.REVOKED) {
      revokedFirst++;
    } else if (first.reason() == DenyReason.STALE_VIEW) {
      staleViewFirst++;
    } else {
      throw new IllegalStateException("replica B denied for " + first.reason());
    }
    first = null;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    tally();
    b.close();
    a.close();
    database.close();
    if (staleViewFirst > 0) {
      LOG.warn("PostgresRevocationBenchmark {}: {} of {} first denials were STALE_VIEW",
          consistency, staleViewFirst, staleViewFirst + revokedFirst);
    }
  }

  /** Checks the grant A revoked on B until B denies it; the first denial. */
  @Benchmark
  public Decision firstDenialOnB() {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    Decision decision;
    while ((decision = b.check(id, Workload.ACTIONS[p], Workload.RESOURCES[p])).isAllowed()) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("replica B still allows a grant revoked " + PATIENCE
            + " ago");
      }
      Thread.yield();
    }
    first = decision;
    return decision;
  }
}
