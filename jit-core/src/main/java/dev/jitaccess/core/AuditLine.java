package dev.jitaccess.core;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.internal.Validation;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One line of the audit log as {@link Slf4jAuditSink} writes it: the key-value pairs, and a
 * message that reads well without them. Every value is escaped so that it survives logfmt and
 * JSON encoders: nothing can break the line or reorder what a reader sees.
 */
final class AuditLine {
  final List<String> keys = new ArrayList<>(16);
  final List<Object> values = new ArrayList<>(16);
  final StringBuilder message = new StringBuilder(128);

  AuditLine(AuditEventType type) {
    keys.add("event");
    values.add(type.name());
    message.append(type.name());
  }

  /** Adds a key-value pair, escaped, and (but for {@code at}) its part of the message. */
  void add(String key, @Nullable Object value) {
    if (value == null) {
      return;
    }
    Object logged = value instanceof Long ? value : escape(value.toString());
    keys.add(key);
    values.add(logged);
    if (!key.equals("at")) { // the log line has its own time; at stays a key-value pair
      message.append(' ').append(key).append('=').append(quote(logged.toString()));
    }
  }


  /** The line of one event: every field that is set, the grant by its reference. */
  static AuditLine of(AuditEvent event) {
    AuditLine l = new AuditLine(event.type());
    l.add("at", event.at());
    l.add("grant", event.grantRef());
    l.add("parent", event.parentRef());
    l.add("subject", event.subject());
    l.add("owner", event.owner());
    l.add("task", event.task());
    l.add("scope", event.scope());
    l.add("expiresAt", event.expiresAt());
    l.add("reason", event.reason());
    l.add("action", event.action());
    l.add("resource", event.resource());
    l.add("justification", event.justification());
    l.add("ticket", event.ticket());
    l.add("tier", event.tier());
    l.add("token", event.tokenId());
    l.add("request", event.requestId());
    l.add("actor", event.actor());
    l.add("detail", event.detail());
    return l;
  }

  /**
   * {@code value} with every character that could break a line or reorder text written as
   * {@code \}{@code uXXXX}, and a backslash as two; the value itself when there is none.
   */
  static String escape(String value) {
    int n = value.length();
    int i = 0;
    while (i < n && isPlain(value.charAt(i))) {
      i++;
    }
    if (i == n) {
      return value;
    }
    StringBuilder out = new StringBuilder(n + 16).append(value, 0, i);
    while (i < n) {
      int cp = value.codePointAt(i);
      int len = Character.charCount(cp);
      if (cp == '\\') {
        out.append("\\\\");
      } else if (Validation.isUnsafeCodePoint(cp)) {
        for (int j = i; j < i + len; j++) {
          appendUnicodeEscape(out, value.charAt(j));
        }
      } else {
        out.appendCodePoint(cp);
      }
      i += len;
    }
    return out.toString();
  }

  private static boolean isPlain(char c) {
    return c >= 0x20 && c < 0x7F && c != '\\';
  }

  private static void appendUnicodeEscape(StringBuilder out, char c) {
    String hex = Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT);
    out.append("\\u");
    for (int k = hex.length(); k < 4; k++) {
      out.append('0');
    }
    out.append(hex);
  }

  /**
   * {@code value} (escaped) as it appears in the message: quoted if empty or holding a space, an
   * {@code =} or a {@code "}.
   */
  static String quote(String value) {
    boolean quote = value.isEmpty();
    for (int i = 0; i < value.length() && !quote; i++) {
      char c = value.charAt(i);
      quote = c == '=' || c == '"' || Character.isWhitespace(c) || Character.isSpaceChar(c);
    }
    return quote ? '"' + value.replace("\"", "\\\"") + '"' : value;
  }
}
