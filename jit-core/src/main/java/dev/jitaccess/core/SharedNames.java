package dev.jitaccess.core;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Shared instances of subjects and owners, which repeat across grants, so that each grant does not
 * keep its own copy. Best effort and bounded: past {@link #MAX} distinct names it starts over, so
 * an application with many distinct names loses only the sharing. A purpose is kept as given:
 * usually a constant of the application's code, already shared, or free text that rarely repeats.
 */
final class SharedNames {
  /** The most distinct subjects and owners shared at once. */
  static final int MAX = 1 << 16;

  private final ConcurrentHashMap<String, String> names = new ConcurrentHashMap<>();

  /** The shared instance of a name equal to {@code name}. */
  String share(String name) {
    String known = names.get(name);
    if (known != null) {
      return known;
    }
    if (names.size() >= MAX) {
      names.clear();
    }
    known = names.putIfAbsent(name, name);
    return known != null ? known : name;
  }

  int size() {
    return names.size();
  }
}
