package dev.jitaccess.jwt;

import dev.jitaccess.DenialCode;
import org.jspecify.annotations.Nullable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import com.nimbusds.jose.JWSAlgorithm;
import dev.jitaccess.DenyReason;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The replay cache of proof ids, on its own: it denies a replay, a key past its quota, and a new
 * id when it is full, and it forgets an id only once its window has passed.
 */
class ProofReplayCacheTest {
  /** Proof lifetime 10 s, no skew: each id is kept 11 s. */
  private static final Duration LIFETIME = Duration.ofSeconds(10);
  private static final long WINDOW_SECONDS = 11;
  private static final String[] KEYS = {"keyA", "keyB", "keyC"};

  private static ProofVerifier cache(FakeClock clock, long max, long perKey) {
    return new ProofVerifier(clock, Set.of(JWSAlgorithm.ES256), 8192, LIFETIME, Duration.ZERO,
        max, perKey);
  }

  private static @Nullable DenialCode outcome(ProofVerifier cache, String replayKey) {
    try {
      cache.remember(replayKey);
      return null;
    } catch (Denial d) {
      return d.code();
    }
  }

  @Test
  void aKeyPastItsQuotaIsDeniedWhileOtherKeysAreNot() {
    FakeClock clock = new FakeClock();
    ProofVerifier cache = cache(clock, 10, 3);
    for (int i = 0; i < 3; i++) {
      assertEquals(null, outcome(cache, "keyA.jti-" + i));
    }
    assertEquals(JwtDenialCode.PROOF_RATE_LIMITED, outcome(cache, "keyA.jti-3"));
    assertEquals(null, outcome(cache, "keyB.jti-0"));
    assertEquals(3, cache.rememberedFor("keyA"));
    assertEquals(1, cache.rememberedFor("keyB"));
  }

  @Test
  void aReplayIsReportedAsOneWhenItsKeyIsAtItsQuotaOrTheCacheIsFull() {
    FakeClock clock = new FakeClock();
    ProofVerifier cache = cache(clock, 2, 1);
    assertEquals(null, outcome(cache, "keyA.1"));
    assertEquals(JwtDenialCode.PROOF_REPLAYED, outcome(cache, "keyA.1"));
    assertEquals(null, outcome(cache, "keyB.1"));
    assertEquals(JwtDenialCode.PROOF_REPLAYED, outcome(cache, "keyB.1"));
  }

  @Test
  void aReplayIsDeniedByAClockPastTheLastNanosecondALongCanCount() {
    // 2262-04-11: the cache's ticker, in nanoseconds since 1970, saturates from there on.
    FakeClock clock = FakeClock.at(Instant.parse("2300-01-01T00:00:00Z"));
    ProofVerifier cache = cache(clock, 10, 10);
    assertEquals(null, outcome(cache, "keyA.1"));
    clock.advance(Duration.ofSeconds(1));
    assertEquals(JwtDenialCode.PROOF_REPLAYED, outcome(cache, "keyA.1"));
    FakeClock early = FakeClock.at(Instant.parse("1600-01-01T00:00:00Z"));
    ProofVerifier old = cache(early, 10, 10);
    assertEquals(null, outcome(old, "keyA.1"));
    early.advance(Duration.ofSeconds(1));
    assertEquals(JwtDenialCode.PROOF_REPLAYED, outcome(old, "keyA.1"));
  }

  @Test
  void aJtiWithDotsCountsAgainstTheKeyBeforeTheFirstDot() {
    FakeClock clock = new FakeClock();
    ProofVerifier cache = cache(clock, 10, 1);
    assertEquals(null, outcome(cache, "keyA.a.b.c"));
    assertEquals(1, cache.rememberedFor("keyA"));
    assertEquals(0, cache.rememberedFor("keyA.a.b"));
    assertEquals(JwtDenialCode.PROOF_RATE_LIMITED, outcome(cache, "keyA.d"));
    assertEquals(JwtDenialCode.PROOF_REPLAYED, outcome(cache, "keyA.a.b.c"));
  }

  @Test
  void aKeysQuotaComesBackAsItsIdsExpireAndNoCountIsLeftBehind() {
    FakeClock clock = new FakeClock();
    ProofVerifier cache = cache(clock, 10, 2);
    assertEquals(null, outcome(cache, "keyA.1"));
    clock.advance(Duration.ofSeconds(5));
    assertEquals(null, outcome(cache, "keyA.2"));
    assertEquals(JwtDenialCode.PROOF_RATE_LIMITED, outcome(cache, "keyA.3"));
    clock.advance(Duration.ofSeconds(6)); // "1" has been kept its 11 s
    assertEquals(null, outcome(cache, "keyA.3"));
    assertEquals(JwtDenialCode.PROOF_RATE_LIMITED, outcome(cache, "keyA.4"));
    clock.advance(Duration.ofSeconds(60));
    assertEquals(null, outcome(cache, "keyA.4"));
    clock.advance(Duration.ofSeconds(60));
    assertEquals(null, outcome(cache, "keyB.1")); // a write: the cache drops what has expired
    assertEquals(0, cache.rememberedFor("keyA"));
    assertEquals(1, cache.keysRemembered());
  }

  @Test
  void aReplayAndARefusalSpendNothingOfTheKeysQuota() {
    FakeClock clock = new FakeClock();
    ProofVerifier cache = cache(clock, 3, 2);
    assertEquals(null, outcome(cache, "keyA.1"));
    for (int i = 0; i < 5; i++) {
      assertEquals(JwtDenialCode.PROOF_REPLAYED, outcome(cache, "keyA.1"));
    }
    assertEquals(null, outcome(cache, "keyB.1"));
    assertEquals(null, outcome(cache, "keyB.2"));
    assertEquals(DenyReason.BACKEND_FAILURE, outcome(cache, "keyA.2")); // the cache is full
    assertEquals(1, cache.rememberedFor("keyA"));
    clock.advance(Duration.ofSeconds(WINDOW_SECONDS));
    assertEquals(null, outcome(cache, "keyA.2"));
    assertEquals(null, outcome(cache, "keyA.3"));
    assertEquals(JwtDenialCode.PROOF_RATE_LIMITED, outcome(cache, "keyA.4"));
  }

  @Test
  void decisionsMatchAModelOfTheWindowTheQuotaAndTheBound() {
    // Each step: advance the clock by an even number of seconds (so no id is read at exactly the
    // end of its 11 s), then remember an id of one key. Ids repeat, so replays occur.
    qt().withExamples(400).forAll(
        lists().of(integers().between(0, 8 * 3 * 4 - 1)).ofSizeBetween(1, 120),
        integers().between(1, 6),
        integers().between(1, 12))
        .checkAssert((steps, perKey, max) -> {
          FakeClock clock = new FakeClock();
          ProofVerifier cache = cache(clock, max, perKey);
          Map<String, Instant> keptUntil = new HashMap<>();
          for (int step : steps) {
            clock.advance(Duration.ofSeconds(2L * (step / 12)));
            String key = KEYS[step % 3];
            String replayKey = key + ".jti-" + (step / 3 % 4);
            Instant now = clock.instant();
            keptUntil.values().removeIf(until -> !until.isAfter(now));
            long ofKey = keptUntil.keySet().stream().filter(id -> id.startsWith(key + ".")).count();
            DenialCode expected = keptUntil.containsKey(replayKey) ? JwtDenialCode.PROOF_REPLAYED
                : ofKey >= perKey ? JwtDenialCode.PROOF_RATE_LIMITED
                : keptUntil.size() >= max ? DenyReason.BACKEND_FAILURE
                : null;
            assertEquals(expected, outcome(cache, replayKey), replayKey + " at " + now);
            if (expected == null) {
              keptUntil.put(replayKey, now.plusSeconds(WINDOW_SECONDS));
            }
            for (String k : KEYS) {
              long modelled = keptUntil.keySet().stream().filter(id -> id.startsWith(k + "."))
                  .count();
              // The cache may still hold expired ids it has not dropped, never fewer than live.
              long counted = cache.rememberedFor(k);
              if (counted < modelled) {
                throw new AssertionError(k + " counted " + counted + " < " + modelled);
              }
            }
          }
        });
  }

  @Test
  void concurrentProofsOfOneKeyNeverExceedItsQuota() throws Exception {
    FakeClock clock = new FakeClock();
    int quota = 50;
    ProofVerifier cache = cache(clock, 1_000, quota);
    int threads = 4;
    int perThread = 100;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    Map<DenialCode, Integer> denied = new ConcurrentHashMap<>();
    List<Future<Integer>> allowed = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        int thread = t;
        allowed.add(pool.submit(() -> {
          start.await();
          int ok = 0;
          for (int i = 0; i < perThread; i++) {
            // Every id twice, from two threads: replays race the first use too.
            String id = "keyA.jti-" + ((thread / 2) * perThread + i);
            DenialCode reason = outcome(cache, id);
            if (reason == null) {
              ok++;
            } else {
              denied.merge(reason, 1, Integer::sum);
            }
          }
          return ok;
        }));
      }
      start.countDown();
      int total = 0;
      for (Future<Integer> f : allowed) {
        total += f.get(30, TimeUnit.SECONDS);
      }
      assertEquals(quota, total);
      assertEquals(quota, cache.rememberedFor("keyA"));
      assertEquals(threads * perThread - quota,
          denied.values().stream().mapToInt(Integer::intValue).sum());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theQuotaIsSetOnceAndPositive() {
    JwtVerifier.Builder b = JwtVerifier.builder();
    assertEquals("maxRememberedProofsPerKey must be > 0, was 0",
        assertThrows(IllegalArgumentException.class, () -> b.maxRememberedProofsPerKey(0))
            .getMessage());
    assertEquals("maxRememberedProofsPerKey must be > 0, was -5",
        assertThrows(IllegalArgumentException.class, () -> b.maxRememberedProofsPerKey(-5))
            .getMessage());
    b.maxRememberedProofsPerKey(10);
    assertEquals("maxRememberedProofsPerKey was already set",
        assertThrows(IllegalStateException.class, () -> b.maxRememberedProofsPerKey(20))
            .getMessage());
  }
}
