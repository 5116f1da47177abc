package dev.jitaccess.benchmarks;

import dev.jitaccess.core.InMemoryGrantStore;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Expiry of {@code grants} live grants that all reach their expiry together, one batch per
 * iteration ({@link Mode#SingleShotTime}). Time is a {@link FakeClock} that is both the runtime's
 * clock and its scheduler, so {@code advance} runs every due expiry timer synchronously on the
 * calling thread: the figure is the library's own work, not waiting.
 *
 * <ul>
 *   <li>{@link #expireAll}: advance to the expiry; returns when every grant is EXPIRED and every
 *       listener has fired (checked after the iteration).
 *   <li>{@link #expireAndRelease}: advance past the expiry and the store's retention; returns when,
 *       in addition, the store has dropped every grant and its indexes (size 0, checked after the
 *       iteration). The heap this frees is measured by {@link RetainedMemory}.
 * </ul>
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@State(Scope.Benchmark)
public class ExpiryBenchmark {
  static final Duration RETENTION = InMemoryGrantStore.DEFAULT_RETENTION;

  @Param({"1000000"})
  public int grants;

  private final AtomicInteger fired = new AtomicInteger();
  private FakeClock clock;
  private InMemoryGrantStore store;
  private JitAccess jit;
  private boolean released;

  @Setup(Level.Iteration)
  public void mint() {
    fired.set(0);
    released = false;
    clock = new FakeClock();
    store = InMemoryGrantStore.builder().clock(clock).scheduler(clock).build();
    jit = JitAccess.builder().clock(clock).scheduler(clock).store(store)
        .listener((grant, reason) -> fired.incrementAndGet())
        .build();
    for (int i = 0; i < grants; i++) {
      jit.request(Workload.request(i));
    }
  }

  /** Advances to the expiry: every timer runs, every grant ends, every listener fires. */
  @Benchmark
  public int expireAll() {
    clock.advance(Workload.TTL);
    return fired.get();
  }

  /** Advances past expiry and retention: as above, then the store drops every grant. */
  @Benchmark
  public long expireAndRelease() {
    clock.advance(Workload.TTL.plus(RETENTION).plusSeconds(1));
    released = true;
    return store.size();
  }

  @TearDown(Level.Iteration)
  public void verify() {
    try {
      if (fired.get() != grants) {
        throw new IllegalStateException(
            "listeners fired for " + fired.get() + " grants, expected " + grants);
      }
      if (released && store.size() != 0) {
        throw new IllegalStateException("the store still holds " + store.size() + " grants");
      }
    } finally {
      jit.close();
    }
  }
}
