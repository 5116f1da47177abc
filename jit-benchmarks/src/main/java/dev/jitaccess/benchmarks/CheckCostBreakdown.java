package dev.jitaccess.benchmarks;

import dev.jitaccess.Decision;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantState;
import dev.jitaccess.core.InMemoryGrantStore;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.internal.Validation;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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

/**
 * The steps of an allowed {@link JitAccess#check}, each measured alone on the same keys and
 * sequence as the whole: a diagnostic for where the time goes, not a target. Run on demand ({@code
 * java -jar benchmarks.jar CheckCostBreakdown}); {@code scripts/bench} does not.
 *
 * <p>To build 1M grants quickly, grants are inserted into an {@link InMemoryGrantStore} directly
 * (the SPI), not minted, and the runtime is built on that store: {@code check} reads it exactly as
 * it reads a store it filled itself. The steps, in the order check takes them:
 *
 * <ol>
 *   <li>{@link #idValidation}: the id's well-formedness scan (check now skips it before the
 *       lookup, since a malformed id is never a key; kept to show what it costs);
 *   <li>{@link #storeGet}: the store lookup;
 *   <li>{@link #clockInstant}: the clock read check itself does;
 *   <li>{@link #usability}: state and time window of the grant found ({@link Grant#isUsableAt});
 *   <li>{@link #scopePermits}: matching the request against the grant's scope.
 * </ol>
 *
 * <p>And three probes of why the steps do not add up: {@link #checkAllowedOnFixedClock} (the whole
 * on a clock that reads a field, which shows what the system clock's read costs), and {@link
 * #grantThenOneCompare} against {@link #grantThenSixteenCompares}: the same miss to reach a grant,
 * followed by one or by sixteen character compares on data reached through it. The processor
 * overlaps the misses of consecutive calls only while the work after each miss is short, so the
 * second costs several times the first although both miss the same lines.
 *
 * <p>The ids above are looked up again and again, so their hash codes are cached (which the
 * floor's lookup uses), as they are for an application that holds its grant's id. {@link
 * #checkAllowedOnFreshId} less {@link #freshIdCopy} is what a check costs on an id read off the
 * wire: a new {@code String}, whose characters are in cache and whose hash code is not computed
 * yet. A lookup keyed by the hash code would have to compute it there.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@State(Scope.Benchmark)
public class CheckCostBreakdown {

  @Param({"1000000"})
  public int grants;

  @Param({"UNIFORM"})
  public IdDistribution distribution;

  private final Clock clock = Clock.systemUTC();
  private InMemoryGrantStore store;
  private JitAccess jit;
  private JitAccess jitOnFixedClock;
  private ConcurrentHashMap<String, Grant> map;
  private Grant[] byIndex;
  private String[] ids;
  /** The ids' characters, for the fresh-id benchmarks. */
  private byte[][] idBytes;
  private int[] sequence;
  private Instant now;

  @Setup(Level.Trial)
  public void setUp() {
    store = InMemoryGrantStore.builder().clock(clock).build();
    map = new ConcurrentHashMap<>();
    String[] minted = Workload.unknownIds(grants, 1);
    ids = new String[grants];
    byIndex = new Grant[grants];
    idBytes = new byte[grants][];
    Instant issued = clock.instant();
    for (int i = 0; i < grants; i++) {
      Grant grant = Grant.builder().id(minted[i])
          .subject("svc-" + (i % Workload.SUBJECTS)).owner("team-" + (i % Workload.OWNERS))
          .task("task-" + i).purpose("benchmark").scope(Workload.SCOPES[i & Workload.K_MASK])
          .issuedAt(issued).expiresAt(issued.plus(Workload.TTL))
          .notAfter(issued.plus(Workload.TTL.multipliedBy(8))).build();
      store.insert(grant);
      map.put(grant.id(), grant);
      byIndex[i] = grant;
      ids[i] = new String(minted[i].toCharArray());
      idBytes[i] = minted[i].getBytes(StandardCharsets.ISO_8859_1);
    }
    jit = JitAccess.builder().clock(clock).store(store).build();
    jitOnFixedClock = JitAccess.builder().clock(Clock.fixed(clock.instant(), clock.getZone()))
        .store(store).build();
    sequence = Workload.sequence(distribution, grants, 7);
    now = clock.instant();
    for (int k = 0; k < 1000; k++) {
      int i = sequence[k];
      if (!jit.check(ids[i], Workload.ACTIONS[i & Workload.K_MASK],
          Workload.RESOURCES[i & Workload.K_MASK]).isAllowed()) {
        throw new IllegalStateException("the allowed check denied");
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    jit.close();
    jitOnFixedClock.close();
  }

  /** The whole: an allowed check. */
  @Benchmark
  public Decision checkAllowed(CheckBenchmark.Cursor cursor) {
    int i = cursor.next(sequence);
    int p = i & Workload.K_MASK;
    return jit.check(ids[i], Workload.ACTIONS[p], Workload.RESOURCES[p]);
  }

  /** The whole, on a clock that reads a field: what the clock read costs the whole. */
  @Benchmark
  public Decision checkAllowedOnFixedClock(CheckBenchmark.Cursor cursor) {
    int i = cursor.next(sequence);
    int p = i & Workload.K_MASK;
    return jitOnFixedClock.check(ids[i], Workload.ACTIONS[p], Workload.RESOURCES[p]);
  }

  /**
   * An id as a server reads it off the wire: a new {@code String} whose hash code is not yet
   * cached. The baseline for {@link #checkAllowedOnFreshId}.
   */
  @Benchmark
  public String freshIdCopy(CheckBenchmark.Cursor cursor) {
    return new String(idBytes[cursor.next(sequence)], StandardCharsets.ISO_8859_1);
  }

  /**
   * The whole on a fresh id: less {@link #freshIdCopy}, what the check costs on an id read off the
   * wire.
   */
  @Benchmark
  public Decision checkAllowedOnFreshId(CheckBenchmark.Cursor cursor) {
    int i = cursor.next(sequence);
    int p = i & Workload.K_MASK;
    return jit.check(new String(idBytes[i], StandardCharsets.ISO_8859_1), Workload.ACTIONS[p],
        Workload.RESOURCES[p]);
  }

  /** The floor, in this run. */
  @Benchmark
  public @Nullable Grant floorConcurrentHashMap(CheckBenchmark.Cursor cursor) {
    return map.get(ids[cursor.next(sequence)]);
  }

  /**
   * The floor with the one clock read an exact expiry needs: the lookup of {@link
   * #floorConcurrentHashMap}, then the system clock's milliseconds. The least any check that finds
   * its grant in a hash map and decides expiry on the checking thread can cost.
   */
  @Benchmark
  public boolean floorThenClockRead(CheckBenchmark.Cursor cursor) {
    Grant grant = map.get(ids[cursor.next(sequence)]);
    long millis = clock.millis();
    return grant != null && millis != 0;
  }

  /**
   * As {@link #floorThenClockRead}, deciding the grant's validity window on that read ({@link
   * Grant#isWithinValidity}): lookup, clock, expiry, and nothing else a check does.
   */
  @Benchmark
  public boolean floorThenExpiry(CheckBenchmark.Cursor cursor) {
    Grant grant = map.get(ids[cursor.next(sequence)]);
    return grant != null && grant.isWithinValidity(clock);
  }

  /** Step 1 (no longer on check's allowed path). */
  @Benchmark
  public boolean idValidation(CheckBenchmark.Cursor cursor) {
    return Validation.isWellFormedId(ids[cursor.next(sequence)]);
  }

  /** Step 2. */
  @Benchmark
  public @Nullable Grant storeGet(CheckBenchmark.Cursor cursor) {
    return store.get(ids[cursor.next(sequence)]);
  }

  /** Step 3. */
  @Benchmark
  public Instant clockInstant() {
    return clock.instant();
  }

  /** Step 4, on the grant reached through an array (its fields are as cold as after a lookup). */
  @Benchmark
  public boolean usability(CheckBenchmark.Cursor cursor) {
    return byIndex[cursor.next(sequence)].isUsableAt(now);
  }

  /**
   * Probe of the processor's overlap: reach the grant as {@link #usability} does, then compare one
   * character of its scope's text. Against {@link #grantThenSixteenCompares}, it shows that what
   * follows a miss, not the miss itself, sets the time per call.
   */
  @Benchmark
  public boolean grantThenOneCompare(CheckBenchmark.Cursor cursor) {
    int i = cursor.next(sequence);
    return byIndex[i].scope().toString().charAt(7) == 'n';
  }

  /** Probe of the processor's overlap: as {@link #grantThenOneCompare}, with sixteen compares. */
  @Benchmark
  public boolean grantThenSixteenCompares(CheckBenchmark.Cursor cursor) {
    int i = cursor.next(sequence);
    String text = byIndex[i].scope().toString();
    String resource = Workload.RESOURCES[i & Workload.K_MASK];
    int offset = text.indexOf(':') + 1;
    for (int k = 0; k < 16; k++) {
      if (text.charAt(offset + k) != resource.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  /** Step 5. */
  @Benchmark
  public boolean scopePermits(CheckBenchmark.Cursor cursor) {
    int i = cursor.next(sequence);
    int p = i & Workload.K_MASK;
    return byIndex[i].scope().permits(Workload.ACTIONS[p], Workload.RESOURCES[p]);
  }
}
