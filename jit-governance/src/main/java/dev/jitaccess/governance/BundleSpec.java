package dev.jitaccess.governance;

import dev.jitaccess.Scope;
import java.time.Instant;
import java.util.Objects;

/**
 * What a bundle is made of: see {@link Bundle}. The window is checked against the tier when the
 * bundle is created.
 *
 * @param name the bundle's unique name
 * @param owner the accountable team or person
 * @param approvedBy who approves the bundle, and so every grant from it
 * @param scope the most a grant from it may hold
 * @param tier the risk tier's name
 * @param startsAt the start of its window
 * @param endsAt the end of its window (exclusive)
 */
public record BundleSpec(String name, String owner, String approvedBy, Scope scope, String tier,
    Instant startsAt, Instant endsAt) {
  /** Checks that every field is present and a name. */
  public BundleSpec {
    Names.check(name, "name");
    Names.check(owner, "owner");
    Names.check(approvedBy, "approvedBy");
    Objects.requireNonNull(scope, "scope must not be null");
    Names.check(tier, "tier");
    Objects.requireNonNull(startsAt, "startsAt must not be null");
    Objects.requireNonNull(endsAt, "endsAt must not be null");
  }
}
