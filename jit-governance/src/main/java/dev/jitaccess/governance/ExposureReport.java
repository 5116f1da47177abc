package dev.jitaccess.governance;

import dev.jitaccess.governance.spi.LingeringAccess;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What temporary access is alive now: one {@linkplain ExposureRow row} per live grant that the
 * {@linkplain #query() query} admits (grouped rows first by group, then oldest first), the
 * {@linkplain #groups() groups} if the query groups, {@linkplain #totals() totals}, and the time
 * it was made. {@link #toJson()} and {@link #toTable()} render it; neither, like the rows, holds a
 * grant id: grants are named by reference.
 *
 * <p>Made by {@link Governance#exposure(ExposureQuery)}. Immutable and thread-safe.
 */
public final class ExposureReport {
  /**
   * One group of rows.
   *
   * @param key the owner, tier ({@code -} for none) or subject the rows share
   * @param grants how many rows it has
   * @param withSmells how many of them have at least one smell
   * @param smells how many have each smell (every smell, 0 included)
   * @param oldestAge the age of its oldest grant
   */
  public record Group(String key, int grants, int withSmells, Map<ExposureSmell, Integer> smells,
      Duration oldestAge) {
    /** Checks that nothing is missing; copies the counts. */
    public Group {
      Objects.requireNonNull(key, "key must not be null");
      smells = copy(smells, ExposureSmell.class);
      Objects.requireNonNull(oldestAge, "oldestAge must not be null");
    }
  }

  /**
   * The report's totals.
   *
   * @param live how many grants were alive, whether or not the query admitted them
   * @param grants how many rows the report has
   * @param withSmells how many rows have at least one smell
   * @param smells how many rows have each smell (every smell, 0 included)
   * @param origins how many rows come from each origin (every origin, 0 included)
   */
  public record Totals(int live, int grants, int withSmells, Map<ExposureSmell, Integer> smells,
      Map<ExposureRow.Origin, Integer> origins) {
    /** Copies the counts. */
    public Totals {
      smells = copy(smells, ExposureSmell.class);
      origins = copy(origins, ExposureRow.Origin.class);
    }
  }

  private static <K extends Enum<K>> Map<K, Integer> copy(Map<K, Integer> counts, Class<K> type) {
    Map<K, Integer> m = new EnumMap<>(type);
    m.putAll(counts);
    return Collections.unmodifiableMap(m);
  }

  private final Instant generatedAt;
  private final ExposureQuery query;
  private final List<ExposureRow> rows;
  private final List<Group> groups;
  private final Totals totals;
  private final @Nullable Instant usageTrackedSince;
  private final List<LingeringAccess> lingering;
  private final boolean lingeringTruncated;

  ExposureReport(Instant generatedAt, ExposureQuery query, List<ExposureRow> rows,
      List<Group> groups, Totals totals, @Nullable Instant usageTrackedSince,
      ExposureLingering.Section lingering) {
    this.lingering = lingering.rows();
    this.lingeringTruncated = lingering.truncated();
    this.generatedAt = generatedAt;
    this.query = query;
    this.rows = List.copyOf(rows);
    this.groups = List.copyOf(groups);
    this.totals = totals;
    this.usageTrackedSince = usageTrackedSince;
  }

  /** When it was made, by the governance's clock: ages and remaining times are as of then. */
  public Instant generatedAt() {
    return generatedAt;
  }

  /** The query it answers. */
  public ExposureQuery query() {
    return query;
  }

  /** One row per live grant the query admits: by group if grouped, then oldest first. */
  public List<ExposureRow> rows() {
    return rows;
  }

  /** The rows of the group whose key is {@code key}; empty if none or not grouped. */
  public List<ExposureRow> rowsOf(String key) {
    ExposureQuery.GroupBy by = query.groupBy();
    if (by == null) {
      return List.of();
    }
    return rows.stream().filter(r -> by.keyOf(r).equals(key)).collect(
        java.util.stream.Collectors.toUnmodifiableList());
  }

  /** The groups, by key, if the query groups; empty otherwise. */
  public List<Group> groups() {
    return groups;
  }

  /** The totals. */
  public Totals totals() {
    return totals;
  }

  /**
   * Since when this process has seen every use of every grant, if last use is tracked ({@link
   * GovernanceBuilder#trackLastUse()}); null if it is not.
   */
  public @Nullable Instant usageTrackedSince() {
    return usageTrackedSince;
  }

  /**
   * Ended grants whose access a downstream system has not confirmed gone past the deadline of the
   * governance's {@linkplain GovernanceBuilder#lingeringSource lingering source}, one per grant
   * and downstream, with the owner who must act: by group key if the query groups, then the
   * grant that ended first first. The query's owner, tier and subject filters apply; its smell
   * and minimum age describe live grants and do not. Empty without a source. These grants are
   * not in {@link #rows()} or the totals, which count live grants.
   */
  public List<LingeringAccess> lingering() {
    return lingering;
  }

  /**
   * Whether the lingering source held more than {@value ExposureLingering#LIMIT} rows, of which
   * {@link #lingering()} shows the oldest that the query admits.
   */
  public boolean lingeringTruncated() {
    return lingeringTruncated;
  }

  /**
   * The report as one JSON object: {@code generatedAt}, {@code query}, {@code usageTrackedSince},
   * {@code totals}, {@code groups}, {@code rows}, {@code lingering} (each with {@code
   * lingeringFor}, from the grant's end to the report's time) and {@code lingeringTruncated}.
   * Instants and durations are ISO-8601 strings; every string is escaped.
   */
  public String toJson() {
    return ExposureRender.json(this);
  }

  /**
   * The report as aligned text for people: a heading, then the rows under one header (under a
   * line per group if grouped), then the totals, then the lingering teardowns, if any, under a
   * header of their own (their group key first if grouped). Durations read as {@code 2h05m}; a renewal count
   * that is an estimate reads {@code ~3}.
   */
  public String toTable() {
    return ExposureRender.table(this);
  }

  @Override
  public String toString() {
    return "ExposureReport[" + generatedAt + ", query=" + query + ", rows=" + rows.size()
        + ", groups=" + groups.size() + ", totals=" + totals + ", lingering=" + lingering.size()
        + "]";
  }
}
