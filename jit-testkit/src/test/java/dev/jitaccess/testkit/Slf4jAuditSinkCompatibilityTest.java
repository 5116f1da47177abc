package dev.jitaccess.testkit;

import dev.jitaccess.core.Slf4jAuditSink;
import dev.jitaccess.spi.AuditSink;
import dev.jitaccess.testkit.time.FakeClock;

class Slf4jAuditSinkCompatibilityTest extends AuditSinkCompatibilityKit {
  @Override
  public AuditSink createSink(FakeClock clock) {
    return new Slf4jAuditSink();
  }
}
