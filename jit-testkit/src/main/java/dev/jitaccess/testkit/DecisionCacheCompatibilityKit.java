package dev.jitaccess.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.AuditEventType;
import dev.jitaccess.Decision;
import dev.jitaccess.DenyReason;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import dev.jitaccess.Ttl;
import dev.jitaccess.core.DecisionCache;
import dev.jitaccess.core.InMemoryGrantStore;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.core.JitAccessBuilder;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Proves that a {@link DecisionCache} never answers staler than its grant: it keeps only allowed
 * decisions of the runtime, none on a grant with a use budget, and none past the grant's end or
 * expiry, also while reads race the revocation. Subclass it in your test sources:
 *
 * <pre>{@code
 * class RedisDecisionCacheCompatibilityTest extends DecisionCacheCompatibilityKit {
 *   private final RedisDecisionCache cache = new RedisDecisionCache(redis);
 *
 *   @Override
 *   protected void configure(JitAccessBuilder runtime) {
 *     runtime.listener((grant, reason) -> cache.ended(grant));
 *   }
 *
 *   @Override
 *   public DecisionCache createCache(JitAccess jit, FakeClock clock) {
 *     return cache.over(jit);
 *   }
 * }
 * }</pre>
 *
 * <p>Each test gets a fresh runtime on a {@link FakeClock} (its clock and scheduler, an in-memory
 * store), configured by {@link #configure} before it is built. The race test reads from {@value
 * #THREADS} threads at once. Not thread-safe itself (JUnit runs one test of an instance at a time).
 */
public abstract class DecisionCacheCompatibilityKit {
  /** How many threads read while a grant is revoked. */
  protected static final int THREADS = 4;
  /** How many revocations the race test makes reads race. */
  protected static final int ROUNDS = 40;
  /** How many reads each racing thread makes after revoke() returned, in each round. */
  private static final int READS_AFTER = 500;

  private @Nullable FakeClock clock;
  private @Nullable JitAccess jit;
  private @Nullable DecisionCache cache;
  private @Nullable RecordingAuditSink audit;

  /** For subclasses. */
  protected DecisionCacheCompatibilityKit() {}

  /** The cache to test, over {@code jit} (a runtime on {@code clock}). Called before each test. */
  public abstract DecisionCache createCache(JitAccess jit, FakeClock clock);

  /**
   * Adds what the cache needs to the runtime before it is built (for example a listener that tells
   * it of ends); by default nothing.
   */
  protected void configure(JitAccessBuilder runtime) {}

  @BeforeEach
  void createCacheOverARuntimeOnAFakeClock() {
    FakeClock c = new FakeClock();
    RecordingAuditSink sink = new RecordingAuditSink();
    audit = sink;
    JitAccessBuilder builder = JitAccess.builder().clock(c).scheduler(c)
        .store(InMemoryGrantStore.builder().clock(c).scheduler(c).build())
        .auditSink(sink);
    configure(builder);
    JitAccess runtime = builder.build();
    clock = c;
    jit = runtime;
    cache = Objects.requireNonNull(createCache(runtime, c), "createCache must not return null");
  }

  @AfterEach
  void closeCacheAndRuntime() {
    if (cache != null) {
      cache.close();
    }
    if (jit != null) {
      jit.close();
    }
  }

  /** The clock of the current test. */
  protected final FakeClock clock() {
    return Objects.requireNonNull(clock, "clock is set before each test");
  }

  /** The runtime of the current test. */
  protected final JitAccess jit() {
    return Objects.requireNonNull(jit, "jit is set before each test");
  }

  /** The cache of the current test. */
  protected final DecisionCache cache() {
    return Objects.requireNonNull(cache, "cache is set before each test");
  }

  private static GrantRequest.Builder request(String task) {
    return GrantRequest.builder().subject("ci-job").owner("team-a").task(task).purpose("kit")
        .scope(Scope.parse("read:orders/*")).ttl(Ttl.of(Duration.ofMinutes(5)));
  }

  private Grant grant(String task) {
    return jit().request(request(task).build());
  }

  private boolean cachedAllow(String grantId) {
    return cache().get(grantId, "read", "orders/1") != null;
  }

  /** What it keeps. */
  @Nested
  @DisplayName("keeping")
  public class Keeping {
    /** For JUnit. */
    public Keeping() {}

    @Test
    @DisplayName("caches an allowed check, by grant, action and resource")
    void cachesAnAllowedCheck() {
      Grant grant = grant("keep-1");
      assertTrue(cache().check(grant.id(), "read", "orders/1").isAllowed());
      assertEquals(Decision.allow(), cache().get(grant.id(), "read", "orders/1"));
      assertNull(cache().get(grant.id(), "read", "orders/2"), "another resource");
      jit().revoke(grant.id(), RevocationReason.TASK_COMPLETED);
    }

    @Test
    @DisplayName("never caches a denial: each one is the runtime's, and audited")
    void neverCachesADenial() {
      Grant grant = grant("keep-2");
      for (int i = 0; i < 3; i++) {
        assertEquals(DenyReason.OUT_OF_SCOPE,
            cache().check(grant.id(), "delete", "orders/1").reason());
      }
      assertNull(cache().get(grant.id(), "delete", "orders/1"));
      long denials = Objects.requireNonNull(audit).events().stream()
          .filter(e -> e.type() == AuditEventType.DENIED && e.concerns(grant.id())).count();
      assertEquals(3, denials, "DENIED events of the three denied checks");
      jit().revoke(grant.id(), RevocationReason.TASK_COMPLETED);
    }

    @Test
    @DisplayName("never caches a decision on a grant with a use budget, so every use is counted")
    void neverCachesABudget() {
      Grant grant = jit().request(request("keep-3").useBudget(2).build());
      assertTrue(cache().check(grant.id(), "read", "orders/1").isAllowed());
      assertTrue(cache().check(grant.id(), "read", "orders/1").isAllowed());
      assertEquals(DenyReason.EXHAUSTED, cache().check(grant.id(), "read", "orders/1").reason());
      assertNull(cache().get(grant.id(), "read", "orders/1"));
    }

    @Test
    @DisplayName("misses a read with a null or malformed argument, and never throws")
    void missesBadReads() {
      Grant grant = grant("keep-4");
      cache().check(grant.id(), "read", "orders/1");
      assertNull(cache().get(null, "read", "orders/1"));
      assertNull(cache().get(grant.id(), null, "orders/1"));
      assertNull(cache().get(grant.id(), "read", null));
      assertNull(cache().get("not an id", "read", "orders/1"));
      assertTrue(cache().check("not an id", "read", "orders/1").isDenied());
      jit().revoke(grant.id(), RevocationReason.TASK_COMPLETED);
    }
  }

  /** When its entries end. */
  @Nested
  @DisplayName("ending")
  public class Ending {
    /** For JUnit. */
    public Ending() {}

    @Test
    @DisplayName("answers no allow for a revoked grant or its descendants once revoke() returned")
    void endsWithRevoke() {
      Grant parent = grant("end-1");
      Grant child = jit().delegate(parent.id(), Scope.parse("read:orders/1"),
          Duration.ofMinutes(1), "agent");
      cache().check(parent.id(), "read", "orders/1");
      cache().check(child.id(), "read", "orders/1");
      assertTrue(cachedAllow(parent.id()) && cachedAllow(child.id()), "both cached first");
      jit().revoke(parent.id(), RevocationReason.MANUAL);
      assertNull(cache().get(parent.id(), "read", "orders/1"));
      assertNull(cache().get(child.id(), "read", "orders/1"));
    }

    @Test
    @DisplayName("answers no allow for a grant whose task ended")
    void endsWithTheTask() {
      Grant grant = grant("end-2");
      cache().check(grant.id(), "read", "orders/1");
      jit().revokeTask("end-2", RevocationReason.TASK_COMPLETED);
      assertNull(cache().get(grant.id(), "read", "orders/1"));
    }

    @Test
    @DisplayName("answers no allow at or after the grant's expiry, however often it was read")
    void endsAtExpiry() {
      Grant grant = grant("end-3");
      cache().check(grant.id(), "read", "orders/1");
      for (int i = 0; i < 9; i++) {
        clock().advance(Duration.ofSeconds(30));
        assertTrue(cachedAllow(grant.id()), "read " + i + " before the expiry");
      }
      clock().setTo(grant.expiresAt().minusNanos(1));
      assertTrue(cachedAllow(grant.id()), "a nanosecond before the expiry");
      clock().setTo(grant.expiresAt());
      assertNull(cache().get(grant.id(), "read", "orders/1"));
    }

    @Test
    @DisplayName("does not let a renewal extend an entry made before it")
    void aRenewalDoesNotExtend() {
      Grant grant = grant("end-4");
      cache().check(grant.id(), "read", "orders/1");
      jit().renew(grant.id(), Duration.ofMinutes(30));
      clock().setTo(grant.expiresAt());
      Decision read = cache().get(grant.id(), "read", "orders/1");
      assertTrue(read == null || jit().check(grant.id(), "read", "orders/1").isAllowed(),
          "an allow read past the old expiry must be one the runtime gives too");
      jit().revoke(grant.id(), RevocationReason.TASK_COMPLETED);
    }
  }

  /** Reads racing a revocation. */
  @Nested
  @DisplayName("racing")
  public class Racing {
    /** For JUnit. */
    public Racing() {}

    @Test
    @DisplayName("answers no allow once revoke() returned, while reads race the revocation")
    void noStaleReadAfterRevoke() throws Exception {
      ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
      AtomicLong after = new AtomicLong();
      AtomicLong before = new AtomicLong();
      try {
        for (int round = 0; round < ROUNDS; round++) {
          Grant parent = grant("race-" + round);
          Grant child = jit().delegate(parent.id(), Scope.parse("read:orders/1"),
              Duration.ofMinutes(1), "agent");
          String[] ids = {parent.id(), child.id()};
          for (String id : ids) { // both allowed, and so kept, before the revocation
            assertTrue(cache().check(id, "read", "orders/1").isAllowed(), "allowed before");
          }
          AtomicBoolean revoked = new AtomicBoolean();
          CountDownLatch started = new CountDownLatch(THREADS);
          List<Future<?>> tasks = new ArrayList<>();
          for (int t = 0; t < THREADS; t++) {
            int offset = t;
            tasks.add(pool.submit(() -> {
              // Each reader reads before the revocation starts, and goes on until it has read
              // READS_AFTER times after revoke() returned, however the threads are scheduled.
              int readsAfter = 0;
              for (int i = 0; readsAfter < READS_AFTER
                  && !Thread.currentThread().isInterrupted(); i++) {
                String id = ids[(i + offset) % ids.length];
                boolean wasRevoked = revoked.get(); // read before: happens-before edge
                boolean allowed = (i & 1) == 0 ? cachedAllow(id)
                    : cache().check(id, "read", "orders/1").isAllowed();
                if (wasRevoked) {
                  readsAfter++;
                }
                if (allowed && wasRevoked) {
                  after.incrementAndGet();
                } else if (allowed) {
                  before.incrementAndGet();
                }
                if (i == 0) {
                  started.countDown();
                }
              }
            }));
          }
          tasks.add(pool.submit(() -> {
            started.await();
            jit().revoke(parent.id(), RevocationReason.MANUAL);
            revoked.set(true); // only once revoke() returned
            return null;
          }));
          for (Future<?> task : tasks) {
            task.get(60, TimeUnit.SECONDS);
          }
        }
      } finally {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
      }
      assertEquals(0, after.get(), "reads that allowed after revoke() returned");
      assertTrue(before.get() > 0, "the reads must have overlapped the revocations");
    }
  }
}
