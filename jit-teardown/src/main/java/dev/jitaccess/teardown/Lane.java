package dev.jitaccess.teardown;

import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.teardown.spi.Downstream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One downstream and the threads that call it: attempts run on its executor (by default a single
 * thread of its own), and every call to the downstream on a thread of a small pool of its own,
 * waited for at most the timeout, so that a call that hangs is cut and its thread left behind
 * (at most {@code maxHungCalls} of them).
 */
final class Lane implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Teardown.class);

  final String name;
  final Downstream downstream;
  final Duration timeout;
  final RetryLadder ladder;
  /** Attempts handed to the executor and not yet finished. */
  final AtomicInteger queued = new AtomicInteger();
  private final Executor executor;
  private final @Nullable ExecutorService ownExecutor;
  private final ThreadPoolExecutor calls;
  /** One per call running, cut or not: a call starts while at most maxHungCalls others run. */
  private final Semaphore running;
  private final int maxHungCalls;

  Lane(String name, Downstream downstream, DownstreamOptions options, RetryLadder ladder) {
    this.name = name;
    this.downstream = downstream;
    this.timeout = options.timeout();
    this.ladder = options.ladder() == null ? ladder : options.ladder();
    Executor given = options.executor();
    this.ownExecutor = given == null
        ? Executors.newSingleThreadExecutor(daemon("jit-teardown-" + name)) : null;
    this.executor = given == null ? ownExecutor : given;
    this.maxHungCalls = options.maxHungCalls();
    int threads = 1 + maxHungCalls;
    this.running = new Semaphore(threads);
    this.calls = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), daemon("jit-teardown-" + name + "-call"));
    this.calls.allowCoreThreadTimeOut(true);
  }

  /** Runs {@code attempt} on this downstream's executor; false if the executor refused it. */
  boolean submit(Runnable attempt) {
    queued.incrementAndGet();
    try {
      executor.execute(() -> {
        try {
          attempt.run();
        } catch (Throwable e) { // an Error too: the executor's thread goes on
          LOG.error("teardown attempt at downstream {} failed", name, e);
        } finally {
          queued.decrementAndGet();
        }
      });
      return true;
    } catch (RuntimeException rejected) {
      queued.decrementAndGet();
      LOG.warn("the executor of downstream {} refused an attempt; it is claimed again once its "
          + "lease passes", name, rejected);
      return false;
    }
  }

  /**
   * The entitlement {@code grant} gives here, or null if none; null too if the downstream cannot
   * say (it threw or answered null): then the access is the grant's own and is removed.
   */
  @Nullable String entitlementOf(Grant grant) {
    try {
      Optional<String> e = downstream.entitlement(grant);
      return e == null ? null : e.orElse(null);
    } catch (RuntimeException e) {
      LOG.warn("downstream {} could not name the entitlement of grant {} ({}); its access is "
          + "treated as its own", name, grant.reference(), e.getClass().getName());
      return null;
    }
  }

  /** One attempt: the revoke call, and after an acknowledgement of this grant, the probe. */
  Outcome attempt(Grant grant, RevocationReason reason) {
    Call<TeardownResult> revoked = call("revoke", () -> downstream.revoke(grant, reason));
    if (revoked.failure != null) {
      return Outcome.retry(revoked.failure);
    }
    TeardownResult result = revoked.value;
    if (result == null) {
      return Outcome.retry("revoke answered null");
    }
    switch (result.kind()) {
      case RETRY:
        return Outcome.retry("downstream asked to retry: " + Texts.cause(result.cause(), grant));
      case UNRECOVERABLE:
        return Outcome.unrecoverable(
            "downstream cannot revoke: " + Texts.cause(result.cause(), grant));
      default:
        break;
    }
    if (!grant.reference().equals(result.grantReference())) {
      return Outcome.retry("revoke acknowledged " + Texts.acknowledged(result.grantReference(),
          grant) + ", not this grant");
    }
    Call<Probe> probed = call("verify", () -> downstream.verify(grant));
    if (probed.failure != null) {
      return Outcome.unconfirmed(probed.failure);
    }
    Probe probe = probed.value;
    if (probe == null) {
      return Outcome.unconfirmed("verify answered null");
    }
    switch (probe) {
      case DENIED:
        return Outcome.verified();
      case UNKNOWN:
        return Outcome.acknowledged();
      default:
        return Outcome.unconfirmed("verify found the access still live");
    }
  }

  /** A call's answer, or why there is none. */
  private static final class Call<T> {
    final @Nullable T value;
    final @Nullable String failure;

    Call(@Nullable T value, @Nullable String failure) {
      this.value = value;
      this.failure = failure;
    }
  }

  /** Calls the downstream on a pool thread and waits at most the timeout. */
  private <T> Call<T> call(String what, Callable<T> body) {
    if (!running.tryAcquire()) {
      int hung = maxHungCalls + 1 - running.availablePermits();
      return new Call<>(null, what + " not called: " + hung
          + " earlier calls cut by the timeout are still running");
    }
    AtomicBoolean started = new AtomicBoolean();
    FutureTask<T> task = new FutureTask<>(() -> {
      if (!started.compareAndSet(false, true)) {
        return null; // cut before it started; the permit was returned then
      }
      try {
        return body.call();
      } finally {
        running.release();
      }
    });
    try {
      calls.execute(task);
    } catch (RejectedExecutionException e) {
      running.release();
      return new Call<>(null, what + " not called: the teardown is closed");
    }
    try {
      return new Call<>(task.get(timeout.toNanos(), TimeUnit.NANOSECONDS), null);
    } catch (TimeoutException e) {
      cut(task, started);
      return new Call<>(null, what + " timed out after " + timeout);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return new Call<>(null, what + " threw " + cause.getClass().getName());
    } catch (InterruptedException e) {
      cut(task, started);
      Thread.currentThread().interrupt();
      return new Call<>(null, what + " interrupted: the teardown is closing");
    }
  }

  private void cut(FutureTask<?> task, AtomicBoolean started) {
    task.cancel(true);
    if (started.compareAndSet(false, true)) {
      running.release(); // it never started, so it never will
    }
  }

  @Override
  public void close() {
    if (ownExecutor != null) {
      ownExecutor.shutdownNow();
    }
    calls.shutdownNow();
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return runnable -> {
      Thread t = new Thread(runnable, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public String toString() {
    return "Lane[" + name + "]";
  }
}
