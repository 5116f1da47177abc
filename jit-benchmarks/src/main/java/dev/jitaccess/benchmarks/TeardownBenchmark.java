package dev.jitaccess.benchmarks;

import dev.jitaccess.AuditEventType;
import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.teardown.Probe;
import dev.jitaccess.teardown.Teardown;
import dev.jitaccess.teardown.TeardownEntry;
import dev.jitaccess.teardown.TeardownResult;
import dev.jitaccess.teardown.spi.Downstream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
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
 * Verified teardown of {@value #GRANTS} grants across {@value #DOWNSTREAMS} downstreams ({@value
 * #ENTRIES} ledger entries), one run of all of them per iteration ({@link Mode#SingleShotTime}).
 *
 * <p>{@link #revokeAll} times revoking every grant on one thread with the teardown's listener
 * registered: what the listener adds to {@code revoke()} (three ledger inserts and three hand-offs
 * per grant), against {@link #revokeAllWithoutTeardown}, the same runtime with a listener that
 * does nothing. {@link #revokeAllUntilVerified} times revoking every grant and waiting until every
 * entry is VERIFIED: each downstream's attempts on its own thread, each call on a thread of that
 * downstream's call pool under the default 30 s timeout, then the probe, then the ledger write.
 *
 * <p>The downstreams are in-memory role tables (revoke removes the grant's role, the probe looks
 * it up), so the figures are the teardown's own cost; the runtime and the teardown are the
 * defaults (system clock, in-memory store and ledger, SLF4J audit to slf4j-nop for the runtime, a
 * counting audit sink for the teardown), built afresh for each iteration. After each iteration
 * every entry must be VERIFIED and none lingering, or the run fails.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class TeardownBenchmark {
  static final int GRANTS = 100_000;
  static final int DOWNSTREAMS = 3;
  static final int ENTRIES = GRANTS * DOWNSTREAMS;

  /**
   * An in-memory role table keyed by grant id: revoke removes the grant's role and acknowledges
   * with the grant's reference, the probe looks the role up.
   */
  static final class RoleTable implements Downstream {
    private final String name;
    private final Map<String, Boolean> roles = new ConcurrentHashMap<>();

    RoleTable(String name) {
      this.name = name;
    }

    void grant(String grantId) {
      roles.put(grantId, Boolean.TRUE);
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public TeardownResult revoke(Grant grant, RevocationReason reason) {
      roles.remove(grant.id());
      return TeardownResult.done(grant.reference());
    }

    @Override
    public Probe verify(Grant grant) {
      return roles.containsKey(grant.id()) ? Probe.STILL_LIVE : Probe.DENIED;
    }
  }

  /** A runtime with the teardown registered, and 100,000 live grants. */
  @State(Scope.Benchmark)
  public static class WithTeardown {
    Teardown teardown;
    JitAccess jit;
    String[] ids;
    CountDownLatch verified;

    @Setup(Level.Iteration)
    public void mint() {
      CountDownLatch latch = new CountDownLatch(ENTRIES);
      verified = latch;
      Teardown.Builder builder = Teardown.builder().auditSink(event -> {
        if (event.type() == AuditEventType.TEARDOWN_VERIFIED) {
          latch.countDown();
        }
      });
      RoleTable[] tables = new RoleTable[DOWNSTREAMS];
      for (int d = 0; d < DOWNSTREAMS; d++) {
        tables[d] = new RoleTable("downstream-" + d);
        builder.downstream(tables[d]);
      }
      teardown = builder.build();
      jit = JitAccess.builder().listener(teardown.listener()).build();
      ids = new String[GRANTS];
      for (int i = 0; i < GRANTS; i++) {
        Grant grant = jit.request(Workload.request(i));
        ids[i] = grant.id();
        for (RoleTable table : tables) {
          table.grant(grant.id());
        }
      }
    }

    void awaitAllVerified() throws InterruptedException {
      if (!verified.await(120, TimeUnit.SECONDS)) {
        throw new IllegalStateException(verified.getCount() + " of " + ENTRIES
            + " entries not VERIFIED within two minutes");
      }
    }

    @TearDown(Level.Iteration)
    public void checkEveryEntryVerified() throws InterruptedException {
      try {
        awaitAllVerified();
        List<TeardownEntry> lingering = teardown.lingering(Duration.ZERO);
        if (!lingering.isEmpty()) {
          throw new IllegalStateException(lingering.size() + " entries linger, first "
              + lingering.get(0));
        }
      } finally {
        jit.close();
        teardown.close();
      }
    }
  }

  /** The same runtime and grants, with a listener that does nothing. */
  @State(Scope.Benchmark)
  public static class Plain {
    JitAccess jit;
    String[] ids;

    @Setup(Level.Iteration)
    public void mint() {
      jit = JitAccess.builder().listener((grant, reason) -> { }).build();
      ids = new String[GRANTS];
      for (int i = 0; i < GRANTS; i++) {
        ids[i] = jit.request(Workload.request(i)).id();
      }
    }

    @TearDown(Level.Iteration)
    public void close() {
      jit.close();
    }
  }

  /** Revokes every grant, the teardown's listener registered: the cost it adds to revoke(). */
  @Benchmark
  public int revokeAll(WithTeardown state) {
    int ended = 0;
    for (String id : state.ids) {
      ended += state.jit.revoke(id, RevocationReason.TASK_COMPLETED) ? 1 : 0;
    }
    return ended;
  }

  /** Revokes every grant and waits until all {@value #ENTRIES} entries are VERIFIED. */
  @Benchmark
  public int revokeAllUntilVerified(WithTeardown state) throws InterruptedException {
    int ended = revokeAll(state);
    state.awaitAllVerified();
    return ended;
  }

  /** Revokes every grant of a runtime without the teardown: the baseline. */
  @Benchmark
  public int revokeAllWithoutTeardown(Plain state) {
    int ended = 0;
    for (String id : state.ids) {
      ended += state.jit.revoke(id, RevocationReason.TASK_COMPLETED) ? 1 : 0;
    }
    return ended;
  }
}
