package dev.jitaccess.governance;

import dev.jitaccess.governance.spi.LingeringAccess;
import dev.jitaccess.governance.spi.LingeringSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/**
 * The lingering section of an exposure report: ended grants whose teardown a downstream has not
 * confirmed past the source's deadline. Reads the {@link LingeringSource}, keeps the rows the
 * query's owner, tier and subject filters admit (smell and minimum age describe live grants and
 * do not apply), orders them by the query's group key, then oldest end first, and renders them.
 */
final class ExposureLingering {
  /** The most rows one report reads from the source. */
  static final int LIMIT = 10_000;

  private ExposureLingering() {}

  /** The rows, or an empty section if there is no source. */
  static Section read(@Nullable LingeringSource source, ExposureQuery query, Instant now) {
    if (source == null) {
      return new Section(List.of(), false);
    }
    List<LingeringAccess> got;
    try {
      got = source.lingering(now, LIMIT + 1);
    } catch (RuntimeException e) {
      throw new IllegalStateException("lingeringSource failed: the exposure report cannot show "
          + "ended grants whose access may still be live downstream", e);
    }
    if (got == null) {
      throw new IllegalStateException("lingeringSource answered null: the exposure report cannot "
          + "show ended grants whose access may still be live downstream");
    }
    boolean truncated = got.size() > LIMIT;
    List<LingeringAccess> rows = new ArrayList<>();
    for (LingeringAccess a : truncated ? got.subList(0, LIMIT) : got) {
      if (query.admits(a.owner(), a.tier(), a.subject(), Duration.ZERO)) {
        rows.add(a);
      }
    }
    Comparator<LingeringAccess> oldest = Comparator.comparing(LingeringAccess::endedAt)
        .thenComparing(LingeringAccess::reference).thenComparing(LingeringAccess::downstream);
    ExposureQuery.GroupBy by = query.groupBy();
    rows.sort(by == null ? oldest : Comparator.comparing((LingeringAccess a) -> keyOf(by, a))
        .thenComparing(oldest));
    return new Section(rows, truncated);
  }

  /** The key of {@code a}'s group. */
  static String keyOf(ExposureQuery.GroupBy by, LingeringAccess a) {
    switch (by) {
      case OWNER:
        return a.owner();
      case TIER:
        return a.tier() == null ? "-" : a.tier();
      default:
        return a.subject();
    }
  }

  /** The rows as a JSON array; {@code lingeringFor} is from the grant's end to {@code now}. */
  static String json(List<LingeringAccess> rows, Instant now) {
    StringJoiner all = new StringJoiner(",", "[", "]");
    for (LingeringAccess a : rows) {
      all.add("{\"reference\":" + Json.string(a.reference()) + ",\"subject\":"
          + Json.string(a.subject()) + ",\"owner\":" + Json.string(a.owner()) + ",\"tier\":"
          + Json.string(a.tier()) + ",\"task\":" + Json.string(a.task()) + ",\"downstream\":"
          + Json.string(a.downstream()) + ",\"state\":" + Json.string(a.state())
          + ",\"endedAt\":" + Json.string(a.endedAt()) + ",\"lingeringFor\":"
          + Json.string(lingeringFor(a, now)) + ",\"attempts\":" + a.attempts() + ",\"cause\":"
          + Json.string(a.cause()) + "}");
    }
    return all.toString();
  }

  /** The table's header and one line of cells per row (cells not yet cleaned). */
  static List<String[]> table(List<LingeringAccess> rows, Instant now,
      ExposureQuery.@Nullable GroupBy by) {
    List<String[]> lines = new ArrayList<>();
    List<String> header = new ArrayList<>(List.of("REFERENCE", "SUBJECT", "OWNER", "TIER", "TASK",
        "DOWNSTREAM", "STATE", "SINCE", "ATTEMPTS", "CAUSE"));
    if (by != null) {
      header.add(0, by.name().toUpperCase(Locale.ROOT));
    }
    lines.add(header.toArray(new String[0]));
    for (LingeringAccess a : rows) {
      List<String> cells = new ArrayList<>(List.of(a.reference(), a.subject(), a.owner(),
          a.tier() == null ? "-" : a.tier(), a.task(), a.downstream(), a.state(),
          Durations.compact(lingeringFor(a, now)) + " ago", Integer.toString(a.attempts()),
          a.cause() == null ? "-" : a.cause()));
      if (by != null) {
        cells.add(0, keyOf(by, a));
      }
      lines.add(cells.toArray(new String[0]));
    }
    return lines;
  }

  private static Duration lingeringFor(LingeringAccess a, Instant now) {
    Duration d = Duration.between(a.endedAt(), now);
    return d.isNegative() ? Duration.ZERO : d;
  }

  /** The rows a report shows, and whether the source had more than {@link #LIMIT}. */
  record Section(List<LingeringAccess> rows, boolean truncated) {
    Section {
      rows = List.copyOf(rows);
    }
  }
}
