package dev.jitaccess.governance.spi;

import java.util.Set;

/**
 * Who belongs where: a principal's groups and teams, and a group's members. Backed by the
 * organisation's directory (LDAP, SCIM, an identity provider's API); {@code InMemoryDirectory}
 * is the default. Implementations must be thread-safe; an exception thrown here refuses the call
 * that needed the answer (fail closed).
 */
public interface Directory {
  /** The groups {@code principal} is a member of; empty if none or unknown. */
  Set<String> groupsOf(String principal);

  /** The teams {@code principal} belongs to, for approvals that must come from distinct teams. */
  Set<String> teamsOf(String principal);

  /** The members of {@code group}, to notify; empty if none or unknown. */
  Set<String> membersOf(String group);
}
