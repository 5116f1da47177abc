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

  /** In {@link #CHAR_CLASS}: a character no resource may hold. */
  private static final byte INVALID = 0;
  /** In {@link #CHAR_CLASS}: a character a literal segment may use, [A-Za-z0-9._~:@+=,-]. */
  private static final byte SEGMENT = 1;
  /** In {@link #CHAR_CLASS}: the separator. */
  private static final byte SLASH = 2;
  /**
   * The class of each ASCII character. Indexed only by a {@code char} below 128: every other
   * character is {@link #INVALID}, and is never looked up by its low bits.
   */
  private static final byte[] CHAR_CLASS = new byte[128];

  static {
    for (char c = 'A'; c <= 'Z'; c++) {
      CHAR_CLASS[c] = SEGMENT;
      CHAR_CLASS[Character.toLowerCase(c)] = SEGMENT;
    }
    for (char c = '0'; c <= '9'; c++) {
      CHAR_CLASS[c] = SEGMENT;
    }
    for (char c : "-._~:@+=,".toCharArray()) {
      CHAR_CLASS[c] = SEGMENT;
    }
    CHAR_CLASS['/'] = SLASH;
  }

  /** The class of {@code c}: {@link #INVALID}, {@link #SEGMENT} or {@link #SLASH}. */
  private static byte charClass(char c) {
    return c < CHAR_CLASS.length ? CHAR_CLASS[c] : INVALID;
  }

  private final String action;
  /** Segments before the optional tail; each is a literal or {@link #STAR}. */
  private final String[] segments;
  private final boolean tail;
  private final String text;
  /** How many segments, from the first, are literals (none is {@link #STAR}). */
  private final int literalCount;
  /**
   * Those literal segments joined by {@code /}: a resource matches them exactly when it starts
   * with this text followed by its end or a {@code /}. Empty when the first segment is not a
   * literal.
   */
  private final String literalPrefix;

  private Permission(String action, String[] segments, boolean tail) {
    this.action = action;
    this.segments = segments;
    this.tail = tail;
    int literals = 0;
    while (literals < segments.length && segments[literals] != STAR) {
      literals++;
    }
    this.literalCount = literals;
    this.literalPrefix = String.join("/", Arrays.copyOf(segments, literals));
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
   * the leading literal segments are one prefix compare (they were validated when parsed, so
   * characters equal to them need no further check), a literal after a wildcard is a region
   * compare, and the characters a wildcard or the tail matches are checked against the character
   * table as they are read.
   */
  boolean matches(String resource) {
    int length = resource.length();
    if (length == 0 || length > MAX_LENGTH) {
      return false;
    }
    int position = 0;
    int index = literalCount;
    if (index > 0) {
      int end = literalPrefix.length();
      if (!resource.startsWith(literalPrefix)) {
        return false;
      }
      if (end == length) {
        return index == segments.length;
      }
      if (resource.charAt(end) != '/') {
        return false;
      }
      position = end + 1;
    }
    while (index < segments.length) {
      String expected = segments[index];
      int end;
      if (expected != STAR) {
        int literal = expected.length();
        end = position + literal;
        if (end > length || !resource.regionMatches(position, expected, 0, literal)
            || (end < length && resource.charAt(end) != '/')) {
          return false;
        }
      } else {
        end = scanSegment(resource, position, length);
        if (end < 0) {
          return false;
        }
      }
      index++;
      if (end == length) {
        return index == segments.length;
      }
      position = end + 1;
    }
    return tail && isWellFormedPath(resource, position, length, MAX_SEGMENTS - index);
  }

  /**
   * Whether {@code s[start, length)} is a path of 1 to {@code maxSegments} well-formed concrete
   * segments (no empty, {@code .} or {@code ..} segment, no character outside the table). One
   * table lookup per character. Does not allocate.
   */
  private static boolean isWellFormedPath(String s, int start, int length, int maxSegments) {
    int segmentStart = start;
    int segments = 1;
    for (int i = start; i < length; i++) {
      byte type = charClass(s.charAt(i));
      if (type != SEGMENT) {
        if (type != SLASH || !isConcreteSegment(s, segmentStart, i) || ++segments > maxSegments) {
          return false;
        }
        segmentStart = i + 1;
      }
    }
    return segments <= maxSegments && isConcreteSegment(s, segmentStart, length);
  }

  /**
   * Whether {@code s[start, end)}, whose characters are known to be segment characters, is a
   * segment: not empty, {@code .} or {@code ..}.
   */
  private static boolean isConcreteSegment(String s, int start, int end) {
    int size = end - start;
    return size > 2 || (size > 0 && s.charAt(start) != '.')
        || (size == 2 && s.charAt(start + 1) != '.');
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
    return isWellFormedPath(resource, 0, length, MAX_SEGMENTS);
  }

  /**
   * The end of the well-formed segment that starts at {@code start}, or -1 if it is empty, {@code
   * .} or {@code ..}, or has a character outside the table.
   */
  private static int scanSegment(String s, int start, int length) {
    int i = start;
    while (i < length) {
      byte type = charClass(s.charAt(i));
      if (type != SEGMENT) {
        if (type != SLASH) {
          return -1;
        }
        break;
      }
      i++;
    }
    return isConcreteSegment(s, start, i) ? i : -1;
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
      if (charClass(c) != SEGMENT) {
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
