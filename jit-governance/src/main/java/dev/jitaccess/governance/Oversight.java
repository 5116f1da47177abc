package dev.jitaccess.governance;

import dev.jitaccess.core.AllowedCheckAudit;
import dev.jitaccess.spi.AuditSink;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a governance oversees of the grants alive now: expiry warnings, last use, and exposure
 * reports. Made before the runtime is built (with last-use tracking it sets the runtime's
 * allowed-check mode), started once it is. Thread-safe.
 */
final class Oversight {
  private final Context ctx;
  private final UsageTracker usage;
  private final @Nullable ExpiryWarnings warnings;

  Oversight(Context ctx) {
    this.ctx = ctx;
    OversightSettings settings = ctx.oversight;
    if (settings.trackLastUse()) {
      try {
        ctx.runtimeBuilder.allowedChecks(AllowedCheckAudit.EACH);
      } catch (IllegalStateException twice) {
        throw new IllegalStateException("trackLastUse sets the runtime's allowedChecks(EACH): "
            + "do not set allowedChecks on the runtime builder too", twice);
      }
    }
    this.usage = new UsageTracker(settings.trackLastUse(), ctx.clock.instant());
    this.warnings = settings.lead() == null ? null : new ExpiryWarnings(ctx, ctx.grants, settings);
  }

  /** The runtime's audit sink: {@code sink}, with this oversight taking note of each event. */
  AuditSink tap(AuditSink sink) {
    return new RuntimeTap(sink, warnings, usage);
  }

  /** Starts the expiry warning sweeps, once the runtime is built. */
  void start() {
    if (warnings != null) {
      warnings.start();
    }
  }

  /** The exposure report for {@code query}. */
  ExposureReport exposure(ExposureQuery query) {
    Objects.requireNonNull(query, "query must not be null");
    return new ExposureScan(ctx, ctx.grants, usage).run(query);
  }

  /** Stops the sweeps. */
  void close() {
    if (warnings != null) {
      warnings.close();
    }
  }
}
