package dev.jitaccess.governance;

import dev.jitaccess.Scope;
import dev.jitaccess.WorkloadIdentity;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a requester asks for: an access request, or break-glass. Required: requester, owner, task,
 * purpose, scope, lifetime, tier and justification; the subject defaults to the requester.
 * Built with {@link #builder()}; immutable.
 *
 * @param requester who asks
 * @param subject who the grant is for
 * @param identity the requester's verified workload identity, if one was verified
 * @param owner the accountable team or person
 * @param task the unit of work
 * @param purpose why, in short
 * @param scope what is asked for
 * @param lifetime how long the grant lives once activated
 * @param tier the risk tier's name
 * @param justification why, in the requester's words: required, at least {@value
 *     #MIN_JUSTIFICATION} characters
 * @param ticket a ticket or change reference, or null
 * @param startAt the earliest activation, or null for "when approved"
 */
public record RequestSpec(String requester, String subject, @Nullable WorkloadIdentity identity,
    String owner, String task, String purpose, Scope scope, Duration lifetime, String tier,
    String justification, @Nullable String ticket, @Nullable Instant startAt) {

  /** The shortest justification accepted. */
  public static final int MIN_JUSTIFICATION = 10;

  /** Checks every field, naming it and the rule. */
  public RequestSpec {
    Names.check(requester, "requester");
    Names.check(subject, "subject");
    Names.check(owner, "owner");
    Names.check(task, "task");
    Names.text(purpose, "purpose");
    Objects.requireNonNull(scope, "scope must not be null");
    Objects.requireNonNull(lifetime, "lifetime must not be null");
    if (lifetime.isNegative() || lifetime.isZero()) {
      throw new IllegalArgumentException("lifetime must be > 0, was " + lifetime);
    }
    Names.check(tier, "tier");
    justification = justification(justification);
    if (ticket != null) {
      Names.check(ticket, "ticket");
    }
  }

  /**
   * {@code text} if it is a justification: present, at least {@value #MIN_JUSTIFICATION}
   * characters that are not blank, at most 1,024, no control, line separator or format
   * characters.
   *
   * @throws GovernanceException {@link GovernanceException.Rule#JUSTIFICATION_REQUIRED} otherwise
   */
  static String justification(@Nullable String text) {
    if (text == null || text.strip().length() < MIN_JUSTIFICATION) {
      throw new GovernanceException(GovernanceException.Rule.JUSTIFICATION_REQUIRED,
          "justification must be at least " + MIN_JUSTIFICATION + " characters, was "
              + (text == null ? "missing" : text.strip().length()));
    }
    try {
      return Names.text(text, "justification");
    } catch (IllegalArgumentException malformed) {
      throw new GovernanceException(GovernanceException.Rule.JUSTIFICATION_REQUIRED,
          malformed.getMessage());
    }
  }

  /** The verified identity, if any. */
  public Optional<WorkloadIdentity> verifiedIdentity() {
    return Optional.ofNullable(identity);
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link RequestSpec}. Not thread-safe. */
  public static final class Builder {
    private @Nullable String requester;
    private @Nullable String subject;
    private @Nullable WorkloadIdentity identity;
    private @Nullable String owner;
    private @Nullable String task;
    private @Nullable String purpose;
    private @Nullable Scope scope;
    private @Nullable Duration lifetime;
    private @Nullable String tier;
    private @Nullable String justification;
    private @Nullable String ticket;
    private @Nullable Instant startAt;

    private Builder() {}

    /** Who asks. */
    public Builder requester(String requester) {
      this.requester = requester;
      return this;
    }

    /** Who the grant is for (default: the requester). */
    public Builder subject(String subject) {
      this.subject = subject;
      return this;
    }

    /** The requester's verified workload identity. */
    public Builder identity(WorkloadIdentity identity) {
      this.identity = identity;
      return this;
    }

    /** The accountable team or person. */
    public Builder owner(String owner) {
      this.owner = owner;
      return this;
    }

    /** The unit of work. */
    public Builder task(String task) {
      this.task = task;
      return this;
    }

    /** Why, in short. */
    public Builder purpose(String purpose) {
      this.purpose = purpose;
      return this;
    }

    /** What is asked for. */
    public Builder scope(String... permissions) {
      this.scope = Scope.parse(permissions);
      return this;
    }

    /** What is asked for. */
    public Builder scope(Scope scope) {
      this.scope = scope;
      return this;
    }

    /** How long the grant lives once activated. */
    public Builder lifetime(Duration lifetime) {
      this.lifetime = lifetime;
      return this;
    }

    /** The risk tier's name. */
    public Builder tier(String tier) {
      this.tier = tier;
      return this;
    }

    /** Why, in the requester's words. */
    public Builder justification(String justification) {
      this.justification = justification;
      return this;
    }

    /** A ticket or change reference. */
    public Builder ticket(String ticket) {
      this.ticket = ticket;
      return this;
    }

    /** The earliest activation. */
    public Builder startAt(Instant startAt) {
      this.startAt = startAt;
      return this;
    }

    /**
     * The spec.
     *
     * @throws NullPointerException naming the field, if a required one is missing
     * @throws IllegalArgumentException naming the field and the rule, if one is invalid
     * @throws GovernanceException if the justification is missing or malformed
     */
    public RequestSpec build() {
      String who = Objects.requireNonNull(requester, "requester must not be null");
      return new RequestSpec(who, subject == null ? who : subject, identity,
          Objects.requireNonNull(owner, "owner must not be null"),
          Objects.requireNonNull(task, "task must not be null"),
          Objects.requireNonNull(purpose, "purpose must not be null"),
          Objects.requireNonNull(scope, "scope must not be null"),
          Objects.requireNonNull(lifetime, "lifetime must not be null"),
          Objects.requireNonNull(tier, "tier must not be null"), justification, ticket, startAt);
    }
  }
}
