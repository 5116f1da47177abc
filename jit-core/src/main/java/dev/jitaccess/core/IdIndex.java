package dev.jitaccess.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Grant ids by a key (a task, a parent's id): the store's two indexes.
 *
 * <p>Open addressing with linear probing in one array that holds each key beside its value, so a
 * key with one grant costs two references and no node. A value is the grant's id, or a set of ids
 * once a key has several. Removal shifts the following entries back instead of leaving a
 * tombstone, and the table shrinks as it empties.
 *
 * <p>Probing is bounded: a key that finds neither itself nor a free slot within {@value
 * #MAX_PROBES} slots of its home goes to an overflow {@link HashMap} (which stays logarithmic
 * however its keys' hash codes collide), so keys crafted to share a hash code cannot make these
 * operations slow.
 *
 * <p>Thread-safe: every operation holds the index's lock, and no operation calls out while
 * holding it. The indexes serve task ends and cascades, not checks.
 */
final class IdIndex {
  static final int MAX_PROBES = 16;
  private static final int MIN_CAPACITY = 16;

  /** {@code slots[2i]} a key, {@code slots[2i + 1]} its value (an id or a {@code Set<String>}). */
  private Object[] slots = new Object[2 * MIN_CAPACITY];
  /**
   * For each used slot, eight bits of its key's hash code ({@link #mark}), so that probing
   * dereferences only the keys whose mark matches: a new key usually reads no key at all.
   */
  private byte[] marks = new byte[MIN_CAPACITY];
  private int mask = MIN_CAPACITY - 1;
  private int shift = 32 - Integer.numberOfTrailingZeros(MIN_CAPACITY);
  private int size;
  private final HashMap<String, Object> overflow = new HashMap<>();

  /** Records that grant {@code id} has {@code key}. */
  synchronized void add(String key, String id) {
    Objects.requireNonNull(key, "key must not be null");
    Objects.requireNonNull(id, "id must not be null");
    if (!overflow.isEmpty() && overflow.containsKey(key)) {
      overflow.put(key, with(overflow.get(key), id));
      return;
    }
    int slot = find(key);
    if (slot >= 0) {
      slots[2 * slot + 1] = with(slots[2 * slot + 1], id);
      return;
    }
    if (2 * (size + 1) > slots.length / 2) {
      resize(slots.length); // doubles: slots.length is twice the capacity
      slot = find(key);
    }
    if (slot == -1) {
      overflow.put(key, id);
      return;
    }
    int free = -slot - 2;
    slots[2 * free] = key;
    slots[2 * free + 1] = id;
    marks[free] = mark(key.hashCode());
    size++;
  }

  /** Forgets that grant {@code id} has {@code key}. */
  synchronized void remove(String key, String id) {
    Objects.requireNonNull(key, "key must not be null");
    Objects.requireNonNull(id, "id must not be null");
    Object held = overflow.isEmpty() ? null : overflow.get(key);
    if (held != null) {
      Object rest = without(held, id);
      if (rest == null) {
        overflow.remove(key);
      } else {
        overflow.put(key, rest);
      }
      return;
    }
    int slot = find(key);
    if (slot < 0) {
      return;
    }
    Object rest = without(slots[2 * slot + 1], id);
    if (rest != null) {
      slots[2 * slot + 1] = rest;
      return;
    }
    deleteSlot(slot);
    size--;
    if (size < (slots.length / 2) / 8 && slots.length / 2 > MIN_CAPACITY) {
      resize(slots.length / 4); // halves
    }
  }

  /** The ids with {@code key}, in no particular order. */
  synchronized List<String> ids(String key) {
    Objects.requireNonNull(key, "key must not be null");
    Object value = overflow.isEmpty() ? null : overflow.get(key);
    if (value == null) {
      int slot = find(key);
      value = slot >= 0 ? slots[2 * slot + 1] : null;
    }
    if (value == null) {
      return List.of();
    }
    if (value instanceof String) {
      return List.of((String) value);
    }
    return new ArrayList<>(setOf(value));
  }

  /** How many keys are held. */
  synchronized int size() {
    return size + overflow.size();
  }

  /** Slots in the table, for tests of growth and shrinking. */
  synchronized int capacity() {
    return slots.length / 2;
  }

  /** Keys held in the overflow map, for tests of colliding keys. */
  synchronized int overflowed() {
    return overflow.size();
  }

  private int home(String key) {
    return (key.hashCode() * 0x9E3779B9) >>> shift;
  }

  /**
   * The key's slot; else {@code -(free + 2)} for the first free slot within the probe bound; else
   * -1 (the key belongs in the overflow map).
   */
  private int find(String key) {
    int hash = key.hashCode();
    byte mark = mark(hash);
    int i = home(key);
    for (int probe = 0; probe < MAX_PROBES; probe++) {
      Object k = slots[2 * i];
      if (k == null) {
        return -(i + 2);
      }
      // The mark first (no dereference); then the hash code cached in the key (one line, not its
      // bytes too); then the characters.
      if (marks[i] == mark && k.hashCode() == hash && k.equals(key)) {
        return i;
      }
      i = (i + 1) & mask;
    }
    return -1;
  }

  /** The low eight bits of a hash code: a filter before the key itself is compared. */
  private static byte mark(int hash) {
    return (byte) hash;
  }

  /** Empties slot {@code i}, moving each following entry of the run back if its home allows. */
  private void deleteSlot(int i) {
    int j = i;
    while (true) {
      j = (j + 1) & mask;
      Object k = slots[2 * j];
      if (k == null) {
        break;
      }
      int home = home((String) k);
      if (((j - home) & mask) >= ((j - i) & mask)) {
        slots[2 * i] = k;
        slots[2 * i + 1] = slots[2 * j + 1];
        marks[i] = marks[j];
        i = j;
      }
    }
    slots[2 * i] = null;
    slots[2 * i + 1] = null;
  }

  private void resize(int capacity) {
    Object[] old = slots;
    slots = new Object[2 * capacity];
    marks = new byte[capacity];
    mask = capacity - 1;
    shift = 32 - Integer.numberOfTrailingZeros(capacity);
    size = 0;
    for (int i = 0; i < old.length; i += 2) {
      if (old[i] != null) {
        String key = (String) old[i];
        int slot = find(key);
        if (slot == -1) {
          overflow.put(key, old[i + 1]);
        } else {
          int free = -slot - 2;
          slots[2 * free] = key;
          slots[2 * free + 1] = old[i + 1];
          marks[free] = mark(key.hashCode());
          size++;
        }
      }
    }
  }

  private static Object with(Object value, String id) {
    if (value instanceof String) {
      if (value.equals(id)) {
        return value;
      }
      Set<String> set = new HashSet<>();
      set.add((String) value);
      set.add(id);
      return set;
    }
    setOf(value).add(id);
    return value;
  }

  /** The value without {@code id}; null if nothing is left. */
  private static @Nullable Object without(Object value, String id) {
    if (value instanceof String) {
      return value.equals(id) ? null : value;
    }
    Set<String> set = setOf(value);
    set.remove(id);
    if (set.isEmpty()) {
      return null;
    }
    return set.size() == 1 ? set.iterator().next() : set;
  }

  @SuppressWarnings("unchecked") // only this class stores values, and only Strings or Set<String>
  private static Set<String> setOf(Object value) {
    return (Set<String>) value;
  }
}
