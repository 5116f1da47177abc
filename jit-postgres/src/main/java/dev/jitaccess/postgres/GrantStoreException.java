package dev.jitaccess.postgres;

/**
 * A PostgreSQL grant store could not do what it was asked: the database is unreachable, refused
 * a statement, or holds a row that is not a valid grant. The message names the operation and the
 * database's error (its SQLState and first line) and never a grant id; the cause, when there is
 * one, is the driver's exception with everything but that first line removed (a server error's
 * detail can quote a row, and so an id).
 *
 * <p>The runtime fails closed on it: checks deny with {@code BACKEND_FAILURE}, mutations throw.
 */
public class GrantStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message and no cause. */
  public GrantStoreException(String message) {
    super(message);
  }

  /** An exception with a message and a cause that reveals no grant id. */
  public GrantStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
