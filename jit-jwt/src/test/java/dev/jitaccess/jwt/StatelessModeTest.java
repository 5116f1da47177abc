package dev.jitaccess.jwt;

import static dev.jitaccess.jwt.Fixture.assertAllowed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import dev.jitaccess.DenyReason;
import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
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
    Fixture.assertDenied(DenyReason.TOKEN_EXPIRED, stateless, token, "read", "orders/42", null);
  }

  @Test
  void longLivedTokenIsRefusedSoRevocationCannotLagBeyondTheCap() {
    String live = f.issuer.issue(grant.id(), Fixture.AUDIENCE); // 5 minutes
    Fixture.assertDenied(DenyReason.TOKEN_LIFETIME_TOO_LONG, stateless, live, "read", "orders/42",
        null);
  }

  @Test
  void statelessMaxLifetimeIsConfigurable() throws ParseException {
    JwtVerifier lenient = JwtVerifier.builder().trustedKeys(JWKSet.parse(f.ring.jwksJson()))
        .issuer(Fixture.ISSUER).audience(Fixture.AUDIENCE).clock(f.clock).stateless()
        .statelessMaxLifetime(Duration.ofMinutes(5)).build();
    assertAllowed(lenient.verify(f.issuer.issue(grant.id(), Fixture.AUDIENCE), "read",
        "orders/42"));
  }

  @Test
  void boundStatelessTokenStillNeedsItsProof() {
    ECKey workload = Fixture.ecKey("workload");
    String token = f.issuer.issueStateless(grant.id(), Fixture.AUDIENCE, workload.toPublicJWK());
    Fixture.assertDenied(DenyReason.PROOF_MISSING, stateless, token, "read", "orders/42", null);
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
}
