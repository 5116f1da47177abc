package dev.jitaccess.core;

import org.jspecify.annotations.Nullable;

/**
 * Watches checks for signs that a grant is misused; registered with {@link
 * JitAccessBuilder#anomalyDetector}. {@link AnomalyDetectors} has the built-in ones.
 *
 * <p>When {@link #inspect} returns evidence, the runtime acts on the checking thread, before the
 * check returns: it records an {@link dev.jitaccess.AuditEventType#ANOMALY ANOMALY} audit event
 * naming this detector and the evidence, revokes the grant with {@link
 * dev.jitaccess.RevocationReason#ANOMALY} if it is still ACTIVE (its delegations end with it, as
 * with any revocation), and tells every {@link AnomalyListener}. A check that was about to allow
 * denies instead ({@link dev.jitaccess.DenyReason#ANOMALY}).
 *
 * <p>Which checks it sees: every denial of a known grant (an unknown id names no grant to act on);
 * allowed checks only if {@link #watchesAllowedChecks()} says so, since those are the hot path.
 *
 * <p>Failures fail closed: a detector that throws (an {@code Error} too) on an allowed check turns
 * it into a denial ({@link dev.jitaccess.DenyReason#BACKEND_FAILURE}, the detail naming the
 * detector); on a denial, the check stays denied. Neither revokes the grant: a detector that
 * cannot judge has found nothing, and a failing detector must not become a way to revoke every
 * grant. The failure is logged at ERROR with the grant's reference, its messages with any grant id
 * replaced by its reference.
 *
 * <p>Implementations must be thread-safe: checks call them concurrently. They should be quick and
 * must not block: they run on the checking thread.
 */
public interface AnomalyDetector {

  /**
   * The name audit events and reports give this detector: 1 to 64 characters, a lower-case letter
   * then lower-case letters, digits and {@code -}. Read once, when the detector is registered; two
   * detectors of one runtime may not share a name.
   */
  String name();

  /**
   * Whether {@link #inspect} is also called for allowed checks. Default false: denials only, and
   * an allowed check pays nothing for this detector.
   */
  default boolean watchesAllowedChecks() {
    return false;
  }

  /**
   * Judges one check.
   *
   * @return the evidence, in words, if the check shows misuse, else null. It is recorded in the
   *     audit trail and given to the listeners: write what was seen (counts, times, names), never a
   *     grant id (a grant id it holds anyway is replaced by the grant's reference)
   */
  @Nullable String inspect(ObservedCheck check);
}
