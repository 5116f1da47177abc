package dev.jitaccess.jwt;

import static dev.jitaccess.jwt.Fixture.assertAllowed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.DenyReason;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantReference;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.core.InMemoryGrantStore;
import dev.jitaccess.core.JitAccess;
import java.text.ParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a token discloses: a fresh random {@code jti} and the grant's reference, never the grant
 * id, which is the handle checks take; and the RFC 9068 shape around them.
 */
class TokenDisclosureTest {
  private final Fixture f = new Fixture();
  private final Grant grant = f.grant("read:orders/*");

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void everyTokenHasAFreshJtiAndNamesItsGrantOnlyByReference() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      String token = f.issuer.issue(grant.id(), Fixture.AUDIENCE);
      JWTClaimsSet claims = Fixture.claimsOf(token);
      assertTrue(ids.add(claims.getJWTID()), "a jti is never reused");
      assertEquals(grant.reference(), claims.getClaim("grant_ref"));
      assertFalse(token.contains(grant.id()));
      assertFalse(claims.toString().contains(grant.id()));
    }
    String stateless = f.issuer.issueStateless(grant.id(), Fixture.AUDIENCE, null);
    assertEquals(grant.reference(), Fixture.claimsOf(stateless).getClaim("grant_ref"));
    assertFalse(stateless.contains(grant.id()));
  }

  @Test
  void nothingInATokenIsAHandleForAChecks() {
    JWTClaimsSet claims = Fixture.claimsOf(f.issuer.issue(grant.id(), Fixture.AUDIENCE));
    for (Object value : claims.getClaims().values()) {
      assertEquals(DenyReason.UNKNOWN_GRANT,
          f.jit.check(String.valueOf(value), "read", "orders/42").reason(), value::toString);
    }
  }

  @Test
  void aTokenDiesWithItsGrantAtOnce() {
    String token = f.issuer.issue(grant.id(), Fixture.AUDIENCE);
    assertAllowed(f.verifier.verify(token, "read", "orders/42"));
    f.jit.revoke(grant.id(), RevocationReason.ANOMALY);
    f.assertDenied(DenyReason.REVOKED, token);
  }

  @Test
  void aVerifierOnAnotherRuntimeOverTheSameStoreFindsTheGrantByItsReference() {
    InMemoryGrantStore shared = InMemoryGrantStore.builder().clock(f.clock).scheduler(f.clock)
        .build();
    try (JitAccess minting = JitAccess.builder().clock(f.clock).scheduler(f.clock).store(shared)
            .auditSink(e -> { }).build();
        JitAccess checking = JitAccess.builder().clock(f.clock).scheduler(f.clock).store(shared)
            .auditSink(e -> { }).build()) {
      Grant g = minting.request(dev.jitaccess.GrantRequest.builder().subject("ci-job-1")
          .owner("team-orders").task("t-1").purpose("export")
          .scope(dev.jitaccess.Scope.parse("read:orders/*"))
          .ttl(dev.jitaccess.Ttl.of(java.time.Duration.ofMinutes(5))).build());
      String token = JwtIssuer.builder().jit(minting).keyRing(f.ring).issuer(Fixture.ISSUER)
          .clock(f.clock).build().issue(g.id(), Fixture.AUDIENCE);
      JwtVerifier elsewhere = JwtVerifier.builder().keyRing(f.ring).issuer(Fixture.ISSUER)
          .audience(Fixture.AUDIENCE).clock(f.clock).liveCheck(checking).build();
      assertAllowed(elsewhere.verify(token, "read", "orders/42"));
      minting.revoke(g.id(), RevocationReason.MANUAL);
      Fixture.assertDenied(DenyReason.REVOKED, elsewhere, token, "read", "orders/42", null);
    }
  }

  @Test
  void aGrantReferenceThatIsMissingMalformedOrUnknownIsDenied() {
    f.assertDenied(JwtDenialCode.INVALID_CLAIM,
        f.sign(f.header(), f.claimsFor(grant).claim("grant_ref", null)));
    for (Object bad : List.of(grant.id(), grant.reference() + "A", "gr_", 42,
        grant.reference().toUpperCase(java.util.Locale.ROOT).replace("GR_", "gr_") + "=")) {
      f.assertDenied(JwtDenialCode.INVALID_CLAIM,
          f.sign(f.header(), f.claimsFor(grant).claim("grant_ref", bad)));
    }
    f.assertDenied(DenyReason.UNKNOWN_GRANT, f.sign(f.header(),
        f.claimsFor(grant).claim("grant_ref", GrantReference.of("no-such-grant"))));
  }

  @Test
  void aTokenWhoseJtiIsTheGrantIdIsStillFoundOnlyByItsReference() {
    // An issuer of the old shape: the id as jti and no grant_ref. Denied, never looked up by jti.
    f.assertDenied(JwtDenialCode.INVALID_CLAIM, f.sign(f.header(),
        f.claimsFor(grant).jwtID(grant.id()).claim("grant_ref", null)));
  }

  @Test
  void aJtiMustBeAStringOfOneTo256Characters() {
    assertAllowed(f.verifier.verify(f.sign(f.header(), f.claimsFor(grant).jwtID("j".repeat(256))),
        "read", "orders/42"));
    f.assertDenied(JwtDenialCode.INVALID_CLAIM,
        f.sign(f.header(), f.claimsFor(grant).jwtID("j".repeat(257))));
    f.assertDenied(JwtDenialCode.INVALID_CLAIM, f.sign(f.header(), f.claimsFor(grant).jwtID("")));
    f.assertDenied(JwtDenialCode.INVALID_CLAIM,
        f.sign(f.header(), f.claimsFor(grant).jwtID(null)));
  }

  @Test
  void clientIdIsRequiredAndMustBeTheGrantsSubject() {
    f.assertDenied(JwtDenialCode.INVALID_CLAIM,
        f.sign(f.header(), f.claimsFor(grant).claim("client_id", null)));
    f.assertDenied(JwtDenialCode.INVALID_CLAIM,
        f.sign(f.header(), f.claimsFor(grant).claim("client_id", 7)));
    f.assertDenied(JwtDenialCode.TOKEN_GRANT_MISMATCH,
        f.sign(f.header(), f.claimsFor(grant).claim("client_id", "another-client")));
  }

  @Test
  void aTaskOtherThanTheGrantsIsDenied() {
    f.assertDenied(JwtDenialCode.TOKEN_GRANT_MISMATCH,
        f.sign(f.header(), f.claimsFor(grant).claim("task", "another-task")));
    f.assertDenied(JwtDenialCode.INVALID_CLAIM,
        f.sign(f.header(), f.claimsFor(grant).claim("task", List.of(grant.task()))));
  }

  @Test
  void theAccessTokenTypeIsAtJwtInEitherSpellingOfRfc9068() {
    // Media types compare without regard to case (RFC 7515, section 4.1.9).
    for (String type : List.of("at+jwt", "application/at+jwt", "AT+JWT")) {
      assertAllowed(f.verifier.verify(f.sign(f.header().type(new JOSEObjectType(type)),
          f.claimsFor(grant)), "read", "orders/42"));
    }
    for (String other : List.of("jit+jwt", "at+jwt ", "JWT", "application/jwt", "dpop+jwt")) {
      f.assertDenied(JwtDenialCode.WRONG_TOKEN_TYPE,
          f.sign(f.header().type(new JOSEObjectType(other)), f.claimsFor(grant)));
    }
  }

  @Test
  void aStatelessVerifierRefusesAnAccessTokenMeantForALiveCheck() throws ParseException {
    JwtVerifier stateless = JwtVerifier.builder().trustedKeys(JWKSet.parse(f.ring.jwksJson()))
        .issuer(Fixture.ISSUER).audience(Fixture.AUDIENCE).clock(f.clock).stateless().build();
    Fixture.assertDenied(JwtDenialCode.WRONG_TOKEN_TYPE, stateless,
        f.issuer.issue(grant.id(), Fixture.AUDIENCE), "read", "orders/42", null);
    assertAllowed(stateless.verify(f.issuer.issueStateless(grant.id(), Fixture.AUDIENCE, null),
        "read", "orders/42"));
  }

  @Test
  void theAuditTrailFollowsATokenFromItsIssueToItsDenialWithoutTheGrantId() {
    List<AuditEvent> events = new CopyOnWriteArrayList<>();
    JwtIssuer issuer = JwtIssuer.builder().jit(f.jit).keyRing(f.ring).issuer(Fixture.ISSUER)
        .clock(f.clock).auditSink(events::add).build();
    JwtVerifier verifier = JwtVerifier.builder().keyRing(f.ring).issuer(Fixture.ISSUER)
        .audience(Fixture.AUDIENCE).clock(f.clock).liveCheck(f.jit).auditSink(events::add)
        .build();
    String token = issuer.issue(grant.id(), Fixture.AUDIENCE);
    String jti = Fixture.claimsOf(token).getJWTID();
    verifier.verify(token, "write", "orders/42");
    assertEquals(2, events.size(), events::toString);
    AuditEvent issued = events.get(0);
    AuditEvent denied = events.get(1);
    assertEquals(AuditEventType.TOKEN_ISSUED, issued.type());
    assertEquals(AuditEventType.DENIED, denied.type());
    for (AuditEvent e : events) {
      assertEquals(grant.reference(), e.grantRef());
      assertEquals(jti, e.tokenId());
      assertTrue(e.concerns(grant.id()));
      assertFalse(e.toString().contains(grant.id()), e::toString);
    }
    assertEquals(grant.scope().toString(), issued.scope());
    assertEquals(Fixture.claimsOf(token).getExpirationTime().toInstant(), issued.expiresAt());
    assertEquals("OUT_OF_SCOPE", denied.reason());
  }

  @Test
  void aFailingAuditSinkNeverStopsATokenIssue() {
    JwtIssuer issuer = JwtIssuer.builder().jit(f.jit).keyRing(f.ring).issuer(Fixture.ISSUER)
        .clock(f.clock).auditSink(e -> {
          throw new IllegalStateException("sink down");
        }).build();
    String token;
    try (LogCapture log = new LogCapture(JwtIssuer.class)) {
      token = issuer.issue(grant.id(), Fixture.AUDIENCE);
      assertEquals(1, log.records().size(), "the sink's failure is logged");
      LogRecord record = log.records().get(0);
      assertEquals(Level.SEVERE, record.getLevel());
      assertTrue(record.getMessage().endsWith("failed to record a token issue"),
          record.getMessage());
      assertEquals("sink down", record.getThrown().getMessage());
    }
    assertAllowed(f.verifier.verify(token, "read", "orders/42"));
    assertNotEquals(null, token);
  }

  @Test
  void anIssuerWithoutAnAuditSinkIssuesWithoutLoggingAFailure() {
    try (LogCapture log = new LogCapture(JwtIssuer.class)) {
      f.issuer.issue(grant.id(), Fixture.AUDIENCE);
      assertEquals(List.of(), log.records());
    }
  }

  @Test
  void theIssueEventNamesTheTypeTheAudienceAndWhetherTheTokenIsBound() {
    List<AuditEvent> events = new CopyOnWriteArrayList<>();
    JwtIssuer issuer = JwtIssuer.builder().jit(f.jit).keyRing(f.ring).issuer(Fixture.ISSUER)
        .clock(f.clock).auditSink(events::add).build();
    issuer.issue(grant.id(), Fixture.AUDIENCE);
    issuer.issue(grant.id(), Fixture.AUDIENCE, Fixture.ecKey("workload").toPublicJWK());
    issuer.issueStateless(grant.id(), "payments-api", null);
    assertEquals(List.of("typ at+jwt, aud orders-api", "typ at+jwt, aud orders-api, bound to a key",
        "typ jit-stateless+jwt, aud payments-api"),
        events.stream().map(AuditEvent::detail).toList());
  }
}
