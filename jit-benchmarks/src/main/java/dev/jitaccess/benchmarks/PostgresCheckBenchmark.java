package dev.jitaccess.benchmarks;

import dev.jitaccess.Decision;
import dev.jitaccess.Grant;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.postgres.Consistency;
import dev.jitaccess.postgres.PostgresGrantStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.jspecify.annotations.Nullable;
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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * An allowed {@link JitAccess#check} on a replica whose store is a {@code PostgresGrantStore} in
 * {@link Consistency#CACHED} mode (served from the store's local copy, which its follower keeps
 * current) and in {@link Consistency#STRICT} mode (one query per check), beside the same check on
 * the default in-memory runtime, with {@code grants} live grants and ids drawn uniformly.
 *
 * <p>The grants are minted once per fork on an in-memory runtime (the in-memory benchmark checks
 * that runtime); for the PostgreSQL ones the same grants are then inserted into the embedded
 * PostgreSQL of {@link EmbeddedDatabase} through a store of their own (the SPI's {@code insert},
 * four threads: minting 100,000 grants one round trip at a time would take minutes), and the
 * measured replica is started on a second store, as another instance of the application would
 * be: it follows the change log and lists the ACTIVE grants at start. In CACHED mode every grant is
 * checked once before measuring, so the copy holds them all: the figure is the steady state, not
 * the first check of a grant on that replica (a query, as in STRICT mode).
 *
 * <p>The keys and their sequence are those of {@link CheckBenchmark}: each thread walks the same
 * precomputed sequence of equal copies of the minted ids.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class PostgresCheckBenchmark {
  private static final int LOADERS = 4;

  @Param({"1000", "100000"})
  public int grants;

  private JitAccess memory;
  private @Nullable EmbeddedDatabase database;
  private @Nullable JitAccess replica;
  /** The runtime the benchmark checks. */
  private JitAccess measured;
  /** Copies of the minted ids, by grant index. */
  private String[] ids;
  private int[] sequence;

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    memory = JitAccess.builder().build();
    ids = new String[grants];
    Grant[] minted = new Grant[grants];
    for (int i = 0; i < grants; i++) {
      minted[i] = memory.request(Workload.request(i));
      ids[i] = new String(minted[i].id().toCharArray());
    }
    sequence = Workload.sequence(IdDistribution.UNIFORM, grants, 7);
    String benchmark = params.getBenchmark();
    if (benchmark.endsWith("InMemory")) {
      measured = memory;
    } else {
      Consistency consistency =
          benchmark.endsWith("Cached") ? Consistency.CACHED : Consistency.STRICT;
      database = EmbeddedDatabase.start();
      PostgresGrantStore loader = database.store(Consistency.STRICT);
      inParallel(i -> loader.insert(minted[i]));
      replica = database.replica(consistency);
      measured = replica;
      if (consistency == Consistency.CACHED) {
        // Until its follower's first poll, the replica cannot prove its copy fresh and denies
        // STALE_VIEW: each grant is checked until allowed.
        inParallel(i -> EmbeddedDatabase.await(() -> replica.check(ids[i],
            Workload.ACTIONS[i & Workload.K_MASK], Workload.RESOURCES[i & Workload.K_MASK])
            .isAllowed(), Duration.ofSeconds(30), "an allowed check on the replica"));
      }
    }
    for (int k = 0; k < Math.min(grants, 10_000); k++) {
      int i = sequence[k];
      int p = i & Workload.K_MASK;
      require(measured.check(ids[i], Workload.ACTIONS[p], Workload.RESOURCES[p]).isAllowed(),
          "allowed check");
    }
  }

  /** Runs {@code task} for every grant index, split over {@value #LOADERS} threads. */
  private void inParallel(IntConsumer task) {
    ExecutorService executor = Executors.newFixedThreadPool(LOADERS);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < LOADERS; t++) {
        int first = t;
        done.add(executor.submit(() -> {
          for (int i = first; i < grants; i += LOADERS) {
            task.accept(i);
          }
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while loading", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("loading failed", e.getCause());
    } finally {
      executor.shutdownNow();
    }
  }

  private static void require(boolean condition, String what) {
    if (!condition) {
      throw new IllegalStateException(what + " did not decide as the workload expects");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (replica != null) {
      replica.close();
    }
    memory.close();
    if (database != null) {
      database.close();
    }
  }

  /** The allowed check on the default in-memory runtime, as {@code CheckBenchmark} makes it. */
  @Benchmark
  public Decision checkAllowedInMemory(CheckBenchmark.Cursor cursor) {
    int i = cursor.next(sequence);
    int p = i & Workload.K_MASK;
    return measured.check(ids[i], Workload.ACTIONS[p], Workload.RESOURCES[p]);
  }

  /** The allowed check on a replica in CACHED mode: the store's local copy, proven fresh. */
  @Benchmark
  public Decision checkAllowedCached(CheckBenchmark.Cursor cursor) {
    int i = cursor.next(sequence);
    int p = i & Workload.K_MASK;
    return measured.check(ids[i], Workload.ACTIONS[p], Workload.RESOURCES[p]);
  }

  /** The allowed check on a replica in STRICT mode: one query on the pool per check. */
  @Benchmark
  public Decision checkAllowedStrict(CheckBenchmark.Cursor cursor) {
    int i = cursor.next(sequence);
    int p = i & Workload.K_MASK;
    return measured.check(ids[i], Workload.ACTIONS[p], Workload.RESOURCES[p]);
  }
}
