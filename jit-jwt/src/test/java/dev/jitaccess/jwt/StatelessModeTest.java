package dev.jitaccess.jwt;

import dev.jitaccess.DenialCode;

import static dev.jitaccess.jwt.Fixture.assertAllowed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import dev.jitaccess.DenyReason;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.GrantState;
import dev.jitaccess.GrantStateException;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import dev.jitaccess.Ttl;
import dev.jitaccess.core.JitAccess;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A service with only the JWKS: signature, claims and scope, no live check. Revocation reaches it
 * only at {@code exp}, which is why it accepts only short-lived tokens.
 */
class StatelessModeTest {
  private final Fixture f = new Fixture();
  private final Grant grant = f.grant("read:orders/*");
  private final JwtVerifier stateless = statelessVerifier();

  @AfterEach
  void close() {
    f.close();
  }

  private JwtVerifier statelessVerifier() {
    try {
      return JwtVerifier.builder().trustedKeys(JWKSet.parse(f.ring.jwksJson()))
          .issuer(Fixture.ISSUER).audience(Fixture.AUDIENCE).clock(f.clock).stateless().build();
    } catch (ParseException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void shortLivedTokenIsAllowedOnSignatureClaimsAndScope() {
    String token = f.issuer.issueStateless(grant.id(), Fixture.AUDIENCE, null);
    assertAllowed(stateless.verify(token, "read", "orders/42"));
    Fixture.assertDenied(DenyReason.OUT_OF_SCOPE, stateless, token, "write", "orders/42", null);
  }

  @Test
  void revocationTakesEffectOnlyAtExp() {
    String token = f.issuer.issueStateless(grant.id(), Fixture.AUDIENCE, null);
    Instant exp = Fixture.claimsOf(token).getExpirationTime().toInstant();
    f.jit.revoke(grant.id(), RevocationReason.ANOMALY);

    // The documented caveat: the stateless verifier cannot see the revocation...
    assertAllowed(stateless.verify(token, "read", "orders/42"));
    // ...while a live verifier denies at once...
    f.assertDenied(DenyReason.REVOKED, token);
    // ...and the stateless one stops at exp (plus the clock skew).
    f.clock.setTo(exp.plusSeconds(5));
    Fixture.assertDenied(JwtDenialCode.TOKEN_EXPIRED, stateless, token, "read", "orders/42", null);
  }

  /** An issuer whose stateless tokens live five minutes, past the verifiers' default cap. */
  private JwtIssuer longStatelessIssuer() {
    return JwtIssuer.builder().jit(f.jit).keyRing(f.ring).issuer(Fixture.ISSUER).clock(f.clock)
        .statelessLifetime(Duration.ofMinutes(5)).build();
  }

  @Test
  void longLivedTokenIsRefusedSoRevocationCannotLagBeyondTheCap() {
    String token = longStatelessIssuer().issueStateless(grant.id(), Fixture.AUDIENCE, null);
    Fixture.assertDenied(JwtDenialCode.TOKEN_LIFETIME_TOO_LONG, stateless, token, "read",
        "orders/42", null);
  }

  @Test
  void statelessMaxLifetimeIsConfigurable() throws ParseException {
    JwtVerifier lenient = JwtVerifier.builder().trustedKeys(JWKSet.parse(f.ring.jwksJson()))
        .issuer(Fixture.ISSUER).audience(Fixture.AUDIENCE).clock(f.clock).stateless()
        .statelessMaxLifetime(Duration.ofMinutes(5)).build();
    assertAllowed(lenient.verify(
        longStatelessIssuer().issueStateless(grant.id(), Fixture.AUDIENCE, null), "read",
        "orders/42"));
  }

  @Test
  void aTokenMintedForALiveCheckIsRefusedHoweverShortItLives() {
    // In the grant's last 30 s, issue() mints a token living 30 s: within the stateless cap. A
    // stateless verifier still refuses it, so it can neither outlive a revocation nor spend a
    // use budget that nothing counts.
    Grant budgeted = f.grant("read:orders/*", b -> b.useBudget(1)); // ten minutes
    f.clock.advance(Duration.ofMinutes(9).plusSeconds(30));
    String live = f.issuer.issue(budgeted.id(), Fixture.AUDIENCE);
    Fixture.assertDenied(JwtDenialCode.WRONG_TOKEN_TYPE, stateless, live, "read", "orders/42", null);
    String plain = f.issuer.issue(grant.id(), Fixture.AUDIENCE);
    Fixture.assertDenied(JwtDenialCode.WRONG_TOKEN_TYPE, stateless, plain, "read", "orders/42", null);
  }

  @Test
  void aVerifierWithALiveCheckAcceptsAStatelessTokenAndStillChecksTheGrant() {
    String token = f.issuer.issueStateless(grant.id(), Fixture.AUDIENCE, null);
    assertAllowed(f.verifier.verify(token, "read", "orders/42"));
    f.jit.revoke(grant.id(), RevocationReason.ANOMALY);
    f.assertDenied(DenyReason.REVOKED, token);
  }

  @Test
  void theLongestLifetimeANumericDateAllowsIsTooLongAndAnIatBefore1970IsInvalid() {
    long now = f.clock.instant().getEpochSecond();
    String longest = f.sign(f.header().type(TokenTypes.STATELESS_TOKEN_TYPE), f.claimsFor(grant)
        .issueTime(new Date(0))
        .expirationTime(new Date(TokenClaimsCheck.MAX_NUMERIC_DATE * 1000)));
    Fixture.assertDenied(JwtDenialCode.TOKEN_LIFETIME_TOO_LONG, stateless, longest, "read",
        "orders/42", null);
    // Before NumericDates were bounded, exp - iat in milliseconds could overflow a long.
    String ancient = f.sign(f.header().type(TokenTypes.STATELESS_TOKEN_TYPE), f.claimsFor(grant)
        .issueTime(new Date(-9_223_372_036_854_770L * 1000)) // some 292 million years ago
        .expirationTime(new Date((now + 3650L * 86400) * 1000))); // ten years from now
    Fixture.assertDenied(JwtDenialCode.INVALID_CLAIM, stateless, ancient, "read", "orders/42",
        null);
  }

  @Test
  void boundStatelessTokenStillNeedsItsProof() {
    ECKey workload = Fixture.ecKey("workload");
    String token = f.issuer.issueStateless(grant.id(), Fixture.AUDIENCE, workload.toPublicJWK());
    Fixture.assertDenied(JwtDenialCode.PROOF_MISSING, stateless, token, "read", "orders/42", null);
    String uri = "https://orders.example.com/orders/42";
    assertAllowed(stateless.verify(token, "read", "orders/42",
        DpopProof.sign(workload, "GET", uri, token, f.clock)));
  }

  @Test
  void aVerifierMustBeEitherLiveOrStateless() {
    IllegalStateException neither = assertThrows(IllegalStateException.class,
        () -> JwtVerifier.builder().keyRing(f.ring).issuer(Fixture.ISSUER)
            .audience(Fixture.AUDIENCE).build());
    assertEquals("exactly one of liveCheck(jit) and stateless() must be set",
        neither.getMessage());
    assertThrows(IllegalStateException.class,
        () -> JwtVerifier.builder().keyRing(f.ring).issuer(Fixture.ISSUER)
            .audience(Fixture.AUDIENCE).liveCheck(f.jit).stateless().build());
  }

  @Test
  void noTokenIsMintedForADescendantOfARevokedGrantWhileItsCascadeIsPending() throws Exception {
    List<Runnable> pendingCascades = new ArrayList<>();
    JitAccess jit = JitAccess.builder().clock(f.clock).scheduler(f.clock).auditSink(e -> { })
        .cascadeExecutor(pendingCascades::add).build();
    JwtIssuer issuer = JwtIssuer.builder().jit(jit).keyRing(f.ring).issuer(Fixture.ISSUER)
        .clock(f.clock).build();
    Grant parent = jit.request(GrantRequest.builder().subject("agent").owner("team").task("t")
        .purpose("p").scope(Scope.parse("read:orders/**")).ttl(Ttl.of(Duration.ofMinutes(10)))
        .build());
    Grant child = jit.delegate(parent.id(), Scope.parse("read:orders/42"), Duration.ofMinutes(5),
        "sub-agent");
    jit.revoke(parent.id(), RevocationReason.ANOMALY);
    assertEquals(1, pendingCascades.size(), "the child is still ACTIVE, its cascade pending");
    assertEquals(DenyReason.REVOKED, jit.check(child.id(), "read", "orders/42").reason());
    GrantStateException stateless = assertThrows(GrantStateException.class,
        () -> issuer.issueStateless(child.id(), Fixture.AUDIENCE, null));
    assertEquals(GrantState.REVOKED, stateless.state());
    String why = jit.status(child.id()).detail().orElseThrow();
    assertTrue(stateless.getMessage().endsWith("to mint a token; REVOKED: " + why),
        stateless.getMessage());
    assertThrows(GrantStateException.class, () -> issuer.issue(child.id(), Fixture.AUDIENCE));
    jit.close();
  }

  @Test
  void aGrantWithAUseBudgetGetsNoStatelessToken() {
    Grant budgeted = f.grant("read:orders/*", b -> b.task("budgeted").useBudget(3));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> f.issuer.issueStateless(budgeted.id(), Fixture.AUDIENCE, null));
    assertTrue(e.getMessage().contains("useBudget"), e.getMessage());
    assertAllowed(f.verifier.verify(f.issuer.issue(budgeted.id(), Fixture.AUDIENCE), "read",
        "orders/42"));
  }

  @Test
  void aMaximumLifetimeBeyondAnyMillisecondCountStillAcceptsAValidToken()
      throws ParseException {
    JwtVerifier patient = JwtVerifier.builder().trustedKeys(JWKSet.parse(f.ring.jwksJson()))
        .issuer(Fixture.ISSUER).audience(Fixture.AUDIENCE).clock(f.clock).stateless()
        .statelessMaxLifetime(Duration.ofSeconds(Long.MAX_VALUE)).build();
    assertAllowed(patient.verify(f.issuer.issueStateless(grant.id(), Fixture.AUDIENCE, null),
        "read", "orders/42"));
  }
}
