package dev.jitaccess.governance;

import dev.jitaccess.governance.spi.RecertificationStore;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/** A {@link RecertificationStore} in memory: one process. Thread-safe. */
public final class InMemoryRecertificationStore implements RecertificationStore {
  private final Map<String, Certification> latest = new ConcurrentHashMap<>();
  private final Set<String> lapsed = ConcurrentHashMap.newKeySet();
  private final Set<String> noticed = ConcurrentHashMap.newKeySet();
  private final Set<String> suspended = ConcurrentHashMap.newKeySet();

  /** An empty store. */
  public InMemoryRecertificationStore() {}

  @Override
  public @Nullable Certification latest(String item) {
    return latest.get(Objects.requireNonNull(item, "item must not be null"));
  }

  @Override
  public void record(Certification certification) {
    latest.put(certification.item(), certification);
    suspended.remove(certification.item());
  }

  @Override
  public boolean markLapsed(String item, Instant dueAt) {
    return lapsed.add(item + "@" + dueAt);
  }

  @Override
  public boolean markNoticed(String item, Instant dueAt) {
    return noticed.add(item + "@" + dueAt);
  }

  @Override
  public void suspend(String item) {
    suspended.add(item);
  }

  @Override
  public boolean isSuspended(String item) {
    return suspended.contains(item);
  }
}
