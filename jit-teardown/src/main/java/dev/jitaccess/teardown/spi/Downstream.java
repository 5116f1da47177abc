package dev.jitaccess.teardown.spi;

import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.teardown.Probe;
import dev.jitaccess.teardown.TeardownResult;
import java.util.Optional;

/**
 * A system that a grant's access reaches (a database role, a cloud IAM binding, a SaaS seat, a
 * token receiver) and that must let go when the grant ends. Calls come from the teardown's
 * executor for this downstream, never from the thread that revoked, one grant at a time per
 * downstream; a call that does not answer within the downstream's timeout is a retry. An
 * exception thrown here is a retry, with the exception's class as the cause.
 */
public interface Downstream {
  /** The downstream's name: unique per teardown, shown in the ledger and the audit trail. */
  String name();

  /**
   * Removes {@code grant}'s access here. Answer {@link TeardownResult#done(String)} with the
   * grant's reference once the access is gone (idempotent: gone already is done), {@link
   * TeardownResult#retry(String)} if it may work later, {@link TeardownResult#unrecoverable(String)}
   * if it never will.
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
   * same entitlement ends. Empty (the default): each grant's access is its own.
   */
  default Optional<String> entitlement(Grant grant) {
    return Optional.empty();
  }
}
