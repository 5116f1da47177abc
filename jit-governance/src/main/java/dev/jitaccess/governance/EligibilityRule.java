package dev.jitaccess.governance;

import dev.jitaccess.Scope;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Who may request what, and who approves it. A request is eligible under a rule when its
 * requester is one of the rule's {@linkplain Builder#requesters requesters}, its subject is the
 * requester or one of the rule's {@linkplain Builder#subjects subjects}, its scope is within the
 * rule's scope and its tier is one of the rule's tiers. Principals are written as:
 *
 * <ul>
 *   <li>{@code alice}: that principal;
 *   <li>{@code group:vendors}: any member of the group, as the {@link
 *       dev.jitaccess.governance.spi.Directory} says;
 *   <li>{@code issuer:https://token.actions.githubusercontent.com}: a requester whose verified
 *       workload identity came from that issuer (requesters only).
 * </ul>
 *
 * <p>The rule's approvers, written the same way, are who may approve and reject. The tier says
 * how many approvals are needed; with {@linkplain Builder#distinctTeams distinct teams}, each
 * approval must come from a team that has not approved yet. {@linkplain Builder#rejections
 * Rejections} (default 1) end the request. Made with {@link #builder(String)}; immutable.
 *
 * @param name the rule's name, shown in audit events and errors
 * @param requesters who may request
 * @param subjects who grants may be for, besides the requester
 * @param scope what may be asked for (a request's scope must be within it)
 * @param tiers the tiers that may be asked for
 * @param approvers who may approve and reject
 * @param distinctTeams whether approvals must come from distinct teams
 * @param rejections how many rejections end a request
 */
public record EligibilityRule(String name, Set<String> requesters, Set<String> subjects,
    Scope scope, Set<String> tiers, Set<String> approvers, boolean distinctTeams,
    int rejections) {

  /** Checks every rule, naming the field; copies the sets. */
  public EligibilityRule {
    Names.check(name, "name");
    requesters = names(requesters, "requesters", true);
    subjects = names(subjects, "subjects", false);
    Objects.requireNonNull(scope, "scope must not be null");
    tiers = names(tiers, "tiers", true);
    approvers = names(approvers, "approvers", false);
    if (rejections < 1) {
      throw new IllegalArgumentException("rejections must be >= 1, was " + rejections);
    }
  }

  private static Set<String> names(Set<String> values, String field, boolean required) {
    Objects.requireNonNull(values, () -> field + " must not be null");
    if (required && values.isEmpty()) {
      throw new IllegalArgumentException(field + " must name at least one");
    }
    for (String value : values) {
      Names.check(value, field + "[]");
    }
    return Set.copyOf(values);
  }

  /** A builder for a rule named {@code name}. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Builds an {@link EligibilityRule}. */
  public static final class Builder {
    private final String name;
    private final Set<String> requesters = new LinkedHashSet<>();
    private final Set<String> subjects = new LinkedHashSet<>();
    private Scope scope = Scope.parse("none:none");
    private boolean scopeSet;
    private final Set<String> tiers = new LinkedHashSet<>();
    private final Set<String> approvers = new LinkedHashSet<>();
    private boolean distinctTeams;
    private int rejections = 1;

    private Builder(String name) {
      this.name = name;
    }

    /** Who may request. */
    public Builder requesters(String... principals) {
      requesters.addAll(Set.of(principals));
      return this;
    }

    /** Who grants may be for, besides the requester. */
    public Builder subjects(String... principals) {
      subjects.addAll(Set.of(principals));
      return this;
    }

    /** What may be asked for, as permissions. */
    public Builder scope(String... permissions) {
      this.scope = Scope.parse(permissions);
      this.scopeSet = true;
      return this;
    }

    /** The tiers that may be asked for. */
    public Builder tiers(String... names) {
      tiers.addAll(Set.of(names));
      return this;
    }

    /** Who may approve and reject. */
    public Builder approvers(String... principals) {
      approvers.addAll(Set.of(principals));
      return this;
    }

    /** Whether approvals must come from distinct teams. */
    public Builder distinctTeams(boolean distinct) {
      this.distinctTeams = distinct;
      return this;
    }

    /** How many rejections end a request (default 1). */
    public Builder rejections(int rejections) {
      this.rejections = rejections;
      return this;
    }

    /**
     * The rule.
     *
     * @throws IllegalArgumentException naming the field, if one breaks its rule or the scope is
     *     not set
     */
    public EligibilityRule build() {
      if (!scopeSet) {
        throw new IllegalArgumentException("scope must be set");
      }
      return new EligibilityRule(name, requesters, subjects, scope, tiers, approvers,
          distinctTeams, rejections);
    }
  }
}
