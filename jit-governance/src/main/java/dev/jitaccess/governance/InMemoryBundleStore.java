package dev.jitaccess.governance;

import dev.jitaccess.governance.spi.BundleStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/** A {@link BundleStore} in memory: one process. Thread-safe. */
public final class InMemoryBundleStore implements BundleStore {
  private final Map<String, Bundle> bundles = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> members = new ConcurrentHashMap<>();
  /** bundle -> member -> grant ids. */
  private final Map<String, Map<String, List<String>>> grants = new ConcurrentHashMap<>();

  /** An empty store. */
  public InMemoryBundleStore() {}

  @Override
  public void insert(Bundle bundle) {
    Objects.requireNonNull(bundle, "bundle must not be null");
    if (bundles.putIfAbsent(bundle.name(), bundle) != null) {
      throw new IllegalStateException("a bundle named " + bundle.name() + " exists");
    }
  }

  @Override
  public @Nullable Bundle get(String name) {
    return bundles.get(Objects.requireNonNull(name, "name must not be null"));
  }

  @Override
  public boolean compareAndSet(Bundle expected, Bundle next) {
    if (!expected.name().equals(next.name()) || next.version() != expected.version() + 1) {
      throw new IllegalArgumentException("next must be the next version of the same bundle");
    }
    boolean[] replaced = {false};
    bundles.computeIfPresent(expected.name(), (name, current) -> {
      if (current.version() == expected.version()) {
        replaced[0] = true;
        return next;
      }
      return current;
    });
    return replaced[0];
  }

  @Override
  public List<Bundle> bundles() {
    List<Bundle> all = new ArrayList<>(bundles.values());
    all.sort(Comparator.comparing(Bundle::name));
    return all;
  }

  @Override
  public int addMembers(String bundle, Collection<String> added) {
    for (String m : added) {
      Objects.requireNonNull(m, "member must not be null");
    }
    Set<String> set = members.computeIfAbsent(bundle, k -> ConcurrentHashMap.newKeySet());
    int n = 0;
    for (String m : added) {
      if (set.add(m)) {
        n++;
      }
    }
    return n;
  }

  @Override
  public List<String> removeMembers(String bundle, Collection<String> removed) {
    Set<String> set = members.get(bundle);
    List<String> gone = new ArrayList<>();
    if (set != null) {
      for (String m : removed) {
        if (set.remove(m)) {
          gone.add(m);
        }
      }
    }
    return gone;
  }

  @Override
  public boolean isMember(String bundle, String member) {
    Set<String> set = members.get(bundle);
    return set != null && set.contains(member);
  }

  @Override
  public long memberCount(String bundle) {
    Set<String> set = members.get(bundle);
    return set == null ? 0 : set.size();
  }

  @Override
  public void recordGrant(String bundle, String member, String grantId) {
    grants.computeIfAbsent(bundle, k -> new ConcurrentHashMap<>())
        .compute(member, (k, list) -> {
          List<String> next = list == null ? new ArrayList<>() : new ArrayList<>(list);
          if (!next.contains(grantId)) {
            next.add(grantId);
          }
          return List.copyOf(next);
        });
  }

  @Override
  public List<String> grantsOf(String bundle, @Nullable String member) {
    Map<String, List<String>> byMember = grants.get(bundle);
    if (byMember == null) {
      return List.of();
    }
    if (member != null) {
      return byMember.getOrDefault(member, List.of());
    }
    List<String> all = new ArrayList<>();
    byMember.values().forEach(all::addAll);
    return all;
  }
}
