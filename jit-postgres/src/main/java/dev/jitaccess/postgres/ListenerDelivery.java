package dev.jitaccess.postgres;

import dev.jitaccess.Grant;
import dev.jitaccess.spi.GrantChangeListener;
import java.lang.System.Logger.Level;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Hands a {@link ChangeFollower}'s changes to its listener on a thread of its own, in the order
 * the follower read them, one at a time: a slow listener (the runtime running the cascade of a
 * grant another runtime ended) holds back neither the follower's polls nor the copy it keeps
 * fresh. The follower moves its position past a change once it is queued here, so a reconnect
 * neither loses nor repeats one; what is still queued when the follower closes is dropped. A
 * listener's exception (an Error too) is logged, and the next change delivered. Thread-safe.
 */
final class ListenerDelivery implements Runnable {
  private static final System.Logger LOG = System.getLogger(ChangeFollower.class.getName());
  private static final Object STOP = new Object();

  private final GrantChangeListener listener;
  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean stopped;

  ListenerDelivery(GrantChangeListener listener, String name) {
    this.listener = listener;
    this.thread = new Thread(this, name);
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  void add(Grant grant) {
    queue.add(grant);
  }

  /** Stops the thread once the change it is delivering, if any, is delivered. */
  void stop() {
    stopped = true;
    queue.add(STOP);
  }

  /** Waits up to {@code millis} for the thread to stop. */
  void join(long millis) throws InterruptedException {
    if (Thread.currentThread() != thread) {
      thread.join(millis);
    }
  }

  @Override
  public void run() {
    while (!stopped) {
      Object next;
      try {
        next = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      if (next == STOP || stopped) {
        return;
      }
      Grant grant = (Grant) next;
      try {
        listener.changed(grant);
      } catch (RuntimeException | Error e) { // the next change must still be delivered
        LOG.log(Level.ERROR, "A listener failed on a change of grant " + grant.reference(), e);
      }
    }
  }
}
