package dev.jitaccess.governance;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantState;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.core.JitAccessBuilder;
import dev.jitaccess.spi.GrantStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one {@link ExposureReport}: pages every ACTIVE grant of the store by expiry (so it works
 * on any {@link GrantStore}), keeps those alive at the report's time, and describes each; then
 * reads the ended grants whose teardown lingers, if a source is configured. Lookups
 * are memoised for the one report: the depth of each grant, the origin of each request, whether
 * each owner is active.
 *
 * <p>Failures: a grant store or lingering source that fails fails the report (it must not hide
 * live access). A
 * governance store that fails leaves the origin {@link ExposureRow.Origin#UNKNOWN}; an owner
 * directory that fails flags {@link ExposureSmell#OWNER_GONE} (not known to be active). Both are
 * logged. Not thread-safe: one per report.
 */
final class ExposureScan {
  private static final Logger LOG = LoggerFactory.getLogger(Governance.class);
  private static final int PAGE = 500;

  private final Context ctx;
  private final GrantStore grants;
  private final UsageTracker usage;
  private final ExposureThresholds thresholds;
  private final Map<String, Integer> depths = new HashMap<>();
  private final Map<String, ExposureRow.Origin> origins = new HashMap<>();
  private final Map<String, Boolean> owners = new HashMap<>();

  ExposureScan(Context ctx, GrantStore grants, UsageTracker usage) {
    this.ctx = ctx;
    this.grants = grants;
    this.usage = usage;
    this.thresholds = ctx.oversight.thresholds();
  }

  ExposureReport run(ExposureQuery query) {
    Instant now = ctx.clock.instant();
    List<ExposureRow> rows = new ArrayList<>();
    Set<String> live = new HashSet<>();
    Grant after = null;
    while (true) {
      List<Grant> page = grants.findActiveByExpiry(after, PAGE);
      if (page.isEmpty()) {
        break;
      }
      for (Grant g : page) {
        if (g.stateAt(now) != GrantState.ACTIVE) {
          continue;
        }
        String ref = g.reference();
        live.add(ref);
        Duration age = Duration.between(g.issuedAt(), now);
        if (query.admits(g.owner(), g.tier(), g.subject(), age)) {
          ExposureRow row = describe(g, ref, age, now);
          ExposureSmell smell = query.smell();
          if (smell == null || row.has(smell)) {
            rows.add(row);
          }
        }
      }
      after = page.get(page.size() - 1);
    }
    usage.retainOnly(live, now);
    ExposureLingering.Section lingering =
        ExposureLingering.read(ctx.oversight.lingering(), query, now);
    return report(query, now, rows, live.size(), lingering);
  }

  private ExposureRow describe(Grant g, String ref, Duration age, Instant now) {
    boolean exact = !g.hasUseBudget();
    long renewals = exact ? g.version() : Math.max(0, g.version() - g.usesConsumed());
    UsageTracker.Usage use = usage.of(g, ref);
    Set<ExposureSmell> smells = EnumSet.noneOf(ExposureSmell.class);
    if (renewals > thresholds.renewedOften()) {
      smells.add(ExposureSmell.RENEWED_OFTEN);
    }
    if (olderThanTier(g.tier(), age)) {
      smells.add(ExposureSmell.OLDER_THAN_TIER);
    }
    if (use.known() && use.lastUsedAt() == null) {
      smells.add(ExposureSmell.NEVER_USED);
    }
    if (!ownerActive(g.owner())) {
      smells.add(ExposureSmell.OWNER_GONE);
    }
    return new ExposureRow(ref, g.subject(), g.owner(), g.task(), g.scope(), g.tier(),
        g.requestId(), origin(g.requestId()), g.issuedAt(), g.expiresAt(), age,
        Duration.between(now, g.expiresAt()), renewals, exact, use.known(), use.lastUsedAt(),
        depth(g), smells);
  }

  private boolean olderThanTier(@Nullable String tierName, Duration age) {
    if (tierName == null) {
      return false;
    }
    RiskTier tier;
    try {
      tier = ctx.tiers.get(tierName);
    } catch (GovernanceException unknown) {
      return false;
    }
    return age.compareTo(tier.maxLifetime().multipliedBy(thresholds.tierLifetimes())) > 0;
  }

  private boolean ownerActive(String owner) {
    return owners.computeIfAbsent(owner, ctx::ownerActive);
  }

  private ExposureRow.Origin origin(@Nullable String requestId) {
    if (requestId == null) {
      return ExposureRow.Origin.UNKNOWN;
    }
    if (requestId.startsWith(DefaultBundles.PREFIX)) {
      return ExposureRow.Origin.BUNDLE;
    }
    return origins.computeIfAbsent(requestId, id -> {
      try {
        AccessRequest r = ctx.store.get(id);
        return r == null ? ExposureRow.Origin.UNKNOWN
            : r.breakGlass() ? ExposureRow.Origin.BREAK_GLASS : ExposureRow.Origin.REQUEST;
      } catch (RuntimeException e) {
        LOG.atWarn().setCause(e).addKeyValue("request", id)
            .log("governance store failed: the origin is UNKNOWN in the exposure report");
        return ExposureRow.Origin.UNKNOWN;
      }
    });
  }

  /**
   * How many delegations {@code g} is below its top-level grant: its parents walked through the
   * store, at most {@link JitAccessBuilder#MAX_DELEGATION_DEPTH} of them. A parent the store no
   * longer holds ends the walk there, so the depth counts the known part of the chain.
   */
  private int depth(Grant g) {
    List<String> chain = new ArrayList<>();
    chain.add(g.id());
    int base = 0;
    String parentId = g.parentId();
    while (parentId != null && chain.size() <= JitAccessBuilder.MAX_DELEGATION_DEPTH) {
      Integer known = depths.get(parentId);
      if (known != null) {
        base = known + 1;
        break;
      }
      chain.add(parentId);
      Grant parent = grants.get(parentId);
      parentId = parent == null ? null : parent.parentId();
    }
    if (base == 0) {
      base = chain.size() - 1;
      for (int i = 0; i < chain.size(); i++) {
        depths.put(chain.get(i), base - i);
      }
      return base;
    }
    for (int i = 0; i < chain.size(); i++) {
      depths.put(chain.get(i), base + chain.size() - 1 - i);
    }
    return depths.get(g.id());
  }

  private ExposureReport report(ExposureQuery query, Instant now, List<ExposureRow> rows,
      int live, ExposureLingering.Section lingering) {
    ExposureQuery.GroupBy by = query.groupBy();
    Comparator<ExposureRow> oldestFirst = Comparator.comparing(ExposureRow::issuedAt)
        .thenComparing(ExposureRow::reference);
    rows.sort(by == null ? oldestFirst
        : Comparator.comparing(by::keyOf).thenComparing(oldestFirst));
    List<ExposureReport.Group> groups = new ArrayList<>();
    if (by != null) {
      Map<String, List<ExposureRow>> byKey = new TreeMap<>();
      rows.forEach(r -> byKey.computeIfAbsent(by.keyOf(r), k -> new ArrayList<>()).add(r));
      byKey.forEach((key, members) -> groups.add(new ExposureReport.Group(key, members.size(),
          withSmells(members), smellCounts(members), members.get(0).age())));
    }
    Map<ExposureRow.Origin, Integer> byOrigin = new EnumMap<>(ExposureRow.Origin.class);
    for (ExposureRow.Origin o : ExposureRow.Origin.values()) {
      byOrigin.put(o, 0);
    }
    rows.forEach(r -> byOrigin.merge(r.origin(), 1, Integer::sum));
    return new ExposureReport(now, query, rows, groups, new ExposureReport.Totals(live,
        rows.size(), withSmells(rows), smellCounts(rows), byOrigin), usage.since(), lingering);
  }

  private static int withSmells(List<ExposureRow> rows) {
    return (int) rows.stream().filter(r -> !r.smells().isEmpty()).count();
  }

  private static Map<ExposureSmell, Integer> smellCounts(List<ExposureRow> rows) {
    Map<ExposureSmell, Integer> counts = new EnumMap<>(ExposureSmell.class);
    for (ExposureSmell s : ExposureSmell.values()) {
      counts.put(s, (int) rows.stream().filter(r -> r.has(s)).count());
    }
    return counts;
  }
}
