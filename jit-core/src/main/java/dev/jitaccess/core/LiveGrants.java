package dev.jitaccess.core;

import dev.jitaccess.Grant;
import dev.jitaccess.internal.IdBits;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The ACTIVE grants by id, laid out for the check's lookup.
 *
 * <p>An id in the library's own format (22 URL-safe base64 characters encoding 128 bits, the
 * unused low bits zero) is decoded to two {@code long}s and found in an open-addressing table of
 * grants, compared with the bits each {@link Grant} keeps ({@link IdBits}): the lookup reads a slot
 * and its 8-bit mark, and dereferences only a grant whose mark matches the id's, without touching
 * the id's {@code String}; the table costs one reference and one byte per slot. Any other id
 * (grants minted elsewhere and inserted by the application) lives in a {@link ConcurrentHashMap}
 * beside it.
 *
 * <p>Reads take no lock. Writes take one lock: most are a few array stores, but a growth, a
 * shrink or a clean-up of tombstones copies every live entry while holding it. Within one table a
 * slot, once used, only ever holds snapshots of one grant: a removal leaves a tombstone that no
 * key matches and no insert reuses. A copy goes into a new table, which is published before every
 * slot of the old one is marked {@code MOVED}, so a reader still on the old table goes to the new
 * one. No write happens between the copy and the marking, so both tables hold the same entries
 * while a reader can see either: a read returns the value a write stored, and never one that a
 * later, returned write replaced.
 */
final class LiveGrants {
  private static final Object TOMBSTONE = new Object();
  private static final Object MOVED = new Object();
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);
  private static final int MIN_CAPACITY = 16;
  private static final int MAX_CAPACITY = 1 << 30;

  private final ReentrantLock lock = new ReentrantLock();
  private final ConcurrentHashMap<String, Grant> others = new ConcurrentHashMap<>();
  private volatile Table table;
  /** ACTIVE grants in the table; written under the lock. */
  private volatile int count;

  LiveGrants() {
    this(MIN_CAPACITY);
  }

  /** With room for {@code capacity / 2} grants before the table grows (a power of two). */
  LiveGrants(int capacity) {
    if (capacity < 2 || Integer.bitCount(capacity) != 1) {
      throw new IllegalArgumentException("capacity must be a power of two >= 2, was " + capacity);
    }
    table = new Table(capacity);
  }

  private static final class Table {
    /** A {@link Grant}, {@link #TOMBSTONE}, {@link #MOVED}, or null for a slot never used. */
    final Object[] values;
    /**
     * For each used slot, eight bits of its grant's id ({@link #mark}), so that a probe for an id
     * dereferences only the grants whose mark matches. Written under the lock before the slot's
     * first value is released, and never changed while the table is in use; readers read it after
     * acquiring the slot's value.
     */
    final byte[] marks;
    final int mask;
    final int shift;
    /** Slots used (grants and tombstones); written under the lock. */
    int used;

    Table(int capacity) {
      values = new Object[capacity];
      marks = new byte[capacity];
      mask = capacity - 1;
      shift = 64 - Integer.numberOfTrailingZeros(capacity);
    }

    int home(long hi) {
      // Fibonacci hashing: library ids are random, but an inserted id may not be.
      return (int) ((hi * 0x9E3779B97F4A7C15L) >>> shift) & mask;
    }
  }

  /** The ACTIVE grant with this id, or null. Lock-free, allocation-free. */
  @Nullable Grant get(String id) {
    // IdBits.decode, inlined so that the lookup allocates nothing.
    if (id.length() != IdBits.LENGTH) {
      return others.get(id);
    }
    long first = IdBits.first(id);
    long middle = IdBits.middle(id);
    long last = IdBits.last(id);
    if (!IdBits.isValid(first, middle, last)) {
      return others.get(id);
    }
    return find(table, IdBits.high(first, middle), IdBits.low(middle, last));
  }

  /** The grant with this key, starting at table {@code t} (which may since have been replaced). */
  private @Nullable Grant find(Table t, long hi, long lo) {
    byte mark = mark(lo);
    while (true) {
      Object[] values = t.values;
      byte[] marks = t.marks;
      int mask = t.mask;
      int i = t.home(hi);
      while (true) {
        Object value = SLOT.getAcquire(values, i);
        if (value == null) {
          return null;
        }
        if (value == MOVED) {
          break;
        }
        // The mark was written before the slot's first value was released, and never changes.
        if (marks[i] == mark && value != TOMBSTONE) {
          Grant grant = (Grant) value;
          if (IdBits.high(grant) == hi && IdBits.low(grant) == lo) {
            return grant;
          }
        }
        i = (i + 1) & mask;
      }
      t = table;
    }
  }

  /** Adds an ACTIVE grant; false (and nothing changes) if its id is already here. */
  boolean putIfAbsent(Grant grant) {
    return addIf(grant, () -> true);
  }

  /**
   * Under the lock that orders every write to this grant's id (the table's, or the overflow map's
   * entry): if no grant with the id is here, runs {@code guard}, and if that returns true and the
   * grant is ACTIVE, adds it. The store checks and fills its other structures in the guard, so
   * that they change atomically with this one.
   *
   * @return false if a grant with the id is here (the guard did not run) or the guard said no
   */
  boolean addIf(Grant grant, BooleanSupplier guard) {
    if (!inTable(grant)) {
      boolean[] added = new boolean[1];
      others.compute(grant.id(), (id, current) -> {
        if (current != null || !guard.getAsBoolean()) {
          return current;
        }
        added[0] = true;
        return grant.isActive() ? grant : null;
      });
      return added[0];
    }
    long hi = IdBits.high(grant);
    long lo = IdBits.low(grant);
    lock.lock();
    try {
      Table t = table;
      int slot = slotOf(t, hi, lo);
      if (slot >= 0 || !guard.getAsBoolean()) {
        return false;
      }
      if (!grant.isActive()) {
        return true;
      }
      if (2 * (t.used + 1) > t.values.length) {
        t = rehash(t, count + 1);
        slot = slotOf(t, hi, lo);
      }
      int free = ~slot;
      t.used++;
      t.marks[free] = mark(lo);
      SLOT.setRelease(t.values, free, grant);
      count++;
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Replaces {@code expected} (the snapshot of its {@link Grant#version() version}) with {@code replacement}, which has the
   * same id; {@code replacement} null removes. Runs {@code beforeRemoval} with the removed grant,
   * under the lock, just before the removal takes effect. False if the current grant is not
   * {@code expected}.
   */
  boolean replace(Grant expected, @Nullable Grant replacement,
      @Nullable Consumer<Grant> beforeRemoval) {
    if (!inTable(expected)) {
      return replaceOther(expected, replacement, beforeRemoval);
    }
    long hi = IdBits.high(expected);
    long lo = IdBits.low(expected);
    lock.lock();
    try {
      Table t = table;
      int slot = slotOf(t, hi, lo);
      if (slot < 0) {
        return false;
      }
      Object current = t.values[slot];
      if (!(current instanceof Grant) || ((Grant) current).version() != expected.version()) {
        return false;
      }
      if (replacement == null) {
        if (beforeRemoval != null) {
          beforeRemoval.accept(expected);
        }
        SLOT.setRelease(t.values, slot, TOMBSTONE);
        count--;
        if (count < t.values.length / 8 && t.values.length > MIN_CAPACITY) {
          rehash(t, count); // shrink: a table emptied by expiry does not keep its size
        }
      } else {
        SLOT.setRelease(t.values, slot, replacement);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Whether the grant's id is in the library's format (its bits are 0 only if not, or if 0). */
  private static boolean inTable(Grant grant) {
    return IdBits.high(grant) != 0 || IdBits.low(grant) != 0 || IdBits.decode(grant.id()) != null;
  }

  private boolean replaceOther(Grant expected, @Nullable Grant replacement,
      @Nullable Consumer<Grant> beforeRemoval) {
    boolean[] swapped = new boolean[1];
    others.computeIfPresent(expected.id(), (id, current) -> {
      if (current.version() != expected.version()) {
        return current;
      }
      swapped[0] = true;
      if (replacement == null && beforeRemoval != null) {
        beforeRemoval.accept(expected);
      }
      return replacement;
    });
    return swapped[0];
  }

  /** How many grants are here. */
  int size() {
    return count + others.size();
  }

  /** A copy of every grant here, taken under the write lock (so consistent for the table). */
  List<Grant> values() {
    List<Grant> all = new ArrayList<>(size());
    lock.lock();
    try {
      for (Object value : table.values) {
        if (value instanceof Grant) {
          all.add((Grant) value);
        }
      }
    } finally {
      lock.unlock();
    }
    all.addAll(others.values());
    return all;
  }

  /** The current table, for tests of a reader that is still on a replaced one. */
  Object currentTable() {
    return table;
  }

  /** A lookup of a library-format id that starts at {@code startTable}, for the same tests. */
  @Nullable Grant getStartingAt(Object startTable, String id) {
    long[] key =
        java.util.Objects.requireNonNull(IdBits.decode(id), "id must be in the library format");
    return find((Table) startTable, key[0], key[1]);
  }

  /** Slots in the current table, for tests of growth and clean-up. */
  int capacity() {
    return table.values.length;
  }

  /**
   * The slot of the grant with this key, or {@code ~free} where it would go; a caller that fills
   * the free slot sets its mark. Under the lock.
   */
  private static int slotOf(Table t, long hi, long lo) {
    byte mark = mark(lo);
    int i = t.home(hi);
    while (true) {
      Object value = t.values[i];
      if (value == null) {
        return ~i;
      }
      if (t.marks[i] == mark && value instanceof Grant
          && IdBits.high((Grant) value) == hi && IdBits.low((Grant) value) == lo) {
        return i;
      }
      i = (i + 1) & t.mask;
    }
  }

  /** Eight bits of the id that the home slot, taken from the high half, does not use. */
  private static byte mark(long lo) {
    return (byte) lo;
  }

  /**
   * Copies the live entries into a table that holds {@code needed} at a load of at most 3/8 (so
   * at least an eighth of it fills before the next rehash), publishes it, and sends readers of the
   * old one there. Under the lock. The table grows past half full, so its load stays within
   * (3/16, 1/2] while grants are only added.
   */
  private Table rehash(Table old, int needed) {
    int capacity = MIN_CAPACITY;
    while (capacity < needed * 8L / 3) {
      if (capacity == MAX_CAPACITY) {
        throw new IllegalStateException("live grants must be at most " + (MAX_CAPACITY * 3L / 8)
            + ", the table is full");
      }
      capacity <<= 1;
    }
    Table fresh = new Table(capacity);
    for (int i = 0; i < old.values.length; i++) {
      Object value = old.values[i];
      if (value instanceof Grant) {
        Grant grant = (Grant) value;
        long lo = IdBits.low(grant);
        int free = ~slotOf(fresh, IdBits.high(grant), lo);
        fresh.marks[free] = mark(lo);
        fresh.values[free] = grant;
        fresh.used++;
      }
    }
    table = fresh; // volatile: publishes the copy before any reader can be sent to it
    for (int i = 0; i < old.values.length; i++) {
      SLOT.setRelease(old.values, i, MOVED);
    }
    return fresh;
  }
}
