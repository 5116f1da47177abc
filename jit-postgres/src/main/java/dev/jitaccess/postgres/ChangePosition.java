package dev.jitaccess.postgres;

/**
 * How far a follower has read the change log in {@link GrantChangeLog#committedChangesAfter}'s
 * order, {@code (transactionId, revision)}: every change at or before this position has been
 * read. Keep the {@link GrantChange#position()} of the last change applied, or {@link
 * GrantChangeLog#horizon()} before loading a full copy of the grants.
 *
 * @param transactionId the {@code xid8} of the last change's transaction, {@code >= 0}
 * @param revision the last change's revision, {@code >= 0}
 */
public record ChangePosition(long transactionId, long revision) {
  /** Before every change: a follower that starts here reads the whole log. */
  public static final ChangePosition START = new ChangePosition(0, 0);

  /**
   * A position.
   *
   * @throws IllegalArgumentException naming the field, if either is negative
   */
  public ChangePosition {
    if (transactionId < 0) {
      throw new IllegalArgumentException("transactionId must be >= 0, was " + transactionId);
    }
    if (revision < 0) {
      throw new IllegalArgumentException("revision must be >= 0, was " + revision);
    }
  }
}
