package dev.jitaccess;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A finite, non-empty set of {@link Permission permissions}: what a grant allows.
 *
 * <pre>{@code
 * Scope scope = Scope.parse("read:orders/*", "write:exports/2026-11/**");
 * scope.permits("read", "orders/42");            // true
 * scope.permits("read", "orders/42/lines");      // false: * is exactly one segment
 * Scope.parse("read:orders/42").isWithin(scope);  // true: usable for delegation
 * }</pre>
 *
 * <p>The canonical {@link #toString()} lists the permissions sorted and separated by single spaces
 * (the OAuth {@code scope} form); {@link #parse(String...)} reads it back.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Scope {
  /** Most permissions one scope may hold. */
  public static final int MAX_PERMISSIONS = 256;

  private final Permission[] permissions;
  private final String text;

  private Scope(Permission[] permissions) {
    this.permissions = permissions;
    StringBuilder b = new StringBuilder();
    for (Permission p : permissions) {
      if (b.length() > 0) {
        b.append(' ');
      }
      b.append(p);
    }
    this.text = b.toString();
  }

  /**
   * Parses permissions written {@code action:resource}. Each argument may hold several permissions
   * separated by whitespace, so {@code parse(scope.toString())} gives back an equal scope. A
   * permission written more than once counts once, as in {@link #of}.
   *
   * @throws NullPointerException if the array or an element is null
   * @throws IllegalArgumentException naming the rule, if a permission is malformed, the scope is
   *     empty, or it has more than {@link #MAX_PERMISSIONS} distinct permissions
   */
  public static Scope parse(String... permissions) {
    Objects.requireNonNull(permissions, "scope must not be null");
    Set<Permission> parsed = new TreeSet<>();
    for (String text : permissions) {
      Objects.requireNonNull(text, "scope must not contain a null permission");
      for (String token : text.trim().split("\\s+")) {
        if (!token.isEmpty()) {
          parsed.add(Permission.parse(token));
          if (parsed.size() > MAX_PERMISSIONS) {
            throw tooMany(parsed.size());
          }
        }
      }
    }
    return of(parsed);
  }

  /**
   * A scope of the given permissions.
   *
   * @throws IllegalArgumentException if there are none or more than {@link #MAX_PERMISSIONS}
   */
  public static Scope of(Collection<Permission> permissions) {
    Objects.requireNonNull(permissions, "scope must not be null");
    Set<Permission> sorted = new TreeSet<>();
    for (Permission p : permissions) {
      sorted.add(Objects.requireNonNull(p, "scope must not contain a null permission"));
    }
    if (sorted.isEmpty()) {
      throw new IllegalArgumentException("scope must contain at least one permission");
    }
    if (sorted.size() > MAX_PERMISSIONS) {
      throw tooMany(sorted.size());
    }
    return new Scope(sorted.toArray(new Permission[0]));
  }

  /** The permissions, sorted by their canonical text. */
  public Set<Permission> permissions() {
    return Collections.unmodifiableSet(new TreeSet<>(List.of(permissions)));
  }

  /**
   * Whether some permission in this scope allows {@code action} on the concrete {@code resource}.
   * A null or malformed action or resource is never permitted. Does not allocate.
   */
  public boolean permits(@Nullable String action, @Nullable String resource) {
    for (Permission p : permissions) {
      if (p.permits(action, resource)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether every (action, resource) this scope permits is permitted by {@code parent} too: an
   * exact subset test, used for delegation. A permission may be covered by several of the parent's
   * together ({@code read:a/**} is within {@code read:a read:a/*}{@code /**}).
   */
  public boolean isWithin(Scope parent) {
    Objects.requireNonNull(parent, "parent must not be null");
    Coverage.Budget budget = new Coverage.Budget();
    for (Permission p : permissions) {
      if (!Coverage.covered(p, parent.permissions, budget)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The permissions of this scope that {@code parent} does not cover, for error messages. The
   * work is bounded for the whole scope: a scope too complex to test within it has every
   * permission not yet proven covered listed as not covered.
   */
  public List<Permission> notWithin(Scope parent) {
    Objects.requireNonNull(parent, "parent must not be null");
    return notWithin(parent, new Coverage.Budget());
  }

  List<Permission> notWithin(Scope parent, Coverage.Budget budget) {
    List<Permission> uncovered = new ArrayList<>();
    for (Permission p : permissions) {
      if (!Coverage.covered(p, parent.permissions, budget)) {
        uncovered.add(p);
      }
    }
    return uncovered;
  }

  private static IllegalArgumentException tooMany(int count) {
    return new IllegalArgumentException(
        "scope must contain at most " + MAX_PERMISSIONS + " permissions, had " + count);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return this == o || (o instanceof Scope && ((Scope) o).text.equals(text));
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  /** The canonical form: sorted permissions separated by single spaces. */
  @Override
  public String toString() {
    return text;
  }
}
