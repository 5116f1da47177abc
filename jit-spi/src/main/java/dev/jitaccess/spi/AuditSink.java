package dev.jitaccess.spi;

import dev.jitaccess.AuditEvent;

/**
 * Receives the audit trail: one typed event per lifecycle step and per denial.
 *
 * <p>Called synchronously, in order per grant, after the change it reports is recorded. Whatever
 * it throws, an {@code Error} included, is logged and never undoes or blocks the change, nor keeps
 * a listener from hearing of it. Implementations must be thread-safe and should be fast (hand off
 * to a queue if the destination is slow).
 */
@FunctionalInterface
public interface AuditSink {
  /** Records one event. */
  void record(AuditEvent event);
}
