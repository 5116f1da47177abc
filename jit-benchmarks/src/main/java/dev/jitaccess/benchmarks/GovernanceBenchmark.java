package dev.jitaccess.benchmarks;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.Ttl;
import dev.jitaccess.core.InMemoryGrantStore;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.governance.AccessRequest;
import dev.jitaccess.governance.EligibilityRule;
import dev.jitaccess.governance.EligibilityRules;
import dev.jitaccess.governance.Governance;
import dev.jitaccess.governance.InMemoryDirectory;
import dev.jitaccess.governance.RequestSpec;
import dev.jitaccess.governance.RiskTiers;
import dev.jitaccess.spi.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
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
 * The cost of the approval flow beside a plain {@code request()}, in memory, audit to a no-op
 * sink, sampled for percentiles: {@link #plainRequest} mints directly on a runtime without
 * governance; {@link #request} files an access request (eligibility, insert, audit, timer);
 * {@link #requestApproveActivate} is the whole MEDIUM flow (request, one approval, activation
 * minting the grant); {@link #requestTwoApprovalsActivate} the HIGH flow with two approvals from
 * two teams. Both runtimes are rebuilt every iteration so requests and grants do not pile up.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class GovernanceBenchmark {
  private final Clock clock = Clock.systemUTC();
  private ScheduledExecutorService timers;
  private JitAccess plain;
  private Governance gov;
  private int next;

  @Setup(Level.Iteration)
  public void start() {
    timers = Executors.newSingleThreadScheduledExecutor();
    Scheduler scheduler = (task, delay) -> {
      ScheduledFuture<?> f = timers.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
      return () -> f.cancel(false);
    };
    plain = JitAccess.builder().clock(clock).scheduler(scheduler).auditSink(event -> { })
        .store(InMemoryGrantStore.builder().clock(clock).build()).build();
    InMemoryDirectory directory = InMemoryDirectory.builder()
        .member("dba-ann", "dba").team("dba-ann", "db")
        .member("sec-sue", "dba").team("sec-sue", "security").build();
    gov = Governance.builder()
        .runtime(JitAccess.builder()).grants(InMemoryGrantStore.builder().clock(clock).build())
        .clock(clock).scheduler(scheduler).auditSink(event -> { }).directory(directory)
        .rules(EligibilityRules.of(EligibilityRule.builder("svc").requesters("svc")
            .scope("read:orders/**").tiers(RiskTiers.MEDIUM, RiskTiers.HIGH)
            .approvers("group:dba").distinctTeams(true).build()))
        .build();
    next = 0;
  }

  @TearDown(Level.Iteration)
  public void stop() {
    plain.close();
    gov.close();
    timers.shutdownNow();
  }

  private static RequestSpec spec(String tier, int i) {
    return RequestSpec.builder().requester("svc").owner("team-a").task("task-" + i)
        .purpose("benchmark").scope("read:orders/" + (i & 1023))
        .lifetime(Duration.ofMinutes(30)).tier(tier)
        .justification("benchmark of the approval flow").build();
  }

  /** The floor: a grant minted directly, policy approving everything. */
  @Benchmark
  public Grant plainRequest() {
    int i = next++;
    return plain.request(GrantRequest.builder().subject("svc").owner("team-a").task("task-" + i)
        .purpose("benchmark").scope("read:orders/" + (i & 1023))
        .ttl(Ttl.of(Duration.ofMinutes(30))).build());
  }

  /** An access request filed and waiting. */
  @Benchmark
  public AccessRequest request() {
    return gov.request(spec(RiskTiers.MEDIUM, next++));
  }

  /** Request, one approval, activation. */
  @Benchmark
  public Grant requestApproveActivate() {
    AccessRequest r = gov.request(spec(RiskTiers.MEDIUM, next++));
    gov.approve(r.id(), "dba-ann");
    return gov.activate(r.id(), "svc");
  }

  /** Request, two approvals from two teams, activation. */
  @Benchmark
  public Grant requestTwoApprovalsActivate() {
    AccessRequest r = gov.request(spec(RiskTiers.HIGH, next++));
    gov.approve(r.id(), "dba-ann");
    gov.approve(r.id(), "sec-sue");
    return gov.activate(r.id(), "svc");
  }
}
