package dev.jitaccess;

import dev.jitaccess.internal.IdBits;
import dev.jitaccess.internal.Validation;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * An immutable snapshot of one grant: a set of permissions minted for one subject and one task.
 *
 * <p>A grant is valid from {@code issuedAt} (inclusive) to {@code expiresAt} (exclusive): no check
 * allows at or after {@code expiresAt}. Renewal moves {@code expiresAt}, never past
 * {@code notAfter}. A snapshot never changes; a state change produces a new snapshot with the
 * next {@link #version()}. Stores rebuild snapshots with {@link #builder()}, which validates
 * every invariant.
 *
 * <p>A transition changes only these fields: {@code expiresAt} (a renewal), {@code usesConsumed}
 * (a use, or uses moved to a child), {@code state}, {@code endReason} and {@code endedAt} (leaving
 * ACTIVE, once), and always {@code version}, by exactly one. Every other field is fixed at issue.
 *
 * <p>Times are held as primitive fields, so that a check reads one object; the accessors return
 * {@link Instant}s. Instances are immutable and thread-safe. Treat the {@code id} as a secret: it
 * is the handle that checks are made with.
 */
public final class Grant {
  static {
    IdBits.install(new IdBits.Bits() {
      @Override
      public long high(Grant grant) {
        return grant.idHigh;
      }

      @Override
      public long low(Grant grant) {
        return grant.idLow;
      }
    });
  }

  private static final long NO_BUDGET = -1;

  private final String id;
  /** The id's 128 bits if it is in the library's format, else 0: see {@link IdBits}. */
  private final long idHigh;
  private final long idLow;
  private final String subject;
  private final String owner;
  private final String task;
  private final String purpose;
  private final Scope scope;
  private final long issuedSeconds;
  private final int issuedNanos;
  private final long expiresSeconds;
  private final int expiresNanos;
  private final long notAfterSeconds;
  private final int notAfterNanos;
  private final @Nullable String parentId;
  private final long budget;
  private final long usesConsumed;
  private final long version;
  /** How it left ACTIVE; null while ACTIVE. One field, so a live grant pays for one reference. */
  private final @Nullable Ending ending;

  /** The risk tier, access request and source it came from; null when none is set. */
  private final @Nullable GrantOrigin origin;

  /** The state a grant ended in, why, and when. */
  private record Ending(GrantState state, RevocationReason reason, Instant at) {}

  /** A snapshot of values that {@link GrantBuilder#build()} has validated: no check here. */
  Grant(String id, String subject, String owner, String task, String purpose, Scope scope,
      Instant issuedAt, Instant expiresAt, Instant notAfter, @Nullable String parentId,
      OptionalLong useBudget, long usesConsumed, long version, GrantState state,
      @Nullable RevocationReason endReason, @Nullable Instant endedAt, @Nullable String tier,
      @Nullable String requestId, @Nullable String source) {
    this(id, IdBits.decode(id), subject, owner, task, purpose, scope, issuedAt, expiresAt,
        notAfter, parentId, useBudget.isPresent() ? useBudget.getAsLong() : NO_BUDGET,
        usesConsumed, version, state == GrantState.ACTIVE ? null
            : new Ending(state, Objects.requireNonNull(endReason), Objects.requireNonNull(endedAt)),
        GrantOrigin.of(tier, requestId, source));
  }

  private Grant(String id, long @Nullable [] bits, String subject, String owner, String task,
      String purpose, Scope scope, Instant issuedAt, Instant expiresAt, Instant notAfter,
      @Nullable String parentId, long budget, long usesConsumed, long version,
      @Nullable Ending ending, @Nullable GrantOrigin origin) {
    this.id = id;
    this.idHigh = bits == null ? 0 : bits[0];
    this.idLow = bits == null ? 0 : bits[1];
    this.subject = subject;
    this.owner = owner;
    this.task = task;
    this.purpose = purpose;
    this.scope = scope;
    this.issuedSeconds = issuedAt.getEpochSecond();
    this.issuedNanos = issuedAt.getNano();
    this.expiresSeconds = expiresAt.getEpochSecond();
    this.expiresNanos = expiresAt.getNano();
    this.notAfterSeconds = notAfter.getEpochSecond();
    this.notAfterNanos = notAfter.getNano();
    this.parentId = parentId;
    this.budget = budget;
    this.usesConsumed = usesConsumed;
    this.version = version;
    this.ending = ending;
    this.origin = origin;
  }

  /**
   * A new ACTIVE grant for a request. The request's names were validated when it was built, so
   * only the id, the scope and the times are checked here.
   *
   * @throws IllegalArgumentException naming the field and the rule, if the id is malformed or the
   *     times are out of order
   */
  public static Grant issue(String id, GrantRequest request, Scope scope, Instant issuedAt,
      Instant expiresAt, Instant notAfter, @Nullable String parentId) {
    return issue(id, request, scope, issuedAt, expiresAt, notAfter, parentId,
        UnaryOperator.identity());
  }

  /**
   * As {@link #issue(String, GrantRequest, Scope, Instant, Instant, Instant, String)}, with the
   * request's subject and owner passed through {@code names} before they are stored: an interner
   * there lets the many grants of one subject or owner share one string.
   *
   * @param names returns a string equal to the one it is given (typically the same or an earlier,
   *     equal instance)
   * @throws IllegalArgumentException naming the field and the rule, if the id is malformed, the
   *     times are out of order, or {@code names} changed a name
   */
  public static Grant issue(String id, GrantRequest request, Scope scope, Instant issuedAt,
      Instant expiresAt, Instant notAfter, @Nullable String parentId,
      UnaryOperator<String> names) {
    Objects.requireNonNull(id, "id must not be null");
    long[] bits = IdBits.decode(id);
    if (bits == null) {
      Validation.id(id, "id"); // an id in the library's format is well formed
    }
    Objects.requireNonNull(request, "request must not be null");
    Objects.requireNonNull(scope, "scope must not be null");
    Objects.requireNonNull(names, "names must not be null");
    GrantBuilder.checkLineageAndTimes(id, parentId, issuedAt, expiresAt, notAfter);
    RequestContext context = request.context();
    return new Grant(id, bits, GrantBuilder.sameName(request.subject(), names, "subject"),
        GrantBuilder.sameName(request.owner(), names, "owner"), request.task(),
        request.purpose(), scope, issuedAt, expiresAt, notAfter, parentId,
        request.useBudget().isPresent() ? request.useBudget().getAsLong() : NO_BUDGET, 0, 0, null,
        GrantOrigin.of(context.tierOrNull(), context.requestIdOrNull(), context.sourceOrNull()));
  }

  /** A transition of a validated snapshot: only the changed fields differ, so no re-validation. */
  private Grant(Grant from, long expiresSeconds, int expiresNanos, long usesConsumed,
      @Nullable Ending ending) {
    this.id = from.id;
    this.idHigh = from.idHigh;
    this.idLow = from.idLow;
    this.subject = from.subject;
    this.owner = from.owner;
    this.task = from.task;
    this.purpose = from.purpose;
    this.scope = from.scope;
    this.issuedSeconds = from.issuedSeconds;
    this.issuedNanos = from.issuedNanos;
    this.expiresSeconds = expiresSeconds;
    this.expiresNanos = expiresNanos;
    this.notAfterSeconds = from.notAfterSeconds;
    this.notAfterNanos = from.notAfterNanos;
    this.parentId = from.parentId;
    this.budget = from.budget;
    this.usesConsumed = usesConsumed;
    this.version = from.version + 1;
    this.ending = ending;
    this.origin = from.origin;
  }

  /** At least 128 random bits, URL-safe base64. */
  public String id() {
    return id;
  }

  /** The workload or person the grant is for. */
  public String subject() {
    return subject;
  }

  /** The accountable team or person, who is told when it ends. */
  public String owner() {
    return owner;
  }

  /** The unit of work the grant belongs to. */
  public String task() {
    return task;
  }

  /** Why it was requested, in words. */
  public String purpose() {
    return purpose;
  }

  /** What it permits. */
  public Scope scope() {
    return scope;
  }

  /** When it was minted, the start of its validity. */
  public Instant issuedAt() {
    return Instant.ofEpochSecond(issuedSeconds, issuedNanos);
  }

  /** The end of its validity (exclusive). */
  public Instant expiresAt() {
    return Instant.ofEpochSecond(expiresSeconds, expiresNanos);
  }

  /** The hard cap that renewals never pass. */
  public Instant notAfter() {
    return Instant.ofEpochSecond(notAfterSeconds, notAfterNanos);
  }

  /** The grant it was delegated from, or null. */
  public @Nullable String parentId() {
    return parentId;
  }

  /** The risk tier it was minted in (its request context's), or null. */
  public @Nullable String tier() {
    GrantOrigin o = origin;
    return o == null ? null : o.tier();
  }

  /** The id of the access request it was minted for (its request context's), or null. */
  public @Nullable String requestId() {
    GrantOrigin o = origin;
    return o == null ? null : o.requestId();
  }

  /**
   * The source its request came from ({@link RequestContext#source()}: an address or a client id),
   * or null. A grant with a source is pinned to it: with {@code source-pinning} on, a check that
   * names another source is an anomaly. Kept by stores that keep it; a store that drops it drops
   * the pin, never the grant.
   */
  public @Nullable String source() {
    GrantOrigin o = origin;
    return o == null ? null : o.source();
  }

  /** How many allowed checks it may serve, if limited. */
  public OptionalLong useBudget() {
    return budget == NO_BUDGET ? OptionalLong.empty() : OptionalLong.of(budget);
  }

  /** Whether it has a use budget. Does not allocate. */
  public boolean hasUseBudget() {
    return budget != NO_BUDGET;
  }

  /** How many of the budget are spent (allowed checks and uses moved to children). */
  public long usesConsumed() {
    return usesConsumed;
  }

  /**
   * The number of transitions this snapshot is the result of: 0 when issued, one more with every
   * renewal, use and ending. Stores compare and set by it.
   */
  public long version() {
    return version;
  }

  /**
   * Its {@link GrantReference}: what logs, audit events and messages show instead of the id.
   * Computed on each call.
   */
  public String reference() {
    return GrantReference.of(id);
  }

  /**
   * Its state as of {@code now}: the recorded state, except that an ACTIVE grant at or past its
   * {@code expiresAt} is EXPIRED (its timer may not have run yet). Says nothing of its ancestors.
   */
  public GrantState stateAt(Instant now) {
    Ending e = ending;
    if (e != null) {
      return e.state();
    }
    return isExpiredAt(now) ? GrantState.EXPIRED : GrantState.ACTIVE;
  }

  /** Its recorded lifecycle state; see {@link #stateAt(Instant)} for the state the clock says. */
  public GrantState state() {
    Ending e = ending;
    return e == null ? GrantState.ACTIVE : e.state();
  }

  /** Why it left ACTIVE; null while ACTIVE. */
  public @Nullable RevocationReason endReason() {
    Ending e = ending;
    return e == null ? null : e.reason();
  }

  /** When it left ACTIVE; null while ACTIVE. */
  public @Nullable Instant endedAt() {
    Ending e = ending;
    return e == null ? null : e.at();
  }

  /**
   * Whether the clock's now lies within [{@code issuedAt}, {@code expiresAt}), read once and
   * exactly. On the JDK's system and fixed clocks, when now is more than a millisecond from both
   * ends, the clock's millisecond reading ({@link Clock#millis()}, cheap on the system clock)
   * decides; near an end, and on any other clock, its full-precision {@link Clock#instant()} does.
   * Other clocks need not keep {@code millis()} within the millisecond of {@code instant()}:
   * {@link Clock#offset} by a fraction of a millisecond does not. Does not allocate on the
   * millisecond path.
   */
  public boolean isWithinValidity(Clock clock) {
    if (Validity.byMillis(clock, issuedSeconds, issuedNanos, expiresSeconds, expiresNanos)) {
      return true;
    }
    Instant now = clock.instant();
    return !isNotYetValidAt(now) && !isExpiredAt(now);
  }

  /** Whether {@code now} is at or after {@code expiresAt}. Does not allocate. */
  public boolean isExpiredAt(Instant now) {
    long s = now.getEpochSecond();
    return s > expiresSeconds || (s == expiresSeconds && now.getNano() >= expiresNanos);
  }

  /** Whether {@code now} is before {@code issuedAt}. Does not allocate. */
  public boolean isNotYetValidAt(Instant now) {
    long s = now.getEpochSecond();
    return s < issuedSeconds || (s == issuedSeconds && now.getNano() < issuedNanos);
  }

  /** Whether the state is ACTIVE (the clock may still say it has expired). */
  public boolean isActive() {
    return ending == null;
  }

  /** Whether this grant is ACTIVE and within its validity at {@code now}. */
  public boolean isUsableAt(Instant now) {
    return ending == null && !isNotYetValidAt(now) && !isExpiredAt(now);
  }

  /** Whether this grant was delegated from another. */
  public boolean isDelegated() {
    return parentId != null;
  }

  /** The uses left, if the grant has a budget. */
  public OptionalLong usesRemaining() {
    return budget == NO_BUDGET ? OptionalLong.empty() : OptionalLong.of(budget - usesConsumed);
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
    if (!state().canTransitionTo(next) || !next.isTerminal()) {
      throw new GrantStateException(id, state(), "move to " + next);
    }
    return new Grant(this, expiresSeconds, expiresNanos, usesConsumed,
        new Ending(next, reason, at));
  }

  /**
   * This ACTIVE grant with a new expiry.
   *
   * @throws GrantStateException if this grant is not ACTIVE
   */
  public Grant withExpiresAt(Instant newExpiresAt) {
    requireActive("renew");
    Objects.requireNonNull(newExpiresAt, "expiresAt must not be null");
    if (!newExpiresAt.isAfter(issuedAt()) || newExpiresAt.isAfter(notAfter())) {
      throw new IllegalArgumentException("expiresAt must be after issuedAt " + issuedAt()
          + " and at or before notAfter " + notAfter() + ", was " + newExpiresAt);
    }
    return new Grant(this, newExpiresAt.getEpochSecond(), newExpiresAt.getNano(), usesConsumed,
        null);
  }

  /**
   * This ACTIVE grant with one more use of its budget spent, in one transition: EXHAUSTED (reason
   * {@link RevocationReason#EXHAUSTED}, at {@code now}) if that was the last use.
   *
   * @throws GrantStateException if this grant is not ACTIVE
   * @throws IllegalStateException if it has no use budget, or none left
   */
  public Grant withUseSpent(Instant now) {
    requireActive("spend a use");
    Objects.requireNonNull(now, "now must not be null");
    if (budget == NO_BUDGET || usesConsumed >= budget) {
      throw new IllegalStateException("useBudget must have a use left to spend, was "
          + (budget == NO_BUDGET ? "unlimited" : usesConsumed + "/" + budget));
    }
    long consumed = usesConsumed + 1;
    return new Grant(this, expiresSeconds, expiresNanos, consumed, consumed == budget
        ? new Ending(GrantState.EXHAUSTED, RevocationReason.EXHAUSTED, now) : null);
  }

  /**
   * This ACTIVE grant with {@code consumed} uses of its budget spent in all.
   *
   * @throws GrantStateException if this grant is not ACTIVE
   * @throws IllegalArgumentException if {@code consumed} is outside [0, the use budget] (0 for a
   *     grant without one)
   */
  public Grant withUsesConsumed(long consumed) {
    requireActive("spend uses");
    if (consumed < 0 || (budget == NO_BUDGET ? consumed != 0 : consumed > budget)) {
      throw new IllegalArgumentException("usesConsumed must be within [0, useBudget "
          + (budget == NO_BUDGET ? 0 : budget) + "], was " + consumed);
    }
    return new Grant(this, expiresSeconds, expiresNanos, consumed, null);
  }

  private void requireActive(String operation) {
    if (ending != null) {
      throw new GrantStateException(id, ending.state(), operation);
    }
  }

  /**
   * Whether {@code other} has this grant's id and every field fixed at issue (subject, owner,
   * task, purpose, scope, issuedAt, notAfter, parentId, useBudget, tier, requestId) equal: whether it can be a
   * later or earlier snapshot of the same grant. Does not allocate. The {@link #source()} is left
   * out: a store that predates it rebuilds snapshots without one, and they are still the grant's.
   */
  public boolean isSameIssueAs(Grant other) {
    return this == other || (id.equals(other.id) && issuedSeconds == other.issuedSeconds
        && issuedNanos == other.issuedNanos && notAfterSeconds == other.notAfterSeconds
        && notAfterNanos == other.notAfterNanos && budget == other.budget
        && subject.equals(other.subject) && owner.equals(other.owner) && task.equals(other.task)
        && purpose.equals(other.purpose) && scope.equals(other.scope)
        && Objects.equals(parentId, other.parentId)
        && GrantOrigin.sameIssue(origin, other.origin));
  }

  /** Equal when every field is equal. */
  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Grant)) {
      return false;
    }
    Grant g = (Grant) o;
    return version == g.version
        && expiresSeconds == g.expiresSeconds && expiresNanos == g.expiresNanos
        && usesConsumed == g.usesConsumed && Objects.equals(ending, g.ending)
        && id.equals(g.id)
        && issuedSeconds == g.issuedSeconds && issuedNanos == g.issuedNanos
        && notAfterSeconds == g.notAfterSeconds && notAfterNanos == g.notAfterNanos
        && budget == g.budget && subject.equals(g.subject) && owner.equals(g.owner)
        && task.equals(g.task) && purpose.equals(g.purpose) && scope.equals(g.scope)
        && Objects.equals(parentId, g.parentId) && Objects.equals(origin, g.origin);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, version, expiresSeconds, expiresNanos, usesConsumed, state());
  }

  /** A builder, for stores that rebuild a snapshot from what they keep. */
  public static GrantBuilder builder() {
    return new GrantBuilder();
  }

  /** A builder holding every field of this snapshot. */
  public GrantBuilder toBuilder() {
    return GrantBuilder.from(this);
  }

  /** A summary that does not reveal the id: it shows the {@linkplain #reference() reference}. */
  @Override
  public String toString() {
    return "Grant[id=" + Validation.redactId(id) + ", subject=" + subject + ", owner=" + owner
        + ", task=" + task + (tier() == null ? "" : ", tier=" + tier()) + ", scope=" + scope
        + ", issuedAt=" + issuedAt() + ", expiresAt=" + expiresAt() + ", notAfter=" + notAfter()
        + (parentId == null ? "" : ", delegated")
        + (budget == NO_BUDGET ? "" : ", uses=" + usesConsumed + "/" + budget)
        + ", version=" + version + ", state=" + state()
        + (ending == null ? "" : ", endReason=" + ending.reason()) + "]";
  }
}
