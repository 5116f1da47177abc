package dev.jitaccess.benchmarks;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
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
import dev.jitaccess.jwt.DpopProof;
import dev.jitaccess.jwt.JwtIssuer;
import dev.jitaccess.jwt.JwtKeyRing;
import dev.jitaccess.jwt.JwtVerifier;
import dev.jitaccess.testkit.time.FakeClock;
import java.text.ParseException;
import java.time.Duration;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The same ES256 token verified by {@link JwtVerifier} with the live grant check and the scope
 * check, and by a bare Nimbus {@link DefaultJWTProcessor} configured with the same algorithm, key,
 * {@code typ}, issuer, audience and required claims. The difference is what the live check costs
 * over verification alone (target: within 1.1x). The clock is fixed, so the token never expires.
 *
 * <p>{@link #verifyBoundWithProof} verifies a token bound to a workload key ({@code cnf.jkt})
 * presented with a fresh DPoP proof, signed outside the measured call: two ES256 verifications,
 * the proof's checks, and its id recorded in the replay cache under the key's quota. The quota and
 * the cache are sized for the run (the fixed clock never lets an id expire), so every call allows.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JwtVerifyBenchmark {
  static final String ISSUER = "https://jit.example";
  static final String AUDIENCE = "orders-service";

  private JitAccess jit;
  private JwtVerifier verifier;
  private DefaultJWTProcessor<SecurityContext> raw;
  private String token;
  private FakeClock clock;
  private ECKey workload;
  private String boundToken;
  private JwtVerifier boundVerifier;

  static final String URI = "https://orders.example/orders/42";

  /** A fresh proof per call: each has its own {@code jti}, as a client's would. */
  @State(org.openjdk.jmh.annotations.Scope.Thread)
  public static class Proof {
    DpopProof proof;

    @Setup(Level.Invocation)
    public void sign(JwtVerifyBenchmark benchmark) {
      proof = DpopProof.sign(benchmark.workload, "GET", URI, benchmark.boundToken,
          benchmark.clock);
    }
  }

  @Setup(Level.Trial)
  public void setUp() throws JOSEException {
    clock = new FakeClock();
    jit = JitAccess.builder().clock(clock).scheduler(clock).auditSink(event -> { }).build();
    ECKey key = new ECKeyGenerator(Curve.P_256).keyID("bench-1").generate();
    JwtKeyRing ring = JwtKeyRing.builder().clock(clock).signingKey(key).build();
    Grant grant = jit.request(GrantRequest.builder()
        .subject("bench-workload").owner("team-bench").task("bench").purpose("benchmark")
        .scope(Scope.parse("read:orders/*")).ttl(Ttl.of(Duration.ofMinutes(30))).build());
    JwtIssuer issuer = JwtIssuer.builder().jit(jit).keyRing(ring).issuer(ISSUER).clock(clock)
        .tokenLifetime(Duration.ofMinutes(30)).build();
    token = issuer.issue(grant.id(), AUDIENCE);
    verifier = JwtVerifier.builder().keyRing(ring).issuer(ISSUER).audience(AUDIENCE).clock(clock)
        .liveCheck(jit).build();
    workload = new ECKeyGenerator(Curve.P_256).keyID("workload").generate();
    boundToken = issuer.issue(grant.id(), AUDIENCE, workload.toPublicJWK());
    boundVerifier = JwtVerifier.builder().keyRing(ring).issuer(ISSUER).audience(AUDIENCE)
        .clock(clock).liveCheck(jit).maxRememberedProofs(50_000_000)
        .maxRememberedProofsPerKey(50_000_000).build();
    raw = new DefaultJWTProcessor<>();
    raw.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
    raw.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.ES256),
        new ImmutableJWKSet<>(ring.publicJwkSet())));
    DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
        new HashSet<>(List.of(AUDIENCE)), new JWTClaimsSet.Builder().issuer(ISSUER).build(),
        new HashSet<>(List.of("iss", "sub", "aud", "exp", "iat", "jti", "client_id", "scope",
            "grant_ref")),
        new HashSet<>()) {
      @Override
      protected Date currentTime() {
        return new Date(clock.millis());
      }
    };
    claims.setMaxClockSkew(5);
    raw.setJWTClaimsSetVerifier(claims);
    if (!verifyWithLiveCheck().isAllowed()) {
      throw new IllegalStateException("the benchmark token must verify with the live check");
    }
    rawNimbusVerify();
    Proof first = new Proof();
    first.sign(this);
    if (!verifyBoundWithProof(first).isAllowed()) {
      throw new IllegalStateException("the bound token must verify with a fresh proof");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    jit.close();
  }

  /** Signature, claims, live grant check and scope. */
  @Benchmark
  public Decision verifyWithLiveCheck() {
    return verifier.verify(token, "read", "orders/42");
  }

  /** A key-bound token with a fresh proof of possession: both verified, the proof remembered. */
  @Benchmark
  public Decision verifyBoundWithProof(Proof proof) {
    return boundVerifier.verify(boundToken, "read", "orders/42", proof.proof);
  }

  /** Nimbus alone: parse, typ, key, signature, claims. */
  @Benchmark
  public JWTClaimsSet rawNimbusVerify() {
    try {
      return raw.process(token, null);
    } catch (ParseException | BadJOSEException | JOSEException e) {
      throw new IllegalStateException("the benchmark token must verify", e);
    }
  }
}
