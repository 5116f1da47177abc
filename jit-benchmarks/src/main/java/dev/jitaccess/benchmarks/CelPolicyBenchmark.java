package dev.jitaccess.benchmarks;

import dev.jitaccess.GrantRequest;
import dev.jitaccess.RequestContext;
import dev.jitaccess.Ttl;
import dev.jitaccess.WorkloadIdentity;
import dev.jitaccess.policy.cel.AppliesTo;
import dev.jitaccess.policy.cel.CelPolicy;
import dev.jitaccess.spi.AccessPolicy;
import dev.jitaccess.spi.PolicyDecision;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A {@link CelPolicy} deciding at request time, sampled for percentiles ({@link Mode#SampleTime};
 * target: p50 at most 5 us): a policy of ten conditions, compiled once in setup, over the
 * subject, scope (one comprehension), lifetime, hard cap, use budget, ticket (one regular
 * expression literal), tier, an attribute, an identity claim and the time of day.
 *
 * <ul>
 *   <li>{@link #celApproved}: every rule holds, so all ten are evaluated (the common case and the
 *       dearest).
 *   <li>{@link #celDenied}: the fourth rule denies, so four are.
 *   <li>{@link #floorApproveWithinLimits}: {@link AccessPolicy#approveWithinLimits()}, the floor:
 *       what asking any policy costs the runtime.
 *   <li>{@link #floorCelEngine}: the floor of the CEL engine itself: the same ten expressions,
 *       compiled by a stock cel-java compiler and planned by its planner runtime with its standard
 *       functions, evaluated in turn over variables converted before the run (a plain map), so
 *       neither the policy's variable resolution, its literal caches nor its decision are counted.
 *       What {@link #celApproved} costs above it is the policy's own share.
 * </ul>
 *
 * <p>The requests are built before the run, {@value #K} of them with different subjects,
 * tickets and claims, taken in turn; the clock is fixed (a weekday, 10:15 UTC), so {@code now}
 * costs one read. Each decision builds its own variables: the scope's list and the claims are
 * converted on first read, as they would be for a request just received.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class CelPolicyBenchmark {
  /** How many different requests are taken in turn. */
  static final int K = 64;

  private final GrantRequest[] approved = new GrantRequest[K];
  private final GrantRequest[] denied = new GrantRequest[K];
  private CelPolicy policy;
  private AccessPolicy floor;
  private CelRuntime.Program[] bare;
  private final List<Map<String, Object>> bareVariables = new ArrayList<>(K);
  private int next;

  static CelPolicy tenConditions(Clock clock) {
    return CelPolicy.builder().clock(clock)
        .rule("known-subject", "request.subject.startsWith('ci-')"
            + " || request.subject in ['alice', 'bob']", "UNKNOWN_SUBJECT", "who is this?")
        .rule("no-admin", "request.scope.all(p, !p.startsWith('admin:'))", "ADMIN_FORBIDDEN",
            "admin permissions are never granted just in time")
        .rule("short-lifetime", "request.lifetime <= duration('30m')", "LIFETIME_TOO_LONG",
            "at most 30 minutes")
        .rule("ticket", AppliesTo.REQUESTS, "request.ticket.matches('^CHG-[0-9]{1,8}$')",
            "TICKET_REQUIRED", "a change ticket is required")
        .rule("capped", "request.hardCap == duration('0s') || request.hardCap <= duration('2h')",
            "HARD_CAP_TOO_LONG", "a cap of at most 2 hours")
        .rule("budget", "request.useBudget <= 100", "BUDGET_TOO_LARGE", "at most 100 uses")
        .rule("tier", "request.tier in ['low', 'medium']", "TIER_NOT_ALLOWED",
            "only the low and medium tiers")
        .rule("environment", "request.attributes.env != 'prod' || request.owner == "
            + "'team-payments'", "PROD_OWNER_ONLY", "prod is for its owner only")
        .rule("team-claim", "identity.verified && identity.claims.team == 'payments'",
            "WRONG_TEAM", "the payments team only")
        .rule("office-hours", "now.getHours('UTC') >= 7 && now.getHours('UTC') < 19",
            "OUTSIDE_OFFICE_HOURS", "07:00 to 19:00 UTC")
        .build();
  }

  static GrantRequest request(int i, String ticket) {
    WorkloadIdentity identity = new WorkloadIdentity("ci-job-" + i, "https://issuer.example",
        Instant.parse("2026-11-23T11:00:00Z"),
        Map.of("team", "payments", "run", (long) i, "groups", List.of("deployers", "ci")));
    return GrantRequest.builder().subject("ci-job-" + i).owner("team-payments")
        .task("deploy-" + i).purpose("deploy the payments service")
        .scope("write:deployments/payments", "read:config/payments/**", "read:orders/" + i)
        .ttl(Ttl.of(Duration.ofMinutes(10), Duration.ofHours(1))).useBudget(50)
        .context(RequestContext.builder().identity(identity).ticket(ticket).tier("low")
            .attribute("env", "prod").attribute("replicas", 3L).build())
        .build();
  }

  @Setup
  public void setUp() {
    Clock clock = Clock.fixed(Instant.parse("2026-11-23T10:15:00Z"), ZoneOffset.UTC);
    policy = tenConditions(clock);
    floor = AccessPolicy.approveWithinLimits();
    for (int i = 0; i < K; i++) {
      approved[i] = request(i, "CHG-" + (1000 + i));
      denied[i] = request(i, "INC-" + (1000 + i)); // the ticket rule, the fourth, denies
      bareVariables.add(bareVariables(approved[i], clock.instant()));
    }
    bare = bareEngine();
    try {
      next = 0;
      for (int i = 0; i < K; i++) {
        if (!floorCelEngine()) {
          throw new IllegalStateException("the bare engine does not approve request " + i);
        }
      }
      next = 0;
    } catch (CelEvaluationException e) {
      throw new IllegalStateException("the bare engine cannot evaluate", e);
    }
    for (int i = 0; i < K; i++) {
      if (!policy.onRequest(approved[i], null).isApproved()
          || !"TICKET_REQUIRED".equals(policy.onRequest(denied[i], null).reason())) {
        throw new IllegalStateException("the benchmark's requests do not decide as intended: "
            + policy.onRequest(approved[i], null) + ", " + policy.onRequest(denied[i], null));
      }
    }
  }

  /** The ten conditions of {@link #tenConditions}, as plain CEL expressions. */
  static final List<String> TEN_EXPRESSIONS = List.of(
      "request.subject.startsWith('ci-') || request.subject in ['alice', 'bob']",
      "request.scope.all(p, !p.startsWith('admin:'))",
      "request.lifetime <= duration('30m')",
      "request.ticket.matches('^CHG-[0-9]{1,8}$')",
      "request.hardCap == duration('0s') || request.hardCap <= duration('2h')",
      "request.useBudget <= 100",
      "request.tier in ['low', 'medium']",
      "request.attributes.env != 'prod' || request.owner == 'team-payments'",
      "identity.verified && identity.claims.team == 'payments'",
      "now.getHours('UTC') >= 7 && now.getHours('UTC') < 19");

  static CelRuntime.Program[] bareEngine() {
    CelType strings = ListType.create(SimpleType.STRING);
    CelType dynMap = MapType.create(SimpleType.STRING, SimpleType.DYN);
    CelOptions options = CelOptions.current().enableHeterogeneousNumericComparisons(true).build();
    CelCompiler compiler = CelCompilerFactory.standardCelCompilerBuilder().setOptions(options)
        .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
        .addVar("now", SimpleType.TIMESTAMP)
        .addVar("request.subject", SimpleType.STRING).addVar("request.owner", SimpleType.STRING)
        .addVar("request.scope", strings).addVar("request.lifetime", SimpleType.DURATION)
        .addVar("request.hardCap", SimpleType.DURATION).addVar("request.useBudget", SimpleType.INT)
        .addVar("request.ticket", SimpleType.STRING).addVar("request.tier", SimpleType.STRING)
        .addVar("request.attributes", dynMap).addVar("identity.verified", SimpleType.BOOL)
        .addVar("identity.claims", dynMap)
        .build();
    CelRuntime runtime = CelRuntimeFactory.plannerRuntimeBuilder().setOptions(options).build();
    CelRuntime.Program[] programs = new CelRuntime.Program[TEN_EXPRESSIONS.size()];
    try {
      for (int i = 0; i < programs.length; i++) {
        programs[i] = runtime.createProgram(
            compiler.compile(TEN_EXPRESSIONS.get(i)).getAst());
      }
    } catch (CelValidationException | CelEvaluationException e) {
      throw new IllegalStateException("the bare engine's expressions do not compile", e);
    }
    return programs;
  }

  static Map<String, Object> bareVariables(GrantRequest request, Instant now) {
    RequestContext context = request.context();
    Map<String, Object> v = new HashMap<>();
    v.put("now", now);
    v.put("request.subject", request.subject());
    v.put("request.owner", request.owner());
    List<String> scope = new ArrayList<>();
    for (String permission : request.scope().toString().split(" ")) {
      scope.add(permission);
    }
    v.put("request.scope", scope);
    v.put("request.lifetime", request.ttl().lifetime());
    v.put("request.hardCap", request.ttl().hardCap() == null ? Duration.ZERO
        : request.ttl().hardCap());
    v.put("request.useBudget", request.useBudget().orElse(0));
    v.put("request.ticket", context.ticket().orElse(""));
    v.put("request.tier", context.tier().orElse(""));
    v.put("request.attributes", context.attributes());
    v.put("identity.verified", context.identity().isPresent());
    v.put("identity.claims", context.identity().map(WorkloadIdentity::claims).orElse(Map.of()));
    return v;
  }

  @Benchmark
  public boolean floorCelEngine() throws CelEvaluationException {
    Map<String, Object> variables = bareVariables.get(next++ & (K - 1));
    boolean all = true;
    for (CelRuntime.Program program : bare) {
      all &= Boolean.TRUE.equals(program.eval(variables));
    }
    return all;
  }

  @Benchmark
  public PolicyDecision celApproved() {
    return policy.onRequest(approved[next++ & (K - 1)], null);
  }

  @Benchmark
  public PolicyDecision celDenied() {
    return policy.onRequest(denied[next++ & (K - 1)], null);
  }

  @Benchmark
  public PolicyDecision floorApproveWithinLimits() {
    return floor.onRequest(approved[next++ & (K - 1)], null);
  }
}
