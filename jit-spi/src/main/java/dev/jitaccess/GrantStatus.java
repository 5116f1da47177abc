package dev.jitaccess;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Whether a grant is usable now, its ancestors included: the one definition that checks,
 * renewals, delegations and token issuers share. A grant is usable when it and every ancestor is
 * ACTIVE and within its validity by the runtime's clock, and the chain is no deeper than the
 * runtime allows.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class GrantStatus {
  private static final GrantStatus UNKNOWN =
      new GrantStatus(null, List.of(), DenyReason.UNKNOWN_GRANT, null);

  private final @Nullable Grant grant;
  private final List<Grant> ancestors;
  private final @Nullable DenyReason denial;
  private final @Nullable String detail;

  private GrantStatus(@Nullable Grant grant, List<Grant> ancestors, @Nullable DenyReason denial,
      @Nullable String detail) {
    this.grant = grant;
    this.ancestors = List.copyOf(ancestors);
    this.denial = denial;
    this.detail = detail;
  }

  /** No grant has the id. */
  public static GrantStatus unknown() {
    return UNKNOWN;
  }

  /** {@code grant} and its {@code ancestors} (parent first) are usable. */
  public static GrantStatus usable(Grant grant, List<Grant> ancestors) {
    return new GrantStatus(Objects.requireNonNull(grant, "grant must not be null"), ancestors,
        null, null);
  }

  /**
   * {@code grant} is not usable, for {@code reason}; {@code ancestors} are those read, parent
   * first.
   */
  public static GrantStatus unusable(Grant grant, List<Grant> ancestors, DenyReason reason,
      @Nullable String detail) {
    return new GrantStatus(Objects.requireNonNull(grant, "grant must not be null"), ancestors,
        Objects.requireNonNull(reason, "reason must not be null"), detail);
  }

  /** The grant's snapshot, if the id is known. */
  public Optional<Grant> grant() {
    return Optional.ofNullable(grant);
  }

  /** The ancestors read, parent first: all of them when usable. */
  public List<Grant> ancestors() {
    return ancestors;
  }

  /** Whether the grant and every ancestor is usable now. */
  public boolean isUsable() {
    return denial == null;
  }

  /**
   * Why not: {@code UNKNOWN_GRANT}, {@code NOT_YET_VALID}, {@code EXPIRED}, {@code REVOKED} or
   * {@code EXHAUSTED} for the grant itself; {@code EXPIRED} or {@code REVOKED} when an ancestor
   * expired or ended otherwise (or is gone, or the chain is too deep). Empty when usable.
   */
  public Optional<DenyReason> denial() {
    return Optional.ofNullable(denial);
  }

  /**
   * The state that explains the denial: the grant's own state as the clock says if it is not
   * ACTIVE, else REVOKED or EXPIRED for an unusable ancestor; ACTIVE when usable. Empty for an
   * unknown id.
   */
  public Optional<GrantState> state() {
    if (grant == null) {
      return Optional.empty();
    }
    if (denial == null) {
      return Optional.of(GrantState.ACTIVE);
    }
    switch (denial) {
      case EXPIRED:
        return Optional.of(GrantState.EXPIRED);
      case EXHAUSTED:
        return Optional.of(GrantState.EXHAUSTED);
      case NOT_YET_VALID:
        return Optional.of(GrantState.ACTIVE);
      default:
        return Optional.of(GrantState.REVOKED);
    }
  }

  /** A few words on the denial (for example that an ancestor ended), if any. */
  public Optional<String> detail() {
    return Optional.ofNullable(detail);
  }

  /** The status with the grant by its reference. */
  @Override
  public String toString() {
    return grant == null ? "GrantStatus[UNKNOWN_GRANT]"
        : "GrantStatus[grant=" + grant.reference() + ", "
            + (denial == null ? "usable" : denial + (detail == null ? "" : " (" + detail + ")"))
            + ", ancestors=" + ancestors.size() + "]";
  }
}
