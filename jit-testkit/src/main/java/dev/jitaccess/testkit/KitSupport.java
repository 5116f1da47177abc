package dev.jitaccess.testkit;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.opentest4j.AssertionFailedError;

/** What the kits share: ids, names and running work on many threads with a time limit. */
final class KitSupport {
  /** How long a concurrent part of a kit test may take before it counts as hung. */
  static final long TIMEOUT_SECONDS = 60;

  private KitSupport() {}

  /** A fresh grant id: 128 random bits, URL-safe base64. */
  static String newId() {
    byte[] bytes = new byte[16];
    ThreadLocalRandom.current().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** A name unique to this run, so that kits can share a backend with other tests. */
  static String unique(String prefix) {
    return prefix + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
  }

  /**
   * Runs the tasks, one per thread, and returns their results in order.
   *
   * @throws AssertionFailedError if one fails or they do not finish in time
   */
  static <T> List<T> runConcurrently(List<Callable<T>> tasks) {
    ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> task : tasks) {
        futures.add(pool.submit(task));
      }
      List<T> results = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
      for (Future<T> future : futures) {
        long left = Math.max(0, deadline - System.nanoTime());
        results.add(future.get(left, TimeUnit.NANOSECONDS));
      }
      return results;
    } catch (ExecutionException e) {
      throw new AssertionFailedError("a concurrent call failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionFailedError(
          "concurrent calls did not finish within " + TIMEOUT_SECONDS + " s (deadlock?)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionFailedError("interrupted while waiting for concurrent calls", e);
    } finally {
      pool.shutdownNow();
    }
  }
}
