package dev.jitaccess.micrometer;

import dev.jitaccess.Grant;
import dev.jitaccess.spi.GrantStore;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the live grants of a store by risk tier: ACTIVE and not past their expiry by the clock.
 * Reads {@link GrantStore#findActiveByExpiry} a page at a time, at most {@code maxScan} grants;
 * past that the counts are of the first {@code maxScan} grants (those expiring soonest) and a
 * warning is logged. A tier not among the named tiers counts as {@code other}, a grant without a
 * tier as {@code none}, so that the tier tag stays bounded whatever a request names. Thread-safe.
 */
final class LiveGrants implements Supplier<Map<String, Long>> {
  static final String NONE = "none";
  static final String OTHER = "other";
  private static final Logger LOG = LoggerFactory.getLogger(LiveGrants.class);
  private static final int PAGE = 1000;

  private final GrantStore store;
  private final Set<String> tiers;
  private final int maxScan;
  private final Clock clock;

  LiveGrants(GrantStore store, Set<String> tiers, int maxScan, Clock clock) {
    this.store = store;
    this.tiers = Set.copyOf(tiers);
    this.maxScan = maxScan;
    this.clock = clock;
  }

  /** The tag values a count is kept under: the named tiers, {@code none} and {@code other}. */
  Set<String> tags() {
    Set<String> tags = new LinkedHashSet<>(tiers);
    tags.add(NONE);
    tags.add(OTHER);
    return tags;
  }

  @Override
  public Map<String, Long> get() {
    Instant now = clock.instant();
    Map<String, Long> counts = new HashMap<>();
    for (String tag : tags()) {
      counts.put(tag, 0L);
    }
    Grant after = null;
    int seen = 0;
    while (seen < maxScan) {
      List<Grant> page = store.findActiveByExpiry(after, Math.min(PAGE, maxScan - seen));
      if (page.isEmpty()) {
        return counts;
      }
      for (Grant grant : page) {
        if (grant.isActive() && !grant.isExpiredAt(now)) {
          counts.merge(tagOf(grant.tier()), 1L, Long::sum);
        }
      }
      seen += page.size();
      after = page.get(page.size() - 1);
    }
    if (!store.findActiveByExpiry(after, 1).isEmpty()) {
      LOG.warn("live grant gauges count only the first {} ACTIVE grants (maxScan)", maxScan);
    }
    return counts;
  }

  private String tagOf(@Nullable String tier) {
    if (tier == null) {
      return NONE;
    }
    return tiers.contains(tier) ? tier : OTHER;
  }
}
