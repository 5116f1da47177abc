package dev.jitaccess.benchmarks;

import dev.jitaccess.Decision;
import dev.jitaccess.DenyReason;
import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import dev.jitaccess.core.JitAccess;
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
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Revoking a parent with {@value #DESCENDANTS} descendants ({@value #CHILDREN} children with
 * {@value #GRANDCHILDREN} grandchildren each), one revocation per iteration ({@link
 * Mode#SingleShotTime}): the time {@link JitAccess#revoke} takes. The library promises that when
 * revoke returns, every descendant denies and every listener has been told; after each iteration
 * this benchmark checks exactly that (every descendant's check denies with REVOKED, the listener
 * saw {@value #DESCENDANTS} + 1 grants) and fails the run if not. So the figure is the time until
 * every descendant denies.
 *
 * <p>The runtime is the default one (system clock, own expiry thread, in-memory store, SLF4J audit
 * sink to slf4j-nop), with one counting listener, built afresh for every iteration.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
public class CascadeRevokeBenchmark {
  static final int CHILDREN = 100;
  static final int GRANDCHILDREN = 999;
  static final int DESCENDANTS = CHILDREN + CHILDREN * GRANDCHILDREN;

  private final AtomicInteger reported = new AtomicInteger();
  private JitAccess jit;
  private String parent;
  private String[] descendants;

  @Setup(Level.Iteration)
  public void buildTree() {
    reported.set(0);
    jit = JitAccess.builder().listener((grant, reason) -> reported.incrementAndGet()).build();
    Scope scope = Workload.SCOPES[0];
    parent = jit.request(Workload.request(0)).id();
    descendants = new String[DESCENDANTS];
    int d = 0;
    for (int c = 0; c < CHILDREN; c++) {
      Grant child = jit.delegate(parent, scope, Duration.ofMinutes(20), "agent-" + c);
      descendants[d++] = child.id();
      for (int g = 0; g < GRANDCHILDREN; g++) {
        descendants[d++] =
            jit.delegate(child.id(), scope, Duration.ofMinutes(10), "tool-" + g).id();
      }
    }
  }

  /** Revokes the parent; returns once the whole tree is revoked and reported. */
  @Benchmark
  public boolean revokeParent() {
    return jit.revoke(parent, RevocationReason.ANOMALY);
  }

  @TearDown(Level.Iteration)
  public void verifyEveryDescendantDenies() {
    try {
      for (String id : descendants) {
        Decision decision = jit.check(id, Workload.ACTIONS[0], Workload.RESOURCES[0]);
        if (decision.reason() != DenyReason.REVOKED) {
          throw new IllegalStateException("a descendant decided " + decision + " after revoke()");
        }
      }
      if (reported.get() != DESCENDANTS + 1) {
        throw new IllegalStateException("listeners saw " + reported.get() + " grants, expected "
            + (DESCENDANTS + 1));
      }
    } finally {
      jit.close();
    }
  }
}
