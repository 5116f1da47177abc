package dev.jitaccess.postgres;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantReference;
import dev.jitaccess.GrantState;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One row of the change log: a grant was inserted (version 0, or whatever version it was
 * inserted with) or changed by a compare-and-set to {@code version} and {@code state}.
 *
 * <p>{@code grant} is the grant as the store holds it when the change is read, not as it was
 * after this change: it may have a later version (a later change follows in the log), and it is
 * null once the grant is past its retention or deleted. The {@code grantId} is a secret, like
 * every grant id: {@link #toString()} shows its reference instead.
 *
 * @param revision the change's number, allocated when it was written (so not in commit order)
 * @param transactionId the {@code xid8} of the transaction that wrote it
 * @param grantId the id of the grant
 * @param version the grant's version after the change
 * @param state the grant's state after the change
 * @param changedAt when it was written, on the database's clock (microseconds)
 * @param origin the {@link PostgresGrantStore#origin() origin} of the store instance that wrote
 *     it, or null for a change written before schema version 2
 * @param grant the grant as stored now, or null if it is gone
 */
public record GrantChange(long revision, long transactionId, String grantId, long version,
    GrantState state, Instant changedAt, @Nullable String origin, @Nullable Grant grant) {
  /** A change; no component may be null but {@code origin} and {@code grant}. */
  public GrantChange {
    Objects.requireNonNull(grantId, "grantId must not be null");
    Objects.requireNonNull(state, "state must not be null");
    Objects.requireNonNull(changedAt, "changedAt must not be null");
  }

  /** The position of this change, for {@link GrantChangeLog#committedChangesAfter}. */
  public ChangePosition position() {
    return new ChangePosition(transactionId, revision);
  }

  /** A summary that shows the grant's reference, never its id. */
  @Override
  public String toString() {
    return "GrantChange[revision=" + revision + ", transactionId=" + transactionId + ", grant="
        + GrantReference.of(grantId) + ", version=" + version + ", state=" + state
        + ", changedAt=" + changedAt + (grant == null ? ", gone" : "") + "]";
  }
}
