package dev.jitaccess.spi;

/**
 * A {@link GrantStore} that several runtimes share (the replicas of one application on one
 * database), and that tells each of them of the changes the others make.
 *
 * <p>A runtime built on such a store {@link #follow follows} it for as long as it is open: it arms
 * an expiry timer for every ACTIVE grant another runtime inserts or renews, so a grant is ended at
 * its expiry even when the runtime that minted it is gone (the store's compare-and-set decides
 * which runtime ends it); and it tells its own {@link dev.jitaccess.RevocationListener}s of every
 * grant another runtime ended. A runtime reports the transitions it makes itself, so with a store
 * that keeps this contract every runtime's listeners hear of every end exactly once. The audit
 * event of a transition is recorded once, by the runtime that made it.
 *
 * <p>Contract, beside {@link GrantStore}'s:
 *
 * <ul>
 *   <li>Every insert and every successful {@link #compareAndSet} made through another instance of
 *       the store is delivered to each follower once, in the order the store committed them (per
 *       grant, by version), as the grant was after that change; changes made through this
 *       instance are not delivered to its own followers.
 *   <li>No change is lost: a follower that was disconnected catches up from the last change it
 *       delivered.
 *   <li>A store that cannot prove its view of the others' changes is fresh within its bound fails
 *       closed: its reads throw {@link StaleViewException}, which checks turn into a {@code
 *       STALE_VIEW} denial.
 * </ul>
 */
public interface SharedGrantStore extends GrantStore {
  /**
   * Starts delivering the changes other instances make to {@code listener}, on a thread of the
   * store's, until the returned handle is closed.
   *
   * @throws IllegalStateException if the store cannot follow (for example, it is closed)
   */
  AutoCloseable follow(GrantChangeListener listener);
}
