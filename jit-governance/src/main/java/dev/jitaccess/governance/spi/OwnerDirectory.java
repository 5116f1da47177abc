package dev.jitaccess.governance.spi;

/**
 * Whether an owner (a person or a team) is still there to be accountable: backed by HR or the
 * organisation's directory. An owner that is not active makes its grants, bundles and requests
 * orphans. Implementations must be thread-safe; an exception thrown here counts as "not known to
 * be active" where a decision depends on it (fail closed).
 */
@FunctionalInterface
public interface OwnerDirectory {
  /** Whether {@code owner} is an active person or team. */
  boolean isActive(String owner);

  /** A directory in which every owner is active: for tests and single-team applications. */
  static OwnerDirectory everyoneActive() {
    return owner -> true;
  }
}
