package dev.jitaccess.benchmarks;

import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.core.JitAccessBuilder;
import dev.jitaccess.teardown.Teardown;
import dev.jitaccess.teardown.TeardownResult;
import dev.jitaccess.teardown.spi.Downstream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
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
 * The latency of one {@code revoke()} with the teardown's listener and a downstream whose every
 * revoke takes 2 s ({@link LockSupport#parkNanos} in the downstream only), beside the same
 * runtime with no teardown: the slow listener, which made {@code revoke()} take 2 s when
 * listeners ran on the revoking thread. Each invocation revokes a grant minted in its setup. The
 * slow downstream works on its own thread, so its queue grows through an iteration; what is timed
 * is the revoking thread only. Part of the verified-teardown figures next to {@link
 * TeardownBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1)
public class SlowDownstreamBenchmark {
  static final long TWO_SECONDS = TimeUnit.SECONDS.toNanos(2);

  /** A downstream that takes 2 s to acknowledge each revoke. */
  static final class TwoSecondDownstream implements Downstream {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public String name() {
      return "two-second-saas";
    }

    @Override
    public TeardownResult revoke(Grant grant, RevocationReason reason) {
      calls.incrementAndGet();
      LockSupport.parkNanos(TWO_SECONDS);
      return TeardownResult.done(grant.reference());
    }
  }

  /** A runtime, with or without the teardown, and the grant the next invocation revokes. */
  @State(Scope.Benchmark)
  public static class Runtime {
    /** Whether the teardown and its 2 s downstream are registered. */
    @Param({"true", "false"})
    public boolean slowDownstream;

    Teardown teardown;
    TwoSecondDownstream downstream;
    JitAccess jit;
    String next;
    int minted;

    @Setup(Level.Iteration)
    public void build() {
      JitAccessBuilder b = JitAccess.builder();
      if (slowDownstream) {
        downstream = new TwoSecondDownstream();
        teardown = Teardown.builder().downstream(downstream).build();
        b.listener(teardown.listener());
      }
      jit = b.build();
    }

    @Setup(Level.Invocation)
    public void mint() {
      next = jit.request(Workload.request(minted++)).id();
    }

    @TearDown(Level.Iteration)
    public void close() {
      jit.close();
      if (teardown != null) {
        teardown.close();
      }
    }
  }

  /** One revoke, timed on the revoking thread. */
  @Benchmark
  public boolean revoke(Runtime state) {
    return state.jit.revoke(state.next, RevocationReason.TASK_COMPLETED);
  }
}
