/**
 * Verified teardown: when a grant ends, every downstream system it reached revokes it and, where
 * it can, proves the access is gone, tracked per grant and system on a durable ledger with
 * retries ({@link dev.jitaccess.teardown.Teardown}). Downstreams plug in through {@code
 * dev.jitaccess.teardown.spi}. Lingering teardowns feed governance's exposure reports through its
 * {@code LingeringSource}.
 */
module dev.jitaccess.teardown {
  requires transitive dev.jitaccess.core;
  requires transitive dev.jitaccess.governance;
  requires org.slf4j;
  requires static transitive org.jspecify;

  exports dev.jitaccess.teardown;
  exports dev.jitaccess.teardown.spi;
}
