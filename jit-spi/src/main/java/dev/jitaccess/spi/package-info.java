/**
 * The contracts that backends implement: where grants are kept ({@link
 * dev.jitaccess.spi.GrantStore}), who may have what ({@link dev.jitaccess.spi.AccessPolicy}), where
 * the audit trail goes ({@link dev.jitaccess.spi.AuditSink}) and how expiry work is timed ({@link
 * dev.jitaccess.spi.Scheduler}). When the runtime's builder is given none, it looks for one with
 * {@link java.util.ServiceLoader} and otherwise uses its in-process default. {@link
 * dev.jitaccess.spi.IdentityVerifier} is called by the application before a request, to make the
 * grant's subject a workload identity that was proved rather than claimed.
 */
@NullMarked
package dev.jitaccess.spi;

import org.jspecify.annotations.NullMarked;
