package dev.jitaccess.governance;

import dev.jitaccess.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Rebuilds an {@link AccessRequest} from stored fields. Defaults: PENDING, no approvals,
 * rejections, ticket, start, activation window, grant, review or close; not break-glass; version
 * 0. {@link #build()} checks every field. Not thread-safe.
 */
public final class AccessRequestBuilder {
  private @Nullable String id;
  private @Nullable String requester;
  private @Nullable String issuer;
  private @Nullable String subject;
  private @Nullable String owner;
  private @Nullable String task;
  private @Nullable String purpose;
  private @Nullable Scope scope;
  private @Nullable Duration lifetime;
  private @Nullable String tier;
  private @Nullable String rule;
  private @Nullable String justification;
  private @Nullable String ticket;
  private @Nullable Instant startAt;
  private @Nullable Instant createdAt;
  private @Nullable Instant expiresAt;
  private RequestState state = RequestState.PENDING;
  private List<Approval> approvals = new ArrayList<>();
  private List<Rejection> rejections = new ArrayList<>();
  private @Nullable Instant activateBy;
  private @Nullable String grantId;
  private boolean breakGlass;
  private @Nullable Instant reviewDue;
  private @Nullable Review review;
  private @Nullable Instant closedAt;
  private long version;

  AccessRequestBuilder() {}

  static AccessRequestBuilder from(AccessRequest r) {
    AccessRequestBuilder b = new AccessRequestBuilder().id(r.id()).requester(r.requester())
        .issuer(r.issuer()).subject(r.subject()).owner(r.owner()).task(r.task()).purpose(r.purpose())
        .scope(r.scope()).lifetime(r.lifetime()).tier(r.tier()).rule(r.rule())
        .justification(r.justification()).ticket(r.ticket()).startAt(r.startAt())
        .createdAt(r.createdAt()).expiresAt(r.expiresAt()).state(r.state())
        .activateBy(r.activateBy()).grantId(r.grantId()).breakGlass(r.breakGlass())
        .reviewDue(r.reviewDue()).review(r.review()).closedAt(r.closedAt()).version(r.version());
    b.approvals = new ArrayList<>(r.approvals());
    b.rejections = new ArrayList<>(r.rejections());
    return b;
  }

  /** The request's id. */
  public AccessRequestBuilder id(String id) {
    this.id = id;
    return this;
  }

  /** Who asked. */
  public AccessRequestBuilder requester(String requester) {
    this.requester = requester;
    return this;
  }

  /** The issuer of the requester's verified workload identity, or null. */
  public AccessRequestBuilder issuer(@Nullable String issuer) {
    this.issuer = issuer;
    return this;
  }

  /** Who the grant is for. */
  public AccessRequestBuilder subject(String subject) {
    this.subject = subject;
    return this;
  }

  /** The accountable team or person. */
  public AccessRequestBuilder owner(String owner) {
    this.owner = owner;
    return this;
  }

  /** The unit of work. */
  public AccessRequestBuilder task(String task) {
    this.task = task;
    return this;
  }

  /** Why, in short. */
  public AccessRequestBuilder purpose(String purpose) {
    this.purpose = purpose;
    return this;
  }

  /** What is asked for. */
  public AccessRequestBuilder scope(Scope scope) {
    this.scope = scope;
    return this;
  }

  /** How long the grant lives once activated. */
  public AccessRequestBuilder lifetime(Duration lifetime) {
    this.lifetime = lifetime;
    return this;
  }

  /** The risk tier's name. */
  public AccessRequestBuilder tier(String tier) {
    this.tier = tier;
    return this;
  }

  /** The eligibility rule's name. */
  public AccessRequestBuilder rule(String rule) {
    this.rule = rule;
    return this;
  }

  /** Why, in the requester's words. */
  public AccessRequestBuilder justification(String justification) {
    this.justification = justification;
    return this;
  }

  /** A ticket or change reference, or null. */
  public AccessRequestBuilder ticket(@Nullable String ticket) {
    this.ticket = ticket;
    return this;
  }

  /** The earliest activation, or null. */
  public AccessRequestBuilder startAt(@Nullable Instant startAt) {
    this.startAt = startAt;
    return this;
  }

  /** When it was made. */
  public AccessRequestBuilder createdAt(Instant createdAt) {
    this.createdAt = createdAt;
    return this;
  }

  /** When it expires if still PENDING. */
  public AccessRequestBuilder expiresAt(Instant expiresAt) {
    this.expiresAt = expiresAt;
    return this;
  }

  /** Its state. */
  public AccessRequestBuilder state(RequestState state) {
    this.state = state;
    return this;
  }

  /** Its approvals, in order. */
  public AccessRequestBuilder approvals(List<Approval> approvals) {
    this.approvals = new ArrayList<>(approvals);
    return this;
  }

  /** Its rejections, in order. */
  public AccessRequestBuilder rejections(List<Rejection> rejections) {
    this.rejections = new ArrayList<>(rejections);
    return this;
  }

  AccessRequestBuilder approval(Approval approval) {
    approvals.add(Objects.requireNonNull(approval));
    return this;
  }

  AccessRequestBuilder rejection(Rejection rejection) {
    rejections.add(Objects.requireNonNull(rejection));
    return this;
  }

  /** When an APPROVED request expires if not activated. */
  public AccessRequestBuilder activateBy(@Nullable Instant activateBy) {
    this.activateBy = activateBy;
    return this;
  }

  /** The grant minted for it. */
  public AccessRequestBuilder grantId(@Nullable String grantId) {
    this.grantId = grantId;
    return this;
  }

  /** Whether it is break-glass. */
  public AccessRequestBuilder breakGlass(boolean breakGlass) {
    this.breakGlass = breakGlass;
    return this;
  }

  /** When its review is due. */
  public AccessRequestBuilder reviewDue(@Nullable Instant reviewDue) {
    this.reviewDue = reviewDue;
    return this;
  }

  /** Its review. */
  public AccessRequestBuilder review(@Nullable Review review) {
    this.review = review;
    return this;
  }

  /** When it reached its final state. */
  public AccessRequestBuilder closedAt(@Nullable Instant closedAt) {
    this.closedAt = closedAt;
    return this;
  }

  /** The number of changes it is the result of. */
  public AccessRequestBuilder version(long version) {
    this.version = version;
    return this;
  }

  /**
   * The snapshot.
   *
   * @throws NullPointerException naming the field, if a required one is missing
   * @throws IllegalArgumentException naming the field and the rule, if one is invalid
   */
  public AccessRequest build() {
    return new AccessRequest(req(id, "id"), req(requester, "requester"), issuer,
        req(subject, "subject"),
        req(owner, "owner"), req(task, "task"), req(purpose, "purpose"), req(scope, "scope"),
        req(lifetime, "lifetime"), req(tier, "tier"), req(rule, "rule"),
        req(justification, "justification"), ticket, startAt, req(createdAt, "createdAt"),
        req(expiresAt, "expiresAt"), state, approvals, rejections, activateBy, grantId,
        breakGlass, reviewDue, review, closedAt, version);
  }

  private static <T> T req(@Nullable T value, String field) {
    return Objects.requireNonNull(value, () -> field + " must not be null");
  }
}
