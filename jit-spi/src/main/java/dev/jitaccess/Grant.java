package dev.jitaccess;

import dev.jitaccess.internal.Validation;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * An immutable snapshot of one grant: a set of permissions minted for one subject and one task.
 *
 * <p>A grant is valid from {@code issuedAt} (inclusive) to {@code expiresAt} (exclusive): no check
 * allows at or after {@code expiresAt}. Renewal moves {@code expiresAt}, never past
 * {@code notAfter}. A snapshot never changes; a state change produces a new snapshot. Stores
 * rebuild snapshots with the canonical constructor, which validates every invariant.
 *
 * <p>Instances are immutable and thread-safe. Treat the {@code id} as a secret: it is the handle
 * that checks are made with.
 *
 * @param id at least 128 random bits, URL-safe base64
 * @param subject the workload or person the grant is for
 * @param owner the accountable team or person, who is told when it ends
 * @param task the unit of work the grant belongs to
 * @param purpose why it was requested, in words
 * @param scope what it permits
 * @param issuedAt when it was minted, the start of its validity
 * @param expiresAt the end of its validity (exclusive); after {@code issuedAt}
 * @param notAfter the hard cap that renewals never pass; at or after {@code expiresAt}
 * @param parentId the grant it was delegated from, or null
 * @param useBudget how many allowed checks it may serve, if limited
 * @param usesConsumed how many of the budget are spent (allowed checks and uses moved to children)
 * @param state its lifecycle state
 * @param endReason why it left ACTIVE; null while ACTIVE
 * @param endedAt when it left ACTIVE; null while ACTIVE
 */
public record Grant(
    String id,
    String subject,
    String owner,
    String task,
    String purpose,
    Scope scope,
    Instant issuedAt,
    Instant expiresAt,
    Instant notAfter,
    @Nullable String parentId,
    OptionalLong useBudget,
    long usesConsumed,
    GrantState state,
    @Nullable RevocationReason endReason,
    @Nullable Instant endedAt) {

  /**
   * Validates every field and invariant.
   *
   * @throws NullPointerException naming the field, if a required field is null
   * @throws IllegalArgumentException naming the field and the rule, if an invariant fails
   */
  public Grant {
    Validation.id(id, "id");
    Validation.name(subject, "subject");
    Validation.name(owner, "owner");
    Validation.name(task, "task");
    Validation.name(purpose, "purpose");
    Objects.requireNonNull(scope, "scope must not be null");
    Objects.requireNonNull(issuedAt, "issuedAt must not be null");
    Objects.requireNonNull(expiresAt, "expiresAt must not be null");
    Objects.requireNonNull(notAfter, "notAfter must not be null");
    Objects.requireNonNull(useBudget, "useBudget must not be null");
    Objects.requireNonNull(state, "state must not be null");
    if (parentId != null) {
      Validation.id(parentId, "parentId");
      if (parentId.equals(id)) {
        throw new IllegalArgumentException("parentId must differ from id");
      }
    }
    if (!expiresAt.isAfter(issuedAt)) {
      throw new IllegalArgumentException(
          "expiresAt must be after issuedAt " + issuedAt + ", was " + expiresAt);
    }
    if (notAfter.isBefore(expiresAt)) {
      throw new IllegalArgumentException(
          "notAfter must be at or after expiresAt " + expiresAt + ", was " + notAfter);
    }
    if (useBudget.isPresent() && useBudget.getAsLong() <= 0) {
      throw new IllegalArgumentException("useBudget must be > 0, was " + useBudget.getAsLong());
    }
    if (usesConsumed < 0) {
      throw new IllegalArgumentException("usesConsumed must be >= 0, was " + usesConsumed);
    }
    if (useBudget.isPresent() && usesConsumed > useBudget.getAsLong()) {
      throw new IllegalArgumentException("usesConsumed must be <= useBudget "
          + useBudget.getAsLong() + ", was " + usesConsumed);
    }
    if (useBudget.isEmpty() && usesConsumed != 0) {
      throw new IllegalArgumentException(
          "usesConsumed must be 0 without a useBudget, was " + usesConsumed);
    }
    if (state == GrantState.ACTIVE) {
      if (endReason != null || endedAt != null) {
        throw new IllegalArgumentException("endReason and endedAt must be null while ACTIVE");
      }
    } else if (endReason == null || endedAt == null) {
      throw new IllegalArgumentException(
          "endReason and endedAt must be set once the state is " + state);
    }
  }

  /** Whether the state is ACTIVE (the clock may still say it has expired). */
  public boolean isActive() {
    return state == GrantState.ACTIVE;
  }

  /** Whether this grant is ACTIVE and within its validity at {@code now}. */
  public boolean isUsableAt(Instant now) {
    return state == GrantState.ACTIVE && !now.isBefore(issuedAt) && now.isBefore(expiresAt);
  }

  /** Whether this grant was delegated from another. */
  public boolean isDelegated() {
    return parentId != null;
  }

  /** The uses left, if the grant has a budget. */
  public OptionalLong usesRemaining() {
    return useBudget.isPresent()
        ? OptionalLong.of(useBudget.getAsLong() - usesConsumed)
        : OptionalLong.empty();
  }

  /**
   * This grant after it leaves ACTIVE.
   *
   * @throws GrantStateException if this grant is not ACTIVE or {@code next} is ACTIVE
   */
  public Grant end(GrantState next, RevocationReason reason, Instant at) {
    Objects.requireNonNull(next, "state must not be null");
    Objects.requireNonNull(reason, "reason must not be null");
    Objects.requireNonNull(at, "endedAt must not be null");
    if (!state.canTransitionTo(next) || !next.isTerminal()) {
      throw new GrantStateException(id, state, "move to " + next);
    }
    return new Grant(id, subject, owner, task, purpose, scope, issuedAt, expiresAt, notAfter,
        parentId, useBudget, usesConsumed, next, reason, at);
  }

  /**
   * This ACTIVE grant with a new expiry.
   *
   * @throws GrantStateException if this grant is not ACTIVE
   */
  public Grant withExpiresAt(Instant newExpiresAt) {
    requireActive("renew");
    return new Grant(id, subject, owner, task, purpose, scope, issuedAt, newExpiresAt, notAfter,
        parentId, useBudget, usesConsumed, state, null, null);
  }

  /**
   * This ACTIVE grant with {@code uses} more of its budget spent.
   *
   * @throws GrantStateException if this grant is not ACTIVE
   */
  public Grant withUsesConsumed(long consumed) {
    requireActive("spend uses");
    return new Grant(id, subject, owner, task, purpose, scope, issuedAt, expiresAt, notAfter,
        parentId, useBudget, consumed, state, null, null);
  }

  private void requireActive(String operation) {
    if (state != GrantState.ACTIVE) {
      throw new GrantStateException(id, state, operation);
    }
  }

  /** A summary that does not reveal the full id. */
  @Override
  public String toString() {
    return "Grant[id=" + Validation.redactId(id) + ", subject=" + subject + ", owner=" + owner
        + ", task=" + task + ", scope=" + scope + ", issuedAt=" + issuedAt + ", expiresAt="
        + expiresAt + ", notAfter=" + notAfter + (parentId == null ? "" : ", delegated")
        + (useBudget.isPresent() ? ", uses=" + usesConsumed + "/" + useBudget.getAsLong() : "")
        + ", state=" + state + (endReason == null ? "" : ", endReason=" + endReason) + "]";
  }
}
