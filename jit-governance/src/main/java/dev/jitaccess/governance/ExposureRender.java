package dev.jitaccess.governance;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/** Renders an {@link ExposureReport} as JSON and as an aligned table, column by column. */
final class ExposureRender {
  private static final String INDENT = "  ";
  private static final String GAP = "  ";

  private ExposureRender() {}

  static String json(ExposureReport report) {
    StringBuilder out = new StringBuilder(256 + 512 * report.rows().size());
    out.append("{\"generatedAt\":").append(Json.string(report.generatedAt()))
        .append(",\"query\":").append(Json.string(report.query().toString()))
        .append(",\"usageTrackedSince\":").append(Json.string(report.usageTrackedSince()));
    ExposureReport.Totals t = report.totals();
    out.append(",\"totals\":{\"live\":").append(t.live()).append(",\"grants\":")
        .append(t.grants()).append(",\"withSmells\":").append(t.withSmells())
        .append(",\"smells\":").append(counts(t.smells())).append(",\"origins\":")
        .append(counts(t.origins())).append('}');
    ExposureQuery.GroupBy by = report.query().groupBy();
    StringJoiner groups = new StringJoiner(",", "[", "]");
    for (ExposureReport.Group g : report.groups()) {
      groups.add("{\"groupBy\":" + Json.string(by == null ? null
          : by.name().toLowerCase(Locale.ROOT)) + ",\"key\":" + Json.string(g.key())
          + ",\"grants\":" + g.grants() + ",\"withSmells\":" + g.withSmells() + ",\"smells\":"
          + counts(g.smells()) + ",\"oldestAge\":" + Json.string(g.oldestAge()) + "}");
    }
    out.append(",\"groups\":").append(groups);
    StringJoiner rows = new StringJoiner(",", "[", "]");
    for (ExposureRow r : report.rows()) {
      StringJoiner row = new StringJoiner(",", "{", "}");
      for (ExposureColumn c : ExposureColumn.values()) {
        row.add(Json.string(c.json) + ":" + c.jsonOf(r));
      }
      rows.add(row.toString());
    }
    return out.append(",\"rows\":").append(rows).append(",\"lingering\":")
        .append(ExposureLingering.json(report.lingering(), report.generatedAt()))
        .append(",\"lingeringTruncated\":").append(report.lingeringTruncated()).append('}')
        .toString();
  }

  private static String counts(Map<? extends Enum<?>, Integer> counts) {
    StringJoiner j = new StringJoiner(",", "{", "}");
    counts.forEach((k, v) -> j.add(Json.string(k.name()) + ":" + v));
    return j.toString();
  }

  static String table(ExposureReport report) {
    Instant now = report.generatedAt();
    List<ExposureColumn> columns = new ArrayList<>();
    for (ExposureColumn c : ExposureColumn.values()) {
      if (c.inTable()) {
        columns.add(c);
      }
    }
    int[] widths = new int[columns.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = columns.get(i).header.length();
    }
    List<String[]> cells = new ArrayList<>(report.rows().size());
    for (ExposureRow r : report.rows()) {
      String[] line = new String[columns.size()];
      for (int i = 0; i < line.length; i++) {
        line[i] = clean(columns.get(i).textOf(r, now));
        widths[i] = Math.max(widths[i], line[i].length());
      }
      cells.add(line);
    }
    ExposureReport.Totals t = report.totals();
    String query = report.query().toString();
    StringBuilder out = new StringBuilder();
    out.append("Exposure at ").append(now).append(": ").append(t.grants()).append(" of ")
        .append(t.live()).append(" live grants shown, ").append(t.withSmells())
        .append(" with smells").append(query.isEmpty() ? "" : " (query: " + clean(query) + ")")
        .append('\n');
    Instant since = report.usageTrackedSince();
    out.append(since == null ? "Last use: not tracked"
        : "Last use: tracked on this replica since " + since).append("\n\n");
    String[] header = new String[columns.size()];
    for (int i = 0; i < header.length; i++) {
      header[i] = columns.get(i).header;
    }
    line(out, header, widths);
    ExposureQuery.GroupBy by = report.query().groupBy();
    int next = 0;
    if (by == null) {
      for (String[] line : cells) {
        line(out, line, widths);
      }
    } else {
      String name = by.name().toLowerCase(Locale.ROOT);
      for (ExposureReport.Group g : report.groups()) {
        out.append(name).append(' ').append(clean(g.key())).append(": ").append(g.grants())
            .append(g.grants() == 1 ? " grant, " : " grants, ").append(g.withSmells())
            .append(" with smells, oldest ").append(Durations.compact(g.oldestAge()))
            .append('\n');
        for (int i = 0; i < g.grants(); i++) {
          line(out, cells.get(next++), widths);
        }
      }
    }
    out.append('\n').append("Smells: ").append(list(t.smells())).append('\n')
        .append("Origins: ").append(list(t.origins())).append('\n');
    lingering(out, report);
    return out.toString();
  }

  /** The lingering teardowns, under a heading and a header of their own. */
  private static void lingering(StringBuilder out, ExposureReport report) {
    if (report.lingering().isEmpty()) {
      return;
    }
    out.append('\n').append("Lingering teardowns (ended grants not confirmed gone downstream): ")
        .append(report.lingering().size()).append(report.lingeringTruncated()
            ? " (the source held more)" : "").append("\n\n");
    List<String[]> lines = ExposureLingering.table(report.lingering(), report.generatedAt(),
        report.query().groupBy());
    int[] widths = new int[lines.get(0).length];
    for (String[] cells : lines) {
      for (int i = 0; i < cells.length; i++) {
        cells[i] = clean(cells[i]);
        widths[i] = Math.max(widths[i], cells[i].length());
      }
    }
    for (String[] cells : lines) {
      line(out, cells, widths);
    }
  }

  private static void line(StringBuilder out, String[] cells, int[] widths) {
    StringBuilder line = new StringBuilder(INDENT);
    for (int i = 0; i < cells.length; i++) {
      line.append(cells[i]);
      if (i < cells.length - 1) {
        line.append(" ".repeat(widths[i] - cells[i].length())).append(GAP);
      }
    }
    out.append(line).append('\n');
  }

  private static String list(Map<? extends Enum<?>, Integer> counts) {
    StringJoiner j = new StringJoiner(", ");
    counts.forEach((k, v) -> j.add(k.name() + " " + v));
    return j.toString();
  }

  /** {@code s} with control, line-separator and format characters shown as {@code ?}. */
  private static String clean(String s) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029'
          || Character.getType(c) == Character.FORMAT) {
        if (out == null) {
          out = new StringBuilder(s.substring(0, i));
        }
        out.append('?');
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? s : out.toString();
  }
}
