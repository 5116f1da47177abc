package dev.jitaccess.governance;

import dev.jitaccess.governance.spi.BreakGlassLock;
import dev.jitaccess.governance.spi.GovernanceStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A {@link GovernanceStore} in memory: one process, nothing survives a restart. For tests and
 * single-instance applications; replicas share {@code jit-postgres}'s. Thread-safe; {@link #due}
 * and {@link #pending} scan every request.
 */
public final class InMemoryGovernanceStore implements GovernanceStore {
  /** An empty store. */
  public InMemoryGovernanceStore() {}

  private final Map<String, AccessRequest> requests = new ConcurrentHashMap<>();
  private final Map<String, BreakGlassLock> locks = new ConcurrentHashMap<>();

  @Override
  public void insert(AccessRequest request) {
    Objects.requireNonNull(request, "request must not be null");
    if (requests.putIfAbsent(request.id(), request) != null) {
      throw new IllegalStateException("a request with this id exists: " + request.id());
    }
  }

  @Override
  public @Nullable AccessRequest get(String requestId) {
    return requests.get(Objects.requireNonNull(requestId, "requestId must not be null"));
  }

  @Override
  public boolean compareAndSet(AccessRequest expected, AccessRequest next) {
    Objects.requireNonNull(expected, "expected must not be null");
    Objects.requireNonNull(next, "next must not be null");
    if (!next.id().equals(expected.id()) || next.version() != expected.version() + 1) {
      throw new IllegalArgumentException("next must be the next version of the same request");
    }
    boolean[] replaced = {false};
    requests.computeIfPresent(expected.id(), (id, current) -> {
      if (current.version() == expected.version()) {
        replaced[0] = true;
        return next;
      }
      return current;
    });
    return replaced[0];
  }

  @Override
  public List<AccessRequest> due(Instant now, int limit) {
    List<AccessRequest> due = new ArrayList<>();
    for (AccessRequest r : requests.values()) {
      Instant deadline = r.deadline();
      if (deadline != null && !deadline.isAfter(now)) {
        due.add(r);
      }
    }
    due.sort(Comparator.comparing(r -> Objects.requireNonNull(r.deadline())));
    return due.size() > limit ? List.copyOf(due.subList(0, limit)) : due;
  }

  @Override
  public List<AccessRequest> pending(int limit) {
    List<AccessRequest> pending = new ArrayList<>();
    for (AccessRequest r : requests.values()) {
      if (r.state() == RequestState.PENDING) {
        pending.add(r);
      }
    }
    pending.sort(Comparator.comparing(AccessRequest::createdAt).thenComparing(AccessRequest::id));
    return pending.size() > limit ? List.copyOf(pending.subList(0, limit)) : pending;
  }

  @Override
  public boolean lock(BreakGlassLock lock) {
    Objects.requireNonNull(lock, "lock must not be null");
    return locks.putIfAbsent(lock.subject(), lock) == null;
  }

  @Override
  public Optional<BreakGlassLock> lockOf(String subject) {
    return Optional.ofNullable(locks.get(subject));
  }

  @Override
  public boolean unlock(BreakGlassLock lock) {
    return locks.remove(lock.subject(), lock);
  }
}
