package dev.jitaccess.governance;

import java.time.Duration;
import java.time.Instant;
import java.util.StringJoiner;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The columns of an exposure report, in order: each has a JSON name and value, and, if it is
 * shown in the table, a header and text. A new per-grant fact is one more constant here.
 */
enum ExposureColumn {
  REFERENCE("reference", "REFERENCE", r -> Json.string(r.reference()),
      (r, now) -> r.reference()),
  SUBJECT("subject", "SUBJECT", r -> Json.string(r.subject()), (r, now) -> r.subject()),
  OWNER("owner", "OWNER", r -> Json.string(r.owner()), (r, now) -> r.owner()),
  TIER("tier", "TIER", r -> Json.string(r.tier()), (r, now) -> orDash(r.tier())),
  TASK("task", "TASK", r -> Json.string(r.task()), (r, now) -> r.task()),
  ORIGIN("origin", "ORIGIN", r -> Json.string(r.origin()), (r, now) -> r.origin().name()),
  REQUEST_ID("requestId", null, r -> Json.string(r.requestId()), null),
  ISSUED_AT("issuedAt", null, r -> Json.string(r.issuedAt()), null),
  EXPIRES_AT("expiresAt", null, r -> Json.string(r.expiresAt()), null),
  AGE("age", "AGE", r -> Json.string(r.age()), (r, now) -> Durations.compact(r.age())),
  REMAINING("remaining", "LEFT", r -> Json.string(r.remaining()),
      (r, now) -> Durations.compact(r.remaining())),
  RENEWALS("renewals", "RENEWALS", r -> Long.toString(r.renewals()),
      (r, now) -> (r.renewalsExact() ? "" : "~") + r.renewals()),
  RENEWALS_EXACT("renewalsExact", null, r -> Boolean.toString(r.renewalsExact()), null),
  USAGE_KNOWN("usageKnown", null, r -> Boolean.toString(r.usageKnown()), null),
  LAST_USED_AT("lastUsedAt", "LAST USE", r -> Json.string(r.lastUsedAt()),
      ExposureColumn::lastUse),
  DELEGATION_DEPTH("delegationDepth", "DEPTH", r -> Integer.toString(r.delegationDepth()),
      (r, now) -> Integer.toString(r.delegationDepth())),
  SMELLS("smells", "SMELLS", ExposureColumn::smellArray, ExposureColumn::smellList),
  SCOPE("scope", "SCOPE", r -> Json.string(r.scope()), (r, now) -> r.scope().toString());

  final String json;
  final @Nullable String header;
  private final Function<ExposureRow, String> jsonValue;
  private final @Nullable BiFunction<ExposureRow, Instant, String> text;

  ExposureColumn(String json, @Nullable String header, Function<ExposureRow, String> jsonValue,
      @Nullable BiFunction<ExposureRow, Instant, String> text) {
    this.json = json;
    this.header = header;
    this.jsonValue = jsonValue;
    this.text = text;
  }

  /** The row's value as a JSON value. */
  String jsonOf(ExposureRow row) {
    return jsonValue.apply(row);
  }

  /** Whether the table shows it. */
  boolean inTable() {
    return text != null;
  }

  /** The row's value as table text, at the report's time {@code now}; only if {@link #inTable}. */
  String textOf(ExposureRow row, Instant now) {
    BiFunction<ExposureRow, Instant, String> t = text;
    return t == null ? "" : t.apply(row, now);
  }

  private static String orDash(@Nullable String s) {
    return s == null ? "-" : s;
  }

  private static String lastUse(ExposureRow r, Instant now) {
    Instant at = r.lastUsedAt();
    if (at != null) {
      return Durations.compact(Duration.between(at, now)) + " ago";
    }
    return r.usageKnown() ? "never" : "unknown";
  }

  private static String smellArray(ExposureRow r) {
    StringJoiner j = new StringJoiner(",", "[", "]");
    r.smells().forEach(s -> j.add(Json.string(s)));
    return j.toString();
  }

  private static String smellList(ExposureRow r, Instant now) {
    StringJoiner j = new StringJoiner(",");
    j.setEmptyValue("-");
    r.smells().forEach(s -> j.add(s.name()));
    return j.toString();
  }
}
