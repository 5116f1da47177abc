package dev.jitaccess.core;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The denial windows of a {@link Slf4jAuditSink}: per key (a grant reference and reason, or for a
 * denial without a grant a subject and reason), the window opened by its first denial, the
 * denials counted in it since, and the summary line of those once the window has passed or is
 * flushed. At most {@code maxKeys} windows are open; a new key past that closes the one opened
 * first. Thread-safe: every method but {@link #closePassed}'s first look holds the lock, and every
 * denial is either reported as opening a window or counted in exactly one summary.
 */
final class DenialWindows {
  private final long windowNanos;
  private final String windowText;
  private final int maxKeys;

  /** Open windows, the one opened first first. Guarded by itself. */
  private final LinkedHashMap<Key, Window> windows = new LinkedHashMap<>();

  /**
   * When the oldest window was opened, or null when none is open: lets events other than denials
   * find, without the lock, whether a window is due.
   */
  private volatile @Nullable Instant oldestStart;

  DenialWindows(Duration window, int maxKeys) {
    this.windowNanos = saturatedNanos(window);
    this.windowText = window.toString();
    this.maxKeys = maxKeys;
  }

  /**
   * Counts {@code event}, a denial at {@code now}, in its key's window; adds to {@code due} the
   * summary lines of the windows it finds passed (and of the oldest, if it had to make room).
   *
   * @return whether the denial opened a window, and so is to be logged in full
   */
  boolean deny(AuditEvent event, Instant now, List<AuditLine> due) {
    Key key = Key.of(event);
    boolean opened;
    synchronized (windows) {
      sweep(now, due);
      Window w = windows.get(key);
      if (w != null && isPast(w.start, now)) { // not at the head (the clock went back once)
        windows.remove(key);
        addIfAny(due, w.drain());
        w = null;
      }
      if (w == null) {
        if (windows.size() >= maxKeys) {
          Iterator<Window> oldest = windows.values().iterator();
          addIfAny(due, oldest.next().drain());
          oldest.remove();
        }
        windows.put(key, new Window(now, key, key.grant == null ? null : event.parentRef()));
        opened = true;
      } else {
        w.count(event.at());
        opened = false;
      }
      updateOldest();
    }
    return opened;
  }

  /**
   * The summary lines of the windows that have passed, which it closes; reads {@code clock} only
   * when a window is open, and takes the lock only when the oldest is due.
   */
  List<AuditLine> closePassed(Clock clock) {
    Instant oldest = oldestStart;
    if (oldest == null) {
      return List.of();
    }
    Instant now = clock.instant();
    if (!isPast(oldest, now)) {
      return List.of();
    }
    List<AuditLine> due = new ArrayList<>(1);
    synchronized (windows) {
      sweep(now, due);
    }
    return due;
  }

  /**
   * Closes the windows passed at {@code now}, and drains the others: the summary lines of every
   * window in which denials were counted. The open windows stay open and count afresh.
   */
  List<AuditLine> drainAll(Instant now) {
    List<AuditLine> due = new ArrayList<>();
    synchronized (windows) {
      sweep(now, due);
      for (Window w : windows.values()) {
        addIfAny(due, w.drain());
      }
    }
    return due;
  }

  /** The number of windows open now. */
  int size() {
    synchronized (windows) {
      return windows.size();
    }
  }

  /** Closes the windows that have passed, oldest first. Holds the lock. */
  private void sweep(Instant now, List<AuditLine> due) {
    Iterator<Window> it = windows.values().iterator();
    while (it.hasNext()) {
      Window w = it.next();
      if (!isPast(w.start, now)) {
        break;
      }
      addIfAny(due, w.drain());
      it.remove();
    }
    updateOldest();
  }

  private void updateOldest() {
    Iterator<Window> it = windows.values().iterator();
    oldestStart = it.hasNext() ? it.next().start : null;
  }

  private boolean isPast(Instant start, Instant now) {
    return Times.saturatedNanos(start, now) >= windowNanos;
  }

  private void addIfAny(List<AuditLine> due, @Nullable Summary s) {
    if (s != null) {
      due.add(summaryLine(s));
    }
  }

  private AuditLine summaryLine(Summary s) {
    AuditLine l = new AuditLine(AuditEventType.DENIED);
    l.add("at", s.last);
    l.add("grant", s.key.grant);
    l.add("parent", s.parent);
    l.add("subject", s.key.subject);
    l.add("reason", s.key.reason);
    l.add("count", s.count);
    l.add("window", windowText);
    l.add("first", s.first);
    l.add("last", s.last);
    return l;
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /** What denials are aggregated by. */
  private static final class Key {
    private final @Nullable String grant;
    private final @Nullable String subject;
    private final @Nullable String reason;

    private Key(@Nullable String grant, @Nullable String subject, @Nullable String reason) {
      this.grant = grant;
      this.subject = subject;
      this.reason = reason;
    }

    static Key of(AuditEvent event) {
      String grant = event.grantRef();
      return new Key(grant, grant == null ? event.subject() : null, event.reason());
    }

    @Override
    public boolean equals(@Nullable Object o) {
      if (!(o instanceof Key)) {
        return false;
      }
      Key k = (Key) o;
      return Objects.equals(grant, k.grant) && Objects.equals(subject, k.subject)
          && Objects.equals(reason, k.reason);
    }

    @Override
    public int hashCode() {
      return Objects.hash(grant, subject, reason);
    }
  }

  /**
   * One key's open window: what its summary names (not the event, which holds the grant id and
   * free text), and the denials counted. Guarded by the windows' lock.
   */
  private static final class Window {
    final Instant start;
    final Key key;
    final @Nullable String parent;
    long count;
    @Nullable Instant first;
    @Nullable Instant last;

    Window(Instant start, Key key, @Nullable String parent) {
      this.start = start;
      this.key = key;
      this.parent = parent;
    }

    void count(Instant at) {
      count++;
      if (first == null) {
        first = at;
      }
      last = at;
    }

    /** The denials counted so far, if any, as a summary; counts afresh. */
    @Nullable Summary drain() {
      Instant f = first;
      Instant l = last;
      if (count == 0 || f == null || l == null) {
        return null;
      }
      Summary s = new Summary(key, parent, count, f, l);
      count = 0;
      first = null;
      last = null;
      return s;
    }
  }

  /** Denials counted in a window and not logged. */
  private static final class Summary {
    final Key key;
    final @Nullable String parent;
    final long count;
    final Instant first;
    final Instant last;

    Summary(Key key, @Nullable String parent, long count, Instant first, Instant last) {
      this.key = key;
      this.parent = parent;
      this.count = count;
      this.first = first;
      this.last = last;
    }
  }
}
