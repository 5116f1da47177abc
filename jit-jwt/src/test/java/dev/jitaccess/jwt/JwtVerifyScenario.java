package dev.jitaccess.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.jitaccess.Decision;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.Scope;
import dev.jitaccess.Ttl;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.testkit.time.FakeClock;
import java.text.ParseException;
import java.time.Duration;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The scenario a benchmark compares: the same ES256 token verified (a) by {@link JwtVerifier}
 * with the live grant check and (b) by a bare Nimbus {@link DefaultJWTProcessor} configured with
 * the same algorithm, key, {@code typ}, issuer, audience and required claims, but no live check
 * and no scope check. The difference is the cost of the grant lookup, the scope match and the
 * reason mapping.
 *
 * <p>Create once per benchmark trial; both methods may then be called from any number of
 * threads. The grant has no use budget, so verification never exhausts it, and the clock is
 * fixed, so the token never expires during a run.
 */
public final class JwtVerifyScenario implements AutoCloseable {
  static final String ACTION = "read";
  static final String RESOURCE = "orders/42";

  private final FakeClock clock = new FakeClock();
  private final JitAccess jit = JitAccess.builder().clock(clock).scheduler(clock)
      .auditSink(e -> { }).build();
  private final JwtKeyRing ring = JwtKeyRing.builder().clock(clock)
      .signingKey(Fixture.ecKey("bench-1")).build();
  private final JwtVerifier verifier = JwtVerifier.builder().keyRing(ring)
      .issuer(Fixture.ISSUER).audience(Fixture.AUDIENCE).clock(clock).liveCheck(jit).build();
  private final DefaultJWTProcessor<SecurityContext> raw;
  private final String token;

  /** Mints one grant and one token for it. */
  public JwtVerifyScenario() {
    Grant grant = jit.request(GrantRequest.builder()
        .subject("bench-workload").owner("team-bench").task("bench").purpose("benchmark")
        .scope(Scope.parse("read:orders/*")).ttl(Ttl.of(Duration.ofMinutes(30))).build());
    JwtIssuer issuer = JwtIssuer.builder().jit(jit).keyRing(ring).issuer(Fixture.ISSUER)
        .clock(clock).tokenLifetime(Duration.ofMinutes(30)).build();
    this.token = issuer.issue(grant.id(), Fixture.AUDIENCE);
    this.raw = rawProcessor(ring.publicJwkSet(), clock);
  }

  private static DefaultJWTProcessor<SecurityContext> rawProcessor(JWKSet keys, FakeClock clock) {
    DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
    p.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
    p.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.ES256),
        new ImmutableJWKSet<>(keys)));
    DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
        new HashSet<>(List.of(Fixture.AUDIENCE)),
        new JWTClaimsSet.Builder().issuer(Fixture.ISSUER).build(),
        new HashSet<>(List.of("iss", "sub", "aud", "exp", "iat", "jti", "scope")),
        new HashSet<>()) {
      @Override
      protected Date currentTime() {
        return new Date(clock.millis());
      }
    };
    claims.setMaxClockSkew(5);
    p.setJWTClaimsSetVerifier(claims);
    return p;
  }

  /** The token both paths verify. */
  public String token() {
    return token;
  }

  /** Verification with the live grant check and the scope check. */
  public Decision verifyWithLiveCheck() {
    return verifier.verify(token, ACTION, RESOURCE);
  }

  /**
   * Nimbus alone: parse, {@code typ}, key, signature, claims.
   *
   * @throws IllegalStateException if the token does not verify (it always should)
   */
  public JWTClaimsSet rawNimbusVerify() {
    try {
      return raw.process(token, null);
    } catch (ParseException | BadJOSEException | JOSEException e) {
      throw new IllegalStateException("the scenario's token must verify", e);
    }
  }

  @Override
  public void close() {
    jit.close();
  }
}
