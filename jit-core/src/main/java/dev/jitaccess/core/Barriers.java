package dev.jitaccess.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps ended tasks from getting new grants, and requests in flight from slipping past a
 * revocation by task, subject or owner.
 *
 * <p>A task, once ended, refuses new grants for {@code retention} (at most {@code maxEntries}
 * tasks are remembered; past that the oldest are forgotten first). Revoking by subject or owner
 * leaves a mark that only requests already in flight see. Every mark takes the next number of one
 * counter; a request reads the counter before it stores its grant and again after. If it moved, a
 * revocation began in between, and the request checks whether the mark of its task, subject or
 * owner is newer than its first reading: then the revocation's search may have missed the new
 * grant, and the request abandons it. A revocation sets its mark before it searches, so a grant
 * is either found by the search or abandoned by its request. The common case, no revocation in
 * between, reads one counter twice and allocates nothing.
 */
final class Barriers {
  private static final Logger LOG = LoggerFactory.getLogger(JitAccess.class);

  /** Why a request or delegation is refused. */
  static final String TASK_ENDED = "TASK_ENDED";
  static final String SUBJECT_REVOKED = "SUBJECT_REVOKED";
  static final String OWNER_REVOKED = "OWNER_REVOKED";

  /** When a name was last ended or revoked, and the counter's number then. */
  private static final class Mark {
    final Instant at;
    final long number;

    Mark(Instant at, long number) {
      this.at = at;
      this.number = number;
    }
  }

  private final AtomicLong marks = new AtomicLong();

  private final Clock clock;
  private final Duration retention;
  private final int maxEntries;
  private final ConcurrentHashMap<String, Mark> endedTasks = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Mark> subjects = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Mark> owners = new ConcurrentHashMap<>();

  Barriers(Clock clock, Duration retention, int maxEntries) {
    this.clock = clock;
    this.retention = retention;
    this.maxEntries = maxEntries;
  }

  /** Whether {@code task} has ended within the retention. */
  boolean isEnded(String task) {
    Mark mark = endedTasks.get(task);
    if (mark == null) {
      return false;
    }
    if (isPast(mark, clock.instant())) {
      endedTasks.remove(task, mark);
      return false;
    }
    return true;
  }

  /** The reading a request takes before it stores its grant. */
  long enter() {
    return marks.get();
  }

  /**
   * Why a request that entered with {@code ticket} and has stored its grant must abandon it, or
   * null if no revocation it could have slipped past happened since.
   */
  @Nullable String refusal(long entered, String task, String subject, String owner) {
    if (endedTasks.containsKey(task)) {
      return TASK_ENDED; // also if it ended before the request entered: it refuses for good
    }
    if (marks.get() == entered) {
      return null; // no revocation began since
    }
    // A mark gone since (forgotten after the retention) is no new revocation.
    if (isNewer(subjects.get(subject), entered)) {
      return SUBJECT_REVOKED;
    }
    if (isNewer(owners.get(owner), entered)) {
      return OWNER_REVOKED;
    }
    return null;
  }

  private static boolean isNewer(@Nullable Mark mark, long entered) {
    return mark != null && mark.number > entered;
  }

  /** Ends {@code task}: from now on it refuses new grants, for the retention. */
  void endTask(String task) {
    put(endedTasks, task);
  }

  /** Marks a revocation of {@code subject}'s grants, before they are searched. */
  void revokeSubject(String subject) {
    put(subjects, subject);
  }

  /** Marks a revocation of {@code owner}'s grants, before they are searched. */
  void revokeOwner(String owner) {
    put(owners, owner);
  }

  private void put(ConcurrentHashMap<String, Mark> names, String name) {
    Instant now = clock.instant();
    names.put(name, new Mark(now, marks.incrementAndGet()));
    if (names.size() > maxEntries) {
      prune(names, now);
    }
  }

  /** Forgets marks past the retention; if still too many, the oldest. */
  private void prune(ConcurrentHashMap<String, Mark> marks, Instant now) {
    marks.values().removeIf(mark -> isPast(mark, now));
    int excess = marks.size() - maxEntries;
    if (excess <= 0) {
      return;
    }
    LOG.warn("More than {} ended tasks or revoked names within the retention {}; forgetting the "
        + "oldest {}", maxEntries, retention, excess);
    Instant cutoff = marks.values().stream().map(m -> m.at).sorted()
        .skip(excess - 1L).findFirst().orElse(now);
    for (Iterator<Map.Entry<String, Mark>> it = marks.entrySet().iterator();
        it.hasNext() && excess > 0; ) {
      if (!it.next().getValue().at.isAfter(cutoff)) {
        it.remove();
        excess--;
      }
    }
  }

  private boolean isPast(Mark mark, Instant now) {
    return !now.isBefore(Times.saturatedPlus(mark.at, retention));
  }

  /** How many names are remembered, for tests of the bound. */
  int size() {
    return endedTasks.size() + subjects.size() + owners.size();
  }
}
