package dev.jitaccess.core;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.spi.AuditSink;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The default audit sink: one structured SLF4J event per audit event on the logger {@value
 * #LOGGER_NAME}, with every non-null field as a key-value pair ({@code event}, {@code grant},
 * {@code subject}, {@code owner}, {@code task}, {@code reason}, ...). Denials log at WARN, the rest
 * at INFO. Route the logger to a durable appender to keep the trail. Thread-safe.
 */
public final class Slf4jAuditSink implements AuditSink {
  /** The logger the events go to. */
  public static final String LOGGER_NAME = "dev.jitaccess.audit";

  private final Logger logger;

  /** A sink on the {@value #LOGGER_NAME} logger. */
  public Slf4jAuditSink() {
    this(LoggerFactory.getLogger(LOGGER_NAME));
  }

  Slf4jAuditSink(Logger logger) {
    this.logger = logger;
  }

  @Override
  public void record(AuditEvent event) {
    Level level = event.type() == AuditEventType.DENIED ? Level.WARN : Level.INFO;
    if (!logger.isEnabledForLevel(level)) {
      return;
    }
    LoggingEventBuilder b = logger.atLevel(level)
        .addKeyValue("event", event.type().name())
        .addKeyValue("at", event.at().toString());
    add(b, "grant", event.grantRef());
    add(b, "parent", event.parentRef());
    add(b, "subject", event.subject());
    add(b, "owner", event.owner());
    add(b, "task", event.task());
    add(b, "scope", event.scope());
    add(b, "expiresAt", event.expiresAt() == null ? null : event.expiresAt().toString());
    add(b, "reason", event.reason());
    add(b, "action", event.action());
    add(b, "resource", event.resource());
    add(b, "detail", event.detail());
    b.log("{} grant={} subject={} task={} reason={}", event.type(), event.grantRef(),
        event.subject(), event.task(), event.reason());
  }

  private static void add(LoggingEventBuilder b, String key, @Nullable String value) {
    if (value != null) {
      b.addKeyValue(key, value);
    }
  }
}
