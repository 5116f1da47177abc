package dev.jitaccess.testkit;

import dev.jitaccess.governance.Bundle;
import dev.jitaccess.governance.spi.BundleStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jspecify.annotations.Nullable;

/**
 * A correct {@link BundleStore} on maps, for the broken ones of {@link BrokenBundleStoresTest} to
 * change one method of. Instances made by {@link #replica()} share its maps, as two instances on
 * one database would.
 */
class MapBundleStore implements BundleStore {
  final Map<String, Bundle> bundles;
  final Map<String, Set<String>> members;
  /** bundle -> member -> grant ids. */
  final Map<String, Map<String, Queue<String>>> grants;

  MapBundleStore() {
    this(new ConcurrentHashMap<>(), new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
  }

  MapBundleStore(Map<String, Bundle> bundles, Map<String, Set<String>> members,
      Map<String, Map<String, Queue<String>>> grants) {
    this.bundles = bundles;
    this.members = members;
    this.grants = grants;
  }

  /** Another instance on the same maps. */
  MapBundleStore replica() {
    return new MapBundleStore(bundles, members, grants);
  }

  Bundle stored(Bundle b) {
    return b;
  }

  @Override
  public void insert(Bundle bundle) {
    if (bundles.putIfAbsent(bundle.name(), stored(bundle)) != null) {
      throw new IllegalStateException("bundle.name must be unique");
    }
  }

  @Override
  public @Nullable Bundle get(String name) {
    return bundles.get(name);
  }

  static void checkNext(Bundle expected, Bundle next) {
    if (!next.name().equals(expected.name()) || next.version() != expected.version() + 1) {
      throw new IllegalArgumentException("next must be the next version of the same bundle");
    }
  }

  @Override
  public boolean compareAndSet(Bundle expected, Bundle next) {
    checkNext(expected, next);
    boolean[] set = {false};
    bundles.computeIfPresent(expected.name(), (name, current) -> {
      set[0] = current.version() == expected.version();
      return set[0] ? stored(next) : current;
    });
    return set[0];
  }

  @Override
  public List<Bundle> bundles() {
    List<Bundle> all = new ArrayList<>(bundles.values());
    all.sort(order());
    return all;
  }

  Comparator<Bundle> order() {
    return Comparator.comparing(Bundle::name);
  }

  Set<String> membersOf(String bundle) {
    return members.computeIfAbsent(bundle, b -> ConcurrentHashMap.newKeySet());
  }

  @Override
  public int addMembers(String bundle, Collection<String> added) {
    Set<String> set = membersOf(bundle);
    int n = 0;
    for (String m : added) {
      n += set.add(m) ? 1 : 0;
    }
    return n;
  }

  @Override
  public List<String> removeMembers(String bundle, Collection<String> removed) {
    Set<String> set = membersOf(bundle);
    List<String> gone = new ArrayList<>();
    for (String m : removed) {
      if (set.remove(m)) {
        gone.add(m);
      }
    }
    return gone;
  }

  @Override
  public boolean isMember(String bundle, String member) {
    return membersOf(bundle).contains(member);
  }

  @Override
  public long memberCount(String bundle) {
    return membersOf(bundle).size();
  }

  Queue<String> grantsOf(String bundle, String member, boolean create) {
    Map<String, Queue<String>> byMember =
        grants.computeIfAbsent(bundle, b -> new ConcurrentHashMap<>());
    return create ? byMember.computeIfAbsent(member, m -> new ConcurrentLinkedQueue<>())
        : byMember.getOrDefault(member, new ConcurrentLinkedQueue<>());
  }

  @Override
  public void recordGrant(String bundle, String member, String grantId) {
    grantsOf(bundle, member, true).add(grantId);
  }

  @Override
  public List<String> grantsOf(String bundle, @Nullable String member) {
    if (member != null) {
      return new ArrayList<>(grantsOf(bundle, member, false));
    }
    List<String> all = new ArrayList<>();
    grants.getOrDefault(bundle, Map.of()).values().forEach(all::addAll);
    return all;
  }
}
