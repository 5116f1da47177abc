package dev.jitaccess.spring.boot;

import dev.jitaccess.spi.AuditSink;
import org.jspecify.annotations.Nullable;

/**
 * The one audit sink that the runtime, governance, teardown and the web enforcer are given: the
 * application's {@link AuditSink} beans as one, and with metrics the counting sink in front of
 * them, so that each audit event is recorded once and counted once. Immutable.
 *
 * @param sink the sink, or null for the library's default (no {@code AuditSink} bean, no metrics)
 */
record JitAuditTrail(@Nullable AuditSink sink) {
}
