package dev.jitaccess.governance;

import java.time.Instant;
import java.util.Objects;

/**
 * An owner's recertification decision on something that needs it: a bundle ({@code
 * bundle:<name>}) or a long-lived grant's access request ({@code request:<id>}).
 *
 * @param item what was recertified
 * @param reviewer who decided: its owner, or a member of the owner group
 * @param keep whether it is kept (false: it was revoked)
 * @param note the reviewer's words
 * @param at when
 */
public record Certification(String item, String reviewer, boolean keep, String note, Instant at) {
  /** Checks that nothing is missing. */
  public Certification {
    Names.check(item, "item");
    Names.check(reviewer, "reviewer");
    Names.text(note, "note");
    Objects.requireNonNull(at, "at must not be null");
  }
}
