package dev.jitaccess.testkit.time;

import dev.jitaccess.spi.Scheduler;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * A {@link Clock} that moves only when told, and a {@link Scheduler} whose tasks run when the clock
 * is moved past their time: right after {@link #advance(Duration)} returns, every task that fell
 * due has run, on the advancing thread, in order of due time, each seeing the clock at its own due
 * instant. No sleeps and no polling.
 *
 * <pre>{@code
 * FakeClock clock = new FakeClock();
 * JitAccess jit = JitAccess.builder().clock(clock).scheduler(clock).build();
 * Grant grant = jit.request(request);          // ttl 5 minutes
 * clock.advance(Duration.ofMinutes(5));        // the grant's RevocationListener has fired: EXPIRED
 * }</pre>
 *
 * <p>It also offers a nanosecond {@link #ticker()} for caches such as Caffeine. The ticker starts
 * near {@code Long.MAX_VALUE} (it wraps after an hour of fake time, as {@link System#nanoTime()}
 * may), so code that subtracts readings correctly works and code that compares them naively fails.
 *
 * <p>Thread-safe: reads may come from any thread; advances are serialized, and tasks run one at a
 * time. A task may schedule more tasks and may read the clock, but must not advance it.
 */
public final class FakeClock extends Clock implements Scheduler {
  /** Where a clock built with {@link #FakeClock()} starts: not the epoch, on purpose. */
  public static final Instant DEFAULT_START = Instant.parse("2026-03-14T09:26:53.589793Z");

  private static final long DEFAULT_TICKER_START = Long.MAX_VALUE - Duration.ofHours(1).toNanos();

  private final State state;
  private final ZoneId zone;

  /** A clock at {@link #DEFAULT_START}, in UTC. */
  public FakeClock() {
    this(DEFAULT_START);
  }

  /** A clock at {@code start}, in UTC; any instant from {@link Instant#MIN} to {@link Instant#MAX}. */
  public FakeClock(Instant start) {
    this(new State(Objects.requireNonNull(start, "start must not be null"), DEFAULT_TICKER_START),
        ZoneOffset.UTC);
  }

  private FakeClock(State state, ZoneId zone) {
    this.state = state;
    this.zone = zone;
  }

  /** A clock at {@code start}, in UTC. */
  public static FakeClock at(Instant start) {
    return new FakeClock(start);
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  /** The same clock (same time, same scheduled tasks) seen in another zone. */
  @Override
  public FakeClock withZone(ZoneId zone) {
    return new FakeClock(state, Objects.requireNonNull(zone, "zone must not be null"));
  }

  @Override
  public Instant instant() {
    return state.now;
  }

  /** The nanosecond ticker, moving with the clock. */
  public long nanoTime() {
    return state.ticks;
  }

  /** {@link #nanoTime()} as a supplier, for caches that take a ticker. */
  public LongSupplier ticker() {
    return this::nanoTime;
  }

  /**
   * Moves the clock forward by {@code amount} and runs every task that falls due, in order. A task
   * that throws does not stop the others: when every due task has run and the clock has reached
   * its target, the first task's exception is rethrown, with later ones added as suppressed.
   *
   * @throws IllegalArgumentException if amount is negative or would pass {@link Instant#MAX}
   * @throws IllegalStateException if called from a task this clock is running
   */
  public FakeClock advance(Duration amount) {
    Objects.requireNonNull(amount, "amount must not be null");
    if (amount.isNegative()) {
      throw new IllegalArgumentException("amount must be >= 0, was " + amount);
    }
    // The target is computed from the instant seen once this advance holds the clock, so that
    // concurrent advances add up instead of overwriting each other.
    state.moveTo(now -> {
      try {
        return now.plus(amount);
      } catch (DateTimeException | ArithmeticException e) {
        throw new IllegalArgumentException(
            "amount must keep the clock at or before Instant.MAX, was " + amount, e);
      }
    });
    return this;
  }

  /**
   * Moves the clock forward to {@code target} and runs every task that falls due, as {@link
   * #advance(Duration)} does.
   *
   * @throws IllegalArgumentException if target is before the current instant
   * @throws IllegalStateException if called from a task this clock is running
   */
  public FakeClock setTo(Instant target) {
    Objects.requireNonNull(target, "target must not be null");
    state.moveTo(now -> {
      if (target.isBefore(now)) {
        throw new IllegalArgumentException(
            "target must not be before the current instant " + now + ", was " + target);
      }
      return target;
    });
    return this;
  }

  /**
   * Runs {@code task} once the clock has been advanced by {@code delay}; a delay of zero or less
   * runs at the next advance (even by zero).
   */
  @Override
  public Cancellable schedule(Runnable task, Duration delay) {
    Objects.requireNonNull(task, "task must not be null");
    Objects.requireNonNull(delay, "delay must not be null");
    return state.schedule(task, delay);
  }

  /** How many scheduled tasks have not run or been cancelled yet. */
  public int pendingTasks() {
    return state.pending();
  }

  @Override
  public String toString() {
    return "FakeClock[" + state.now + ", " + zone + "]";
  }

  private static final class State {
    private final ReentrantLock lock = new ReentrantLock();
    private final ReentrantLock advancing = new ReentrantLock();
    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private volatile Instant now;
    private volatile long ticks;
    private long sequence;
    private volatile boolean runningTask;

    State(Instant start, long tickerStart) {
      this.now = start;
      this.ticks = tickerStart;
    }

    Cancellable schedule(Runnable runnable, Duration delay) {
      lock.lock();
      try {
        Instant due;
        if (delay.isNegative() || delay.isZero()) {
          due = now;
        } else {
          try {
            due = now.plus(delay);
          } catch (DateTimeException | ArithmeticException e) {
            due = Instant.MAX;
          }
        }
        Task task = new Task(due, sequence++, runnable);
        tasks.add(task);
        return () -> cancel(task);
      } finally {
        lock.unlock();
      }
    }

    private void cancel(Task task) {
      lock.lock();
      try {
        // A task taken off the queue but not yet started is stopped here too: once this returns,
        // it will not run.
        if (task.cancel()) {
          tasks.remove(task);
        }
      } finally {
        lock.unlock();
      }
    }

    int pending() {
      lock.lock();
      try {
        return tasks.size();
      } finally {
        lock.unlock();
      }
    }

    /** Moves to {@code targetOf(now)}, with now read once this thread holds the clock. */
    void moveTo(UnaryOperator<Instant> targetOf) {
      if (advancing.isHeldByCurrentThread() && runningTask) {
        throw new IllegalStateException("a scheduled task must not advance the clock");
      }
      advancing.lock();
      Throwable failure = null;
      try {
        Instant target = targetOf.apply(now);
        while (true) {
          Task next;
          lock.lock();
          try {
            next = tasks.peek();
            if (next == null || next.due.isAfter(target)) {
              setNow(target);
              break;
            }
            tasks.poll();
            if (next.due.isAfter(now)) {
              setNow(next.due);
            }
          } finally {
            lock.unlock();
          }
          if (!next.start()) {
            continue; // cancelled after it was taken off the queue
          }
          runningTask = true;
          try {
            next.runnable.run();
          } catch (Throwable e) { // a checked exception too, thrown by a sneaky task
            // The other due tasks still run and the clock still reaches the target; the first
            // failure is rethrown at the end, later ones are attached to it.
            if (failure == null) {
              failure = e;
            } else if (failure != e) {
              failure.addSuppressed(e);
            }
          } finally {
            runningTask = false;
          }
        }
      } finally {
        advancing.unlock();
      }
      if (failure != null) {
        FakeClock.<RuntimeException>rethrow(failure);
      }
    }

    /** Called with the lock held; moves the instant and the ticker together. */
    private void setNow(Instant instant) {
      Duration step = Duration.between(now, instant);
      // Wrapping arithmetic on purpose: the ticker behaves like System.nanoTime().
      ticks = ticks + step.getSeconds() * 1_000_000_000L + step.getNano();
      now = instant;
    }
  }

  /** Throws {@code t} as it is, checked or not. */
  @SuppressWarnings("unchecked")
  private static <T extends Throwable> void rethrow(Throwable t) throws T {
    throw (T) t;
  }

  private static final class Task implements Comparable<Task> {
    private static final int PENDING = 0;
    private static final int STARTED = 1;
    private static final int CANCELLED = 2;

    final Instant due;
    final long sequence;
    final Runnable runnable;
    private final java.util.concurrent.atomic.AtomicInteger state =
        new java.util.concurrent.atomic.AtomicInteger(PENDING);

    /** Whether the task may run now: false if it was cancelled. */
    boolean start() {
      return state.compareAndSet(PENDING, STARTED);
    }

    /** Whether the task was stopped before it started. */
    boolean cancel() {
      return state.compareAndSet(PENDING, CANCELLED);
    }

    Task(Instant due, long sequence, Runnable runnable) {
      this.due = due;
      this.sequence = sequence;
      this.runnable = runnable;
    }

    @Override
    public int compareTo(Task other) {
      int byDue = due.compareTo(other.due);
      return byDue != 0 ? byDue : Long.compare(sequence, other.sequence);
    }
  }
}
