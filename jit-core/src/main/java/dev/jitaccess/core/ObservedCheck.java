package dev.jitaccess.core;

import dev.jitaccess.CheckContext;
import dev.jitaccess.Decision;
import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.internal.Validation;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One check, as an {@link AnomalyDetector} sees it: the grant it concerned, what was asked, by
 * whom if the caller said ({@link #context()}), how the runtime decided, and when by the runtime's
 * clock.
 *
 * <p>Made by the runtime for the duration of one {@link AnomalyDetector#inspect} call. Immutable
 * and thread-safe.
 */
public final class ObservedCheck {
  private final Grant grant;
  private final @Nullable String action;
  private final @Nullable String resource;
  private final @Nullable CheckContext context;
  private final Decision decision;
  private final Instant at;
  private final Barriers barriers;

  ObservedCheck(Grant grant, @Nullable String action, @Nullable String resource,
      @Nullable CheckContext context, Decision decision, Instant at, Barriers barriers) {
    this.grant = grant;
    this.action = action;
    this.resource = resource;
    this.context = context;
    this.decision = decision;
    this.at = at;
    this.barriers = barriers;
  }

  /**
   * The grant checked: for an allowed check the snapshot it was allowed on, for a denial the
   * snapshot read after the decision (so a grant that has ended shows how and when).
   */
  public Grant grant() {
    return grant;
  }

  /** The action asked for, as the caller gave it: unchecked, possibly malformed or null. */
  public @Nullable String action() {
    return action;
  }

  /** The resource asked for, as the caller gave it: unchecked, possibly malformed or null. */
  public @Nullable String resource() {
    return resource;
  }

  /**
   * What the caller told of itself ({@link JitAccess#check(String, String, String,
   * CheckContext)}), or null for a check without a context.
   */
  public @Nullable CheckContext context() {
    return context;
  }

  /** How the runtime decided, before any detector: {@link Decision#allow()} or a denial. */
  public Decision decision() {
    return decision;
  }

  /** When, by the runtime's clock. */
  public Instant at() {
    return at;
  }

  /**
   * Whether the grant's task has ended: this runtime ended it ({@link JitAccess#revokeTask}, or
   * the end of {@code run}, {@code call} or {@code open}) within its {@linkplain
   * JitAccessBuilder#endedTaskRetention retention}, or the grant was ended with {@code
   * TASK_COMPLETED} or {@code TASK_FAILED} (by any runtime). Asked on demand: one lookup.
   */
  public boolean taskEnded() {
    RevocationReason reason = grant.endReason();
    return RevocationReason.TASK_COMPLETED.equals(reason)
        || RevocationReason.TASK_FAILED.equals(reason) || barriers.isEnded(grant.task());
  }

  /** The check, the grant by its reference; never the grant's id. */
  @Override
  public String toString() {
    return "ObservedCheck[grant=" + grant.reference() + ", action="
        + (action == null ? null : Validation.abbreviate(action))
        + ", resource="
        + (resource == null ? null : Validation.abbreviate(resource))
        + (context == null ? "" : ", " + context) + ", decision=" + decision + ", at=" + at + "]";
  }
}
