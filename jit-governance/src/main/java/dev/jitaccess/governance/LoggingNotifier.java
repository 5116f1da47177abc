package dev.jitaccess.governance;

import dev.jitaccess.governance.spi.Notification;
import dev.jitaccess.governance.spi.Notifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link Notifier}: writes each notification at WARN to the SLF4J logger {@code
 * dev.jitaccess.governance.notify}, so that it reaches whoever watches the logs. Replace it with
 * one that pages.
 */
public final class LoggingNotifier implements Notifier {
  /** A notifier that logs. */
  public LoggingNotifier() {}

  private static final Logger LOG = LoggerFactory.getLogger("dev.jitaccess.governance.notify");

  @Override
  public void notify(Notification n) {
    LOG.atWarn().addKeyValue("kind", n.kind()).addKeyValue("request", n.requestId())
        .addKeyValue("subject", n.subject()).addKeyValue("tier", n.tier())
        .addKeyValue("recipients", n.recipients()).addKeyValue("dueAt", n.dueAt())
        .log("{} {}", n.kind(), n.text());
  }
}
