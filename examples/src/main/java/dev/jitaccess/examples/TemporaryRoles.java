package dev.jitaccess.examples;

import dev.jitaccess.Scope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The usual "temporary access", for comparison: a standing role given to a principal for a while.
 * It has the three parts such setups have, each with its own clock and none tied to the task: a
 * role membership that ends when its timer fires (set when access is given, before anyone knows
 * how long the task runs); a bearer token issued at sign-in that carries the roles and that
 * resource servers accept, by signature and expiry alone, until its {@code exp}; and a decision
 * cache in the application that keeps an allow for its TTL. Thread-safe.
 */
final class TemporaryRoles {
  /** A principal's membership of a role, until its timer fires. */
  record Membership(String principal, String role, Instant expiresAt) {}

  /** A bearer token: whoever presents it is {@code principal}, with these roles, until exp. */
  record RoleToken(String principal, Set<String> roles, Instant expiresAt) {}

  private final Clock clock;
  private final Map<String, Scope> roles;
  private final Duration tokenLifetime;
  private final Duration cacheTtl;
  private final Map<String, Membership> memberships = new ConcurrentHashMap<>();
  private final Map<String, Instant> cachedAllows = new ConcurrentHashMap<>();

  TemporaryRoles(Clock clock, Map<String, Scope> roles, Duration tokenLifetime,
      Duration cacheTtl) {
    this.clock = clock;
    this.roles = Map.copyOf(roles);
    this.tokenLifetime = tokenLifetime;
    this.cacheTtl = cacheTtl;
  }

  /** Adds {@code principal} to {@code role} for {@code duration}, from now. */
  Membership assign(String principal, String role, Duration duration) {
    if (!roles.containsKey(role)) {
      throw new IllegalArgumentException("role must be one of " + roles.keySet() + ", was "
          + role);
    }
    Membership m = new Membership(principal, role, clock.instant().plus(duration));
    memberships.put(principal + "\n" + role, m);
    return m;
  }

  /** Removes the membership now, if an administrator does so by hand. */
  boolean remove(String principal, String role) {
    return memberships.remove(principal + "\n" + role) != null;
  }

  /** The membership, if its timer has not fired yet. */
  Optional<Membership> membership(String principal, String role) {
    Membership m = memberships.get(principal + "\n" + role);
    return m != null && clock.instant().isBefore(m.expiresAt()) ? Optional.of(m)
        : Optional.empty();
  }

  /** Signs {@code principal} in: a token with the roles it holds now. */
  RoleToken signIn(String principal) {
    Set<String> held = new TreeSet<>();
    for (String role : roles.keySet()) {
      membership(principal, role).ifPresent(m -> held.add(role));
    }
    return new RoleToken(principal, Set.copyOf(held), clock.instant().plus(tokenLifetime));
  }

  /**
   * What a resource server behind the application's cache answers for a request with {@code
   * token}: a cached allow while it lasts; otherwise the token's roles, if the token has not
   * expired, and an allow is cached.
   */
  boolean allows(RoleToken token, String action, String resource) {
    Instant now = clock.instant();
    String key = token.principal() + "\n" + action + "\n" + resource;
    Instant cachedUntil = cachedAllows.get(key);
    if (cachedUntil != null && now.isBefore(cachedUntil)) {
      return true;
    }
    if (!now.isBefore(token.expiresAt())) {
      return false;
    }
    boolean allowed = token.roles().stream()
        .anyMatch(role -> roles.get(role).permits(action, resource));
    if (allowed) {
      cachedAllows.put(key, now.plus(cacheTtl));
    }
    return allowed;
  }

  /** How long the cache still allows {@code action} on {@code resource} for the principal. */
  Duration cachedFor(String principal, String action, String resource) {
    Instant until = cachedAllows.get(principal + "\n" + action + "\n" + resource);
    Instant now = clock.instant();
    return until == null || !now.isBefore(until) ? Duration.ZERO : Duration.between(now, until);
  }
}
