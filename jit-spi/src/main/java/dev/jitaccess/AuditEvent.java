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
  private final @Nullable String scope;
  private final @Nullable Instant expiresAt;
  private final @Nullable String reason;
  private final @Nullable String action;
  private final @Nullable String resource;
  private final @Nullable String detail;
  private final @Nullable String justification;
  private final @Nullable String ticket;
  private final @Nullable String tier;
  /** Computed on first use: most sinks on the hot path never ask. */
  private @Nullable String grantRef;

  private AuditEvent(Builder b) {
    this.type = b.type;
    this.at = b.at;
    this.grantId = b.grantId;
    this.parentId = b.parentId;
    this.subject = b.subject;
    this.owner = b.owner;
    this.task = b.task;
    this.scope = b.scope;
    this.expiresAt = b.expiresAt;
    this.reason = b.reason;
    this.action = b.action;
    this.resource = b.resource;
    this.detail = b.detail;
    this.justification = b.justification;
    this.ticket = b.ticket;
    this.tier = b.tier;
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
    return grantId != null && grantId.equals(this.grantId);
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
    return scope;
  }

  /**
   * The grant's expiry after the event (ISSUED, DELEGATED, RENEWED, and the DENIED of a refused
   * renewal).
   */
  public @Nullable Instant expiresAt() {
    return expiresAt;
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
    return justification;
  }

  /** The ticket the request referred to, if any. */
  public @Nullable String ticket() {
    return ticket;
  }

  /** The risk tier the request named, if any. */
  public @Nullable String tier() {
    return tier;
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
        && Objects.equals(parentId, e.parentId) && Objects.equals(subject, e.subject)
        && Objects.equals(owner, e.owner) && Objects.equals(task, e.task)
        && Objects.equals(scope, e.scope) && Objects.equals(expiresAt, e.expiresAt)
        && Objects.equals(reason, e.reason) && Objects.equals(action, e.action)
        && Objects.equals(resource, e.resource) && Objects.equals(detail, e.detail)
        && Objects.equals(justification, e.justification) && Objects.equals(ticket, e.ticket)
        && Objects.equals(tier, e.tier);
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
    append(b, "scope", scope);
    append(b, "expiresAt", expiresAt);
    append(b, "reason", reason);
    append(b, "action", action);
    append(b, "resource", resource);
    append(b, "justification", justification);
    append(b, "ticket", ticket);
    append(b, "tier", tier);
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
      this.justification = context.justification().orElse(null);
      this.ticket = context.ticket().orElse(null);
      this.tier = context.tier().orElse(null);
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

    /** The event. */
    public AuditEvent build() {
      return new AuditEvent(this);
    }
  }
}
