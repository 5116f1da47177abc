package dev.jitaccess.teardown;

import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.teardown.spi.Downstream;
import java.time.Duration;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
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
 * One downstream and the threads that call it: its attempts are queued and run on its executor (by
 * default {@code concurrency} threads of its own), at most {@code concurrency} at once, and each
 * attempt's calls to the downstream on a thread of a small pool of its own, waited for at most the
 * timeout, so that a call that hangs is cut and its thread left behind (a bounded number of them).
 */
final class Lane implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Teardown.class);

  final String name;
  final Downstream downstream;
  final Duration timeout;
  /** How much lease an attempt needs left before it starts: three timeouts. */
  final Duration leaseMargin;
  private final long timeoutNanos;
  final RetryLadder ladder;
  /** Attempts queued or running. */
  final AtomicInteger queued = new AtomicInteger();
  private final Queue<Runnable> pending = new ConcurrentLinkedQueue<>();
  private final AtomicInteger drainers = new AtomicInteger();
  private final int concurrency;
  private final Executor executor;
  private final @Nullable ExecutorService ownExecutor;
  private final ThreadPoolExecutor calls;
  /** One per attempt running, cut or not: concurrency + maxHungCalls. */
  private final Semaphore running;
  private final int maxHungCalls;

  Lane(String name, Downstream downstream, DownstreamOptions options, RetryLadder ladder) {
    this.name = name;
    this.downstream = downstream;
    this.timeout = options.timeout();
    this.timeoutNanos = timeout.toNanos();
    this.leaseMargin = timeout.multipliedBy(3);
    this.ladder = options.ladder() == null ? ladder : options.ladder();
    this.concurrency = options.concurrency();
    Executor given = options.executor();
    this.ownExecutor = given == null
        ? Executors.newFixedThreadPool(concurrency, daemon("jit-teardown-" + name)) : null;
    this.executor = given == null ? ownExecutor : given;
    this.maxHungCalls = options.maxHungCalls();
    int threads = concurrency + maxHungCalls;
    this.running = new Semaphore(threads);
    this.calls = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), daemon("jit-teardown-" + name + "-call"));
    this.calls.allowCoreThreadTimeOut(true);
  }

  /**
   * Queues {@code attempt} for this downstream; drainers on its executor (at most its
   * concurrency) run queued attempts one after another, so a burst of ended grants costs one
   * hand-off per drainer, not one per entry.
   */
  void submit(Runnable attempt) {
    queued.incrementAndGet();
    pending.add(attempt);
    startDrainer();
  }

  private void startDrainer() {
    while (true) {
      int n = drainers.get();
      if (n >= concurrency || pending.isEmpty()) {
        return;
      }
      if (drainers.compareAndSet(n, n + 1)) {
        break;
      }
    }
    try {
      executor.execute(this::drain);
    } catch (RuntimeException rejected) {
      drainers.decrementAndGet();
      LOG.warn("the executor of downstream {} refused to run its attempts; they run with the "
          + "next one handed over, or are claimed again once their leases pass", name, rejected);
    }
  }

  private void drain() {
    try {
      Runnable attempt;
      while ((attempt = pending.poll()) != null) {
        try {
          attempt.run();
        } catch (Throwable e) { // an Error too: the drainer goes on
          LOG.error("teardown attempt at downstream {} failed", name, e);
        } finally {
          queued.decrementAndGet();
        }
      }
    } finally {
      drainers.decrementAndGet();
      startDrainer(); // an attempt queued after the last poll
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

  /**
   * One attempt on one pool thread: the revoke call, and after an acknowledgement of this grant,
   * the probe. The revoke call may take up to the timeout, and the probe up to the timeout after
   * the revoke call answered; past that the attempt is cut (its thread interrupted and left).
   */
  Outcome attempt(Grant grant, String reference, RevocationReason reason) {
    if (!running.tryAcquire()) {
      int hung = concurrency + maxHungCalls - running.availablePermits();
      return Outcome.retry("revoke not called: " + hung
          + " earlier calls cut by the timeout are still running");
    }
    Call call = new Call(grant, reference, reason);
    FutureTask<@Nullable Outcome> task = new FutureTask<>(call);
    try {
      calls.execute(task);
    } catch (RejectedExecutionException e) {
      running.release();
      return Outcome.retry("revoke not called: the teardown is closed");
    }
    try {
      try {
        return answered(task.get(timeoutNanos, TimeUnit.NANOSECONDS));
      } catch (TimeoutException revoking) {
        long probeStart = call.probeStart;
        if (probeStart == 0) {
          cut(task, call);
          return Outcome.retry("revoke timed out after " + timeout);
        }
        long left = probeStart + timeoutNanos - System.nanoTime();
        try {
          return answered(task.get(Math.max(0, left), TimeUnit.NANOSECONDS));
        } catch (TimeoutException probing) {
          cut(task, call);
          return Outcome.unconfirmed("verify timed out after " + timeout);
        }
      }
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return Outcome.retry("revoke threw " + cause.getClass().getName());
    } catch (InterruptedException e) {
      cut(task, call);
      Thread.currentThread().interrupt();
      return Outcome.retry("attempt interrupted: the teardown is closing");
    }
  }

  private static Outcome answered(@Nullable Outcome outcome) {
    return outcome == null ? Outcome.retry("attempt cut before it started") : outcome;
  }

  /** The calls of one attempt, on a pool thread; answers never throw. */
  private final class Call implements Callable<@Nullable Outcome> {
    final Grant grant;
    final String reference;
    final RevocationReason reason;
    /** Set once the thread runs the attempt, or once it is cut before it ran. */
    final AtomicBoolean started = new AtomicBoolean();
    /** {@link System#nanoTime()} when the probe was called; 0 before. */
    volatile long probeStart;

    Call(Grant grant, String reference, RevocationReason reason) {
      this.grant = grant;
      this.reference = reference;
      this.reason = reason;
    }

    @Override
    public @Nullable Outcome call() {
      if (!started.compareAndSet(false, true)) {
        return null; // cut before it started; the permit was returned then
      }
      try {
        return run();
      } finally {
        running.release();
      }
    }

    private Outcome run() {
      TeardownResult result;
      try {
        result = downstream.revoke(grant, reason);
      } catch (Throwable e) { // an Error too: the downstream's failure is a retry
        return Outcome.retry("revoke threw " + e.getClass().getName());
      }
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
      if (!reference.equals(result.grantReference())) {
        return Outcome.retry("revoke acknowledged "
            + Texts.acknowledged(result.grantReference(), grant) + ", not this grant");
      }
      probeStart = Math.max(1, System.nanoTime());
      Probe probe;
      try {
        probe = downstream.verify(grant);
      } catch (Throwable e) { // an Error too
        return Outcome.unconfirmed("verify threw " + e.getClass().getName());
      }
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
  }

  private void cut(FutureTask<?> task, Call call) {
    task.cancel(true);
    if (call.started.compareAndSet(false, true)) {
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
