package dev.jitaccess.governance;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.spi.AuditSink;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime's audit sink under governance: takes note of each event (a new expiry arms the
 * expiry warning sweep; allowed checks and ends feed the last-use tracker), then hands it on,
 * unchanged, to the sink the governance was given. What noting throws is logged and never keeps
 * the event from its sink. Thread-safe.
 */
final class RuntimeTap implements AuditSink {
  private static final Logger LOG = LoggerFactory.getLogger(Governance.class);

  private final AuditSink sink;
  private final @Nullable ExpiryWarnings warnings;
  private final UsageTracker usage;

  RuntimeTap(AuditSink sink, @Nullable ExpiryWarnings warnings, UsageTracker usage) {
    this.sink = sink;
    this.warnings = warnings;
    this.usage = usage;
  }

  @Override
  public void record(AuditEvent event) {
    try {
      note(event);
    } catch (RuntimeException e) {
      LOG.atError().setCause(e).log("could not take note of a {} event", event.type());
    }
    sink.record(event);
  }

  private void note(AuditEvent event) {
    switch (event.type()) {
      case ISSUED:
      case DELEGATED:
      case RENEWED:
        Instant expiresAt = event.expiresAt();
        if (warnings != null && expiresAt != null) {
          warnings.expect(expiresAt);
        }
        break;
      case ALLOWED:
      case REVOKED:
      case EXPIRED:
      case EXHAUSTED:
        usage.observe(event);
        break;
      default:
        break;
    }
  }
}
