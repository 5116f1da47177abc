package dev.jitaccess.web;

import dev.jitaccess.Permission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A resource with {@code {name}} placeholder segments and, in a route, a last segment {@code **}
 * that stands for the path segments a route's {@code **} matched. Immutable and thread-safe.
 */
final class ResourceTemplate {
  static final String TAIL = "**";

  /** One part: a literal segment, a placeholder name, or the tail. */
  private record Part(String text, boolean placeholder) {}

  private final String text;
  private final List<Part> parts;
  private final boolean tail;

  private ResourceTemplate(String text, List<Part> parts, boolean tail) {
    this.text = text;
    this.parts = parts;
    this.tail = tail;
  }

  /**
   * Parses a template.
   *
   * @throws IllegalArgumentException naming {@code field} and the rule, if it is malformed
   */
  static ResourceTemplate parse(String template, boolean tailAllowed, String field) {
    Objects.requireNonNull(template, field + " must not be null");
    if (template.isEmpty()) {
      throw new IllegalArgumentException(field + " must not be empty");
    }
    String[] texts = template.split("/", -1);
    if (texts.length > Permission.MAX_SEGMENTS) {
      throw new IllegalArgumentException(field + " must have at most " + Permission.MAX_SEGMENTS
          + " segments, had " + texts.length);
    }
    List<Part> parts = new ArrayList<>();
    boolean tail = false;
    for (int i = 0; i < texts.length; i++) {
      String segment = texts[i];
      if (segment.equals(TAIL)) {
        if (!tailAllowed || i != texts.length - 1) {
          throw new IllegalArgumentException(field + " may use ** only as the last segment of a"
              + " route whose path pattern ends with **, was '" + template + "'");
        }
        tail = true;
      } else if (isPlaceholder(segment)) {
        parts.add(new Part(segment.substring(1, segment.length() - 1), true));
      } else if (isLiteral(segment)) {
        parts.add(new Part(segment, false));
      } else {
        throw new IllegalArgumentException(field + " segment " + (i + 1) + " must be {name} or a"
            + " literal of [A-Za-z0-9._~:@+=,-] other than . and .., was '" + template + "'");
      }
    }
    return new ResourceTemplate(template, List.copyOf(parts), tail);
  }

  /** Whether {@code segment} is {@code {name}} with a name of {@code [A-Za-z_][A-Za-z0-9_]*}. */
  static boolean isPlaceholder(String segment) {
    int length = segment.length();
    if (length < 3 || segment.charAt(0) != '{' || segment.charAt(length - 1) != '}') {
      return false;
    }
    for (int i = 1; i < length - 1; i++) {
      char c = segment.charAt(i);
      boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
      if (!letter && (i == 1 || c < '0' || c > '9')) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code segment} is a literal resource segment: grammar characters, not . or ... */
  static boolean isLiteral(String segment) {
    if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
      return false;
    }
    for (int i = 0; i < segment.length(); i++) {
      if (!RequestPath.isSegmentChar(segment.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** The placeholder names, in order. */
  List<String> placeholders() {
    List<String> names = new ArrayList<>();
    for (Part p : parts) {
      if (p.placeholder()) {
        names.add(p.text());
      }
    }
    return names;
  }

  boolean hasTail() {
    return tail;
  }

  /**
   * The resource with every placeholder filled from {@code variables} and the tail from {@code
   * rest}; a {@link WebDenialCode#PLACEHOLDER_INVALID} if a value is not one literal segment or the
   * result is no well-formed resource, {@link WebDenialCode#ROUTE_MISCONFIGURED} if a variable is
   * missing.
   */
  Resolved fill(String action, Map<String, String> variables, List<String> rest) {
    StringBuilder b = new StringBuilder();
    for (Part p : parts) {
      String segment = p.text();
      if (p.placeholder()) {
        @Nullable String value = variables.get(segment);
        if (value == null) {
          return Resolved.refused(action, WebDenialCode.ROUTE_MISCONFIGURED);
        }
        if (!isLiteral(value)) {
          return Resolved.refused(action, WebDenialCode.PLACEHOLDER_INVALID);
        }
        segment = value;
      }
      append(b, segment);
    }
    if (tail) {
      for (String segment : rest) {
        append(b, segment);
      }
    }
    String resource = b.toString();
    if (!Permission.isWellFormedRequest(action, resource)) {
      return Resolved.refused(action, resource.isEmpty()
          ? WebDenialCode.ROUTE_MISCONFIGURED : WebDenialCode.PLACEHOLDER_INVALID);
    }
    return new Resolved(action, resource, null);
  }

  private static void append(StringBuilder b, String segment) {
    if (b.length() > 0) {
      b.append('/');
    }
    b.append(segment);
  }

  @Override
  public String toString() {
    return text;
  }

  /**
   * The action and resource a request needs, or why none could be derived.
   *
   * @param action the action
   * @param resource the concrete resource, null if refused
   * @param problem why it was refused, null if not
   */
  record Resolved(String action, @Nullable String resource, @Nullable WebDenialCode problem) {
    static Resolved refused(String action, WebDenialCode problem) {
      return new Resolved(action, null, problem);
    }
  }
}
