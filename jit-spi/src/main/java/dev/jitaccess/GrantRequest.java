package dev.jitaccess;

import dev.jitaccess.internal.Validation;
import java.util.Objects;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * What a caller asks for: a scope for one subject and one task, for a ttl. Built with
 * {@link #builder()}; every field but the use budget is required.
 *
 * <pre>{@code
 * GrantRequest request = GrantRequest.builder()
 *     .subject("ci-job-4711").owner("team-payments").task("deploy-2026-11-23")
 *     .purpose("deploy the payments service")
 *     .scope(Scope.parse("write:deployments/payments"))
 *     .ttl(Ttl.of(Duration.ofMinutes(10)))
 *     .build();
 * }</pre>
 *
 * <p>Names (subject, owner, task) are compared when grants are revoked by them, so each has one
 * spelling: they are kept in Unicode NFC and may not begin or end with white space.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class GrantRequest {
  private final String subject;
  private final String owner;
  private final String task;
  private final String purpose;
  private final Scope scope;
  private final Ttl ttl;
  private final OptionalLong useBudget;
  private final RequestContext context;

  private GrantRequest(Builder b) {
    this.subject = Validation.name(b.subject, "subject");
    this.owner = Validation.name(b.owner, "owner");
    this.task = Validation.name(b.task, "task");
    this.purpose = Validation.text(b.purpose, "purpose");
    this.scope = Objects.requireNonNull(b.scope, "scope must not be null");
    this.ttl = Objects.requireNonNull(b.ttl, "ttl must not be null");
    this.useBudget = b.useBudget;
    this.context = b.context;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this request's values, to derive a changed copy. */
  public Builder toBuilder() {
    Builder b = new Builder()
        .subject(subject).owner(owner).task(task).purpose(purpose).scope(scope).ttl(ttl);
    b.useBudget = useBudget;
    b.context = context;
    return b;
  }

  /** The workload or person the grant is for. */
  public String subject() {
    return subject;
  }

  /** The accountable team or person. */
  public String owner() {
    return owner;
  }

  /** The task the grant belongs to. */
  public String task() {
    return task;
  }

  /** Why the grant is requested. */
  public String purpose() {
    return purpose;
  }

  /** The permissions asked for. */
  public Scope scope() {
    return scope;
  }

  /** The lifetime and cap asked for. */
  public Ttl ttl() {
    return ttl;
  }

  /** How many allowed checks the grant may serve, if limited. */
  public OptionalLong useBudget() {
    return useBudget;
  }

  /**
   * Who asks, from where and why: the verified identity, justification, ticket, risk tier, source
   * and typed attributes a policy decides on. Empty unless set.
   */
  public RequestContext context() {
    return context;
  }

  @Override
  public String toString() {
    return "GrantRequest[subject=" + subject + ", owner=" + owner + ", task=" + task + ", scope="
        + scope + ", ttl=" + ttl + (useBudget.isPresent() ? ", uses=" + useBudget.getAsLong() : "")
        + (context.isEmpty() ? "" : ", " + context) + "]";
  }

  /** Builds a {@link GrantRequest}. Not thread-safe; {@link #build()} may be called repeatedly. */
  public static final class Builder {
    private @Nullable String subject;
    private @Nullable String owner;
    private @Nullable String task;
    private @Nullable String purpose;
    private @Nullable Scope scope;
    private @Nullable Ttl ttl;
    private OptionalLong useBudget = OptionalLong.empty();
    private RequestContext context = RequestContext.empty();

    private Builder() {}

    /** The workload or person the grant is for (required). */
    public Builder subject(String subject) {
      this.subject = Validation.name(subject, "subject");
      return this;
    }

    /** The accountable team or person (required). */
    public Builder owner(String owner) {
      this.owner = Validation.name(owner, "owner");
      return this;
    }

    /** The task the grant belongs to (required). */
    public Builder task(String task) {
      this.task = Validation.name(task, "task");
      return this;
    }

    /** Why the grant is requested (required). */
    public Builder purpose(String purpose) {
      this.purpose = Validation.text(purpose, "purpose");
      return this;
    }

    /** The permissions asked for (required). */
    public Builder scope(Scope scope) {
      this.scope = Objects.requireNonNull(scope, "scope must not be null");
      return this;
    }

    /** The permissions asked for, parsed with {@link Scope#parse(String...)}. */
    public Builder scope(String... permissions) {
      return scope(Scope.parse(permissions));
    }

    /** The lifetime and cap asked for (required). */
    public Builder ttl(Ttl ttl) {
      this.ttl = Objects.requireNonNull(ttl, "ttl must not be null");
      return this;
    }

    /**
     * Limits the grant to {@code uses} allowed checks, after which it is EXHAUSTED.
     *
     * @throws IllegalArgumentException if uses is not {@code > 0}
     */
    public Builder useBudget(long uses) {
      if (uses <= 0) {
        throw new IllegalArgumentException("useBudget must be > 0, was " + uses);
      }
      this.useBudget = OptionalLong.of(uses);
      return this;
    }

    /** Who asks, from where and why (default: empty). */
    public Builder context(RequestContext context) {
      this.context = Objects.requireNonNull(context, "context must not be null");
      return this;
    }

    /**
     * The request.
     *
     * @throws NullPointerException naming the first required field not set
     */
    public GrantRequest build() {
      return new GrantRequest(this);
    }
  }
}
