package dev.jitaccess.web;

import dev.jitaccess.Permission;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The segments of a raw HTTP path, decoded once, or why the path is refused. Every segment of an
 * accepted path is a literal segment of the scope's resource grammar, so the segments joined by
 * {@code /} are a well-formed resource (or none, for {@code /}). Immutable and thread-safe.
 */
final class RequestPath {
  /** Longest raw path (after the context path) accepted, in characters. */
  static final int MAX_RAW_LENGTH = 4 * Permission.MAX_LENGTH;

  private final @Nullable List<String> segments;
  private final @Nullable WebDenialCode problem;

  private RequestPath(@Nullable List<String> segments, @Nullable WebDenialCode problem) {
    this.segments = segments;
    this.problem = problem;
  }

  /** The decoded segments; only for an accepted path. */
  List<String> segments() {
    if (segments == null) {
      throw new IllegalStateException("a refused path has no segments");
    }
    return segments;
  }

  /** Why the path is refused, or null if it is accepted. */
  @Nullable WebDenialCode problem() {
    return problem;
  }

  /** The segments joined by {@code /}: the resource the path names. */
  String resource() {
    return String.join("/", segments());
  }

  /**
   * Parses the raw path of a request made under {@code contextPath}: strips the context path and
   * the leading {@code /}, decodes percent-encoding exactly once, and refuses every form that a
   * container could map differently from its text.
   */
  static RequestPath parse(String requestPath, String contextPath) {
    if (!requestPath.startsWith(contextPath)) {
      return refused(WebDenialCode.PATH_MALFORMED);
    }
    return parse(requestPath.substring(contextPath.length()));
  }

  /** Parses a raw path that starts with {@code /} (after the context path). */
  static RequestPath parse(String raw) {
    if (raw.length() > MAX_RAW_LENGTH) {
      return refused(WebDenialCode.PATH_MALFORMED);
    }
    if (raw.isEmpty() || raw.equals("/")) {
      return new RequestPath(List.of(), null);
    }
    if (raw.charAt(0) != '/') {
      return refused(WebDenialCode.PATH_MALFORMED);
    }
    List<String> segments = new ArrayList<>();
    StringBuilder segment = new StringBuilder();
    int start = 1;
    for (int i = 1; i <= raw.length(); i++) {
      if (i < raw.length() && raw.charAt(i) != '/') {
        continue;
      }
      WebDenialCode problem = decode(raw, start, i, segment);
      if (problem != null) {
        return refused(problem);
      }
      segments.add(segment.toString());
      if (segments.size() > Permission.MAX_SEGMENTS) {
        return refused(WebDenialCode.PATH_MALFORMED);
      }
      segment.setLength(0);
      start = i + 1;
    }
    String resource = String.join("/", segments);
    if (!Permission.isWellFormedRequest("read", resource)) {
      return refused(WebDenialCode.PATH_MALFORMED); // longer than a resource may be
    }
    return new RequestPath(List.copyOf(segments), null);
  }

  /** Decodes raw[start, end) into {@code out}; the problem, or null if it is a literal segment. */
  private static @Nullable WebDenialCode decode(String raw, int start, int end, StringBuilder out) {
    if (start == end) {
      return WebDenialCode.PATH_EMPTY_SEGMENT;
    }
    WebDenialCode worst = null;
    for (int i = start; i < end; i++) {
      char c = raw.charAt(i);
      int value = c;
      if (c == '%') {
        if (i + 2 >= end) {
          return WebDenialCode.PATH_BAD_ENCODING;
        }
        int high = hex(raw.charAt(i + 1));
        int low = hex(raw.charAt(i + 2));
        if (high < 0 || low < 0) {
          return WebDenialCode.PATH_BAD_ENCODING;
        }
        value = high * 16 + low;
        i += 2;
        if (value == '/' || value == '\\') {
          return WebDenialCode.PATH_ENCODED_SLASH;
        }
        if (value == '%') {
          return WebDenialCode.PATH_DOUBLE_ENCODING;
        }
      } else if (c == ';') {
        return WebDenialCode.PATH_PARAMETER;
      }
      if (value < 0x20 || value == 0x7f) {
        return WebDenialCode.PATH_CONTROL_CHARACTER;
      }
      if (worst == null && !isSegmentChar(value)) {
        worst = WebDenialCode.PATH_FORBIDDEN_CHARACTER;
      }
      out.append((char) value);
    }
    if (worst != null) {
      return worst;
    }
    if (out.length() <= 2 && (out.toString().equals(".") || out.toString().equals(".."))) {
      return WebDenialCode.PATH_DOT_SEGMENT;
    }
    return null;
  }

  /** The value of an ASCII hexadecimal digit, or -1. */
  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  /** Whether {@code c} may appear in a literal resource segment: {@code [A-Za-z0-9._~:@+=,-]}. */
  static boolean isSegmentChar(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || "-._~:@+=,".indexOf(c) >= 0;
  }

  private static RequestPath refused(WebDenialCode problem) {
    return new RequestPath(null, problem);
  }
}
