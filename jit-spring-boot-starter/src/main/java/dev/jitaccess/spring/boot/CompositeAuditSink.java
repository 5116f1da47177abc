package dev.jitaccess.spring.boot;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.spi.AuditSink;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every {@link AuditSink} bean, in order: one that throws is logged and keeps no other from the event. */
final class CompositeAuditSink implements AuditSink {
  private static final Logger LOG = LoggerFactory.getLogger(CompositeAuditSink.class);

  private final List<AuditSink> sinks;

  CompositeAuditSink(List<AuditSink> sinks) {
    this.sinks = List.copyOf(sinks);
  }

  @Override
  public void record(AuditEvent event) {
    for (AuditSink sink : sinks) {
      try {
        sink.record(event);
      } catch (RuntimeException e) {
        // The class only: an application sink's message may quote the event.
        LOG.error("audit sink {} failed on a {} event: {}", sink.getClass().getName(),
            event.type(), e.getClass().getName());
      }
    }
  }
}
