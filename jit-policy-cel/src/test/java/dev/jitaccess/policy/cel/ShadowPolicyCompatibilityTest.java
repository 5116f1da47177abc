package dev.jitaccess.policy.cel;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.spi.AccessPolicy;
import dev.jitaccess.spi.PolicyDecision;
import dev.jitaccess.testkit.AccessPolicyCompatibilityKit;
import dev.jitaccess.testkit.RecordingAuditSink;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** A shadow policy answers as its enforced policy, whatever a failing candidate does. */
class ShadowPolicyCompatibilityTest extends AccessPolicyCompatibilityKit {
  @Override
  public AccessPolicy createPolicy(FakeClock clock) {
    AccessPolicy failing = new AccessPolicy() {
      @Override
      public PolicyDecision onRequest(GrantRequest request, @Nullable Grant parent) {
        throw new IllegalStateException("candidate failure");
      }

      @Override
      public PolicyDecision onRenewal(Grant grant, Duration extension) {
        throw new IllegalStateException("candidate failure");
      }
    };
    return ShadowPolicy.builder()
        .enforced(CelPolicyModelPropertyTest.celPolicy().clock(clock).build())
        .candidate(failing).auditSink(new RecordingAuditSink()).clock(clock).build();
  }
}
