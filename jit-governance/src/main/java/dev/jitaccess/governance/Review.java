package dev.jitaccess.governance;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The after-the-fact review of a break-glass request.
 *
 * @param reviewer who reviewed; null when the review was {@link Verdict#MISSED}
 * @param verdict what they found
 * @param note the reviewer's words, or what the runtime did
 * @param at when
 */
public record Review(@Nullable String reviewer, Verdict verdict, String note, Instant at) {
  /** What a review found. */
  public enum Verdict {
    /** The emergency access was justified. */
    CONFIRMED,
    /** It was not: the grant is revoked if still alive. */
    REJECTED,
    /** Nobody reviewed it by the deadline: the grant was revoked, the subject's break-glass locked. */
    MISSED
  }

  /** Checks that no component is missing. */
  public Review {
    Objects.requireNonNull(verdict, "verdict must not be null");
    Objects.requireNonNull(note, "note must not be null");
    Objects.requireNonNull(at, "at must not be null");
    if ((reviewer == null) != (verdict == Verdict.MISSED)) {
      throw new IllegalArgumentException("reviewer must be set unless the verdict is MISSED");
    }
  }
}
