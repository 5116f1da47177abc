/**
 * The JIT Access runtime: {@link dev.jitaccess.core.JitAccess} mints, checks, renews, delegates
 * and revokes task-scoped grants in process, with in-memory defaults on Caffeine and an SLF4J
 * audit sink.
 */
module dev.jitaccess.core {
  requires transitive dev.jitaccess;
  requires com.github.benmanes.caffeine;
  requires transitive org.slf4j;
  requires static transitive org.jspecify;

  exports dev.jitaccess.core;

  uses dev.jitaccess.spi.GrantStore;
  uses dev.jitaccess.spi.AccessPolicy;
  uses dev.jitaccess.spi.AuditSink;
}
