/** Internal helpers shared by the JIT Access modules; not an API, exported only to them. */
@NullMarked
package dev.jitaccess.internal;

import org.jspecify.annotations.NullMarked;
