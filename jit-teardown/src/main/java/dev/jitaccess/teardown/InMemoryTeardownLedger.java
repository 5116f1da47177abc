package dev.jitaccess.teardown;

import dev.jitaccess.teardown.spi.TeardownLedger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TeardownLedger} in memory: one process, nothing survives a restart, so it suits one
 * instance, or several {@link Teardown}s in one process (tests of replica takeover). Writes are
 * serialized by one lock; reads of an entry or a grant take none. Due entries are indexed per
 * downstream by the time they become claimable, settled ones by their last change; {@link
 * #lingering} scans every entry. Thread-safe.
 */
public final class InMemoryTeardownLedger implements TeardownLedger {
  private static final Comparator<TeardownEntry> BY_CLAIMABLE =
      Comparator.comparing((TeardownEntry e) -> Objects.requireNonNull(e.claimableAt()))
          .thenComparing(TeardownEntry::grantId);
  private static final Comparator<TeardownEntry> BY_UPDATE =
      Comparator.comparing(TeardownEntry::updatedAt).thenComparing(TeardownEntry::grantId)
          .thenComparing(TeardownEntry::downstream);

  private final ReentrantLock lock = new ReentrantLock();
  /** grant id -&gt; downstream -&gt; entry. */
  private final Map<String, Map<String, TeardownEntry>> byGrant = new ConcurrentHashMap<>();
  /** downstream -&gt; its due entries by the time they become claimable; under the lock. */
  private final Map<String, NavigableSet<TeardownEntry>> due = new HashMap<>();
  /** Settled entries by their last change; under the lock. */
  private final NavigableSet<TeardownEntry> settled = new TreeSet<>(BY_UPDATE);

  /** An empty ledger. */
  public InMemoryTeardownLedger() {}

  @Override
  public boolean insert(TeardownEntry entry) {
    Objects.requireNonNull(entry, "entry must not be null");
    if (entry.version() != 0) {
      throw new IllegalArgumentException("entry.version must be 0, was " + entry.version());
    }
    lock.lock();
    try {
      Map<String, TeardownEntry> entries =
          byGrant.computeIfAbsent(entry.grantId(), id -> new ConcurrentHashMap<>());
      if (entries.putIfAbsent(entry.downstream(), entry) != null) {
        return false;
      }
      index(entry);
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public @Nullable TeardownEntry get(String grantId, String downstream) {
    Objects.requireNonNull(grantId, "grantId must not be null");
    Objects.requireNonNull(downstream, "downstream must not be null");
    Map<String, TeardownEntry> entries = byGrant.get(grantId);
    return entries == null ? null : entries.get(downstream);
  }

  @Override
  public boolean compareAndSet(TeardownEntry expected, TeardownEntry next) {
    Objects.requireNonNull(expected, "expected must not be null");
    Objects.requireNonNull(next, "next must not be null");
    TeardownLedger.checkTransition(expected, next);
    lock.lock();
    try {
      return replace(expected, next);
    } finally {
      lock.unlock();
    }
  }

  /** Replaces the stored entry by {@code next} if it is still {@code expected}'s version. */
  private boolean replace(TeardownEntry expected, TeardownEntry next) {
    Map<String, TeardownEntry> entries = byGrant.get(expected.grantId());
    TeardownEntry current = entries == null ? null : entries.get(expected.downstream());
    if (current == null || current.version() != expected.version()) {
      return false;
    }
    unindex(current);
    entries.put(next.downstream(), next);
    index(next);
    return true;
  }

  @Override
  public List<TeardownEntry> claimDue(String downstream, Instant now, String owner,
      Instant leaseUntil, int limit) {
    Objects.requireNonNull(downstream, "downstream must not be null");
    Objects.requireNonNull(now, "now must not be null");
    Objects.requireNonNull(owner, "owner must not be null");
    Objects.requireNonNull(leaseUntil, "leaseUntil must not be null");
    positive(limit);
    List<TeardownEntry> claimed = new ArrayList<>();
    lock.lock();
    try {
      NavigableSet<TeardownEntry> queue = due.get(downstream);
      if (queue == null) {
        return claimed;
      }
      List<TeardownEntry> ready = new ArrayList<>();
      for (TeardownEntry e : queue) {
        if (ready.size() == limit || !e.isClaimableAt(now)) {
          break; // ordered by the time they become claimable
        }
        ready.add(e);
      }
      for (TeardownEntry e : ready) {
        TeardownEntry leased = e.withLease(owner, leaseUntil, now);
        replace(e, leased);
        claimed.add(leased);
      }
      return claimed;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<TeardownEntry> entriesOf(String grantId) {
    Objects.requireNonNull(grantId, "grantId must not be null");
    Map<String, TeardownEntry> entries = byGrant.get(grantId);
    return entries == null ? List.of() : List.copyOf(entries.values());
  }

  @Override
  public List<TeardownEntry> lingering(Instant endedBefore, int limit) {
    Objects.requireNonNull(endedBefore, "endedBefore must not be null");
    positive(limit);
    List<TeardownEntry> found = new ArrayList<>();
    for (Map<String, TeardownEntry> entries : byGrant.values()) {
      for (TeardownEntry e : entries.values()) {
        if (!e.isSettled() && !e.endedAt().isAfter(endedBefore)) {
          found.add(e);
        }
      }
    }
    found.sort(Comparator.comparing(TeardownEntry::endedAt).thenComparing(TeardownEntry::grantId)
        .thenComparing(TeardownEntry::downstream));
    return found.size() > limit ? List.copyOf(found.subList(0, limit)) : found;
  }

  @Override
  public int deleteSettled(Instant updatedBefore, int limit) {
    Objects.requireNonNull(updatedBefore, "updatedBefore must not be null");
    positive(limit);
    int deleted = 0;
    lock.lock();
    try {
      Iterator<TeardownEntry> it = settled.iterator();
      while (it.hasNext() && deleted < limit) {
        TeardownEntry e = it.next();
        if (e.updatedAt().isAfter(updatedBefore)) {
          break;
        }
        it.remove();
        Map<String, TeardownEntry> entries = byGrant.get(e.grantId());
        if (entries != null) {
          entries.remove(e.downstream());
          if (entries.isEmpty()) {
            byGrant.remove(e.grantId());
          }
        }
        deleted++;
      }
      return deleted;
    } finally {
      lock.unlock();
    }
  }

  /** How many entries are held. */
  public int size() {
    int n = 0;
    for (Map<String, TeardownEntry> entries : byGrant.values()) {
      n += entries.size();
    }
    return n;
  }

  private void index(TeardownEntry e) {
    if (e.isSettled()) {
      settled.add(e);
    } else {
      due.computeIfAbsent(e.downstream(), d -> new TreeSet<>(BY_CLAIMABLE)).add(e);
    }
  }

  private void unindex(TeardownEntry e) {
    if (e.isSettled()) {
      settled.remove(e);
    } else {
      NavigableSet<TeardownEntry> queue = due.get(e.downstream());
      if (queue != null) {
        queue.remove(e);
      }
    }
  }

  private static void positive(int limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be > 0, was " + limit);
    }
  }

  @Override
  public String toString() {
    return "InMemoryTeardownLedger[" + size() + " entries]";
  }
}
