package dev.jitaccess.jwt;

import dev.jitaccess.DenialCode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import dev.jitaccess.Decision;
import dev.jitaccess.DenyReason;
import dev.jitaccess.Grant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The verifier under concurrent use: a proof is accepted once, a budget is spent exactly. */
class ConcurrencyTest {
  private static final int THREADS = 8;
  private final Fixture f = new Fixture();
  private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

  @AfterEach
  void close() throws InterruptedException {
    pool.shutdownNow();
    assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    f.close();
  }

  @Test
  void theSameProofRacedFromManyThreadsIsAcceptedExactlyOnce() throws Exception {
    Grant grant = f.grant("read:orders/*");
    ECKey workload = Fixture.ecKey("workload");
    String token = f.issuer.issue(grant.id(), Fixture.AUDIENCE, workload.toPublicJWK());
    DpopProof proof = DpopProof.sign(workload, "GET", "https://orders.example.com/orders/42",
        token, f.clock);
    List<Decision> decisions = race(() -> f.verifier.verify(token, "read", "orders/42", proof));
    assertEquals(1, decisions.stream().filter(Decision::isAllowed).count(), decisions::toString);
    assertEquals(THREADS - 1, decisions.stream()
        .filter(d -> d.code() == JwtDenialCode.PROOF_REPLAYED).count(), decisions::toString);
  }

  @Test
  void theSameProofRacedAgainstAStatelessVerifierIsAcceptedExactlyOnce() throws Exception {
    JwtVerifier stateless = JwtVerifier.builder().trustedKeys(JWKSet.parse(f.ring.jwksJson()))
        .issuer(Fixture.ISSUER).audience(Fixture.AUDIENCE).clock(f.clock).stateless().build();
    Grant grant = f.grant("read:orders/*");
    ECKey workload = Fixture.ecKey("workload");
    String token = f.issuer.issueStateless(grant.id(), Fixture.AUDIENCE, workload.toPublicJWK());
    DpopProof proof = DpopProof.sign(workload, "GET", "https://orders.example.com/orders/42",
        token, f.clock);
    List<Decision> decisions = race(() -> stateless.verify(token, "read", "orders/42", proof));
    assertEquals(1, decisions.stream().filter(Decision::isAllowed).count(), decisions::toString);
    assertEquals(THREADS - 1, decisions.stream()
        .filter(d -> d.code() == JwtDenialCode.PROOF_REPLAYED).count(), decisions::toString);
  }

  @Test
  void aBudgetOfThreeAllowsExactlyThreeConcurrentVerifications() throws Exception {
    Grant grant = f.grant("read:orders/*", b -> b.useBudget(3));
    String token = f.issuer.issue(grant.id(), Fixture.AUDIENCE);
    List<Decision> decisions = race(() -> f.verifier.verify(token, "read", "orders/42"));
    assertEquals(3, decisions.stream().filter(Decision::isAllowed).count(), decisions::toString);
  }

  @Test
  void signingWhileRotatingAlwaysYieldsAVerifiableToken() throws Exception {
    Grant grant = f.grant("read:orders/*");
    List<Future<String>> tokens = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      tokens.add(pool.submit(() -> f.issuer.issue(grant.id(), Fixture.AUDIENCE)));
      if (i % 10 == 0) {
        f.ring.rotate(Fixture.ecKey("key-r" + i));
      }
    }
    for (Future<String> t : tokens) {
      Decision d = f.verifier.verify(t.get(10, TimeUnit.SECONDS), "read", "orders/42");
      assertTrue(d.isAllowed(), d::toString);
    }
  }

  private List<Decision> race(java.util.concurrent.Callable<Decision> call) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Decision>> futures = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      futures.add(pool.submit(() -> {
        start.await();
        return call.call();
      }));
    }
    start.countDown();
    List<Decision> out = new ArrayList<>();
    for (Future<Decision> future : futures) {
      out.add(future.get(10, TimeUnit.SECONDS));
    }
    return out;
  }
}
