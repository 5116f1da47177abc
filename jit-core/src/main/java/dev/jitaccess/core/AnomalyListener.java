package dev.jitaccess.core;

/**
 * Told of every anomaly a detector found, so that the application can tell the grant's owner
 * ({@link AnomalyReport#owner()}) by whatever means it has; registered with {@link
 * JitAccessBuilder#anomalyListener}.
 *
 * <p>Called after the anomaly is audited and after the grant's revocation (if it was ACTIVE) has
 * been recorded and reported to the {@link dev.jitaccess.RevocationListener}s; on the checking
 * thread unless registered with an executor. A listener that throws (an {@code Error} too) is
 * logged and changes nothing: the check, the audit and the revocation stand. Implementations
 * must be thread-safe.
 */
@FunctionalInterface
public interface AnomalyListener {
  /** One anomaly found. */
  void onAnomaly(AnomalyReport report);
}
