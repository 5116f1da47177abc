package dev.jitaccess.benchmarks;

import dev.jitaccess.GrantRequest;
import dev.jitaccess.Scope;
import dev.jitaccess.Ttl;
import java.time.Duration;
import java.util.Base64;
import java.util.SplittableRandom;

/**
 * The workload every benchmark shares: which permission grant {@code i} holds, which request a
 * check sends for it, and how ids are drawn (uniform or Zipf). Deterministic: fixed seeds.
 *
 * <p>Grant {@code i} holds one permission, {@code ACTIONS[i % K]:PATTERNS[i % K]}; an allowed
 * check asks for {@code ACTIONS[i % K]} on {@code RESOURCES[i % K]} (a concrete resource under the
 * pattern); a denied check asks for {@link #DENIED_ACTION} on the same resource. Subjects are one
 * of {@value #SUBJECTS} workloads, owners one of {@value #OWNERS} teams, and every grant has a task
 * of its own, as a grant per task is how the library is meant to be used.
 *
 * <p>Not thread-safe where noted; the arrays are read-only once built.
 */
final class Workload {
  /** Distinct permissions in the workload (a power of two). */
  static final int K = 16;
  static final int K_MASK = K - 1;
  static final int SUBJECTS = 1000;
  static final int OWNERS = 50;
  /** The length of a drawn id sequence (a power of two). */
  static final int SEQUENCE_LENGTH = 1 << 20;
  static final int SEQUENCE_MASK = SEQUENCE_LENGTH - 1;
  /** The Zipf exponent, as in YCSB. */
  static final double ZIPF_EXPONENT = 0.99;
  static final String DENIED_ACTION = "delete";
  static final Duration TTL = Duration.ofMinutes(30);

  static final String[] ACTIONS = new String[K];
  static final String[] PATTERNS = new String[K];
  static final String[] RESOURCES = new String[K];
  static final Scope[] SCOPES = new Scope[K];

  static {
    for (int p = 0; p < K; p++) {
      ACTIONS[p] = (p & 1) == 0 ? "read" : "write";
      PATTERNS[p] = "tenants/t" + p + "/reports/**";
      RESOURCES[p] = "tenants/t" + p + "/reports/2026-11/summary.csv";
      SCOPES[p] = Scope.parse(ACTIONS[p] + ":" + PATTERNS[p]);
    }
  }

  private Workload() {}

  /** The request that mints grant {@code i}: one permission, its own task. */
  static GrantRequest request(int i) {
    return GrantRequest.builder()
        .subject("svc-" + (i % SUBJECTS))
        .owner("team-" + (i % OWNERS))
        .task("task-" + i)
        .purpose("benchmark")
        .scope(SCOPES[i & K_MASK])
        .ttl(Ttl.of(TTL))
        .build();
  }

  /**
   * Ids in the library's format (16 random bytes, URL-safe base64 without padding) that it never
   * minted: the unknown ids.
   */
  static String[] unknownIds(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
    String[] ids = new String[n];
    byte[] bytes = new byte[16];
    for (int i = 0; i < n; i++) {
      for (int b = 0; b < bytes.length; b++) {
        bytes[b] = (byte) random.nextInt(256);
      }
      ids[i] = encoder.encodeToString(bytes);
    }
    return ids;
  }

  /** {@value #SEQUENCE_LENGTH} indexes in {@code [0, n)} drawn from the distribution. */
  static int[] sequence(IdDistribution distribution, int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int[] sequence = new int[SEQUENCE_LENGTH];
    if (distribution == IdDistribution.UNIFORM) {
      for (int k = 0; k < SEQUENCE_LENGTH; k++) {
        sequence[k] = random.nextInt(n);
      }
      return sequence;
    }
    double[] cumulative = new double[n];
    double sum = 0;
    for (int rank = 0; rank < n; rank++) {
      sum += 1.0 / Math.pow(rank + 1, ZIPF_EXPONENT);
      cumulative[rank] = sum;
    }
    int[] grantOfRank = permutation(n, random);
    for (int k = 0; k < SEQUENCE_LENGTH; k++) {
      double u = random.nextDouble() * sum;
      int lo = 0;
      int hi = n - 1;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (cumulative[mid] < u) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      sequence[k] = grantOfRank[lo];
    }
    return sequence;
  }

  private static int[] permutation(int n, SplittableRandom random) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
