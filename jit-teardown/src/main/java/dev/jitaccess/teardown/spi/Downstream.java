package dev.jitaccess.teardown.spi;

import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.teardown.Probe;
import dev.jitaccess.teardown.TeardownResult;
import java.util.Optional;

/**
 * A system that a grant's access reaches (a database role, a cloud IAM binding, a SaaS seat, a
 * token receiver) and that must let go when the grant ends. Calls come from threads of the
 * teardown's own for this downstream, never from the thread that revoked, one grant at a time per
 * downstream (or as many as its {@code DownstreamOptions.concurrency}); a call that does not
 * answer within the downstream's timeout is cut (its thread interrupted) and retried, so a call
 * cut earlier may still be running when the next starts. An exception thrown here is a retry,
 * with the exception's class (never its message) as the cause. A call may be repeated for one
 * grant (a retry, a replica taking over after a lease): revoke must be idempotent.
 *
 * <p>Implementations must be thread-safe.
 */
public interface Downstream {
  /** The downstream's name: unique per teardown, shown in the ledger and the audit trail. */
  String name();

  /**
   * Removes {@code grant}'s access here. Answer {@link TeardownResult#done(String)} with the
   * grant's reference once the access is gone (idempotent: gone already is done), {@link
   * TeardownResult#retry(String)} if it may work later, {@link
   * TeardownResult#unrecoverable(String)} if it never will. A null answer, or an acknowledgement
   * naming another grant, is a retry.
   */
  TeardownResult revoke(Grant grant, RevocationReason reason);

  /**
   * Probes whether {@code grant}'s access is really gone here: {@link Probe#DENIED}, {@link
   * Probe#STILL_LIVE} or {@link Probe#UNKNOWN} (the default: this downstream cannot tell).
   */
  default Probe verify(Grant grant) {
    return Probe.UNKNOWN;
  }

  /**
   * The entitlement {@code grant} gives here (for example a role name), if grants of one subject
   * share it: the teardown then removes it only when the last live grant of the subject with the
   * same entitlement ends. Empty (the default): each grant's access is its own. Called for the
   * ending grant and for the subject's other live grants, on the teardown's threads and without a
   * timeout: it must be a quick function of the grant (its scope, its task), not a remote call.
   * If it throws or answers null, the grant's access counts as its own.
   */
  default Optional<String> entitlement(Grant grant) {
    return Optional.empty();
  }
}
