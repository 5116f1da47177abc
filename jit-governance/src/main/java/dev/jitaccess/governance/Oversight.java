package dev.jitaccess.governance;

import dev.jitaccess.spi.AuditSink;
import org.jspecify.annotations.Nullable;

/**
 * What a governance oversees of the grants alive now: expiry warnings. Made before the runtime is
 * built (its audit sink feeds it), started once it is. Thread-safe.
 */
final class Oversight {
  private final @Nullable ExpiryWarnings warnings;

  Oversight(Context ctx) {
    OversightSettings settings = ctx.oversight;
    this.warnings = settings.lead() == null ? null : new ExpiryWarnings(ctx, ctx.grants, settings);
  }

  /** The runtime's audit sink: {@code sink}, with this oversight taking note of each event. */
  AuditSink tap(AuditSink sink) {
    return new RuntimeTap(sink, warnings);
  }

  /** Starts the expiry warning sweeps, once the runtime is built. */
  void start() {
    if (warnings != null) {
      warnings.start();
    }
  }

  /** Stops the sweeps. */
  void close() {
    if (warnings != null) {
      warnings.close();
    }
  }
}
