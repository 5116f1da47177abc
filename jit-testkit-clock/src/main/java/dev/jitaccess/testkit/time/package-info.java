/** A {@link dev.jitaccess.testkit.time.FakeClock} that moves only when told and runs due work. */
@NullMarked
package dev.jitaccess.testkit.time;

import org.jspecify.annotations.NullMarked;
