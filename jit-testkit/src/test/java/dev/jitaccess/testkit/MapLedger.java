package dev.jitaccess.testkit;

import dev.jitaccess.teardown.TeardownEntry;
import dev.jitaccess.teardown.spi.TeardownLedger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The simplest ledger that keeps the contract (one map, every method synchronized, scans for
 * every query), and the same with one rule broken on purpose, for {@link
 * TeardownLedgerCompatibilityKit} to catch.
 */
class MapLedger implements TeardownLedger {
  /** A rule to break. */
  enum Breaks { NOTHING, LEASES, INSERT_ONCE, VERSION }

  private final Breaks breaks;
  private final Map<String, TeardownEntry> entries = new HashMap<>();

  MapLedger(Breaks breaks) {
    this.breaks = breaks;
  }

  private static String key(String grantId, String downstream) {
    return grantId + "\u0000" + downstream;
  }

  @Override
  public synchronized boolean insert(TeardownEntry entry) {
    if (entry.version() != 0) {
      throw new IllegalArgumentException("entry.version must be 0, was " + entry.version());
    }
    String key = key(entry.grantId(), entry.downstream());
    if (breaks == Breaks.INSERT_ONCE) {
      entries.put(key, entry);
      return true;
    }
    return entries.putIfAbsent(key, entry) == null;
  }

  @Override
  public synchronized @Nullable TeardownEntry get(String grantId, String downstream) {
    return entries.get(key(grantId, downstream));
  }

  @Override
  public synchronized boolean compareAndSet(TeardownEntry expected, TeardownEntry next) {
    TeardownLedger.checkTransition(expected, next);
    String key = key(expected.grantId(), expected.downstream());
    TeardownEntry current = entries.get(key);
    if (current == null
        || (breaks != Breaks.VERSION && current.version() != expected.version())) {
      return false;
    }
    entries.put(key, next);
    return true;
  }

  @Override
  public synchronized List<TeardownEntry> claimDue(String downstream, Instant now, String owner,
      Instant leaseUntil, int limit) {
    List<TeardownEntry> ready = new ArrayList<>();
    for (TeardownEntry e : entries.values()) {
      boolean claimable = breaks == Breaks.LEASES
          ? e.dueAt() != null && !e.dueAt().isAfter(now) : e.isClaimableAt(now);
      if (e.downstream().equals(downstream) && claimable) {
        ready.add(e);
      }
    }
    ready.sort(Comparator.comparing((TeardownEntry e) -> Objects.requireNonNull(e.claimableAt()))
        .thenComparing(TeardownEntry::grantId));
    List<TeardownEntry> claimed = new ArrayList<>();
    for (TeardownEntry e : ready.subList(0, Math.min(limit, ready.size()))) {
      TeardownEntry leased = e.withLease(owner, leaseUntil, now);
      entries.put(key(e.grantId(), e.downstream()), leased);
      claimed.add(leased);
    }
    return claimed;
  }

  @Override
  public synchronized List<TeardownEntry> entriesOf(String grantId) {
    List<TeardownEntry> found = new ArrayList<>();
    for (TeardownEntry e : entries.values()) {
      if (e.grantId().equals(grantId)) {
        found.add(e);
      }
    }
    return found;
  }

  @Override
  public synchronized List<TeardownEntry> lingering(Instant endedBefore, int limit) {
    List<TeardownEntry> found = new ArrayList<>();
    for (TeardownEntry e : entries.values()) {
      if (!e.isSettled() && !e.endedAt().isAfter(endedBefore)) {
        found.add(e);
      }
    }
    found.sort(Comparator.comparing(TeardownEntry::endedAt).thenComparing(TeardownEntry::grantId));
    return List.copyOf(found.subList(0, Math.min(limit, found.size())));
  }

  @Override
  public synchronized int deleteSettled(Instant updatedBefore, int limit) {
    int deleted = 0;
    var it = entries.values().iterator();
    while (it.hasNext() && deleted < limit) {
      TeardownEntry e = it.next();
      if (e.isSettled() && !e.updatedAt().isAfter(updatedBefore)) {
        it.remove();
        deleted++;
      }
    }
    return deleted;
  }
}
