package dev.jitaccess.governance;

import dev.jitaccess.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One live grant in an {@link ExposureReport}: who holds it, for what, since when, for how much
 * longer, how often it was renewed, when it was last used, how deep in a delegation chain it is,
 * where it came from, and which {@linkplain ExposureSmell standing-access smells} it has.
 *
 * <p>A row names its grant by {@link #reference()}, never by its id (a secret). The reference is
 * also how further per-grant facts join a row: the report renders its JSON and table from a list
 * of columns, so a later fact (for example teardowns that lag behind a grant's end) is one more
 * column keyed by reference, and adding it changes no existing accessor.
 *
 * <p>Immutable and thread-safe.
 */
public final class ExposureRow {
  /** Where a grant came from. */
  public enum Origin {
    /** An access request that was approved and activated. */
    REQUEST,
    /** Emergency access taken without approval. */
    BREAK_GLASS,
    /** A pre-approved bundle (its request id is {@code bundle:} and the bundle's name). */
    BUNDLE,
    /**
     * Not known: the grant names no request, its request is no longer stored, or the governance
     * store failed to answer.
     */
    UNKNOWN
  }

  private final String reference;
  private final String subject;
  private final String owner;
  private final String task;
  private final Scope scope;
  private final @Nullable String tier;
  private final @Nullable String requestId;
  private final Origin origin;
  private final Instant issuedAt;
  private final Instant expiresAt;
  private final Duration age;
  private final Duration remaining;
  private final long renewals;
  private final boolean renewalsExact;
  private final boolean usageKnown;
  private final @Nullable Instant lastUsedAt;
  private final int delegationDepth;
  private final Set<ExposureSmell> smells;

  ExposureRow(String reference, String subject, String owner, String task, Scope scope,
      @Nullable String tier, @Nullable String requestId, Origin origin, Instant issuedAt,
      Instant expiresAt, Duration age, Duration remaining, long renewals, boolean renewalsExact,
      boolean usageKnown, @Nullable Instant lastUsedAt, int delegationDepth,
      Set<ExposureSmell> smells) {
    this.reference = Objects.requireNonNull(reference, "reference must not be null");
    this.subject = Objects.requireNonNull(subject, "subject must not be null");
    this.owner = Objects.requireNonNull(owner, "owner must not be null");
    this.task = Objects.requireNonNull(task, "task must not be null");
    this.scope = Objects.requireNonNull(scope, "scope must not be null");
    this.tier = tier;
    this.requestId = requestId;
    this.origin = Objects.requireNonNull(origin, "origin must not be null");
    this.issuedAt = Objects.requireNonNull(issuedAt, "issuedAt must not be null");
    this.expiresAt = Objects.requireNonNull(expiresAt, "expiresAt must not be null");
    this.age = Objects.requireNonNull(age, "age must not be null");
    this.remaining = Objects.requireNonNull(remaining, "remaining must not be null");
    this.renewals = renewals;
    this.renewalsExact = renewalsExact;
    this.usageKnown = usageKnown;
    this.lastUsedAt = lastUsedAt;
    this.delegationDepth = delegationDepth;
    this.smells = Collections.unmodifiableSet(smells.isEmpty()
        ? EnumSet.noneOf(ExposureSmell.class) : EnumSet.copyOf(smells));
  }

  /** The grant's {@link dev.jitaccess.GrantReference}: how the report names it. */
  public String reference() {
    return reference;
  }

  /** Who holds the access. */
  public String subject() {
    return subject;
  }

  /** The accountable team or person. */
  public String owner() {
    return owner;
  }

  /** The unit of work it was granted for. */
  public String task() {
    return task;
  }

  /** What it permits. */
  public Scope scope() {
    return scope;
  }

  /** Its risk tier, or null if it has none. */
  public @Nullable String tier() {
    return tier;
  }

  /** The access request (or {@code bundle:} and a bundle's name) it was minted for, or null. */
  public @Nullable String requestId() {
    return requestId;
  }

  /** Where it came from. */
  public Origin origin() {
    return origin;
  }

  /** When it was issued. */
  public Instant issuedAt() {
    return issuedAt;
  }

  /** When it expires unless renewed. */
  public Instant expiresAt() {
    return expiresAt;
  }

  /** How long it has been alive, at the report's time. */
  public Duration age() {
    return age;
  }

  /** How long it has left before it expires, at the report's time. */
  public Duration remaining() {
    return remaining;
  }

  /**
   * How often it has been renewed. Exact for a grant without a use budget: its {@link
   * dev.jitaccess.Grant#version()}, since renewals are its only transitions while ACTIVE. For a
   * grant with a use budget it is an estimate ({@link #renewalsExact()} is false): {@code version
   * - usesConsumed}, at least 0, since each use is a transition too, and moving uses to or back
   * from a delegated child is one transition however many uses it moves.
   */
  public long renewals() {
    return renewals;
  }

  /** Whether {@link #renewals()} is exact (no use budget) or an estimate. */
  public boolean renewalsExact() {
    return renewalsExact;
  }

  /**
   * Whether its use is known: last use is tracked ({@link GovernanceBuilder#trackLastUse()}) and
   * this process has seen every use since the grant was issued, or has seen one. When true and
   * {@link #lastUsedAt()} is null, it has never allowed a check here.
   */
  public boolean usageKnown() {
    return usageKnown;
  }

  /** When it last allowed a check, as this replica saw it; null if never or not known. */
  public @Nullable Instant lastUsedAt() {
    return lastUsedAt;
  }

  /** How many delegations below a top-level grant it is: 0 for a top-level grant. */
  public int delegationDepth() {
    return delegationDepth;
  }

  /** The standing-access smells it has, in declaration order; empty if none. */
  public Set<ExposureSmell> smells() {
    return smells;
  }

  /** Whether it has {@code smell}. */
  public boolean has(ExposureSmell smell) {
    return smells.contains(smell);
  }

  /** Every field but the grant id, which a row does not hold. */
  @Override
  public String toString() {
    return "ExposureRow[" + reference + ", subject=" + subject + ", owner=" + owner + ", tier="
        + tier + ", task=" + task + ", origin=" + origin + ", age=" + age + ", remaining="
        + remaining + ", renewals=" + (renewalsExact ? "" : "~") + renewals + ", lastUsedAt="
        + (usageKnown ? lastUsedAt : "unknown") + ", depth=" + delegationDepth + ", smells="
        + smells + ", scope=" + scope + "]";
  }
}
