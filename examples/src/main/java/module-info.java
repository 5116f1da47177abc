/** Runnable programs that show JIT Access in the field's scenarios. */
module dev.jitaccess.examples {
  requires dev.jitaccess.core;
  requires dev.jitaccess.testkit.time;
}
