package dev.jitaccess;

import dev.jitaccess.internal.Validation;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Rebuilds a {@link Grant} from stored fields: what a store uses to turn a row back into a
 * snapshot. Made by {@link Grant#builder()} or {@link Grant#toBuilder()}.
 *
 * <p>Required: id, subject, owner, task, purpose, scope, issuedAt, expiresAt, notAfter. Defaults:
 * no parent, no use budget, 0 uses consumed, version 0, ACTIVE, no tier, no request, no source.
 * {@link #build()} validates every field and invariant, naming the field and the rule. Not
 * thread-safe; {@code build()} may be called again.
 */
public final class GrantBuilder {
  private @Nullable String id;
  private @Nullable String subject;
  private @Nullable String owner;
  private @Nullable String task;
  private @Nullable String purpose;
  private @Nullable Scope scope;
  private @Nullable Instant issuedAt;
  private @Nullable Instant expiresAt;
  private @Nullable Instant notAfter;
  private @Nullable String parentId;
  private OptionalLong useBudget = OptionalLong.empty();
  private long usesConsumed;
  private long version;
  private GrantState state = GrantState.ACTIVE;
  private @Nullable RevocationReason endReason;
  private @Nullable Instant endedAt;
  private @Nullable String tier;
  private @Nullable String requestId;
  private @Nullable String source;

  GrantBuilder() {}

  /** A builder holding every field of {@code grant}. */
  static GrantBuilder from(Grant grant) {
    return new GrantBuilder().id(grant.id()).subject(grant.subject()).owner(grant.owner())
        .task(grant.task()).purpose(grant.purpose()).scope(grant.scope())
        .issuedAt(grant.issuedAt()).expiresAt(grant.expiresAt()).notAfter(grant.notAfter())
        .parentId(grant.parentId()).useBudget(grant.useBudget())
        .usesConsumed(grant.usesConsumed()).version(grant.version())
        .state(grant.state(), grant.endReason(), grant.endedAt()).tier(grant.tier())
        .requestId(grant.requestId()).source(grant.source());
  }

  /** The id: at least 128 random bits, URL-safe base64. */
  public GrantBuilder id(String id) {
    this.id = id;
    return this;
  }

  /** The workload or person the grant is for. */
  public GrantBuilder subject(String subject) {
    this.subject = subject;
    return this;
  }

  /** The accountable team or person. */
  public GrantBuilder owner(String owner) {
    this.owner = owner;
    return this;
  }

  /** The unit of work. */
  public GrantBuilder task(String task) {
    this.task = task;
    return this;
  }

  /** Why it was requested. */
  public GrantBuilder purpose(String purpose) {
    this.purpose = purpose;
    return this;
  }

  /** What it permits. */
  public GrantBuilder scope(Scope scope) {
    this.scope = scope;
    return this;
  }

  /** When it was minted, the start of its validity. */
  public GrantBuilder issuedAt(Instant issuedAt) {
    this.issuedAt = issuedAt;
    return this;
  }

  /** The end of its validity (exclusive); after issuedAt. */
  public GrantBuilder expiresAt(Instant expiresAt) {
    this.expiresAt = expiresAt;
    return this;
  }

  /** The hard cap renewals never pass; at or after expiresAt. */
  public GrantBuilder notAfter(Instant notAfter) {
    this.notAfter = notAfter;
    return this;
  }

  /** The grant it was delegated from, or null. */
  public GrantBuilder parentId(@Nullable String parentId) {
    this.parentId = parentId;
    return this;
  }

  /** How many allowed checks it may serve, if limited. */
  public GrantBuilder useBudget(OptionalLong useBudget) {
    this.useBudget = useBudget;
    return this;
  }

  /** How many of the budget are spent (allowed checks, and uses moved to children). */
  public GrantBuilder usesConsumed(long usesConsumed) {
    this.usesConsumed = usesConsumed;
    return this;
  }

  /** The number of transitions it is the result of. */
  public GrantBuilder version(long version) {
    this.version = version;
    return this;
  }

  /** The risk tier it was minted in, or null; checked as a name. */
  public GrantBuilder tier(@Nullable String tier) {
    this.tier = tier;
    return this;
  }

  /** The id of the access request it was minted for, or null; checked as a name. */
  public GrantBuilder requestId(@Nullable String requestId) {
    this.requestId = requestId;
    return this;
  }

  /** The source its request came from, or null; checked as a name. See {@link Grant#source()}. */
  public GrantBuilder source(@Nullable String source) {
    this.source = source;
    return this;
  }

  /** Its state, with why and when it left ACTIVE (both null for ACTIVE). */
  public GrantBuilder state(GrantState state, @Nullable RevocationReason endReason,
      @Nullable Instant endedAt) {
    this.state = state;
    this.endReason = endReason;
    this.endedAt = endedAt;
    return this;
  }

  /**
   * The snapshot. Names are kept in NFC.
   *
   * @throws NullPointerException naming the field, if a required field is missing
   * @throws IllegalArgumentException naming the field and the rule, if an invariant fails
   */
  public Grant build() {
    String id = this.id;
    Instant issuedAt = this.issuedAt;
    Instant expiresAt = this.expiresAt;
    Instant notAfter = this.notAfter;
    Scope scope = this.scope;
    OptionalLong useBudget = this.useBudget;
    GrantState state = this.state;
    Validation.id(id, "id");
    String subject = Validation.name(this.subject, "subject");
    String owner = Validation.name(this.owner, "owner");
    String task = Validation.name(this.task, "task");
    String purpose = Validation.text(this.purpose, "purpose");
    Objects.requireNonNull(scope, "scope must not be null");
    Objects.requireNonNull(useBudget, "useBudget must not be null");
    Objects.requireNonNull(state, "state must not be null");
    checkLineageAndTimes(id, parentId, issuedAt, expiresAt, notAfter);
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
    if (version < 0) {
      throw new IllegalArgumentException("version must be >= 0, was " + version);
    }
    if (state == GrantState.ACTIVE) {
      if (endReason != null || endedAt != null) {
        throw new IllegalArgumentException("endReason and endedAt must be null while ACTIVE");
      }
    } else if (endReason == null || endedAt == null) {
      throw new IllegalArgumentException(
          "endReason and endedAt must be set once the state is " + state);
    }
    return new Grant(id, subject, owner, task, purpose, scope, Objects.requireNonNull(issuedAt),
        Objects.requireNonNull(expiresAt), Objects.requireNonNull(notAfter), parentId, useBudget,
        usesConsumed, version, state, endReason, endedAt,
        tier == null ? null : Validation.name(tier, "tier"),
        requestId == null ? null : Validation.name(requestId, "requestId"),
        source == null ? null : Validation.name(source, "source"));
  }

  static String sameName(String name, UnaryOperator<String> names, String field) {
    String canonical = names.apply(name);
    if (canonical != name && !name.equals(canonical)) {
      throw new IllegalArgumentException(
          "names must return a string equal to the " + field + " it is given");
    }
    return canonical;
  }

  /** The parent differs from the grant; issuedAt < expiresAt <= notAfter. */
  static void checkLineageAndTimes(String id, @Nullable String parentId,
      @Nullable Instant issuedAt, @Nullable Instant expiresAt, @Nullable Instant notAfter) {
    Objects.requireNonNull(issuedAt, "issuedAt must not be null");
    Objects.requireNonNull(expiresAt, "expiresAt must not be null");
    Objects.requireNonNull(notAfter, "notAfter must not be null");
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
  }
}
