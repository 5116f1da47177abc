package dev.jitaccess.postgres;

import dev.jitaccess.Grant;
import dev.jitaccess.spi.GrantChangeListener;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Follows a store's change log on a connection of its own, on a thread of its own: {@code LISTEN}
 * on the schema's channel, and on each notification, or every poll interval, reads the final
 * changes after its position in pages, in one snapshot per poll. It applies every change to the
 * store's cache, queues those made by other store instances for its listener, which a thread of
 * its own calls in order, and moves its position past each once queued. A dropped connection is
 * replaced, with backoff, and the follower catches up from its position: no change is lost, none
 * delivered twice.
 *
 * <p>A poll that finds committed changes held back by an older transaction (which sends no
 * notification when it ends) polls again after a millisecond, then after twice as long each time,
 * up to the poll interval. Polls start at least two milliseconds apart (unless a page was full),
 * so a burst of writes, each notifying, is read by a few polls rather than one each.
 *
 * <p>It also proves the cache fresh: after a poll that left no committed change unread, it
 * records the local monotonic time at which the poll began. Every change committed before then
 * has been applied, so the view's lag is at most the time since.
 */
final class ChangeFollower implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ChangeFollower.class.getName());
  static final int PAGE = 500;
  private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(2);
  private static final long STOP_WAIT_MILLIS = 10_000;
  /** The longest a wait for notifications goes without looking whether the follower closed. */
  private static final long WAIT_SLICE_MILLIS = 100;
  /** The least time from one poll's start to the next, unless a page was full. */
  private static final long MIN_POLL_SPACING_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  /** The first wait before polling again while committed changes are held back. */
  private static final long MIN_HELD_BACK_MILLIS = 1;

  private final DataSource dataSource;
  private final GrantChangeLog log;
  private final String origin;
  private final GrantCache cache;
  private final GrantChangeListener listener;
  private final long pollMillis;
  /**
   * How long without a complete poll makes the view stale ({@value #STALE_AFTER_POLLS} poll
   * intervals, the store's maxLag): after such a gap the copy is dropped before the view is fresh
   * again.
   */
  private final long staleAfterNanos;
  private final Thread thread;
  private final ListenerDelivery delivery;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition stopping = lock.newCondition();

  /** Poll intervals without a complete poll after which the copy is no longer trusted. */
  static final int STALE_AFTER_POLLS = 4;

  private volatile boolean closed;
  private volatile boolean connected;
  /** {@link System#nanoTime()} at the start of the last poll that left nothing unread. */
  private volatile long freshSince;
  private volatile boolean everFresh;

  // The follower thread's own.
  /** {@link System#nanoTime()} at the start of the last poll. */
  private long lastPoll = System.nanoTime() - MIN_POLL_SPACING_NANOS;
  private @Nullable Connection connection;
  private @Nullable ChangePosition position;

  ChangeFollower(DataSource dataSource, GrantChangeLog log, String origin, GrantCache cache,
      GrantChangeListener listener, Duration pollInterval) {
    this.dataSource = dataSource;
    this.log = log;
    this.origin = origin;
    this.cache = cache;
    this.listener = listener;
    this.pollMillis = Math.max(1, pollInterval.toMillis());
    this.staleAfterNanos = TimeUnit.MILLISECONDS.toNanos(pollMillis) * STALE_AFTER_POLLS;
    this.thread = new Thread(this::run, "jit-postgres-follower-" + log.channel());
    this.thread.setDaemon(true);
    this.delivery = new ListenerDelivery(listener, "jit-postgres-delivery-" + log.channel());
  }

  /** The name the follower's connection has in {@code pg_stat_activity.application_name}. */
  static String applicationName(String origin) {
    return "jit-follower " + origin;
  }

  /** Connects (once; on failure the thread retries) and starts the threads. */
  void start() {
    try {
      connect();
    } catch (SQLException | RuntimeException e) {
      drop(e);
    }
    delivery.start();
    thread.start();
  }

  /** Whether the follower holds a working connection. */
  boolean isConnected() {
    return connected;
  }

  /**
   * Nanoseconds from when the view was last proved fresh to {@code now} (a {@link
   * System#nanoTime()} reading), or {@link Long#MAX_VALUE} if the follower is disconnected or has
   * not proved it on its connection yet.
   */
  long lagNanos(long now) {
    if (!connected || !everFresh) {
      return Long.MAX_VALUE;
    }
    return now - freshSince;
  }

  /** Stops the thread, waiting for it, and closes the connection. */
  @Override
  public void close() {
    closed = true;
    lock.lock();
    try {
      stopping.signalAll();
    } finally {
      lock.unlock();
    }
    delivery.stop();
    try {
      if (Thread.currentThread() != thread) {
        thread.join(STOP_WAIT_MILLIS);
      }
      delivery.join(STOP_WAIT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    long backoff = MIN_BACKOFF_NANOS;
    long heldBackWait = MIN_HELD_BACK_MILLIS;
    while (!closed) {
      try {
        if (connection == null) {
          connect();
        }
        Poll poll = poll();
        backoff = MIN_BACKOFF_NANOS;
        if (poll == Poll.HELD_BACK) {
          // Committed changes wait for an older transaction, whose end sends no notification:
          // look again soon, then less and less often.
          awaitChanges(heldBackWait);
          heldBackWait = Math.min(heldBackWait * 2, pollMillis);
        } else {
          heldBackWait = MIN_HELD_BACK_MILLIS;
          if (poll == Poll.DONE) {
            awaitChanges(pollMillis);
          }
        }
        // A burst of writes notifies once per write: the changes of all that arrive within the
        // spacing are read by one poll.
        long sinceLast = System.nanoTime() - lastPoll;
        if (poll != Poll.MORE && sinceLast < MIN_POLL_SPACING_NANOS) {
          pause(MIN_POLL_SPACING_NANOS - sinceLast);
        }
      } catch (SQLException | RuntimeException e) {
        drop(e);
        pause(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_NANOS);
      }
    }
    connected = false;
    release();
    delivery.stop();
  }

  private void connect() throws SQLException {
    Connection opened = dataSource.getConnection();
    try {
      opened.setAutoCommit(true);
      try (PreparedStatement name =
          opened.prepareStatement("SELECT set_config('application_name', ?, false)")) {
        name.setString(1, applicationName(origin));
        name.execute();
      }
      try (Statement listen = opened.createStatement()) {
        listen.execute("LISTEN " + PostgresSchema.quote(log.channel()));
      }
      if (position == null) {
        position = GrantChangeLog.horizon(opened);
      }
    } catch (SQLException | RuntimeException e) {
      closeQuietly(opened);
      throw e;
    }
    connection = opened;
    // A new connection proves nothing yet: the view is fresh again only after a complete poll on
    // it, and the copy kept from before is dropped then.
    everFresh = false;
    connected = true;
  }

  /** What a poll left unread. */
  private enum Poll {
    /** Nothing committed before it began. */
    DONE,
    /** A full page: more final changes may be waiting. */
    MORE,
    /** Committed changes that are not final yet, held back by an older transaction. */
    HELD_BACK
  }

  /** One poll. */
  private Poll poll() throws SQLException {
    Connection c = connection;
    ChangePosition from = position;
    if (c == null || from == null) {
      throw new IllegalStateException("not connected");
    }
    // The notifications received so far are for changes this poll reads.
    if (c.isWrapperFor(PGConnection.class)) {
      c.unwrap(PGConnection.class).getNotifications();
    }
    long started = System.nanoTime();
    lastPoll = started;
    GrantChangeLog.Page page = log.poll(c, from, PAGE);
    for (GrantChange change : page.changes()) {
      apply(change);
      position = change.position();
    }
    if (page.complete()) {
      if (!everFresh || started - freshSince > staleAfterNanos) {
        // The follower (re)connected, or its view was stale (held back) for longer than readers
        // accept: the log may have purged changes it never read, so no copy made before is
        // trusted.
        cache.clear();
      }
      freshSince = started;
      everFresh = true;
    }
    return page.full() ? Poll.MORE : page.heldBack() ? Poll.HELD_BACK : Poll.DONE;
  }

  private void apply(GrantChange change) {
    Grant grant = change.grant();
    if (grant == null) {
      cache.remove(change.grantId()); // deleted, or past its retention
      return;
    }
    cache.put(grant);
    // The log holds the grant as it is now: a change the grant has moved past is delivered by
    // the later change, as the grant is now.
    if (grant.version() != change.version() || origin.equals(change.origin())) {
      return;
    }
    delivery.add(grant);
  }

  /**
   * Waits for a notification, or {@code millis}, or {@link #close}: in slices of at most {@value
   * #WAIT_SLICE_MILLIS} ms, since a wait for notifications cannot be woken otherwise.
   */
  private void awaitChanges(long millis) throws SQLException {
    Connection c = connection;
    if (c == null || !c.isWrapperFor(PGConnection.class)) {
      pause(TimeUnit.MILLISECONDS.toNanos(millis));
      return;
    }
    PGConnection listening = c.unwrap(PGConnection.class);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    long left = millis;
    while (!closed && left > 0) {
      PGNotification[] notified =
          listening.getNotifications((int) Math.min(left, WAIT_SLICE_MILLIS));
      if (notified != null && notified.length > 0) {
        return; // what they say is read from the log, not from them
      }
      left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    }
  }

  private void pause(long nanos) {
    lock.lock();
    try {
      long left = nanos;
      while (!closed && left > 0) {
        left = stopping.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      closed = true;
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  private void drop(Exception e) {
    boolean was = connected;
    connected = false;
    Connection c = connection;
    connection = null;
    if (c != null) {
      closeQuietly(c);
    }
    if (!closed) {
      String why = e instanceof SQLException
          ? Jdbc.sanitized((SQLException) e).getMessage()
          : e.getClass().getSimpleName();
      LOG.log(was ? Level.WARNING : Level.DEBUG,
          "Following the grant change log of schema " + log.channel() + " failed, reconnecting: "
              + why);
    }
  }

  /** Stops listening and hands the connection back. */
  private void release() {
    Connection c = connection;
    connection = null;
    if (c == null) {
      return;
    }
    try (Statement statement = c.createStatement()) {
      statement.execute("UNLISTEN *");
      statement.execute("RESET application_name");
    } catch (SQLException ignored) {
      // the connection is closed next either way
    }
    closeQuietly(c);
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // broken already
    }
  }
}
