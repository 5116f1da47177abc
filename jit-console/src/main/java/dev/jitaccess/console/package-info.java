/**
 * The JIT Access console: server-rendered pages, mounted under {@code jit.console.path} (default
 * {@code /jit-console}) by {@link dev.jitaccess.console.ConsoleConfiguration}, for pending access
 * requests, break-glass reviews, the exposure report, revocation and lingering teardowns. Every
 * change goes through the library, which audits it; pages name grants by reference, never by id.
 */
@NullMarked
package dev.jitaccess.console;

import org.jspecify.annotations.NullMarked;
