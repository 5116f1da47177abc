/**
 * The runtime applications call: {@link dev.jitaccess.core.JitAccess}, built with {@link
 * dev.jitaccess.core.JitAccess#builder()}, and its in-process defaults ({@link
 * dev.jitaccess.core.InMemoryGrantStore}, {@link dev.jitaccess.core.Slf4jAuditSink}).
 */
@NullMarked
package dev.jitaccess.core;

import org.jspecify.annotations.NullMarked;
