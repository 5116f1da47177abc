package dev.jitaccess.benchmarks;

import dev.jitaccess.Decision;
import dev.jitaccess.DenyReason;
import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.core.JitAccessBuilder;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Revoking a parent with {@value #DESCENDANTS} descendants ({@value #CHILDREN} children with
 * {@value #GRANDCHILDREN} grandchildren each), one revocation per iteration ({@link
 * Mode#SingleShotTime}).
 *
 * <p>{@code cascade=ON_CALLER} is the default runtime: when {@link JitAccess#revoke} returns, every
 * descendant denies and has been recorded, audited and reported. {@code cascade=ON_EXECUTOR} sets
 * {@link JitAccessBuilder#cascadeExecutor} (a single thread): revoke returns once the parent is
 * recorded, audited and reported, when every descendant already denies; the descendants are
 * reported on the executor. {@link #revokeParent} times revoke itself; {@link
 * #revokeParentUntilAllReported} times revoke plus the wait until the listener has seen all
 * {@value #DESCENDANTS} + 1 grants.
 *
 * <p>After each iteration the teardown checks, before waiting for anything, that every descendant
 * denies with REVOKED, then waits (up to a minute) until the listener has seen every grant, and
 * fails the run otherwise.
 *
 * <p>The runtime is otherwise the default one (system clock, own expiry thread, in-memory store,
 * SLF4J audit sink to slf4j-nop), with one counting listener, built afresh for every iteration.
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

  /** Where descendants are ended and reported. */
  public enum Cascade {
    ON_CALLER,
    ON_EXECUTOR
  }

  @Param({"ON_CALLER", "ON_EXECUTOR"})
  public Cascade cascade;

  private final AtomicInteger reported = new AtomicInteger();
  private CountDownLatch allReported;
  private @Nullable ExecutorService executor;
  private JitAccess jit;
  private String parent;
  private String[] descendants;

  @Setup(Level.Iteration)
  public void buildTree() {
    reported.set(0);
    CountDownLatch latch = new CountDownLatch(DESCENDANTS + 1);
    allReported = latch;
    JitAccessBuilder builder = JitAccess.builder().listener((grant, reason) -> {
      reported.incrementAndGet();
      latch.countDown();
    });
    if (cascade == Cascade.ON_EXECUTOR) {
      executor = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "cascade");
        thread.setDaemon(true);
        return thread;
      });
      builder.cascadeExecutor(executor);
    }
    jit = builder.build();
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

  /** Revokes the parent: the time until every descendant denies. */
  @Benchmark
  public boolean revokeParent() {
    return jit.revoke(parent, RevocationReason.ANOMALY);
  }

  /** Revokes the parent and waits until the listener has seen all of the tree. */
  @Benchmark
  public boolean revokeParentUntilAllReported() throws InterruptedException {
    boolean revoked = jit.revoke(parent, RevocationReason.ANOMALY);
    awaitAllReported();
    return revoked;
  }

  private void awaitAllReported() throws InterruptedException {
    if (!allReported.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("listeners saw " + reported.get() + " grants within a "
          + "minute, expected " + (DESCENDANTS + 1));
    }
  }

  @TearDown(Level.Iteration)
  public void verifyEveryDescendantDenies() throws InterruptedException {
    try {
      for (String id : descendants) {
        Decision decision = jit.check(id, Workload.ACTIONS[0], Workload.RESOURCES[0]);
        if (decision.reason() != DenyReason.REVOKED) {
          throw new IllegalStateException("a descendant decided " + decision + " after revoke()");
        }
      }
      awaitAllReported();
      if (reported.get() != DESCENDANTS + 1) {
        throw new IllegalStateException("listeners saw " + reported.get() + " grants, expected "
            + (DESCENDANTS + 1));
      }
    } finally {
      jit.close();
      if (executor != null) {
        executor.shutdownNow();
        executor = null;
      }
    }
  }
}
