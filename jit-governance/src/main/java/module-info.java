/**
 * Governance on the JIT Access runtime: access requests that wait for approvals ({@link
 * dev.jitaccess.governance.Governance}), eligibility rules, risk tiers, and break-glass access with
 * a review that is enforced. Backends plug in through {@code dev.jitaccess.governance.spi}.
 */
module dev.jitaccess.governance {
  requires transitive dev.jitaccess.core;
  requires org.slf4j;
  requires static transitive org.jspecify;

  exports dev.jitaccess.governance;
  exports dev.jitaccess.governance.spi;
}
