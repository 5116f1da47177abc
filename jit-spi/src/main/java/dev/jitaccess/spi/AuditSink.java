package dev.jitaccess.spi;

import dev.jitaccess.AuditEvent;

/**
 * Receives the audit trail: one typed event per lifecycle step and per denial.
 *
 * <p>Called synchronously, in order per grant, after the change it reports is recorded. An
 * exception thrown here is logged and never undoes or blocks the change. Implementations must be
 * thread-safe and should be fast (hand off to a queue if the destination is slow).
 */
@FunctionalInterface
public interface AuditSink {
  /** Records one event. */
  void record(AuditEvent event);
}
