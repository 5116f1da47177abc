package dev.jitaccess.governance;

import dev.jitaccess.Scope;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A pre-approved entitlement bundle: a named, owned set of scopes in a tier, with a strict window,
 * whose members activate grants without a per-request approval. A grant from a bundle never lives
 * past the bundle's end, and ends when the bundle ends or its member is removed. Members are kept
 * beside the bundle in the {@link dev.jitaccess.governance.spi.BundleStore}. Immutable; changes
 * produce the next {@link #version()}.
 *
 * @param name the bundle's unique name
 * @param owner the accountable team or person
 * @param approvedBy who approved the bundle (and so every grant from it)
 * @param scope the most a grant from it may hold
 * @param tier the risk tier's name
 * @param startsAt the start of its window
 * @param endsAt the end of its window (exclusive)
 * @param createdAt when it was created
 * @param state where it is
 * @param endedAt when it left ACTIVE, or null
 * @param version the number of changes it is the result of
 */
public record Bundle(String name, String owner, String approvedBy, Scope scope, String tier,
    Instant startsAt, Instant endsAt, Instant createdAt, BundleState state,
    @Nullable Instant endedAt, long version) {

  /** Checks every field, naming it and the rule. */
  public Bundle {
    Names.check(name, "name");
    Names.check(owner, "owner");
    Names.check(approvedBy, "approvedBy");
    Objects.requireNonNull(scope, "scope must not be null");
    Names.check(tier, "tier");
    Objects.requireNonNull(startsAt, "startsAt must not be null");
    Objects.requireNonNull(endsAt, "endsAt must not be null");
    Objects.requireNonNull(createdAt, "createdAt must not be null");
    Objects.requireNonNull(state, "state must not be null");
    if (!endsAt.isAfter(startsAt)) {
      throw new IllegalArgumentException(
          "endsAt must be after startsAt " + startsAt + ", was " + endsAt);
    }
    if ((state == BundleState.ACTIVE) != (endedAt == null)) {
      throw new IllegalArgumentException("endedAt must be set exactly once the bundle ended");
    }
    if (version < 0) {
      throw new IllegalArgumentException("version must be >= 0, was " + version);
    }
  }

  /** Whether members may activate from it at {@code now}: ACTIVE and within its window. */
  public boolean isOpenAt(Instant now) {
    return state == BundleState.ACTIVE && !now.isBefore(startsAt) && now.isBefore(endsAt);
  }

  /** This bundle, one version on, in {@code next} at {@code at}. */
  Bundle end(BundleState next, Instant at) {
    if (state != BundleState.ACTIVE || next == BundleState.ACTIVE) {
      throw new IllegalStateException("bundle " + name + " is " + state + " and cannot become "
          + next);
    }
    return new Bundle(name, owner, approvedBy, scope, tier, startsAt, endsAt, createdAt, next,
        at, version + 1);
  }
}
