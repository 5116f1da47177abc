package dev.jitaccess.governance;

import dev.jitaccess.governance.spi.Directory;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A {@link Directory} held in memory, built once: for tests, examples and small deployments.
 * Immutable and thread-safe.
 */
public final class InMemoryDirectory implements Directory {
  private final Map<String, Set<String>> groups;
  private final Map<String, Set<String>> teams;
  private final Map<String, Set<String>> members;

  private InMemoryDirectory(Builder b) {
    this.groups = freeze(b.groups);
    this.teams = freeze(b.teams);
    Map<String, Set<String>> m = new LinkedHashMap<>();
    b.groups.forEach((principal, gs) -> gs.forEach(
        g -> m.computeIfAbsent(g, k -> new LinkedHashSet<>()).add(principal)));
    this.members = freeze(m);
  }

  private static Map<String, Set<String>> freeze(Map<String, Set<String>> map) {
    Map<String, Set<String>> copy = new LinkedHashMap<>();
    map.forEach((k, v) -> copy.put(k, Set.copyOf(v)));
    return Map.copyOf(copy);
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Set<String> groupsOf(String principal) {
    return groups.getOrDefault(principal, Set.of());
  }

  @Override
  public Set<String> teamsOf(String principal) {
    return teams.getOrDefault(principal, Set.of());
  }

  @Override
  public Set<String> membersOf(String group) {
    return members.getOrDefault(group, Set.of());
  }

  /** Builds an {@link InMemoryDirectory}. */
  public static final class Builder {
    private final Map<String, Set<String>> groups = new LinkedHashMap<>();
    private final Map<String, Set<String>> teams = new LinkedHashMap<>();

    private Builder() {}

    /** {@code principal} is a member of {@code groups}. */
    public Builder member(String principal, String... groups) {
      Names.check(principal, "principal");
      Set<String> set = this.groups.computeIfAbsent(principal, k -> new LinkedHashSet<>());
      for (String g : groups) {
        set.add(Names.check(g, "group"));
      }
      return this;
    }

    /** {@code principal} belongs to {@code team}. */
    public Builder team(String principal, String team) {
      Names.check(principal, "principal");
      teams.computeIfAbsent(principal, k -> new LinkedHashSet<>()).add(Names.check(team, "team"));
      return this;
    }

    /** The directory. */
    public InMemoryDirectory build() {
      return new InMemoryDirectory(this);
    }
  }
}
