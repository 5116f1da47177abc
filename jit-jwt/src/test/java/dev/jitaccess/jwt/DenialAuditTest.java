package dev.jitaccess.jwt;

import dev.jitaccess.DenialCode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.ECKey;
import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.Decision;
import dev.jitaccess.DenyReason;
import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Token denials before the live check are audited; the runtime audits its own. */
class DenialAuditTest {
  private final Fixture f = new Fixture();
  private final List<AuditEvent> events = new CopyOnWriteArrayList<>();
  private final JwtVerifier audited = JwtVerifier.builder().keyRing(f.ring).issuer(Fixture.ISSUER)
      .audience(Fixture.AUDIENCE).clock(f.clock).liveCheck(f.jit).auditSink(events::add).build();
  private final Grant grant = f.grant("read:orders/*");

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void forgedTokenIsAuditedWithoutTrustingItsClaims() {
    ECKey attacker = Fixture.ecKey(f.signingKey.getKeyID());
    String forged = Fixture.sign(f.header(), f.claimsFor(grant), attacker);
    audited.verify(forged, "read", "orders/42");
    assertEquals(1, events.size());
    AuditEvent event = events.get(0);
    assertEquals(AuditEventType.DENIED, event.type());
    assertEquals("BAD_SIGNATURE", event.reason());
    assertEquals(f.clock.instant(), event.at());
    assertNull(event.grantRef(), "claims of an unverified token are not reported");
    assertNull(event.subject());
    assertEquals("read", event.action());
    assertEquals("orders/42", event.resource());
  }

  @Test
  void verifiedTokenDeniedForScopeNamesItsGrant() {
    audited.verify(f.issuer.issue(grant.id(), Fixture.AUDIENCE), "write", "orders/42");
    assertEquals(1, events.size());
    assertEquals("OUT_OF_SCOPE", events.get(0).reason());
    assertTrue(events.get(0).concerns(grant.id()));
    assertEquals(grant.reference(), events.get(0).grantRef());
    assertEquals(grant.subject(), events.get(0).subject());
  }

  @Test
  void liveCheckDenialsAreLeftToTheRuntimesAudit() {
    String token = f.issuer.issue(grant.id(), Fixture.AUDIENCE);
    f.jit.revoke(grant.id(), RevocationReason.MANUAL);
    assertEquals(DenyReason.REVOKED, audited.verify(token, "read", "orders/42").reason());
    assertTrue(events.isEmpty(), events::toString);
  }

  @Test
  void allowedVerificationsAreNotAuditedByTheVerifier() {
    audited.verify(f.issuer.issue(grant.id(), Fixture.AUDIENCE), "read", "orders/42");
    assertTrue(events.isEmpty(), events::toString);
  }

  @Test
  void aFailingAuditSinkNeverChangesTheDecision() {
    JwtVerifier failing = JwtVerifier.builder().keyRing(f.ring).issuer(Fixture.ISSUER)
        .audience(Fixture.AUDIENCE).clock(f.clock).liveCheck(f.jit)
        .auditSink(e -> {
          throw new IllegalStateException("audit backend down");
        }).build();
    Decision decision;
    try (LogCapture log = new LogCapture(JwtVerifier.class)) {
      decision = failing.verify("garbage", "read", "orders/42");
      assertEquals(1, log.records().size(), "the sink's failure is logged");
      LogRecord record = log.records().get(0);
      assertEquals(Level.SEVERE, record.getLevel());
      assertTrue(record.getMessage().endsWith("failed to record a denial"), record.getMessage());
      assertEquals("audit backend down", record.getThrown().getMessage());
    }
    assertEquals(JwtDenialCode.MALFORMED_TOKEN, decision.code());
  }

  @Test
  void anAuditSinkThatThrowsAnErrorNeverChangesTheDecisionEither() {
    JwtVerifier failing = JwtVerifier.builder().keyRing(f.ring).issuer(Fixture.ISSUER)
        .audience(Fixture.AUDIENCE).clock(f.clock).liveCheck(f.jit)
        .auditSink(e -> {
          throw new NoClassDefFoundError("com/example/AuditBackend");
        }).build();
    Decision decision = failing.verify("garbage", "read", "orders/42");
    assertEquals(JwtDenialCode.MALFORMED_TOKEN, decision.code());
  }
}
