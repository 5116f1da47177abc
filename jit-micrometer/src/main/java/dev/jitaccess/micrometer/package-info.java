/**
 * Micrometer meters for JIT Access: {@link dev.jitaccess.micrometer.JitMetrics} is the one entry
 * point. Meter names start with {@code jit.}; tags are bounded and never name a grant, subject,
 * owner or task. See {@code docs/metrics.md}.
 */
@NullMarked
package dev.jitaccess.micrometer;

import org.jspecify.annotations.NullMarked;
