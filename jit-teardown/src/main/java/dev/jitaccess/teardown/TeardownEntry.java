package dev.jitaccess.teardown;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantReference;
import dev.jitaccess.RevocationReason;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One grant's teardown at one downstream: a row of the teardown ledger, like a finalizer. Keyed by
 * the grant and the downstream's name; changed only by compare-and-set on its {@link #version()}.
 *
 * <p>It holds the ended grant's snapshot, because the downstream is called with it long after the
 * grant store may have released the grant (an IRREVOCABLE entry is retried a day later). The
 * snapshot holds the grant's id, which is a secret: {@link #toString()} and every message about an
 * entry name the grant by its {@linkplain #grantReference() reference} only.
 *
 * <p>An entry is <em>due</em> at {@link #dueAt()} while work is planned for it, and {@linkplain
 * #isSettled() settled} (no due time) once none is. While due it may be <em>leased</em> to one
 * teardown instance until {@link #leaseUntil()}: only that instance works it, and another may claim
 * it once the lease has passed. {@link
 * dev.jitaccess.teardown.spi.TeardownLedger ledgers} rebuild entries with {@link
 * #builder}, which checks these rules. Instances are immutable and thread-safe.
 */
public final class TeardownEntry {
  private final Grant grant;
  /** The grant's reference, computed once per entry and carried to its next versions. */
  private final String reference;
  private final String downstream;
  private final TeardownState state;
  private final @Nullable String entitlement;
  private final int attempts;
  private final Instant createdAt;
  private final Instant updatedAt;
  private final @Nullable Instant dueAt;
  private final @Nullable String leaseOwner;
  private final @Nullable Instant leaseUntil;
  private final @Nullable String cause;
  private final @Nullable String retainedBy;
  private final @Nullable String actor;
  private final long version;

  private TeardownEntry(Builder b) {
    this.grant = b.grant;
    this.reference = b.reference;
    this.downstream = b.downstream;
    this.state = b.state;
    this.entitlement = b.entitlement;
    this.attempts = b.attempts;
    this.createdAt = Objects.requireNonNull(b.createdAt, "createdAt must not be null");
    this.updatedAt = Objects.requireNonNull(b.updatedAt, "updatedAt must not be null");
    this.dueAt = b.dueAt;
    this.leaseOwner = b.leaseOwner;
    this.leaseUntil = b.leaseUntil;
    this.cause = b.cause;
    this.retainedBy = b.retainedBy;
    this.actor = b.actor;
    this.version = b.version;
  }

  /**
   * A builder of a new entry for {@code grant} (which must have left ACTIVE) at the downstream
   * named {@code downstream}: PENDING, version 0, no attempt yet. Set at least the times.
   */
  public static Builder builder(Grant grant, String downstream) {
    Objects.requireNonNull(grant, "grant must not be null");
    return new Builder(grant, GrantReference.of(grant.id()), Texts.downstream(downstream,
        "downstream"));
  }

  /** As {@link #builder}, with the grant's reference already computed. */
  static Builder builder(Grant grant, String reference, String downstream) {
    return new Builder(grant, reference, downstream);
  }

  /** A builder holding every field of this entry, to derive the next version from. */
  public Builder toBuilder() {
    Builder b = new Builder(grant, reference, downstream);
    b.state = state;
    b.entitlement = entitlement;
    b.attempts = attempts;
    b.createdAt = createdAt;
    b.updatedAt = updatedAt;
    b.dueAt = dueAt;
    b.leaseOwner = leaseOwner;
    b.leaseUntil = leaseUntil;
    b.cause = cause;
    b.retainedBy = retainedBy;
    b.actor = actor;
    b.version = version;
    return b;
  }

  /**
   * The next version of this entry, leased to {@code owner} until {@code until}, changed at {@code
   * now}: what a ledger stores when it {@linkplain
   * dev.jitaccess.teardown.spi.TeardownLedger#claimDue claims} a due entry.
   *
   * @throws IllegalStateException if the entry is settled (nothing is due)
   */
  public TeardownEntry withLease(String owner, Instant until, Instant now) {
    if (dueAt == null) {
      throw new IllegalStateException("teardown entry of grant " + grantReference()
          + " at downstream " + downstream + " is settled: it has nothing to lease");
    }
    return toBuilder().lease(owner, until).updatedAt(now).version(version + 1).build();
  }

  /** The ended grant, with its id: hand it only to the downstream and the ledger. */
  public Grant grant() {
    return grant;
  }

  /** The grant's id, the first half of the entry's key: a secret, never shown. */
  public String grantId() {
    return grant.id();
  }

  /** The grant's reference: what logs, audit events and messages show. */
  public String grantReference() {
    return reference;
  }

  /** The grant's subject. */
  public String subject() {
    return grant.subject();
  }

  /** The grant's owner: who is alerted when its teardown fails. */
  public String owner() {
    return grant.owner();
  }

  /** Why the grant ended. */
  public RevocationReason endReason() {
    return Objects.requireNonNull(grant.endReason(), "an ended grant has an end reason");
  }

  /** When the grant ended: where lingering is measured from. */
  public Instant endedAt() {
    return Objects.requireNonNull(grant.endedAt(), "an ended grant has an end time");
  }

  /** The downstream's name, the second half of the entry's key. */
  public String downstream() {
    return downstream;
  }

  /** Where the teardown is. */
  public TeardownState state() {
    return state;
  }

  /** The entitlement the grant had at the downstream, once an attempt has asked; else null. */
  public @Nullable String entitlement() {
    return entitlement;
  }

  /** How many times the downstream was asked to revoke (a call cut by its timeout included). */
  public int attempts() {
    return attempts;
  }

  /** When the entry was written, by the writer's clock. */
  public Instant createdAt() {
    return createdAt;
  }

  /** When this version was written, by the writer's clock. */
  public Instant updatedAt() {
    return updatedAt;
  }

  /** When the next attempt is due, or null when the entry is settled. */
  public @Nullable Instant dueAt() {
    return dueAt;
  }

  /** The teardown instance that holds the lease, or null. */
  public @Nullable String leaseOwner() {
    return leaseOwner;
  }

  /** Until when the lease holds, or null. */
  public @Nullable Instant leaseUntil() {
    return leaseUntil;
  }

  /**
   * Why the last attempt did not settle the entry, or the reason it was closed by force; null
   * otherwise. Never holds the grant's id.
   */
  public @Nullable String cause() {
    return cause;
  }

  /** For RETAINED: the reference of the live grant that still needs the entitlement. */
  public @Nullable String retainedBy() {
    return retainedBy;
  }

  /** For CLOSED: who closed it. */
  public @Nullable String actor() {
    return actor;
  }

  /** The number of writes this snapshot is the result of: 0 when inserted. */
  public long version() {
    return version;
  }

  /**
   * Whether no more work is planned, so it has no due time: VERIFIED, CLOSED, and REVOKED once the
   * downstream's probe could not tell. A RETAINED entry has a due time, its next re-check, and is
   * not settled (one written without a due time is).
   */
  public boolean isSettled() {
    return dueAt == null;
  }

  /**
   * Whether its grant's access may still be live downstream though it should be gone: not settled
   * and not RETAINED (a RETAINED entry's access is still needed by another live grant).
   */
  public boolean isLingering() {
    return dueAt != null && state != TeardownState.RETAINED;
  }

  /** Whether another instance may claim it at {@code now}: due, and any lease has passed. */
  public boolean isClaimableAt(Instant now) {
    return dueAt != null && !dueAt.isAfter(now) && (leaseUntil == null || !leaseUntil.isAfter(now));
  }

  /** When it becomes claimable: its due time, or its lease's end if later; null when settled. */
  public @Nullable Instant claimableAt() {
    if (dueAt == null) {
      return null;
    }
    return leaseUntil != null && leaseUntil.isAfter(dueAt) ? leaseUntil : dueAt;
  }

  /** Whether {@code other} is about the same grant and downstream. */
  public boolean sameKey(TeardownEntry other) {
    return grant.id().equals(other.grant.id()) && downstream.equals(other.downstream);
  }

  /** Equal when every field is equal. */
  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof TeardownEntry)) {
      return false;
    }
    TeardownEntry e = (TeardownEntry) o;
    return version == e.version && attempts == e.attempts && state == e.state
        && downstream.equals(e.downstream) && grant.equals(e.grant)
        && Objects.equals(entitlement, e.entitlement) && createdAt.equals(e.createdAt)
        && updatedAt.equals(e.updatedAt) && Objects.equals(dueAt, e.dueAt)
        && Objects.equals(leaseOwner, e.leaseOwner) && Objects.equals(leaseUntil, e.leaseUntil)
        && Objects.equals(cause, e.cause) && Objects.equals(retainedBy, e.retainedBy)
        && Objects.equals(actor, e.actor);
  }

  @Override
  public int hashCode() {
    return Objects.hash(grant.id(), downstream, version);
  }

  /** Every field that is set, the grant by its reference. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("TeardownEntry[grant=").append(grantReference())
        .append(", downstream=").append(downstream).append(", state=").append(state)
        .append(", attempts=").append(attempts);
    append(b, "entitlement", entitlement);
    append(b, "dueAt", dueAt);
    append(b, "lease", leaseOwner == null ? null : leaseOwner + " until " + leaseUntil);
    append(b, "cause", cause);
    append(b, "retainedBy", retainedBy);
    append(b, "actor", actor);
    return b.append(", version=").append(version).append(']').toString();
  }

  private static void append(StringBuilder b, String key, @Nullable Object value) {
    if (value != null) {
      b.append(", ").append(key).append('=').append(value);
    }
  }

  /**
   * Builds a {@link TeardownEntry}; {@link #build()} checks that the fields agree: the grant has
   * ended, the downstream name is well formed, a due time exactly while work is planned (PENDING
   * and IRREVOCABLE have one; VERIFIED and CLOSED have none; RETAINED has one when its re-check is
   * scheduled, REVOKED while it is retried), a lease only while due
   * and with both its owner and its end, a RETAINED entry names its entitlement and the grant
   * that keeps it, a CLOSED one its actor and reason. Not thread-safe.
   */
  public static final class Builder {
    private final Grant grant;
    private final String reference;
    private final String downstream;
    private TeardownState state = TeardownState.PENDING;
    private @Nullable String entitlement;
    private int attempts;
    private @Nullable Instant createdAt;
    private @Nullable Instant updatedAt;
    private @Nullable Instant dueAt;
    private @Nullable String leaseOwner;
    private @Nullable Instant leaseUntil;
    private @Nullable String cause;
    private @Nullable String retainedBy;
    private @Nullable String actor;
    private long version;

    /** For a checked downstream name and the grant's reference. */
    private Builder(Grant grant, String reference, String downstream) {
      if (grant.isActive()) {
        throw new IllegalArgumentException("grant must have left ACTIVE, was ACTIVE");
      }
      this.grant = grant;
      this.reference = reference;
      this.downstream = downstream;
    }

    /** The state. */
    public Builder state(TeardownState state) {
      this.state = Objects.requireNonNull(state, "state must not be null");
      return this;
    }

    /** The entitlement the grant had at the downstream, if any. */
    public Builder entitlement(@Nullable String entitlement) {
      this.entitlement = entitlement;
      return this;
    }

    /** The number of revoke calls made, {@code >= 0}. */
    public Builder attempts(int attempts) {
      if (attempts < 0) {
        throw new IllegalArgumentException("attempts must be >= 0, was " + attempts);
      }
      this.attempts = attempts;
      return this;
    }

    /** When the entry was written first. */
    public Builder createdAt(Instant createdAt) {
      this.createdAt = Objects.requireNonNull(createdAt, "createdAt must not be null");
      return this;
    }

    /** When this version was written. */
    public Builder updatedAt(Instant updatedAt) {
      this.updatedAt = Objects.requireNonNull(updatedAt, "updatedAt must not be null");
      return this;
    }

    /** When the next attempt is due; null when settled. */
    public Builder dueAt(@Nullable Instant dueAt) {
      this.dueAt = dueAt;
      return this;
    }

    /** The lease: its holder and its end, both or neither. */
    public Builder lease(@Nullable String owner, @Nullable Instant until) {
      this.leaseOwner = owner;
      this.leaseUntil = until;
      return this;
    }

    /** Why the last attempt did not settle it, or why it was closed; at most 1 KiB. */
    public Builder cause(@Nullable String cause) {
      this.cause = cause;
      return this;
    }

    /** For RETAINED: the reference of the grant that still needs the entitlement. */
    public Builder retainedBy(@Nullable String reference) {
      this.retainedBy = reference;
      return this;
    }

    /** For CLOSED: who closed it. */
    public Builder actor(@Nullable String actor) {
      this.actor = actor;
      return this;
    }

    /** The version, {@code >= 0}. */
    public Builder version(long version) {
      if (version < 0) {
        throw new IllegalArgumentException("version must be >= 0, was " + version);
      }
      this.version = version;
      return this;
    }

    /**
     * The entry.
     *
     * @throws IllegalArgumentException naming the field and the rule, if the fields disagree
     */
    public TeardownEntry build() {
      if (createdAt == null || updatedAt == null) {
        throw new IllegalArgumentException("createdAt and updatedAt must be set");
      }
      boolean planned = state == TeardownState.PENDING || state == TeardownState.IRREVOCABLE;
      boolean none = state == TeardownState.VERIFIED || state == TeardownState.CLOSED;
      if (planned && dueAt == null) {
        throw new IllegalArgumentException("dueAt must be set for a " + state + " entry");
      }
      if (none && dueAt != null) {
        throw new IllegalArgumentException("dueAt must be null for a " + state + " entry");
      }
      if ((leaseOwner == null) != (leaseUntil == null)) {
        throw new IllegalArgumentException("lease owner and lease end must be set together");
      }
      if (leaseOwner != null && dueAt == null) {
        throw new IllegalArgumentException("a settled entry must not be leased");
      }
      if (state == TeardownState.RETAINED && (entitlement == null || retainedBy == null)) {
        throw new IllegalArgumentException("a RETAINED entry must name its entitlement and the "
            + "grant that keeps it");
      }
      if (state == TeardownState.CLOSED && (actor == null || cause == null)) {
        throw new IllegalArgumentException("a CLOSED entry must name its actor and reason");
      }
      if (cause != null && cause.length() > Texts.MAX_TEXT) {
        throw new IllegalArgumentException(
            "cause must be at most " + Texts.MAX_TEXT + " characters, was " + cause.length());
      }
      return new TeardownEntry(this);
    }
  }
}
