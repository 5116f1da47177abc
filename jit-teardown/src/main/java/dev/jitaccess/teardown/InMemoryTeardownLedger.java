package dev.jitaccess.teardown;

import dev.jitaccess.teardown.spi.TeardownLedger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
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
  /**
   * grant id -&gt; its entries, one per downstream: a small array replaced whole under the lock on
   * every write, so that reads take no lock and see a consistent set.
   */
  private final Map<String, TeardownEntry[]> byGrant = new ConcurrentHashMap<>();
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
      TeardownEntry[] entries = byGrant.get(entry.grantId());
      if (entries == null) {
        byGrant.put(entry.grantId(), new TeardownEntry[] {entry});
      } else if (indexOf(entries, entry.downstream()) >= 0) {
        return false;
      } else {
        TeardownEntry[] more = Arrays.copyOf(entries, entries.length + 1);
        more[entries.length] = entry;
        byGrant.put(entry.grantId(), more);
      }
      index(entry);
      return true;
    } finally {
      lock.unlock();
    }
  }

  private static int indexOf(TeardownEntry[] entries, String downstream) {
    for (int i = 0; i < entries.length; i++) {
      if (entries[i].downstream().equals(downstream)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public @Nullable TeardownEntry get(String grantId, String downstream) {
    Objects.requireNonNull(grantId, "grantId must not be null");
    Objects.requireNonNull(downstream, "downstream must not be null");
    TeardownEntry[] entries = byGrant.get(grantId);
    if (entries == null) {
      return null;
    }
    int i = indexOf(entries, downstream);
    return i < 0 ? null : entries[i];
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
    TeardownEntry[] entries = byGrant.get(expected.grantId());
    int i = entries == null ? -1 : indexOf(entries, expected.downstream());
    if (i < 0 || entries[i].version() != expected.version()) {
      return false;
    }
    unindex(entries[i]);
    TeardownEntry[] changed = entries.clone();
    changed[i] = next;
    byGrant.put(next.grantId(), changed);
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
    TeardownEntry[] entries = byGrant.get(grantId);
    return entries == null ? List.of() : List.of(entries);
  }

  @Override
  public List<TeardownEntry> lingering(Instant endedBefore, int limit) {
    Objects.requireNonNull(endedBefore, "endedBefore must not be null");
    positive(limit);
    List<TeardownEntry> found = new ArrayList<>();
    for (TeardownEntry[] entries : byGrant.values()) {
      for (TeardownEntry e : entries) {
        if (e.isLingering() && !e.endedAt().isAfter(endedBefore)) {
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
        TeardownEntry[] entries = byGrant.get(e.grantId());
        int i = entries == null ? -1 : indexOf(entries, e.downstream());
        if (i >= 0) {
          if (entries.length == 1) {
            byGrant.remove(e.grantId());
          } else {
            TeardownEntry[] fewer = new TeardownEntry[entries.length - 1];
            System.arraycopy(entries, 0, fewer, 0, i);
            System.arraycopy(entries, i + 1, fewer, i, entries.length - i - 1);
            byGrant.put(e.grantId(), fewer);
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
    for (TeardownEntry[] entries : byGrant.values()) {
      n += entries.length;
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
