package dev.jitaccess.spi;

/**
 * Thrown by a {@link SharedGrantStore} that cannot prove its view of the other runtimes' changes
 * is fresh: its follower is disconnected, or the newest change it has applied is older than its
 * bound. Checks deny with {@code STALE_VIEW} until it has caught up; mutations throw it.
 */
public class StaleViewException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** With a message saying how stale the view is, or why it cannot be known. */
  public StaleViewException(String message) {
    super(message);
  }
}
