package dev.jitaccess.postgres;

/**
 * {@link PostgresGovernanceStore}, {@link PostgresBundleStore}, {@link
 * PostgresRecertificationStore}, {@link PostgresTeardownLedger} or {@link
 * PostgresGovernanceSchema} could not do what it was asked: the database is unreachable, refused a
 * statement, or holds a row that is not a valid access request, bundle, recertification decision
 * or teardown entry. The message names the operation and the
 * database's error (its SQLState and first line) and never a grant id; the cause, when there is
 * one, is the driver's exception with everything but that first line removed (a server error's
 * detail can quote a row, and a request's or a bundle's grant row holds the id of its grant).
 *
 * <p>Governance fails closed on it: the request, approval, activation, review, member change or
 * recertification that met it is refused, and nothing of it is half-written; a teardown step that
 * met it leaves its entry as it was, to be worked again once its lease has passed.
 */
public class GovernanceStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message and no cause. */
  public GovernanceStoreException(String message) {
    super(message);
  }

  /** An exception with a message and a cause that reveals no grant id. */
  public GovernanceStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
