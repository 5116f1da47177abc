package dev.jitaccess.caep;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One receiver's progress on the grants whose end it has not yet fully delivered: which subjects
 * it has already accepted a {@code session-revoked} SET for, so that a retried revocation sends
 * only the rest and a grant with many tokens gets through across attempts that are each cut off by
 * the teardown's timeout. At most {@code capacity} grants, the least recently touched forgotten
 * first (a forgotten grant's SETs are all sent again, which a receiver takes as the same
 * revocation). Thread-safe.
 */
final class Progress {
  private final int capacity;
  private final ReentrantLock lock = new ReentrantLock();
  /** Guarded by {@link #lock}; access order, so the eldest is the least recently touched. */
  private final LinkedHashMap<String, Set<String>> accepted;

  Progress(int capacity) {
    this.capacity = capacity;
    this.accepted = new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Set<String>> eldest) {
        return size() > Progress.this.capacity;
      }
    };
  }

  /** The subjects already accepted for {@code grantRef}'s end (a copy). */
  Set<String> acceptedFor(String grantRef) {
    lock.lock();
    try {
      Set<String> subjects = accepted.get(grantRef);
      return subjects == null ? Set.of() : Set.copyOf(subjects);
    } finally {
      lock.unlock();
    }
  }

  /** Records that the receiver accepted the SET for {@code subject}. */
  void accept(String grantRef, String subject) {
    lock.lock();
    try {
      accepted.computeIfAbsent(grantRef, k -> new HashSet<>()).add(subject);
    } finally {
      lock.unlock();
    }
  }

  /** Forgets {@code grantRef}: every SET of its end was accepted. */
  void done(String grantRef) {
    lock.lock();
    try {
      accepted.remove(grantRef);
    } finally {
      lock.unlock();
    }
  }

  int size() {
    lock.lock();
    try {
      return accepted.size();
    } finally {
      lock.unlock();
    }
  }
}
