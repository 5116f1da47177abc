package dev.jitaccess.governance;

import java.time.Instant;
import java.util.Objects;

/**
 * One approver's rejection of a request, with the reason it must give.
 *
 * @param approver who rejected
 * @param reason why, in words
 * @param at when
 */
public record Rejection(String approver, String reason, Instant at) {
  /** Checks that no component is missing. */
  public Rejection {
    Objects.requireNonNull(approver, "approver must not be null");
    Objects.requireNonNull(reason, "reason must not be null");
    Objects.requireNonNull(at, "at must not be null");
  }
}
