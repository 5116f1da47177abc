package dev.jitaccess;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Where a grant came from: a risk tier, an access request, the source of its request. */
record GrantOrigin(@Nullable String tier, @Nullable String requestId, @Nullable String source) {
  static @Nullable GrantOrigin of(@Nullable String tier, @Nullable String requestId,
      @Nullable String source) {
    return tier == null && requestId == null && source == null ? null
        : new GrantOrigin(tier, requestId, source);
  }

  /** Tier and request equal: the source is left out, see {@link Grant#isSameIssueAs}. */
  static boolean sameIssue(@Nullable GrantOrigin a, @Nullable GrantOrigin b) {
    return Objects.equals(a == null ? null : a.tier, b == null ? null : b.tier)
        && Objects.equals(a == null ? null : a.requestId, b == null ? null : b.requestId);
  }
}
