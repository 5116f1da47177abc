package dev.jitaccess.governance;

import dev.jitaccess.Scope;
import dev.jitaccess.governance.spi.Directory;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The eligibility rules a governance applies, changeable while it runs: a rule removed here stops
 * new requests, approvals, activations and renewals under it at once. Each replica holds its own
 * rules; load the same rules on every replica. Thread-safe.
 */
public final class EligibilityRules {
  /** No rules: nothing is eligible until rules are {@linkplain #put added}. */
  public EligibilityRules() {}

  private final Map<String, EligibilityRule> byName = new ConcurrentHashMap<>();

  /** Rules holding {@code rules}. */
  public static EligibilityRules of(EligibilityRule... rules) {
    EligibilityRules r = new EligibilityRules();
    for (EligibilityRule rule : rules) {
      r.put(rule);
    }
    return r;
  }

  /** Adds {@code rule}, or replaces the rule of the same name. */
  public void put(EligibilityRule rule) {
    byName.put(Objects.requireNonNull(rule, "rule must not be null").name(), rule);
  }

  /** Removes the rule named {@code name}; returns whether there was one. */
  public boolean remove(String name) {
    return byName.remove(name) != null;
  }

  /** The rule named {@code name}, if any. */
  public Optional<EligibilityRule> get(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** Every rule, in no particular order. */
  public List<EligibilityRule> all() {
    return List.copyOf(byName.values());
  }

  /**
   * The first rule, by name, under which {@code requester} (with a verified identity from {@code
   * issuer}, or null) may ask for {@code scope} in {@code tier} for {@code subject}.
   *
   * @throws GovernanceException {@link GovernanceException.Rule#NOT_ELIGIBLE} if none does
   */
  EligibilityRule find(Directory directory, String requester, @Nullable String issuer,
      String subject, Scope scope, String tier) {
    EligibilityRule found = null;
    for (EligibilityRule rule : byName.values()) {
      if (allows(rule, directory, requester, issuer, subject, scope, tier)
          && (found == null || rule.name().compareTo(found.name()) < 0)) {
        found = rule;
      }
    }
    if (found == null) {
      throw new GovernanceException(GovernanceException.Rule.NOT_ELIGIBLE, "no eligibility rule "
          + "lets " + requester + " ask for " + scope + " in tier " + tier + " for " + subject);
    }
    return found;
  }

  /**
   * Whether the rule {@code request} was admitted under still exists and still admits it.
   *
   * @throws GovernanceException {@link GovernanceException.Rule#NOT_ELIGIBLE} if not
   */
  EligibilityRule recheck(Directory directory, AccessRequest request) {
    EligibilityRule rule = byName.get(request.rule());
    if (rule == null || !allows(rule, directory, request.requester(), request.issuer(),
        request.subject(), request.scope(), request.tier())) {
      throw new GovernanceException(GovernanceException.Rule.NOT_ELIGIBLE, "eligibility rule "
          + request.rule() + " no longer lets " + request.requester() + " ask for "
          + request.scope() + " in tier " + request.tier() + " for " + request.subject());
    }
    return rule;
  }

  static boolean allows(EligibilityRule rule, Directory directory, String requester,
      @Nullable String issuer, String subject, Scope scope, String tier) {
    if (!rule.tiers().contains(tier) || !scope.isWithin(rule.scope())) {
      return false;
    }
    if (!matches(rule.requesters(), directory, requester, issuer)) {
      return false;
    }
    return subject.equals(requester) || matches(rule.subjects(), directory, subject, null);
  }

  /** Whether {@code principal} is one of {@code principals} (names, groups, issuers). */
  static boolean matches(Set<String> principals, Directory directory, String principal,
      @Nullable String issuer) {
    if (principals.contains(principal)) {
      return true;
    }
    if (issuer != null && principals.contains("issuer:" + issuer)) {
      return true;
    }
    for (String group : directory.groupsOf(principal)) {
      if (principals.contains("group:" + group)) {
        return true;
      }
    }
    return false;
  }
}
