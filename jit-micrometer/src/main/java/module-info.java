/**
 * Micrometer meters for JIT Access, without Spring: {@link dev.jitaccess.micrometer.JitMetrics}
 * counts audit events, times check, mint and revoke through a decorator of the runtime, and
 * publishes gauges of live grants, pending access requests and lingering teardowns. Governance and
 * teardown are optional: without them on the module path, their gauges are simply not offered.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // micrometer.core
module dev.jitaccess.micrometer {
  requires transitive dev.jitaccess.core;
  requires transitive micrometer.core;
  requires org.slf4j;
  requires static transitive org.jspecify;
  // Only the pending-requests gauge needs it (optional in the pom); its builder method names it.
  requires static transitive dev.jitaccess.governance;
  // Only the lingering-teardowns gauge needs it (optional in the pom); its builder method names it.
  requires static transitive dev.jitaccess.teardown;

  exports dev.jitaccess.micrometer;
}
