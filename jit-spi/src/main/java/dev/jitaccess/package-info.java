/**
 * The vocabulary of JIT Access: a {@link dev.jitaccess.Grant} is one minted set of permissions
 * ({@link dev.jitaccess.Scope}) for one task, with a short {@link dev.jitaccess.Ttl}; a check
 * yields a {@link dev.jitaccess.Decision}. Every type here is immutable and validated when built.
 */
@NullMarked
package dev.jitaccess;

import org.jspecify.annotations.NullMarked;
