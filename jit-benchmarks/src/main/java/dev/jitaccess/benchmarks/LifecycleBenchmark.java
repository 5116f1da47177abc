package dev.jitaccess.benchmarks;

import dev.jitaccess.DelegationRequest;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Ttl;
import dev.jitaccess.core.JitAccess;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The lifecycle operations, one call each, sampled for percentiles ({@link Mode#SampleTime}):
 * mint ({@link JitAccess#request}), {@link JitAccess#renew}, {@link JitAccess#revoke} of a grant
 * with no delegations, and {@link JitAccess#delegate}.
 *
 * <p>The runtime is the default one (system clock, its own expiry thread, in-memory store, SLF4J
 * audit sink to slf4j-nop), built afresh for every iteration so that the grants minted by one
 * iteration do not pile up into the next. It holds {@value #LIVE} live grants before the first
 * call, so the store and scheduler are not empty. Every minted grant schedules its own expiry
 * timer on the runtime's thread; that cost is inside mint and delegate.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class LifecycleBenchmark {
  /** Grants minted before each iteration. */
  static final int LIVE = 10_000;

  private final DelegationRequest[] delegations = new DelegationRequest[Workload.K];
  private JitAccess jit;
  private String[] live;
  private int next;

  /**
   * The request {@link #mint} sends: a fresh one per call, built outside the measured call, with a
   * task of its own (as {@link Workload} intends) and the subject and owner as new strings, as
   * they would arrive with a request.
   */
  @State(Scope.Thread)
  public static class MintRequest {
    GrantRequest request;
    int next = LIVE;

    @Setup(Level.Invocation)
    public void build() {
      request = Workload.request(next++);
    }
  }

  /** The grant {@link #revoke} ends: a fresh one per call, minted outside the measured call. */
  @State(Scope.Thread)
  public static class RevokeTarget {
    String id;
    int next = LIVE;

    @Setup(Level.Invocation)
    public void mint(LifecycleBenchmark benchmark) {
      id = benchmark.jit.request(Workload.request(next++)).id();
    }
  }

  @Setup(Level.Trial)
  public void prepare() {
    for (int p = 0; p < Workload.K; p++) {
      delegations[p] = DelegationRequest.builder()
          .subject("sub-agent")
          .scope(Workload.SCOPES[p])
          .ttl(Ttl.of(Duration.ofMinutes(5)))
          .build();
    }
  }

  @Setup(Level.Iteration)
  public void startRuntime() {
    jit = JitAccess.builder().build();
    live = new String[LIVE];
    for (int i = 0; i < LIVE; i++) {
      live[i] = jit.request(Workload.request(i)).id();
    }
    next = 0;
  }

  @TearDown(Level.Iteration)
  public void stopRuntime() {
    jit.close();
  }

  /** Mints a one-permission grant for a task: policy, limits, id, store insert, timer, audit. */
  @Benchmark
  public Grant mint(MintRequest mint) {
    return jit.request(mint.request);
  }

  /** Extends a live grant (minted for 30 minutes) to 40 minutes from now. */
  @Benchmark
  public Grant renew() {
    return jit.renew(live[next++ % LIVE], Duration.ofMinutes(40));
  }

  /** Revokes an ACTIVE grant with no delegations: CAS in the store, audit, listeners. */
  @Benchmark
  public boolean revoke(RevokeTarget target) {
    next++;
    return jit.revoke(target.id, RevocationReason.TASK_COMPLETED);
  }

  /** Delegates a 5-minute child with the parent's whole (one-permission) scope. */
  @Benchmark
  public Grant delegate() {
    int i = next++ % LIVE;
    return jit.delegate(live[i], delegations[i & Workload.K_MASK]);
  }
}
