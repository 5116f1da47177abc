package dev.jitaccess.console;

import dev.jitaccess.governance.ExposureQuery;
import dev.jitaccess.governance.ExposureReport;
import dev.jitaccess.governance.ExposureRow;
import dev.jitaccess.governance.ExposureSmell;
import dev.jitaccess.governance.Governance;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The exposure report: every live grant the filters admit (owner, tier, subject, smell, minimum
 * age, grouping, as {@link ExposureQuery} reads them), with its reference, age, remaining life,
 * renewals, last use, delegation depth, origin and smells, and a revoke form per grant. A filter
 * the query refuses is shown with the query's own explanation, and no rows.
 */
@Controller
@RequestMapping("${" + ConsoleSettings.PATH + ":" + ConsoleSettings.DEFAULT_PATH + "}")
final class ExposureController {
  private static final List<String> FILTERS =
      List.of("owner", "tier", "subject", "smell", "minAge", "groupBy");

  private final Governance governance;
  private final ConsoleGate gate;
  private final ConsoleSettings settings;

  ExposureController(Governance governance, ConsoleGate gate, ConsoleSettings settings) {
    this.governance = governance;
    this.gate = gate;
    this.settings = settings;
  }

  @GetMapping("/exposure")
  ResponseEntity<String> report(HttpServletRequest request, HttpServletResponse response,
      @RequestParam Map<String, String> params) {
    return gate.page(request, response, "exposure", actor -> {
      Map<String, Object> vars = new LinkedHashMap<>();
      Map<String, String> filters = new LinkedHashMap<>();
      for (String f : FILTERS) {
        String v = params.get(f);
        filters.put(f, v == null ? "" : v.strip());
      }
      vars.put("filters", filters);
      vars.put("smells", names(ExposureSmell.values()));
      vars.put("revocationReasons", RevocationController.REASONS);
      List<Map<String, Object>> rows = new ArrayList<>();
      try {
        ExposureReport report = governance.exposure(query(filters));
        for (ExposureRow row : report.rows()) {
          if (rows.size() >= settings.pageSize()) {
            break;
          }
          rows.add(row(row, report.query().groupBy()));
        }
        vars.put("generatedAt", Views.time(report.generatedAt()));
        vars.put("live", report.totals().live());
        vars.put("shown", report.totals().grants());
        vars.put("error", "");
      } catch (IllegalArgumentException | ConsoleInputException bad) {
        vars.put("generatedAt", "-");
        vars.put("live", "-");
        vars.put("shown", 0);
        vars.put("error", bad.getMessage());
      }
      vars.put("rows", rows);
      vars.put("grouped", !filters.get("groupBy").isEmpty());
      return vars;
    });
  }

  /** The query the filled-in filters make; each value one token, as the query text reads it. */
  static ExposureQuery query(Map<String, String> filters) {
    StringBuilder text = new StringBuilder();
    for (Map.Entry<String, String> e : filters.entrySet()) {
      String v = Forms.optional(e.getValue(), "Filter " + e.getKey(), 200);
      if (v == null) {
        continue;
      }
      if (v.chars().anyMatch(Character::isWhitespace)) {
        throw new ConsoleInputException("Filter " + e.getKey() + " must not contain spaces.");
      }
      text.append(e.getKey()).append('=').append(v).append(' ');
    }
    return ExposureQuery.parse(text.toString());
  }

  private static Map<String, Object> row(ExposureRow r,
      ExposureQuery.@Nullable GroupBy groupBy) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("group", groupBy == null ? ""
        : groupBy == ExposureQuery.GroupBy.OWNER ? r.owner()
        : groupBy == ExposureQuery.GroupBy.TIER ? Views.text(r.tier()) : r.subject());
    m.put("reference", r.reference());
    m.put("subject", r.subject());
    m.put("owner", r.owner());
    m.put("tier", Views.text(r.tier()));
    m.put("task", r.task());
    m.put("scope", r.scope().toString());
    m.put("origin", r.origin().name());
    m.put("age", Views.duration(r.age()));
    m.put("remaining", Views.duration(r.remaining()));
    m.put("renewals", (r.renewalsExact() ? "" : "~") + r.renewals());
    m.put("lastUse", !r.usageKnown() ? "unknown"
        : r.lastUsedAt() == null ? "never" : Views.time(r.lastUsedAt()));
    m.put("depth", r.delegationDepth());
    m.put("smells", Views.joined(r.smells()));
    return m;
  }

  private static List<String> names(Enum<?>[] values) {
    List<String> names = new ArrayList<>();
    for (Enum<?> v : values) {
      names.add(v.name());
    }
    return names;
  }
}
