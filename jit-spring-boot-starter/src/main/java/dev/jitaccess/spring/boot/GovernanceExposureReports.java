package dev.jitaccess.spring.boot;

import dev.jitaccess.governance.ExposureQuery;
import dev.jitaccess.governance.ExposureReport;
import dev.jitaccess.governance.ExposureRow;
import dev.jitaccess.governance.Governance;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@link Governance#exposure(ExposureQuery)} as maps and lists of strings, numbers and booleans:
 * the same fields as {@link ExposureReport#toJson()}, each grant named by its reference, never its
 * id. Instants and durations are ISO-8601 text.
 */
final class GovernanceExposureReports implements ExposureReports {
  private final Governance governance;

  GovernanceExposureReports(Governance governance) {
    this.governance = governance;
  }

  @Override
  public Map<String, Object> report(String query) {
    ExposureReport report = governance.exposure(ExposureQuery.parse(query));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("generatedAt", report.generatedAt().toString());
    out.put("query", report.query().toString());
    out.put("usageTrackedSince", text(report.usageTrackedSince()));
    ExposureReport.Totals t = report.totals();
    Map<String, Object> totals = new LinkedHashMap<>();
    totals.put("live", t.live());
    totals.put("grants", t.grants());
    totals.put("withSmells", t.withSmells());
    totals.put("smells", counts(t.smells()));
    totals.put("origins", counts(t.origins()));
    out.put("totals", totals);
    List<Map<String, Object>> groups = new ArrayList<>();
    for (ExposureReport.Group g : report.groups()) {
      Map<String, Object> group = new LinkedHashMap<>();
      group.put("key", g.key());
      group.put("grants", g.grants());
      group.put("withSmells", g.withSmells());
      group.put("smells", counts(g.smells()));
      group.put("oldestAge", g.oldestAge().toString());
      groups.add(group);
    }
    out.put("groups", groups);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (ExposureRow r : report.rows()) {
      rows.add(row(r));
    }
    out.put("rows", rows);
    return out;
  }

  private static Map<String, Object> row(ExposureRow r) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("reference", r.reference());
    row.put("subject", r.subject());
    row.put("owner", r.owner());
    row.put("tier", text(r.tier()));
    row.put("task", r.task());
    row.put("origin", r.origin().name());
    row.put("requestId", text(r.requestId()));
    row.put("issuedAt", r.issuedAt().toString());
    row.put("expiresAt", r.expiresAt().toString());
    row.put("age", r.age().toString());
    row.put("remaining", r.remaining().toString());
    row.put("renewals", r.renewals());
    row.put("renewalsExact", r.renewalsExact());
    row.put("usageKnown", r.usageKnown());
    row.put("lastUsedAt", text(r.lastUsedAt()));
    row.put("delegationDepth", r.delegationDepth());
    List<String> smells = new ArrayList<>();
    r.smells().forEach(s -> smells.add(s.name()));
    row.put("smells", smells);
    List<String> scope = new ArrayList<>();
    r.scope().permissions().forEach(p -> scope.add(p.toString()));
    row.put("scope", scope);
    return row;
  }

  private static Map<String, Integer> counts(Map<? extends Enum<?>, Integer> counts) {
    Map<String, Integer> out = new LinkedHashMap<>();
    counts.forEach((k, v) -> out.put(k.name(), v));
    return out;
  }

  /** The value's text, or null (JSON null) for none. */
  private static @Nullable String text(@Nullable Object value) {
    return value == null ? null : value.toString();
  }
}
