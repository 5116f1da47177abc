package dev.jitaccess.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.jitaccess.Decision;
import dev.jitaccess.Grant;
import dev.jitaccess.core.JitAccess;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.casbin.jcasbin.main.Enforcer;
import org.casbin.jcasbin.model.Model;
import org.jspecify.annotations.Nullable;
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
 * {@link JitAccess#check} with {@code grants} live grants, ids drawn uniformly or Zipf-distributed,
 * against four references measured on the same keys in the same sequence: {@link
 * ConcurrentHashMap#get} and Caffeine {@code getIfPresent} (the floor: a bare lookup by id, no
 * decision), the map lookup followed by one read of the system clock (the least a check that
 * decides expiry exactly can cost), and jCasbin {@code enforce()} on the equivalent policy (the
 * peer).
 *
 * <p>The runtime is the default one ({@link JitAccess#builder()} with no options): the system
 * clock, its own expiry thread, the in-memory store, the SLF4J audit sink (logging to slf4j-nop,
 * so a denial pays for building its audit event but not for log I/O).
 *
 * <p>The jCasbin policy is RBAC with keyMatch: one role per distinct permission ({@code p, perm-k,
 * tenants/tk/reports/*, read}) and one grouping per grant ({@code g, grantId, perm-k}), with the
 * matcher {@code g(r.sub, p.sub) && keyMatch(r.obj, p.obj) && r.act == p.act}. It allows exactly
 * what the grants allow. This is the favourable layout for jCasbin: a flat ACL with one policy line
 * per grant makes every enforce() scan all of them.
 *
 * <p>Each thread walks the same precomputed id sequence from its own offset; the walk (two array
 * reads) is the same in every benchmark here, so the differences are the lookups and decisions.
 * The ids passed in are copies of the minted ids (equal, not identical), as ids read off the wire
 * would be; their hash codes are cached by the first pass.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@State(Scope.Benchmark)
public class CheckBenchmark {

  @Param({"1000", "100000", "1000000"})
  public int grants;

  @Param({"UNIFORM", "ZIPF"})
  public IdDistribution distribution;

  /** The default runtime's clock, read by {@link #floorThenClockRead} as a check reads it. */
  private final Clock clock = Clock.systemUTC();
  private JitAccess jit;
  /** Copies of the minted ids, by grant index. */
  private String[] ids;
  /** Never-minted ids, by grant index. */
  private String[] unknownIds;
  private int[] sequence;
  private @Nullable ConcurrentHashMap<String, Grant> map;
  private @Nullable Cache<String, Grant> cache;
  private @Nullable Enforcer enforcer;

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

  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    jit = JitAccess.builder().build();
    ids = new String[grants];
    Grant[] minted = new Grant[grants];
    for (int i = 0; i < grants; i++) {
      minted[i] = jit.request(Workload.request(i));
      ids[i] = new String(minted[i].id().toCharArray());
    }
    unknownIds = Workload.unknownIds(grants, 42);
    sequence = Workload.sequence(distribution, grants, 7);
    String benchmark = params.getBenchmark();
    if (benchmark.endsWith("floorConcurrentHashMap") || benchmark.endsWith("floorThenClockRead")) {
      map = new ConcurrentHashMap<>();
      for (Grant grant : minted) {
        map.put(grant.id(), grant);
      }
    } else if (benchmark.endsWith("floorCaffeine")) {
      cache = Caffeine.newBuilder().build();
      for (Grant grant : minted) {
        cache.put(grant.id(), grant);
      }
    } else if (benchmark.contains("casbin")) {
      enforcer = casbin(ids);
    }
    verify();
  }

  /** Proves every benchmark below decides what it claims to, before anything is measured. */
  private void verify() {
    for (int k = 0; k < Math.min(grants, 10_000); k++) {
      int i = sequence[k];
      int p = i & Workload.K_MASK;
      require(jit.check(ids[i], Workload.ACTIONS[p], Workload.RESOURCES[p]).isAllowed(),
          "allowed check");
      require(jit.check(ids[i], Workload.DENIED_ACTION, Workload.RESOURCES[p]).isDenied(),
          "out-of-scope check");
      require(jit.check(unknownIds[i], Workload.ACTIONS[p], Workload.RESOURCES[p]).isDenied(),
          "unknown-id check");
      if (map != null) {
        require(map.get(ids[i]) != null, "map lookup");
      }
      if (cache != null) {
        require(cache.getIfPresent(ids[i]) != null, "cache lookup");
      }
      if (enforcer != null) {
        require(enforcer.enforce(ids[i], Workload.RESOURCES[p], Workload.ACTIONS[p]),
            "jCasbin allowed");
        require(!enforcer.enforce(ids[i], Workload.RESOURCES[p], Workload.DENIED_ACTION),
            "jCasbin out of scope");
        require(!enforcer.enforce(unknownIds[i], Workload.RESOURCES[p], Workload.ACTIONS[p]),
            "jCasbin unknown");
      }
    }
  }

  static Enforcer casbin(String[] subjects) {
    Model model = new Model();
    model.loadModelFromText(String.join("\n",
        "[request_definition]",
        "r = sub, obj, act",
        "[policy_definition]",
        "p = sub, obj, act",
        "[role_definition]",
        "g = _, _",
        "[policy_effect]",
        "e = some(where (p.eft == allow))",
        "[matchers]",
        "m = g(r.sub, p.sub) && keyMatch(r.obj, p.obj) && r.act == p.act"));
    Enforcer enforcer = new Enforcer(model);
    enforcer.enableLog(false);
    List<List<String>> policies = new ArrayList<>();
    for (int p = 0; p < Workload.K; p++) {
      String pattern = Workload.PATTERNS[p];
      // "tenants/tk/reports/**" becomes keyMatch's "tenants/tk/reports/*": they differ only on
      // the bare prefix "tenants/tk/reports", which no benchmark asks for.
      String keyMatch = pattern.substring(0, pattern.length() - 2) + "*";
      policies.add(List.of("perm-" + p, keyMatch, Workload.ACTIONS[p]));
    }
    enforcer.addPolicies(policies);
    List<List<String>> groupings = new ArrayList<>(subjects.length);
    for (int i = 0; i < subjects.length; i++) {
      groupings.add(List.of(subjects[i], "perm-" + (i & Workload.K_MASK)));
    }
    enforcer.addGroupingPolicies(groupings);
    return enforcer;
  }

  private static void require(boolean condition, String what) {
    if (!condition) {
      throw new IllegalStateException(what + " did not decide as the workload expects");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    jit.close();
  }

  /** An allowed check: the grant is ACTIVE and its one permission covers the request. */
  @Benchmark
  public Decision checkAllowed(Cursor cursor) {
    int i = cursor.next(sequence);
    int p = i & Workload.K_MASK;
    return jit.check(ids[i], Workload.ACTIONS[p], Workload.RESOURCES[p]);
  }

  /** A denied check: the grant is ACTIVE, the action is outside its scope (audited as DENIED). */
  @Benchmark
  public Decision checkDenied(Cursor cursor) {
    int i = cursor.next(sequence);
    return jit.check(ids[i], Workload.DENIED_ACTION, Workload.RESOURCES[i & Workload.K_MASK]);
  }

  /** A check on a well-formed id that was never minted (audited as DENIED). */
  @Benchmark
  public Decision checkUnknown(Cursor cursor) {
    int i = cursor.next(sequence);
    int p = i & Workload.K_MASK;
    return jit.check(unknownIds[i], Workload.ACTIONS[p], Workload.RESOURCES[p]);
  }

  /** The floor: a ConcurrentHashMap lookup of the grant by id, no decision. */
  @Benchmark
  public @Nullable Grant floorConcurrentHashMap(Cursor cursor) {
    int i = cursor.next(sequence);
    return map.get(ids[i]);
  }

  /**
   * The floor of an exact check: the map lookup of {@link #floorConcurrentHashMap}, then one read
   * of the system clock, which a check must make on its own thread to decide expiry exactly. The
   * read is ordered after the loads before it, so consecutive calls no longer overlap their
   * misses as consecutive bare lookups do.
   */
  @Benchmark
  public boolean floorThenClockRead(Cursor cursor) {
    int i = cursor.next(sequence);
    Grant grant = map.get(ids[i]);
    long millis = clock.millis();
    return grant != null && millis != 0;
  }

  /** The floor: an unbounded Caffeine cache lookup of the grant by id, no decision. */
  @Benchmark
  public @Nullable Grant floorCaffeine(Cursor cursor) {
    int i = cursor.next(sequence);
    return cache.getIfPresent(ids[i]);
  }

  /** The peer: jCasbin enforce() on the request {@link #checkAllowed} makes. */
  @Benchmark
  public boolean casbinAllowed(Cursor cursor) {
    int i = cursor.next(sequence);
    int p = i & Workload.K_MASK;
    return enforcer.enforce(ids[i], Workload.RESOURCES[p], Workload.ACTIONS[p]);
  }

  /** The peer: jCasbin enforce() on the request {@link #checkDenied} makes. */
  @Benchmark
  public boolean casbinDenied(Cursor cursor) {
    int i = cursor.next(sequence);
    return enforcer.enforce(ids[i], Workload.RESOURCES[i & Workload.K_MASK],
        Workload.DENIED_ACTION);
  }
}
