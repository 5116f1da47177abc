package dev.jitaccess.teardown;

import dev.jitaccess.teardown.spi.TeardownAlerts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link TeardownAlerts}: writes each alert at WARN to the SLF4J logger {@code
 * dev.jitaccess.teardown.alerts}, with the owner, the grant's reference (never its id), the
 * downstream, the attempts made and the last cause, so that it reaches whoever watches the logs.
 * Replace it with one that pages the owner. Thread-safe.
 */
public final class LoggingTeardownAlerts implements TeardownAlerts {
  private static final Logger LOG = LoggerFactory.getLogger("dev.jitaccess.teardown.alerts");

  /** Alerts that log. */
  public LoggingTeardownAlerts() {}

  @Override
  public void irrevocable(TeardownEntry entry) {
    LOG.atWarn().addKeyValue("owner", entry.owner()).addKeyValue("grant", entry.grantReference())
        .addKeyValue("subject", entry.subject()).addKeyValue("downstream", entry.downstream())
        .addKeyValue("attempts", entry.attempts()).addKeyValue("cause", entry.cause())
        .addKeyValue("nextAttempt", entry.dueAt())
        .log("teardown IRREVOCABLE: the access of grant {} at {} could not be removed; owner {} "
            + "must act", entry.grantReference(), entry.downstream(), entry.owner());
  }
}
