package dev.jitaccess.benchmarks;

import dev.jitaccess.CheckContext;
import dev.jitaccess.Decision;
import dev.jitaccess.Grant;
import dev.jitaccess.RequestContext;
import dev.jitaccess.core.AnomalyDetectors;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.core.JitAccessBuilder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
import org.openjdk.jmh.infra.ThreadParams;

/**
 * What the anomaly detectors cost a check: {@link JitAccess#check} on the workload of {@link
 * CheckBenchmark} (same grants, permissions, id sequences and id copies), on a runtime without
 * detectors ({@code *Plain}) and on one with the three built-ins on ({@code *DetectorsOn}:
 * {@code denialBurst}, {@code sourcePinning}, {@code checkAfterTaskEnded}).
 *
 * <p>Every grant is minted with a source in its request context, so it is pinned; the {@code
 * *WithSource} benchmarks check with a {@link CheckContext} naming that source (an equal copy of
 * the string, so the compare reads both; the contexts are made before measuring, as a server
 * makes one per request outside the check). The allowed checks with detectors on thus pay for one
 * string compare; without a context, for nothing.
 *
 * <p>The denied checks are out of scope, which the denial-burst detector counts. So that it never
 * fires during a run (a revoked grant would deny for another reason), it counts 50 denials within
 * 50 µs: more than one grant gets in 50 µs here. Its entries are dropped a window after their last
 * denial, so nearly every denial measured makes a fresh entry: the detector's costliest case. The
 * run fails if any anomaly was found.
 *
 * <p>The runtime is otherwise the default one (system clock, its own expiry thread, in-memory
 * store, SLF4J audit sink on slf4j-nop), as in {@link CheckBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@State(Scope.Benchmark)
public class AnomalyCheckBenchmark {
  /** The denial-burst detector's settings: never reached by this workload. */
  static final int BURST = 50;
  static final Duration BURST_WINDOW = Duration.ofNanos(50_000);

  @Param({"1000", "100000", "1000000"})
  public int grants;

  @Param({"UNIFORM", "ZIPF"})
  public IdDistribution distribution;

  private JitAccess jit;
  private String[] ids;
  private CheckContext[] contexts;
  private int[] sequence;
  private final AtomicLong anomalies = new AtomicLong();

  /** Where a thread is in the id sequence. */
  @State(Scope.Thread)
  public static class Cursor {
    int position;

    @Setup(Level.Trial)
    public void start(ThreadParams thread) {
      position = thread.getThreadIndex() * (Workload.SEQUENCE_LENGTH / 2 + 12_345);
    }

    int next(int[] sequence) {
      return sequence[position++ & Workload.SEQUENCE_MASK];
    }
  }

  /** The source grant {@code i} is pinned to. */
  static String source(int i) {
    return "10." + ((i >>> 16) & 255) + "." + ((i >>> 8) & 255) + "." + (i & 255);
  }

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    JitAccessBuilder builder = JitAccess.builder();
    if (params.getBenchmark().contains("DetectorsOn")) {
      builder.anomalyDetector(AnomalyDetectors.denialBurst(BURST, BURST_WINDOW))
          .anomalyDetector(AnomalyDetectors.sourcePinning())
          .anomalyDetector(AnomalyDetectors.checkAfterTaskEnded(Duration.ofSeconds(30)))
          .anomalyListener(report -> anomalies.incrementAndGet());
    }
    jit = builder.build();
    ids = new String[grants];
    contexts = new CheckContext[grants];
    for (int i = 0; i < grants; i++) {
      Grant grant = jit.request(Workload.request(i).toBuilder()
          .context(RequestContext.builder().source(source(i)).build()).build());
      ids[i] = new String(grant.id().toCharArray());
      contexts[i] = CheckContext.ofSource(new String(source(i).toCharArray()));
    }
    sequence = Workload.sequence(distribution, grants, 7);
    verify();
  }

  /** Proves each benchmark decides what it claims to, before anything is measured. */
  private void verify() {
    for (int k = 0; k < Math.min(grants, 10_000); k++) {
      int i = sequence[k];
      int p = i & Workload.K_MASK;
      require(jit.check(ids[i], Workload.ACTIONS[p], Workload.RESOURCES[p]).isAllowed(),
          "allowed check");
      require(jit.check(ids[i], Workload.ACTIONS[p], Workload.RESOURCES[p], contexts[i])
          .isAllowed(), "allowed check from the pinned source");
    }
    int i = sequence[0];
    require(jit.check(ids[i], Workload.DENIED_ACTION, Workload.RESOURCES[i & Workload.K_MASK])
        .isDenied(), "out-of-scope check");
  }

  private static void require(boolean condition, String what) {
    if (!condition) {
      throw new IllegalStateException(what + " did not decide as the workload expects");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    jit.close();
    if (anomalies.get() != 0) {
      throw new IllegalStateException(anomalies.get() + " anomalies were found: the run measured "
          + "revoked grants, not the path it claims to");
    }
  }

  /** An allowed check, no detectors: the plain check on pinned grants. */
  @Benchmark
  public Decision allowedPlain(Cursor cursor) {
    int i = cursor.next(sequence);
    int p = i & Workload.K_MASK;
    return jit.check(ids[i], Workload.ACTIONS[p], Workload.RESOURCES[p]);
  }

  /** An allowed check with a context, no detectors: the context is not looked at. */
  @Benchmark
  public Decision allowedPlainWithSource(Cursor cursor) {
    int i = cursor.next(sequence);
    int p = i & Workload.K_MASK;
    return jit.check(ids[i], Workload.ACTIONS[p], Workload.RESOURCES[p], contexts[i]);
  }

  /** An allowed check without a context, the built-ins on: none of them looks at it. */
  @Benchmark
  public Decision allowedDetectorsOn(Cursor cursor) {
    int i = cursor.next(sequence);
    int p = i & Workload.K_MASK;
    return jit.check(ids[i], Workload.ACTIONS[p], Workload.RESOURCES[p]);
  }

  /** An allowed check from the pinned source, the built-ins on: one string compare. */
  @Benchmark
  public Decision allowedDetectorsOnWithSource(Cursor cursor) {
    int i = cursor.next(sequence);
    int p = i & Workload.K_MASK;
    return jit.check(ids[i], Workload.ACTIONS[p], Workload.RESOURCES[p], contexts[i]);
  }

  /** An out-of-scope check, no detectors (audited as DENIED). */
  @Benchmark
  public Decision deniedPlain(Cursor cursor) {
    int i = cursor.next(sequence);
    return jit.check(ids[i], Workload.DENIED_ACTION, Workload.RESOURCES[i & Workload.K_MASK]);
  }

  /**
   * An out-of-scope check from the pinned source, the built-ins on: audited, then shown to the
   * three detectors (the burst detector records it).
   */
  @Benchmark
  public Decision deniedDetectorsOn(Cursor cursor) {
    int i = cursor.next(sequence);
    return jit.check(ids[i], Workload.DENIED_ACTION, Workload.RESOURCES[i & Workload.K_MASK],
        contexts[i]);
  }
}
