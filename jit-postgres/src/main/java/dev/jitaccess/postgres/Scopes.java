package dev.jitaccess.postgres;

import dev.jitaccess.Scope;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The scopes of grants read from the database, parsed once per distinct text and shared: a
 * deployment has few distinct scopes and many grants, so the grants a {@link Consistency#CACHED}
 * store keeps share a handful of {@link Scope} objects, which stay in the processor's caches, as
 * the runtime's own grants share their request's. A {@link Scope} is immutable, so sharing one is
 * safe. At most {@value #MAX} texts are kept; past that, each read parses its own. Thread-safe.
 */
final class Scopes {
  /** How many distinct scope texts are kept. */
  static final int MAX = 10_000;

  private static final ConcurrentHashMap<String, Scope> PARSED = new ConcurrentHashMap<>();

  private Scopes() {}

  /**
   * The scope written {@code text} ({@link Scope#toString()}).
   *
   * @throws IllegalArgumentException as {@link Scope#parse} does
   */
  static Scope parse(String text) {
    Scope kept = PARSED.get(text);
    if (kept != null) {
      return kept;
    }
    Scope parsed = Scope.parse(text);
    if (PARSED.size() >= MAX) {
      return parsed;
    }
    Scope raced = PARSED.putIfAbsent(text, parsed);
    return raced != null ? raced : parsed;
  }
}
