package dev.jitaccess.governance;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One approver's approval of a request.
 *
 * @param approver who approved
 * @param team the team the approval counted for, when the rule wants approvals from distinct
 *     teams; otherwise null
 * @param at when
 */
public record Approval(String approver, @Nullable String team, Instant at) {
  /** Checks that no component is missing. */
  public Approval {
    Objects.requireNonNull(approver, "approver must not be null");
    Objects.requireNonNull(at, "at must not be null");
  }
}
