package dev.jitaccess.testkit;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.spi.AuditSink;
import dev.jitaccess.testkit.time.FakeClock;
import java.util.List;

class RecordingAuditSinkCompatibilityTest extends AuditSinkCompatibilityKit {
  @Override
  public AuditSink createSink(FakeClock clock) {
    return new RecordingAuditSink();
  }

  @Override
  protected List<AuditEvent> recordedBy(AuditSink sink) {
    return ((RecordingAuditSink) sink).events();
  }
}
