package dev.jitaccess;

import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One permission, written {@code action:resource}: an exact action on a resource pattern.
 *
 * <p>The action is an exact name of 1 to 64 characters from {@code [A-Za-z0-9._-]}, starting with a
 * letter or digit. There is no wildcard action: a broad action is the standing access this library
 * exists to prevent.
 *
 * <p>The resource pattern is a {@code /}-separated path of 1 to 64 segments. A segment is either a
 * literal of characters from {@code [A-Za-z0-9._~:@+=,-]} (but not {@code .} or {@code ..}), or
 * {@code *}, which matches exactly one segment. The last segment may be {@code **}, which matches
 * zero or more further segments, so {@code orders/**} matches {@code orders}, {@code orders/1} and
 * {@code orders/1/lines}. {@code **} anywhere but at the end, an empty segment, a leading or
 * trailing {@code /}, and a partial wildcard such as {@code a*} are rejected.
 *
 * <p>A concrete resource, as passed to {@link #permits(String, String)}, follows the same rules but
 * may contain no wildcard segment. A malformed action or resource is never permitted.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Permission implements Comparable<Permission> {
  /** Longest accepted permission text, in characters. */
  public static final int MAX_LENGTH = 1024;
  /** Most segments a resource or pattern may have. */
  public static final int MAX_SEGMENTS = 64;
  /** Longest accepted action, in characters. */
  public static final int MAX_ACTION_LENGTH = 64;

  static final String STAR = "*";
  static final String TAIL = "**";

  /** The characters a literal segment may use: [A-Za-z0-9._~:@+=,-]. */
  private static final boolean[] SEGMENT_CHARS = new boolean[128];

  static {
    for (char c = 'A'; c <= 'Z'; c++) {
      SEGMENT_CHARS[c] = true;
      SEGMENT_CHARS[Character.toLowerCase(c)] = true;
    }
    for (char c = '0'; c <= '9'; c++) {
      SEGMENT_CHARS[c] = true;
    }
    for (char c : "-._~:@+=,".toCharArray()) {
      SEGMENT_CHARS[c] = true;
    }
  }

  private final String action;
  /** Segments before the optional tail; each is a literal or {@link #STAR}. */
  private final String[] segments;
  private final boolean tail;
  private final String text;

  private Permission(String action, String[] segments, boolean tail) {
    this.action = action;
    this.segments = segments;
    this.tail = tail;
    StringBuilder b = new StringBuilder(action).append(':');
    for (int i = 0; i < segments.length; i++) {
      if (i > 0) {
        b.append('/');
      }
      b.append(segments[i]);
    }
    if (tail) {
      b.append(segments.length == 0 ? "" : "/").append(TAIL);
    }
    this.text = b.toString();
  }

  /**
   * Parses {@code action:resource-pattern}.
   *
   * @throws NullPointerException if {@code text} is null
   * @throws IllegalArgumentException naming the rule, if the text is malformed
   */
  public static Permission parse(String text) {
    Objects.requireNonNull(text, "permission must not be null");
    if (text.length() > MAX_LENGTH) {
      throw invalid(text, "must be at most " + MAX_LENGTH + " characters, was " + text.length());
    }
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw invalid(text, "must be written action:resource");
    }
    return of(text.substring(0, colon), text.substring(colon + 1));
  }

  /**
   * Builds a permission from its action and resource pattern.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException naming the rule, if either part is malformed
   */
  public static Permission of(String action, String resourcePattern) {
    Objects.requireNonNull(action, "action must not be null");
    Objects.requireNonNull(resourcePattern, "resource must not be null");
    String problem = actionProblem(action);
    if (problem != null) {
      throw invalid(action + ":" + resourcePattern, "action " + problem);
    }
    if (resourcePattern.isEmpty()) {
      throw invalid(action + ":", "resource must not be empty");
    }
    // The same rule as parse(), so that every permission reads back from its text.
    int length = action.length() + 1 + resourcePattern.length();
    if (length > MAX_LENGTH) {
      throw invalid(action + ":" + resourcePattern,
          "must be at most " + MAX_LENGTH + " characters, was " + length);
    }
    String[] parts = resourcePattern.split("/", -1);
    if (parts.length > MAX_SEGMENTS) {
      throw invalid(action + ":" + resourcePattern,
          "resource must have at most " + MAX_SEGMENTS + " segments, had " + parts.length);
    }
    boolean tail = false;
    int count = parts.length;
    for (int i = 0; i < parts.length; i++) {
      String segment = parts[i];
      if (segment.equals(TAIL)) {
        if (i != parts.length - 1) {
          throw invalid(action + ":" + resourcePattern,
              "resource may use ** only as its last segment");
        }
        tail = true;
        count--;
      } else if (segment.equals(STAR)) {
        parts[i] = STAR; // canonical instance: matching compares by identity
      } else {
        String segmentProblem = segmentProblem(segment, 0, segment.length());
        if (segmentProblem != null) {
          throw invalid(action + ":" + resourcePattern,
              "resource segment " + (i + 1) + " " + segmentProblem);
        }
      }
    }
    return new Permission(action, Arrays.copyOf(parts, count), tail);
  }

  /** The exact action this permission allows. */
  public String action() {
    return action;
  }

  /** The resource pattern, as written in canonical form. */
  public String resourcePattern() {
    return text.substring(action.length() + 1);
  }

  /**
   * Whether this permission allows {@code action} on the concrete {@code resource}. A malformed or
   * null action or resource is never permitted. Does not allocate.
   */
  public boolean permits(@Nullable String action, @Nullable String resource) {
    return this.action.equals(action) && resource != null && matches(resource);
  }

  /**
   * Whether the concrete resource matches this pattern; false for a malformed resource. One pass:
   * a segment compared equal to a literal (validated when parsed) needs no further check; the
   * characters a wildcard matches are checked against the segment table as they are read.
   */
  boolean matches(String resource) {
    int length = resource.length();
    if (length == 0 || length > MAX_LENGTH) {
      return false;
    }
    int position = 0;
    int index = 0;
    while (true) {
      if (index >= MAX_SEGMENTS) {
        return false;
      }
      String expected = index < segments.length ? segments[index] : null;
      int end;
      if (expected != null && expected != STAR) {
        int literal = expected.length();
        end = position + literal;
        if (end > length || !resource.regionMatches(position, expected, 0, literal)
            || (end < length && resource.charAt(end) != '/')) {
          return false;
        }
      } else if (expected == null && !tail) {
        return false;
      } else {
        end = scanSegment(resource, position, length);
        if (end < 0) {
          return false;
        }
      }
      index++;
      if (end == length) {
        return index >= segments.length;
      }
      position = end + 1;
    }
  }

  /**
   * Whether {@code action} is a well-formed action and {@code resource} a well-formed concrete
   * resource (no wildcard segment). Does not allocate.
   */
  public static boolean isWellFormedRequest(@Nullable String action, @Nullable String resource) {
    if (action == null || resource == null || actionProblem(action) != null) {
      return false;
    }
    int length = resource.length();
    if (length == 0 || length > MAX_LENGTH) {
      return false;
    }
    int position = 0;
    for (int segment = 0; segment < MAX_SEGMENTS; segment++) {
      int end = scanSegment(resource, position, length);
      if (end < 0) {
        return false;
      }
      if (end == length) {
        return true;
      }
      position = end + 1;
    }
    return false;
  }

  /**
   * The end of the well-formed segment that starts at {@code start}, or -1 if it is empty, {@code
   * .} or {@code ..}, or has a character outside the segment table.
   */
  private static int scanSegment(String s, int start, int length) {
    int i = start;
    while (i < length) {
      char c = s.charAt(i);
      if (c == '/') {
        break;
      }
      if (c >= SEGMENT_CHARS.length || !SEGMENT_CHARS[c]) {
        return -1;
      }
      i++;
    }
    int size = i - start;
    if (size == 0) {
      return -1;
    }
    if (s.charAt(start) == '.' && (size == 1 || (size == 2 && s.charAt(start + 1) == '.'))) {
      return -1;
    }
    return i;
  }

  /**
   * Whether every (action, resource) this permission allows is also allowed by {@code other}: an
   * exact subset test.
   */
  public boolean isWithin(Permission other) {
    return Coverage.covered(this, new Permission[] {other});
  }

  int segmentCount() {
    return segments.length;
  }

  String segment(int index) {
    return segments[index];
  }

  boolean hasTail() {
    return tail;
  }

  /** Why {@code action} is not a valid action, or null if it is. */
  static @Nullable String actionProblem(String action) {
    if (action.isEmpty()) {
      return "must not be empty";
    }
    if (action.length() > MAX_ACTION_LENGTH) {
      return "must be at most " + MAX_ACTION_LENGTH + " characters, was " + action.length();
    }
    if (action.indexOf('*') >= 0) {
      return "must be an exact name; wildcards are not allowed in actions";
    }
    for (int i = 0; i < action.length(); i++) {
      char c = action.charAt(i);
      boolean alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) {
        return "must match [A-Za-z0-9][A-Za-z0-9._-]*";
      }
    }
    return null;
  }

  /** Why {@code s[start, end)} is not a literal segment, or null if it is. Does not allocate. */
  static @Nullable String segmentProblem(String s, int start, int end) {
    int length = end - start;
    if (length == 0) {
      return "must not be empty";
    }
    if (s.charAt(start) == '.' && (length == 1 || (length == 2 && s.charAt(start + 1) == '.'))) {
      return "must not be . or ..";
    }
    for (int i = start; i < end; i++) {
      char c = s.charAt(i);
      if (c >= SEGMENT_CHARS.length || !SEGMENT_CHARS[c]) {
        return c == '*'
            ? "may be * or ** as a whole, never part of a literal"
            : "must use only [A-Za-z0-9._~:@+=,-]";
      }
    }
    return null;
  }

  private static IllegalArgumentException invalid(String text, String rule) {
    return new IllegalArgumentException(
        "permission '" + dev.jitaccess.internal.Validation.abbreviate(text) + "' " + rule);
  }

  @Override
  public int compareTo(Permission other) {
    return text.compareTo(other.text);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return this == o || (o instanceof Permission && ((Permission) o).text.equals(text));
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  /** The canonical form {@code action:resource-pattern}, which {@link #parse} reads back. */
  @Override
  public String toString() {
    return text;
  }
}
