package dev.jitaccess.spring.boot;

import dev.jitaccess.core.JitAccess;
import dev.jitaccess.core.JitAccessBuilder;

/**
 * Changes the {@link JitAccessBuilder} the starter builds the runtime with, after the starter has
 * applied the {@code jit.*} properties, listeners and audit sinks, and before it builds: for
 * example to add an anomaly detector. Every bean of this type is applied, in {@code @Order}. Each
 * builder setter may be called once, so a customizer must not set what the starter sets (store,
 * clock, scheduler, policy, audit sink, limits that are configured). Called once, at start.
 */
@FunctionalInterface
public interface JitAccessBuilderCustomizer {
  /** Changes the builder. */
  void customize(JitAccessBuilder builder);
}
