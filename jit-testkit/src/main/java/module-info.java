/**
 * Test support for JIT Access: a JUnit 5 extension ({@link dev.jitaccess.testkit.JitTest}) that
 * injects a fake clock and a runtime wired to it and fails tests that leave standing access,
 * assertions on grants and audit trails, and compatibility kits that SPI implementers subclass.
 * Re-exports the fake clock, so a test needs only this module.
 */
module dev.jitaccess.testkit {
  requires transitive dev.jitaccess;
  requires transitive dev.jitaccess.core;
  requires transitive dev.jitaccess.testkit.time;
  requires transitive org.junit.jupiter.api;
  requires transitive org.opentest4j;
  requires static transitive org.jspecify;
  // Only the governance kits (GovernanceStore, BundleStore, RecertificationStore) need it
  // (optional in the pom), and whoever runs them has it; transitive, as their API names its types.
  requires static transitive dev.jitaccess.governance;
  // Only TeardownLedgerCompatibilityKit needs it (optional in the pom), and whoever runs it has
  // it; transitive, as its API names TeardownLedger.
  requires static transitive dev.jitaccess.teardown;

  exports dev.jitaccess.testkit;

  // JUnit instantiates the kits' @Nested classes and calls their lifecycle methods reflectively.
  opens dev.jitaccess.testkit to org.junit.platform.commons;
}
