package dev.jitaccess.testkit;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.Grant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Text for failure messages: redacted ids, grant summaries and audit histories. */
final class Trails {
  private Trails() {}

  /** The grant's reference: enough to correlate, nothing to use. */
  static String redact(String id) {
    return dev.jitaccess.GrantReference.of(id);
  }

  /** One line about a grant, with its id redacted. */
  static String summary(Grant grant) {
    return "grant " + redact(grant.id()) + " subject=" + grant.subject() + " owner="
        + grant.owner() + " task=" + grant.task() + " scope=[" + grant.scope() + "] expiresAt="
        + grant.expiresAt() + " state=" + grant.state()
        + (grant.endReason() == null ? "" : " endReason=" + grant.endReason());
  }

  /** The events as indented lines, oldest first. */
  static String history(List<AuditEvent> events) {
    if (events.isEmpty()) {
      return "    (no events)\n";
    }
    StringBuilder b = new StringBuilder();
    for (AuditEvent e : events) {
      b.append("    ").append(line(e)).append('\n');
    }
    return b.toString();
  }

  /** One event on one line, ids redacted, null fields left out. */
  static String line(AuditEvent e) {
    StringBuilder b = new StringBuilder().append(e.at()).append(' ').append(e.type());
    if (e.grantRef() != null) {
      b.append(" grant=").append(e.grantRef());
    }
    append(b, "reason", e.reason());
    append(b, "expiresAt", e.expiresAt() == null ? null : e.expiresAt().toString());
    append(b, "action", e.action());
    append(b, "resource", e.resource());
    append(b, "token", e.tokenId());
    append(b, "detail", e.detail());
    return b.toString();
  }

  private static void append(StringBuilder b, String key, @Nullable Object value) {
    if (value != null) {
      b.append(' ').append(key).append('=').append(value);
    }
  }
}
