package dev.jitaccess.spring.boot;

import dev.jitaccess.RevocationListener;
import dev.jitaccess.core.AllowedCheckAudit;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.core.JitAccessBuilder;
import dev.jitaccess.spi.AuditSink;
import dev.jitaccess.spring.boot.properties.JitProperties;
import dev.jitaccess.spring.boot.properties.LimitsProperties;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;

/** What the runtime's configuration and governance's share: applying properties and beans to a builder. */
final class Runtimes {
  private Runtimes() {}

  /**
   * Applies the limits (all of them, or only those governance does not set), every {@link
   * RevocationListener} bean, then every customizer.
   */
  static JitAccessBuilder configure(JitAccessBuilder builder, JitProperties properties,
      boolean lifetimesFromGovernance, ObjectProvider<RevocationListener> listeners) {
    LimitsProperties limits = properties.getLimits();
    if (!lifetimesFromGovernance) {
      if (limits.getMaxLifetime() != null) {
        builder.maxLifetime(limits.getMaxLifetime());
      }
      if (limits.getMaxHardCap() != null) {
        builder.maxHardCap(limits.getMaxHardCap());
      }
    }
    if (limits.getMaxDelegationDepth() != null) {
      builder.maxDelegationDepth(limits.getMaxDelegationDepth());
    }
    if (limits.getAllowedChecks() != AllowedCheckAudit.OFF) {
      builder.allowedChecks(limits.getAllowedChecks());
    }
    if (limits.getEndedTaskRetention() != null) {
      builder.endedTaskRetention(limits.getEndedTaskRetention());
    }
    listeners.orderedStream().forEach(builder::listener);
    return builder;
  }

  /** Applies every customizer, in order. */
  static void customize(JitAccessBuilder builder,
      ObjectProvider<JitAccessBuilderCustomizer> customizers) {
    customizers.orderedStream().forEach(c -> c.customize(builder));
  }

  /** Every {@link AuditSink} bean as one, or null if there is none (the library's default then). */
  static @Nullable AuditSink auditSink(ObjectProvider<AuditSink> sinks) {
    List<AuditSink> all = sinks.orderedStream().toList();
    if (all.isEmpty()) {
      return null;
    }
    return all.size() == 1 ? all.get(0) : new CompositeAuditSink(all);
  }

  /**
   * Fails the start when a CEL policy file is configured but no policy was made of it: a policy
   * asked for and silently left out would approve what it should deny.
   *
   * @throws IllegalStateException naming the property
   */
  static void requirePolicyIfConfigured(JitProperties properties, boolean policyPresent) {
    if (properties.getPolicy().getCel().getLocation() != null && !policyPresent) {
      throw new IllegalStateException("jit.policy.cel.location is set, but no policy was made "
          + "of it: add dev.jitaccess:jit-policy-cel to the class path, or remove the property");
    }
  }
}
