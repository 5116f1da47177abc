package dev.jitaccess;

import dev.jitaccess.internal.Validation;
import java.util.Objects;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * What a grant holder asks for a sub-task: a narrower scope, a shorter ttl, for a sub-subject.
 * The owner is always the parent's; the task and purpose default to the parent's.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class DelegationRequest {
  private final String subject;
  private final Scope scope;
  private final Ttl ttl;
  private final @Nullable String task;
  private final @Nullable String purpose;
  private final OptionalLong useBudget;
  private final RequestContext context;

  private DelegationRequest(Builder b) {
    this.subject = Validation.name(b.subject, "subject");
    this.scope = Objects.requireNonNull(b.scope, "scope must not be null");
    this.ttl = Objects.requireNonNull(b.ttl, "ttl must not be null");
    this.task = b.task;
    this.purpose = b.purpose;
    this.useBudget = b.useBudget;
    this.context = b.context;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The sub-subject the child grant is for. */
  public String subject() {
    return subject;
  }

  /** The child's scope; must be within the parent's. */
  public Scope scope() {
    return scope;
  }

  /** The child's ttl; must end no later than the parent. */
  public Ttl ttl() {
    return ttl;
  }

  /** The child's task, or null for the parent's. */
  public @Nullable String task() {
    return task;
  }

  /** The child's purpose, or null for the parent's. */
  public @Nullable String purpose() {
    return purpose;
  }

  /** The child's use budget, if limited. */
  public OptionalLong useBudget() {
    return useBudget;
  }

  /** Who asks for the child, from where and why (default: empty); the policy sees it. */
  public RequestContext context() {
    return context;
  }

  /** Builds a {@link DelegationRequest}. Not thread-safe. */
  public static final class Builder {
    private @Nullable String subject;
    private @Nullable Scope scope;
    private @Nullable Ttl ttl;
    private @Nullable String task;
    private @Nullable String purpose;
    private OptionalLong useBudget = OptionalLong.empty();
    private RequestContext context = RequestContext.empty();

    /** Who asks for the child, from where and why. */
    public Builder context(RequestContext context) {
      this.context = java.util.Objects.requireNonNull(context, "context must not be null");
      return this;
    }

    private Builder() {}

    /** The sub-subject (required). */
    public Builder subject(String subject) {
      this.subject = Validation.name(subject, "subject");
      return this;
    }

    /** The narrower scope (required). */
    public Builder scope(Scope scope) {
      this.scope = Objects.requireNonNull(scope, "scope must not be null");
      return this;
    }

    /** The narrower scope, parsed with {@link Scope#parse(String...)}. */
    public Builder scope(String... permissions) {
      return scope(Scope.parse(permissions));
    }

    /** The shorter ttl (required). */
    public Builder ttl(Ttl ttl) {
      this.ttl = Objects.requireNonNull(ttl, "ttl must not be null");
      return this;
    }

    /** A task of its own for the child. */
    public Builder task(String task) {
      this.task = Validation.name(task, "task");
      return this;
    }

    /** A purpose of its own for the child. */
    public Builder purpose(String purpose) {
      this.purpose = Validation.text(purpose, "purpose");
      return this;
    }

    /**
     * A use budget for the child, moved out of the parent's if the parent has one.
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

    /**
     * The request.
     *
     * @throws NullPointerException naming the first required field not set
     */
    public DelegationRequest build() {
      return new DelegationRequest(this);
    }
  }
}
