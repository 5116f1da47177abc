/**
 * The vocabulary of JIT Access ({@link dev.jitaccess.Grant}, {@link dev.jitaccess.Scope},
 * {@link dev.jitaccess.Ttl}, {@link dev.jitaccess.Decision}, ...) and the contracts that backends
 * implement ({@link dev.jitaccess.spi.GrantStore}, {@link dev.jitaccess.spi.AccessPolicy},
 * {@link dev.jitaccess.spi.AuditSink}, {@link dev.jitaccess.spi.Scheduler},
 * {@link dev.jitaccess.spi.IdentityVerifier}). Needs only the JDK.
 */
@SuppressWarnings("module") // the modules named in qualified exports are built after this one
module dev.jitaccess {
  requires static transitive org.jspecify;

  exports dev.jitaccess;
  exports dev.jitaccess.spi;
  exports dev.jitaccess.internal to dev.jitaccess.core, dev.jitaccess.jwt, dev.jitaccess.postgres,
      dev.jitaccess.governance, dev.jitaccess.console;
}
