package dev.jitaccess.testkit;

import dev.jitaccess.governance.Bundle;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Bundle stores that each break one rule of the contract, for {@link BrokenBundleStoresTest}. */
final class BrokenBundleStores {
  private BrokenBundleStores() {}

  /** compareAndSet reads, compares, then writes: not atomic. */
  static final class CheckThenActStore extends MapBundleStore {
    @Override
    public boolean compareAndSet(Bundle expected, Bundle next) {
      checkNext(expected, next);
      Bundle current = bundles.get(expected.name());
      if (current == null || current.version() != expected.version()) {
        return false;
      }
      Thread.yield(); // the window every check-then-act has, made wide enough to hit
      bundles.put(expected.name(), next);
      return true;
    }
  }

  /** Takes any next, as long as the stored snapshot matches. */
  static final class AnyNextStore extends MapBundleStore {
    @Override
    public boolean compareAndSet(Bundle expected, Bundle next) {
      return bundles.replace(expected.name(), expected, next);
    }
  }

  /** Keeps instants to the microsecond, as a timestamptz column does. */
  static final class MicrosecondStore extends MapBundleStore {
    @Override
    Bundle stored(Bundle b) {
      return new Bundle(b.name(), b.owner(), b.approvedBy(), b.scope(), b.tier(),
          b.startsAt().truncatedTo(ChronoUnit.MICROS), b.endsAt(), b.createdAt(), b.state(),
          b.endedAt(), b.version());
    }
  }

  /** Lists by code point, as ORDER BY under a C collation (UTF-8 bytes) would. */
  static final class CodePointOrderStore extends MapBundleStore {
    @Override
    Comparator<Bundle> order() {
      return (x, y) -> Arrays.compare(x.name().codePoints().toArray(),
          y.name().codePoints().toArray());
    }
  }

  /** Answers how many members it was given, not how many were new. */
  static final class RequestedCountStore extends MapBundleStore {
    @Override
    public int addMembers(String bundle, Collection<String> added) {
      super.addMembers(bundle, added);
      return new LinkedHashSet<>(added).size();
    }
  }

  /** Answers the removed members sorted, as a DELETE ... RETURNING read back as it comes would. */
  static final class SortedRemovalStore extends MapBundleStore {
    @Override
    public List<String> removeMembers(String bundle, Collection<String> removed) {
      List<String> gone = super.removeMembers(bundle, removed);
      gone.sort(null);
      return gone;
    }
  }

  /** Checks for a member, then adds it: racing adds of one member can both count it. */
  static final class CheckThenAddStore extends MapBundleStore {
    @Override
    public int addMembers(String bundle, Collection<String> added) {
      Set<String> set = membersOf(bundle);
      int n = 0;
      for (String m : added) {
        if (!set.contains(m)) {
          Thread.yield();
          set.add(m);
          n++;
        }
      }
      return n;
    }
  }

  /** Checks for a member, then removes it: racing removes of one member can both answer it. */
  static final class CheckThenRemoveStore extends MapBundleStore {
    @Override
    public List<String> removeMembers(String bundle, Collection<String> removed) {
      Set<String> set = membersOf(bundle);
      List<String> gone = new ArrayList<>();
      for (String m : removed) {
        if (set.contains(m)) {
          Thread.yield();
          set.remove(m);
          gone.add(m);
        }
      }
      return gone;
    }
  }

  /** Adds at most 500 members a call and drops the rest, as a batch limit would. */
  static final class CappedBatchStore extends MapBundleStore {
    @Override
    public int addMembers(String bundle, Collection<String> added) {
      return super.addMembers(bundle, new ArrayList<>(added).subList(0,
          Math.min(500, added.size())));
    }
  }

  /** Keeps one grant per member: the last. */
  static final class LastGrantOnlyStore extends MapBundleStore {
    @Override
    public void recordGrant(String bundle, String member, String grantId) {
      Queue<String> ids = grantsOf(bundle, member, true);
      ids.clear();
      ids.add(grantId);
    }
  }

  /** Appends by copy and replace: racing records of one member lose grants. */
  static final class LostGrantStore extends MapBundleStore {
    @Override
    public void recordGrant(String bundle, String member, String grantId) {
      Map<String, Queue<String>> byMember =
          grants.computeIfAbsent(bundle, b -> new ConcurrentHashMap<>());
      Queue<String> copy = new ConcurrentLinkedQueue<>(
          byMember.getOrDefault(member, new ConcurrentLinkedQueue<>()));
      copy.add(grantId);
      Thread.yield();
      byMember.put(member, copy);
    }
  }

  /** Refuses a grant id with NUL or a lone surrogate, quoting it. */
  static final class QuotingStore extends MapBundleStore {
    @Override
    public void recordGrant(String bundle, String member, String grantId) {
      if (grantId.indexOf('\u0000') >= 0 || grantId.chars().anyMatch(c -> Character.isSurrogate((char) c))) {
        throw new IllegalArgumentException("cannot store grant id " + grantId);
      }
      super.recordGrant(bundle, member, grantId);
    }
  }

  /** Forgets a member's grants with the member, so they can no longer be ended. */
  static final class GrantsLeaveWithMemberStore extends MapBundleStore {
    @Override
    public List<String> removeMembers(String bundle, Collection<String> removed) {
      List<String> gone = super.removeMembers(bundle, removed);
      gone.forEach(grants.getOrDefault(bundle, new ConcurrentHashMap<>())::remove);
      return gone;
    }
  }

  /** Finds bundles by their name in any case, as a case-insensitive collation would. */
  static final class CaseInsensitiveStore extends MapBundleStore {
    @Override
    public @Nullable Bundle get(String name) {
      for (Bundle b : bundles.values()) {
        if (b.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
          return b;
        }
      }
      return null;
    }
  }

  /** Reads a member as a LIKE pattern: % and _ match anything. */
  static final class LikeMemberStore extends MapBundleStore {
    @Override
    public boolean isMember(String bundle, String member) {
      String regex = Pattern.quote(member).replace("%", "\\E.*\\Q")
          .replace("_", "\\E.\\Q");
      return membersOf(bundle).stream().anyMatch(m -> m.matches(regex));
    }
  }

  /** Replicas share bundles and grants, but each keeps its own members. */
  static final class ReplicaLocalMembersStore extends MapBundleStore {
    ReplicaLocalMembersStore(MapBundleStore shared) {
      super(shared.bundles, new ConcurrentHashMap<>(), shared.grants);
    }
  }
}
