package dev.jitaccess.teardown;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.spi.AuditSink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** An audit sink that keeps every event and lets a test wait for events from other threads. */
final class EventLog implements AuditSink {
  private final List<AuditEvent> events = new ArrayList<>();

  @Override
  public synchronized void record(AuditEvent event) {
    events.add(event);
    notifyAll();
  }

  synchronized List<AuditEvent> events() {
    return List.copyOf(events);
  }

  synchronized long count(Predicate<AuditEvent> which) {
    return events.stream().filter(which).count();
  }

  /** Waits until {@code n} events match {@code which}; fails after 30 s. */
  synchronized void await(Predicate<AuditEvent> which, long n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (count(which) < n) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("only " + count(which) + " of " + n + " events came");
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }
}
