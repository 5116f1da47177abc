package dev.jitaccess.benchmarks;

import dev.jitaccess.Decision;
import dev.jitaccess.Grant;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.micrometer.JitMetrics;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The allowed check of {@link CheckBenchmark} (same grants, same id sequence), plain and timed:
 *
 * <ul>
 *   <li>{@code plain}: the runtime, with no registry (what an application without metrics pays);
 *   <li>{@code timedDecorator}: through {@link JitMetrics#timed}, on a {@link SimpleMeterRegistry}
 *       (two reads of the registry's clock, one of two timers picked by the outcome);
 *   <li>{@code timedRecordSupplier}: the alternative, {@link Timer#record(java.util.function.Supplier)}
 *       of one timer without the outcome tag (a lambda per call);
 *   <li>{@code clockReadsOnly}: the two clock reads without recording, to split the cost.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class MetricsCheckBenchmark {

  @Param({"100000"})
  public int grants;

  @Param({"UNIFORM"})
  public IdDistribution distribution;

  private JitAccess plain;
  private JitAccess timed;
  private Timer timer;
  private Clock clock;
  private String[] ids;
  private int[] sequence;

  @Setup(Level.Trial)
  public void setUp() {
    plain = JitAccess.builder().build();
    MeterRegistry registry = new SimpleMeterRegistry();
    timed = JitMetrics.builder().registry(registry).build().timed(plain);
    timer = Timer.builder("bench.check").register(registry);
    clock = registry.config().clock();
    ids = new String[grants];
    for (int i = 0; i < grants; i++) {
      Grant grant = plain.request(Workload.request(i));
      ids[i] = new String(grant.id().toCharArray());
    }
    sequence = Workload.sequence(distribution, grants, 7);
    for (int k = 0; k < Math.min(grants, 10_000); k++) {
      int i = sequence[k];
      int p = i & Workload.K_MASK;
      if (!timed.check(ids[i], Workload.ACTIONS[p], Workload.RESOURCES[p]).isAllowed()) {
        throw new IllegalStateException("the timed check did not allow as the workload expects");
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    plain.close();
  }

  @Benchmark
  public Decision plain(CheckBenchmark.Cursor cursor) {
    int i = cursor.next(sequence);
    int p = i & Workload.K_MASK;
    return plain.check(ids[i], Workload.ACTIONS[p], Workload.RESOURCES[p]);
  }

  @Benchmark
  public Decision timedDecorator(CheckBenchmark.Cursor cursor) {
    int i = cursor.next(sequence);
    int p = i & Workload.K_MASK;
    return timed.check(ids[i], Workload.ACTIONS[p], Workload.RESOURCES[p]);
  }

  @Benchmark
  public Decision timedRecordSupplier(CheckBenchmark.Cursor cursor) {
    int i = cursor.next(sequence);
    int p = i & Workload.K_MASK;
    return timer.record(() -> plain.check(ids[i], Workload.ACTIONS[p], Workload.RESOURCES[p]));
  }

  @Benchmark
  public long clockReadsOnly(CheckBenchmark.Cursor cursor) {
    int i = cursor.next(sequence);
    int p = i & Workload.K_MASK;
    long start = clock.monotonicTime();
    Decision d = plain.check(ids[i], Workload.ACTIONS[p], Workload.RESOURCES[p]);
    return clock.monotonicTime() - start + (d.isAllowed() ? 1 : 0);
  }
}
