package dev.jitaccess;

import dev.jitaccess.internal.Validation;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One audit record. Fields that do not apply to a kind of event are null.
 *
 * <p>An event never holds a grant id where a sink can read it: a grant id is a secret (the handle
 * checks are made with), and audit trails are shipped to log stores and SIEMs. An event names its
 * grant by {@link #grantRef()}, the grant's {@link GrantReference}, which is stable across
 * processes and cannot be turned back into the id; {@link #concerns(String)} tells whether an
 * event is about a grant whose id the caller holds. Caller-supplied action and resource are
 * {@linkplain #action() cleaned} before they are stored.
 *
 * <p>Built with {@link #builder(AuditEventType, Instant)}. Instances are immutable and
 * thread-safe.
 */
public final class AuditEvent {
  private final AuditEventType type;
  private final Instant at;
  private final @Nullable String grantId;
  private final @Nullable String parentId;
  private final @Nullable String subject;
  private final @Nullable String owner;
  private final @Nullable String task;
  private final @Nullable String reason;
  private final @Nullable String action;
  private final @Nullable String resource;
  private final @Nullable String detail;
  /** The fields of lifecycle events; null on the others, so a denial stays small. */
  private final @Nullable Extra extra;
  /** Computed on first use: most sinks on the hot path never ask. */
  private @Nullable String grantRef;

  /** Scope, expiry and request context: set on lifecycle events, never on checks. */
  private record Extra(@Nullable String scope, @Nullable Instant expiresAt,
      @Nullable String justification, @Nullable String ticket, @Nullable String tier,
      @Nullable String tokenId, @Nullable String requestId, @Nullable String actor) {}

  private AuditEvent(Builder b) {
    this(b.type, b.at, b.grantId, b.parentId, b.subject, b.owner, b.task, b.reason, b.action,
        b.resource, b.detail, b.scope == null && b.expiresAt == null && b.justification == null
            && b.ticket == null && b.tier == null && b.tokenId == null && b.requestId == null
            && b.actor == null ? null : new Extra(b.scope, b.expiresAt, b.justification, b.ticket,
                b.tier, b.tokenId, b.requestId, b.actor));
    if (b.grantId == null) {
      this.grantRef = b.grantRef;
    }
  }

  private AuditEvent(AuditEventType type, Instant at, @Nullable String grantId,
      @Nullable String parentId, @Nullable String subject, @Nullable String owner,
      @Nullable String task, @Nullable String reason, @Nullable String action,
      @Nullable String resource, @Nullable String detail, @Nullable Extra extra) {
    this.type = type;
    this.at = at;
    this.grantId = grantId;
    this.parentId = parentId;
    this.subject = subject;
    this.owner = owner;
    this.task = task;
    this.reason = reason;
    this.action = action;
    this.resource = resource;
    this.detail = detail;
    this.extra = extra;
  }

  /**
   * The event of a check that {@code grant} (null if unknown) denied for {@code reason}: as the
   * builder would make it, without one, for the check's path.
   *
   * @param grantId the id checked, kept (never shown) when there is no snapshot; null if malformed
   */
  public static AuditEvent denial(Instant at, @Nullable Grant grant, @Nullable String grantId,
      String reason, @Nullable String action, @Nullable String resource,
      @Nullable String detail) {
    Objects.requireNonNull(at, "at must not be null");
    Objects.requireNonNull(reason, "reason must not be null");
    // One allocation site, so that a sink that does not keep the event costs no allocation.
    boolean known = grant != null;
    return new AuditEvent(AuditEventType.DENIED, at, known ? grant.id() : grantId,
        known ? grant.parentId() : null, known ? grant.subject() : null,
        known ? grant.owner() : null, known ? grant.task() : null, reason, clean(action),
        clean(resource), detail, null);
  }

  /**
   * The ISSUED or DELEGATED event of {@code grant}, minted for {@code request}: at its issue, with
   * its scope, expiry, and the request's justification, ticket and tier; as the builder would
   * make it, without one.
   */
  public static AuditEvent started(AuditEventType type, Grant grant, GrantRequest request) {
    Objects.requireNonNull(type, "type must not be null");
    RequestContext context = request.context();
    return new AuditEvent(type, grant.issuedAt(), grant.id(), grant.parentId(), grant.subject(),
        grant.owner(), grant.task(), null, null, null, null,
        new Extra(grant.scope().toString(), grant.expiresAt(), context.justificationOrNull(),
            context.ticketOrNull(), context.tierOrNull(), null, context.requestIdOrNull(), null));
  }

  /**
   * The event of {@code grant} leaving ACTIVE (EXPIRED, REVOKED, EXHAUSTED) or being used
   * (ALLOWED): as the builder would make it, without one.
   */
  public static AuditEvent ofGrant(AuditEventType type, Instant at, Grant grant,
      @Nullable String reason, @Nullable String action, @Nullable String resource,
      @Nullable String detail) {
    Objects.requireNonNull(type, "type must not be null");
    Objects.requireNonNull(at, "at must not be null");
    return new AuditEvent(type, at, grant.id(), grant.parentId(), grant.subject(), grant.owner(),
        grant.task(), reason, clean(action), clean(resource), detail, null);
  }

  private static @Nullable String clean(@Nullable String value) {
    return value == null ? null : Validation.abbreviate(value);
  }

  /**
   * A builder for an event of {@code type} at {@code at}.
   *
   * @throws NullPointerException naming the field, if one is null
   */
  public static Builder builder(AuditEventType type, Instant at) {
    return new Builder(type, at);
  }

  /** What happened. */
  public AuditEventType type() {
    return type;
  }

  /** When, by the runtime's clock. */
  public Instant at() {
    return at;
  }

  /** The {@link GrantReference} of the grant concerned, if any. */
  public @Nullable String grantRef() {
    String ref = grantRef;
    if (ref == null && grantId != null) {
      ref = GrantReference.of(grantId);
      grantRef = ref; // racy but idempotent: every thread computes the same string
    }
    return ref;
  }

  /** The {@link GrantReference} of the grant's parent, if delegated. */
  public @Nullable String parentRef() {
    return parentId == null ? null : GrantReference.of(parentId);
  }

  /**
   * Whether this event concerns the grant {@code grantId}: lets a holder of the id find its
   * events without the event disclosing the id.
   */
  public boolean concerns(@Nullable String grantId) {
    if (grantId == null) {
      return false;
    }
    if (this.grantId != null) {
      return grantId.equals(this.grantId);
    }
    return grantRef != null && grantRef.equals(GrantReference.of(grantId));
  }

  /** Whether this event concerns a grant delegated from {@code grantId}. */
  public boolean concernsChildOf(@Nullable String grantId) {
    return grantId != null && grantId.equals(this.parentId);
  }

  /** The grant's (or request's) subject. */
  public @Nullable String subject() {
    return subject;
  }

  /** The grant's (or request's) owner. */
  public @Nullable String owner() {
    return owner;
  }

  /** The grant's (or request's) task. */
  public @Nullable String task() {
    return task;
  }

  /**
   * The grant's scope in canonical form (ISSUED, DELEGATED, and the DENIED of a refused request
   * or delegation).
   */
  public @Nullable String scope() {
    Extra e = extra;
    return e == null ? null : e.scope();
  }

  /**
   * The grant's expiry after the event (ISSUED, DELEGATED, RENEWED, and the DENIED of a refused
   * renewal).
   */
  public @Nullable Instant expiresAt() {
    Extra e = extra;
    return e == null ? null : e.expiresAt();
  }

  /** A revocation reason code or a denial reason code. */
  public @Nullable String reason() {
    return reason;
  }

  /** The action checked (DENIED, ALLOWED), cleaned. */
  public @Nullable String action() {
    return action;
  }

  /** The resource checked (DENIED, ALLOWED), cleaned. */
  public @Nullable String resource() {
    return resource;
  }

  /** Free text: a policy's words, a failure's cause, a count of allowed checks. */
  public @Nullable String detail() {
    return detail;
  }

  /** The requester's justification (ISSUED, DELEGATED and refused requests). */
  public @Nullable String justification() {
    Extra e = extra;
    return e == null ? null : e.justification();
  }

  /** The ticket the request referred to, if any. */
  public @Nullable String ticket() {
    Extra e = extra;
    return e == null ? null : e.ticket();
  }

  /** The risk tier the request named, if any. */
  public @Nullable String tier() {
    Extra e = extra;
    return e == null ? null : e.tier();
  }

  /** The access request concerned: its events, and grants minted for it. */
  public @Nullable String requestId() {
    Extra e = extra;
    return e == null ? null : e.requestId();
  }

  /** Who acted, when not the subject: an approver, a reviewer, an owner. */
  public @Nullable String actor() {
    Extra e = extra;
    return e == null ? null : e.actor();
  }

  /**
   * The id of the token concerned, for events of a token issuer or verifier: a JWT's {@code jti},
   * which names one token and authorises nothing, so a token's issue and its uses and denials can
   * be followed together with its grant's {@link #grantRef()}.
   */
  public @Nullable String tokenId() {
    Extra e = extra;
    return e == null ? null : e.tokenId();
  }

  /** Equal when every field is equal. */
  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof AuditEvent)) {
      return false;
    }
    AuditEvent e = (AuditEvent) o;
    return type == e.type && at.equals(e.at) && Objects.equals(grantId, e.grantId)
        && Objects.equals(grantRef(), e.grantRef())
        && Objects.equals(parentId, e.parentId) && Objects.equals(subject, e.subject)
        && Objects.equals(owner, e.owner) && Objects.equals(task, e.task)
        && Objects.equals(reason, e.reason) && Objects.equals(action, e.action)
        && Objects.equals(resource, e.resource) && Objects.equals(detail, e.detail)
        && Objects.equals(extra, e.extra);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, at, grantId, subject, task, reason);
  }

  /** Every field that is set, the grant by its reference. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("AuditEvent[type=").append(type).append(", at=").append(at);
    append(b, "grant", grantRef());
    append(b, "parent", parentRef());
    append(b, "subject", subject);
    append(b, "owner", owner);
    append(b, "task", task);
    append(b, "scope", scope());
    append(b, "expiresAt", expiresAt());
    append(b, "reason", reason);
    append(b, "action", action);
    append(b, "resource", resource);
    append(b, "justification", justification());
    append(b, "ticket", ticket());
    append(b, "tier", tier());
    append(b, "token", tokenId());
    append(b, "request", requestId());
    append(b, "actor", actor());
    append(b, "detail", detail);
    return b.append(']').toString();
  }

  private static void append(StringBuilder b, String key, @Nullable Object value) {
    if (value != null) {
      b.append(", ").append(key).append('=').append(value);
    }
  }

  /** Builds an {@link AuditEvent}. Not thread-safe. */
  public static final class Builder {
    private final AuditEventType type;
    private final Instant at;
    private @Nullable String grantId;
    private @Nullable String parentId;
    private @Nullable String subject;
    private @Nullable String owner;
    private @Nullable String task;
    private @Nullable String scope;
    private @Nullable Instant expiresAt;
    private @Nullable String reason;
    private @Nullable String action;
    private @Nullable String resource;
    private @Nullable String detail;
    private @Nullable String justification;
    private @Nullable String ticket;
    private @Nullable String tier;
    private @Nullable String grantRef;
    private @Nullable String tokenId;
    private @Nullable String requestId;
    private @Nullable String actor;

    private Builder(AuditEventType type, Instant at) {
      this.type = Objects.requireNonNull(type, "type must not be null");
      this.at = Objects.requireNonNull(at, "at must not be null");
    }

    /** The grant concerned: its id (held, shown only as a reference), parent, subject, owner, task. */
    public Builder grant(Grant grant) {
      this.grantId = grant.id();
      this.parentId = grant.parentId();
      this.subject = grant.subject();
      this.owner = grant.owner();
      this.task = grant.task();
      return this;
    }

    /** The id of the grant concerned, when there is no snapshot of it (an unknown id). */
    public Builder grantId(@Nullable String grantId) {
      this.grantId = grantId;
      return this;
    }

    /**
     * The {@link GrantReference} of the grant concerned, when only the reference is known (for
     * example from a token); ignored if the grant or its id is also set.
     *
     * @throws IllegalArgumentException if {@code reference} is not a well-formed reference
     */
    public Builder grantRef(@Nullable String reference) {
      if (reference != null && !GrantReference.isWellFormed(reference)) {
        throw new IllegalArgumentException("grantRef must be " + GrantReference.PREFIX
            + " and 16 base64url characters");
      }
      this.grantRef = reference;
      return this;
    }

    /** The id of the token concerned (a JWT's {@code jti}), stored cleaned and abbreviated. */
    public Builder tokenId(@Nullable String tokenId) {
      this.tokenId = clean(tokenId);
      return this;
    }

    /** The id of the grant's parent. */
    public Builder parentId(@Nullable String parentId) {
      this.parentId = parentId;
      return this;
    }

    /** The request's subject, owner and task, and its context's justification, ticket, tier. */
    public Builder request(GrantRequest request) {
      this.subject = request.subject();
      this.owner = request.owner();
      this.task = request.task();
      RequestContext context = request.context();
      this.justification = context.justificationOrNull();
      this.ticket = context.ticketOrNull();
      this.tier = context.tierOrNull();
      this.requestId = context.requestIdOrNull();
      return this;
    }

    /** The subject. */
    public Builder subject(@Nullable String subject) {
      this.subject = subject;
      return this;
    }

    /** The owner. */
    public Builder owner(@Nullable String owner) {
      this.owner = owner;
      return this;
    }

    /** The task. */
    public Builder task(@Nullable String task) {
      this.task = task;
      return this;
    }

    /** The scope in canonical form. */
    public Builder scope(@Nullable String scope) {
      this.scope = scope;
      return this;
    }

    /** The expiry after the event. */
    public Builder expiresAt(@Nullable Instant expiresAt) {
      this.expiresAt = expiresAt;
      return this;
    }

    /** A revocation or denial reason code. */
    public Builder reason(@Nullable String reason) {
      this.reason = reason;
      return this;
    }

    /**
     * The action checked, as the caller gave it: stored shortened to 64 characters and with line
     * separators, control, format and bidirectional characters replaced by {@code ?}.
     */
    public Builder action(@Nullable String action) {
      this.action = action == null ? null : Validation.abbreviate(action);
      return this;
    }

    /** The resource checked, as the caller gave it: cleaned as {@link #action(String)}. */
    public Builder resource(@Nullable String resource) {
      this.resource = resource == null ? null : Validation.abbreviate(resource);
      return this;
    }

    /** Free text. */
    public Builder detail(@Nullable String detail) {
      this.detail = detail;
      return this;
    }

    /** The requester's justification. */
    public Builder justification(@Nullable String justification) {
      this.justification = justification;
      return this;
    }

    /** The ticket referred to. */
    public Builder ticket(@Nullable String ticket) {
      this.ticket = ticket;
      return this;
    }

    /** The risk tier. */
    public Builder tier(@Nullable String tier) {
      this.tier = tier;
      return this;
    }

    /** The access request concerned. */
    public Builder requestId(@Nullable String requestId) {
      this.requestId = requestId;
      return this;
    }

    /** Who acted, when not the subject: an approver, a reviewer, an owner. */
    public Builder actor(@Nullable String actor) {
      this.actor = actor;
      return this;
    }

    /** The event. */
    public AuditEvent build() {
      return new AuditEvent(this);
    }
  }
}
