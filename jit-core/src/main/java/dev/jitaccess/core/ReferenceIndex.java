package dev.jitaccess.core;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantReference;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The in-memory store's index from {@link GrantReference} to grant id, built on the first lookup
 * by reference and kept from then on: a process that never looks a grant up by reference (one
 * that issues no tokens) neither hashes its ids at mint nor holds the index.
 *
 * <p>Once enabled, every grant added is indexed and every grant the store deletes is dropped. The
 * build sets the flag before it scans the store's grants, so a grant added during the build is
 * indexed by its insert, by the scan, or both (the same entry). Lookups use the index only once
 * the build has finished: a lookup during the build waits for it, since a grant inserted just
 * before the flag was set is indexed by the scan alone. An entry left by a deletion that raced
 * the build is dropped by the lookup that finds its grant gone. Thread-safe.
 */
final class ReferenceIndex {
  private final ConcurrentHashMap<String, String> idsByReference = new ConcurrentHashMap<>();
  private volatile boolean enabled;
  private volatile boolean built;

  /** Indexes {@code grant} if the index is enabled. */
  void added(Grant grant) {
    if (enabled) {
      idsByReference.put(grant.reference(), grant.id());
    }
  }

  /** Drops {@code grant} if the index is enabled. */
  void removed(Grant grant) {
    if (enabled) {
      idsByReference.remove(grant.reference(), grant.id());
    }
  }

  /**
   * The grant with {@code reference}, its id resolved through {@code get}, or null; the first
   * call enables the index and indexes {@code every} grant the store holds.
   */
  @Nullable Grant find(String reference, Function<String, @Nullable Grant> get,
      Consumer<Consumer<Grant>> every) {
    if (!built) {
      synchronized (this) {
        if (!built) {
          enabled = true;
          every.accept(g -> idsByReference.put(g.reference(), g.id()));
          built = true;
        }
      }
    }
    String id = idsByReference.get(reference);
    if (id == null) {
      return null;
    }
    Grant grant = get.apply(id);
    if (grant == null) {
      idsByReference.remove(reference, id);
    }
    return grant;
  }

  /** How many references are indexed, for tests that nothing is left behind. */
  int size() {
    return idsByReference.size();
  }
}
