package dev.jitaccess.core;

import dev.jitaccess.internal.Validation;
import dev.jitaccess.spi.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime's expiry timers: a binary heap of (instant, grant id) kept in parallel arrays, with
 * a single task on the {@link Scheduler}, always at the earliest instant. When it runs it hands
 * every due id to the callback and schedules itself for the next one. About 16 bytes per pending
 * timer, against a hundred or more for a scheduled task per grant, and still exact: the task runs
 * at the earliest expiry itself, not at a bucket boundary. Thread-safe.
 *
 * <p>A scheduler that refuses a task loses no timer: the timer stays in the heap, {@link #add}
 * throws the scheduler's exception, and the next add (or the task still pending, if any) schedules
 * the earliest timer again, overdue ones included; an {@code Error} from the scheduler is treated
 * the same way. A scheduler may also run a task inside {@code schedule}; its callbacks then run
 * when the call that scheduled it has let the queue's lock go, even if the scheduler then threw.
 * Callbacks never run under the lock. A callback that throws, an {@code Error} included, is
 * logged, and the other due timers still run.
 */
final class ExpiryQueue {
  private static final Logger LOG = LoggerFactory.getLogger(ExpiryQueue.class);

  private final Scheduler scheduler;
  private final Clock clock;
  private final Consumer<String> onDue;
  private final ReentrantLock lock = new ReentrantLock();

  private long[] seconds = new long[64];
  private int[] nanos = new int[64];
  private String[] ids = new String[64];
  private int size;

  private Scheduler.@Nullable Cancellable scheduled;
  private @Nullable Instant scheduledAt;
  private long generation;
  /**
   * Due ids popped by a task that a scheduler ran inside {@code schedule}, while this thread held
   * the lock: their callbacks run once the outermost holder has let the lock go.
   */
  private final List<String> deferred = new ArrayList<>();

  ExpiryQueue(Scheduler scheduler, Clock clock, Consumer<String> onDue) {
    this.scheduler = scheduler;
    this.clock = clock;
    this.onDue = onDue;
  }

  /**
   * Calls back with {@code id} once the clock reaches {@code at}.
   *
   * @throws RuntimeException what the scheduler threw, if it refused the task this add needed;
   *     the timer is kept, and scheduled by the next add
   */
  void add(String id, Instant at) {
    lock.lock();
    try {
      push(at.getEpochSecond(), at.getNano(), id);
      // The head, not at: after a refused schedule, earlier timers may be waiting unscheduled.
      if (scheduledAt == null || isBefore(seconds[0], nanos[0], scheduledAt)) {
        scheduleLocked(Instant.ofEpochSecond(seconds[0], nanos[0]));
      }
    } finally {
      // Also when the scheduler threw after running a task inside schedule: the ids that task
      // took from the heap are due, and nothing else would call them back.
      List<String> due = takeDeferred();
      lock.unlock();
      run(due);
    }
  }

  /** How many timers are pending. */
  int size() {
    lock.lock();
    try {
      return size;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Replaces the pending task with one at {@code at}. If the scheduler refuses, the pending task
   * (if any) stays as it was, and the exception is thrown. A scheduler may run the task before
   * {@code schedule} returns; the generation tells whether it has.
   */
  private void scheduleLocked(Instant at) {
    Scheduler.Cancellable previous = scheduled;
    Instant previousAt = scheduledAt;
    long token = ++generation;
    scheduled = null;
    scheduledAt = at;
    Duration delay = Duration.ofNanos(Math.max(0, Times.saturatedNanos(clock.instant(), at)));
    Scheduler.Cancellable next;
    try {
      next = scheduler.schedule(() -> fire(token), delay);
    } catch (Throwable e) { // an Error too: the pending task must not be forgotten
      if (generation == token) {
        generation = token - 1;
        scheduled = previous;
        scheduledAt = previousAt;
      }
      throw e;
    }
    if (generation == token && scheduledAt != null) {
      scheduled = next; // not already run by the scheduler
    }
    // A task ran inside schedule and could not schedule the rest: the previous task, though
    // stale, still wakes the queue at its instant, so it is left to run.
    if (previous != null && scheduledAt != null) {
      previous.cancel();
    }
  }

  private void fire(long token) {
    Instant now = clock.instant();
    List<String> due = new ArrayList<>();
    Throwable refused = null;
    lock.lock();
    try {
      if (token == generation) {
        scheduled = null;
        scheduledAt = null;
      }
      while (size > 0 && !isAfter(seconds[0], nanos[0], now)) {
        due.add(ids[0]);
        pop();
      }
      if (size > 0 && scheduledAt == null) {
        try {
          scheduleLocked(Instant.ofEpochSecond(seconds[0], nanos[0]));
        } catch (Throwable e) {
          refused = e;
        }
      }
    } finally {
      deferred.addAll(due);
      due = takeDeferred();
      lock.unlock();
    }
    if (refused != null) {
      LOG.error("The scheduler refused the next expiry timer; the next timer added schedules it",
          refused);
    }
    run(due);
  }

  /**
   * Under the lock: the deferred ids, if this thread is the lock's outermost holder (callbacks
   * never run while the queue is locked), else none.
   */
  private List<String> takeDeferred() {
    if (deferred.isEmpty() || lock.getHoldCount() > 1) {
      return List.of();
    }
    List<String> due = new ArrayList<>(deferred);
    deferred.clear();
    return due;
  }

  private void run(List<String> due) {
    for (String id : due) {
      try {
        onDue.accept(id);
      } catch (Throwable e) { // an Error too: the other due timers still run
        LOG.error("Expiry callback failed for grant {}", Validation.redactId(id), e);
      }
    }
  }

  private static boolean isBefore(long s, int n, Instant other) {
    return s < other.getEpochSecond() || (s == other.getEpochSecond() && n < other.getNano());
  }

  private static boolean isAfter(long s, int n, Instant now) {
    return s > now.getEpochSecond() || (s == now.getEpochSecond() && n > now.getNano());
  }

  private boolean less(int a, int b) {
    return seconds[a] < seconds[b] || (seconds[a] == seconds[b] && nanos[a] < nanos[b]);
  }

  private void push(long s, int n, String id) {
    if (size == ids.length) {
      int capacity = ids.length + (ids.length >> 1);
      seconds = Arrays.copyOf(seconds, capacity);
      nanos = Arrays.copyOf(nanos, capacity);
      ids = Arrays.copyOf(ids, capacity);
    }
    int i = size++;
    seconds[i] = s;
    nanos[i] = n;
    ids[i] = id;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!less(i, parent)) {
        break;
      }
      swap(i, parent);
      i = parent;
    }
  }

  private void pop() {
    size--;
    swap(0, size);
    ids[size] = null;
    int i = 0;
    while (true) {
      int left = 2 * i + 1;
      if (left >= size) {
        break;
      }
      int smallest = left + 1 < size && less(left + 1, left) ? left + 1 : left;
      if (!less(smallest, i)) {
        break;
      }
      swap(i, smallest);
      i = smallest;
    }
    if (size == 0 && ids.length > 1024) {
      seconds = new long[64];
      nanos = new int[64];
      ids = new String[64];
    }
  }

  private void swap(int a, int b) {
    long s = seconds[a];
    seconds[a] = seconds[b];
    seconds[b] = s;
    int n = nanos[a];
    nanos[a] = nanos[b];
    nanos[b] = n;
    String id = ids[a];
    ids[a] = ids[b];
    ids[b] = id;
  }
}
