package dev.jitaccess.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.IdentityVerificationException;
import dev.jitaccess.Scope;
import dev.jitaccess.Ttl;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Without a clock, the verifiers and the issuer read the system clock. Each test tells it apart
 * from the fixture's fake clock by an instant far from the present: a token that expired in 2001
 * is expired now, and a runtime whose clock reads 2200 has grants that live well past now.
 */
class DefaultClockTest {
  private static final Instant LONG_AGO = Instant.parse("2001-01-01T00:00:00Z");

  private final Fixture f = new Fixture();
  private final Grant grant = f.grant("read:orders/*");

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void aVerifierWithoutAClockDeniesATokenThatExpiredLongAgoAsExpired() {
    JwtVerifier systemTime = JwtVerifier.builder()
        .trustedKeys(new JWKSet(f.signingKey.toPublicJWK())).issuer(Fixture.ISSUER)
        .audience(Fixture.AUDIENCE).stateless().build();
    String expired = f.sign(f.header().type(TokenTypes.STATELESS_TOKEN_TYPE),
        at(f.claimsFor(grant), LONG_AGO, Duration.ofSeconds(30)));
    Fixture.assertDenied(JwtDenialCode.TOKEN_EXPIRED, systemTime, expired, "read", "orders/42",
        null);
    String current = f.sign(f.header().type(TokenTypes.STATELESS_TOKEN_TYPE),
        at(f.claimsFor(grant), Clock.systemUTC().instant(), Duration.ofSeconds(30)));
    Fixture.assertAllowed(systemTime.verify(current, "read", "orders/42"));
  }

  @Test
  void anIdentityVerifierWithoutAClockRefusesATokenThatExpiredLongAgoNamingExp() {
    JwtIdentityVerifier systemTime = JwtIdentityVerifier.builder()
        .trustedKeys(new JWKSet(f.signingKey.toPublicJWK())).issuer(Fixture.ISSUER)
        .audience(Fixture.AUDIENCE).build();
    JWSHeader.Builder header = new JWSHeader.Builder(JWSAlgorithm.ES256)
        .keyID(f.signingKey.getKeyID()).type(JOSEObjectType.JWT);
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(Fixture.ISSUER)
        .subject("batch-runner").audience(Fixture.AUDIENCE);
    String expired = f.sign(header, at(claims, LONG_AGO, Duration.ofMinutes(5)));
    IdentityVerificationException e = assertThrows(IdentityVerificationException.class,
        () -> systemTime.verify(expired));
    assertEquals("exp", e.rule(), e.getMessage());
    String current = f.sign(header, at(claims, Clock.systemUTC().instant(),
        Duration.ofMinutes(5)));
    assertEquals("batch-runner", systemTime.verify(current).subject());
  }

  @Test
  void anIssuerWithoutAClockStampsTheSystemTime() {
    FakeClock future = new FakeClock(Instant.parse("2200-01-01T00:00:00Z"));
    try (JitAccess jit = JitAccess.builder().clock(future).scheduler(future).auditSink(e -> { })
        .build()) {
      JwtIssuer systemTime = JwtIssuer.builder().jit(jit).keyRing(f.ring).issuer(Fixture.ISSUER)
          .build();
      Grant later = jit.request(GrantRequest.builder().subject("ci-job-4711").owner("team-orders")
          .task("export-2026-11").purpose("export the November orders")
          .scope(Scope.parse("read:orders/*")).ttl(Ttl.of(Duration.ofMinutes(10))).build());
      long before = Clock.systemUTC().instant().getEpochSecond();
      JWTClaimsSet claims = Fixture.claimsOf(systemTime.issue(later.id(), Fixture.AUDIENCE));
      long after = Clock.systemUTC().instant().getEpochSecond();
      long iat = claims.getIssueTime().toInstant().getEpochSecond();
      assertTrue(iat >= before && iat <= after, () -> "iat " + iat + " is not the system time");
    }
  }

  /** {@code claims} issued at {@code iat} (whole seconds) and expiring {@code life} later. */
  private static JWTClaimsSet.Builder at(JWTClaimsSet.Builder claims, Instant iat,
      Duration life) {
    long seconds = iat.getEpochSecond();
    return claims.issueTime(new Date(seconds * 1000)).notBeforeTime(new Date(seconds * 1000))
        .expirationTime(new Date((seconds + life.getSeconds()) * 1000));
  }
}
