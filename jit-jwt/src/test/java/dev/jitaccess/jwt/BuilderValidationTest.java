package dev.jitaccess.jwt;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Builders refuse insecure or inconsistent settings, naming the field and the rule. */
class BuilderValidationTest {
  private final Fixture f = new Fixture();

  @AfterEach
  void close() {
    f.close();
  }

  private JwtVerifier.Builder verifier() {
    return JwtVerifier.builder().keyRing(f.ring).issuer(Fixture.ISSUER)
        .audience(Fixture.AUDIENCE).clock(f.clock).liveCheck(f.jit);
  }

  @Test
  void verifierRefusesHmacUnlessExplicitlyAllowed() {
    assertMessage(IllegalArgumentException.class, "algorithms must not hold HS256 unless",
        () -> verifier().algorithms(List.of(JWSAlgorithm.ES256, JWSAlgorithm.HS256)).build());
    verifier().algorithms(List.of(JWSAlgorithm.HS256)).allowHmac().build();
  }

  @Test
  void proofsAreNeverHmac() {
    assertMessage(IllegalArgumentException.class, "proofAlgorithms must not hold HS256",
        () -> verifier().allowHmac().proofAlgorithms(List.of(JWSAlgorithm.HS256)).build());
  }

  @Test
  void verifierRefusesAnEmptyOrUnsupportedAllowList() {
    assertMessage(IllegalArgumentException.class, "algorithms must not be empty",
        () -> verifier().algorithms(List.of()).build());
    assertMessage(IllegalArgumentException.class, "algorithms must hold only",
        () -> verifier().algorithms(List.of(JWSAlgorithm.EdDSA)).build());
  }

  @Test
  void verifierNeedsKeysIssuerAndAudience() {
    assertMessage(NullPointerException.class, "keys must be set",
        () -> JwtVerifier.builder().issuer("i").audience("a").stateless().build());
    assertMessage(NullPointerException.class, "issuer must be set",
        () -> JwtVerifier.builder().trustedKeys(new JWKSet()).audience("a").stateless().build());
    assertMessage(NullPointerException.class, "audience must be set",
        () -> JwtVerifier.builder().trustedKeys(new JWKSet()).issuer("i").stateless().build());
  }

  @Test
  void verifierLimitsAreBounded() {
    assertMessage(IllegalArgumentException.class, "maxClockSkew must be in [PT0S, PT5M]",
        () -> JwtVerifier.builder().maxClockSkew(Duration.ofMinutes(10)));
    assertMessage(IllegalArgumentException.class, "maxClockSkew must be in [PT0S, PT5M]",
        () -> JwtVerifier.builder().maxClockSkew(Duration.ofSeconds(-1)));
    assertMessage(IllegalArgumentException.class, "maxTokenSize must be in [256, 1048576]",
        () -> JwtVerifier.builder().maxTokenSize(10));
    assertMessage(IllegalArgumentException.class, "proofLifetime must be in [PT1S, PT10M]",
        () -> JwtVerifier.builder().proofLifetime(Duration.ofHours(1)));
    assertMessage(IllegalArgumentException.class, "statelessMaxLifetime must be > 0",
        () -> JwtVerifier.builder().statelessMaxLifetime(Duration.ZERO));
    assertMessage(IllegalArgumentException.class, "maxRememberedProofs must be > 0",
        () -> JwtVerifier.builder().maxRememberedProofs(0));
  }

  @Test
  void settersMayBeCalledOnce() {
    assertMessage(IllegalStateException.class, "issuer was already set",
        () -> JwtVerifier.builder().issuer("a").issuer("b"));
    assertMessage(IllegalStateException.class, "keyRing was already set",
        () -> JwtIssuer.builder().keyRing(f.ring).keyRing(f.ring));
    assertMessage(IllegalStateException.class, "signingKey was already set",
        () -> JwtKeyRing.builder().signingKey(f.signingKey).signingKey(f.signingKey));
  }

  @Test
  void issuerNeedsJitKeysAndIssuer() {
    assertMessage(NullPointerException.class, "jit must be set",
        () -> JwtIssuer.builder().keyRing(f.ring).issuer("i").build());
    assertMessage(NullPointerException.class, "keyRing must be set",
        () -> JwtIssuer.builder().jit(f.jit).issuer("i").build());
    assertMessage(NullPointerException.class, "issuer must not be null",
        () -> JwtIssuer.builder().jit(f.jit).keyRing(f.ring).build());
  }

  @Test
  void issuerLifetimesAreAtLeastASecond() {
    assertMessage(IllegalArgumentException.class, "tokenLifetime must be >= PT1S",
        () -> JwtIssuer.builder().tokenLifetime(Duration.ofMillis(500)));
    assertMessage(IllegalArgumentException.class, "statelessLifetime must be >= PT1S",
        () -> JwtIssuer.builder().statelessLifetime(Duration.ZERO));
  }

  @Test
  void identityVerifierNeedsKeysIssuerAndAudience() {
    assertMessage(NullPointerException.class, "trustedKeys must be set",
        () -> JwtIdentityVerifier.builder().issuer("i").audience("a").build());
    assertMessage(IllegalArgumentException.class, "issuer must not be blank",
        () -> JwtIdentityVerifier.builder().issuer(" "));
  }

  @Test
  void everyVerifierSetterThatTakesAValueMayBeCalledOnce() {
    JWKSet none = new JWKSet();
    List<JWSAlgorithm> es256 = List.of(JWSAlgorithm.ES256);
    assertTwice("auditSink", b -> b.auditSink(e -> { }));
    assertTwice("keys", b -> b.keyRing(f.ring));
    assertTwice("keys", b -> b.trustedKeys(none));
    assertMessage(IllegalStateException.class, "keys was already set",
        () -> JwtVerifier.builder().keyRing(f.ring).trustedKeys(none));
    assertTwice("issuer", b -> b.issuer(Fixture.ISSUER));
    assertTwice("audience", b -> b.audience(Fixture.AUDIENCE));
    assertTwice("clock", b -> b.clock(f.clock));
    assertTwice("liveCheck", b -> b.liveCheck(f.jit));
    assertTwice("algorithms", b -> b.algorithms(es256));
    assertTwice("maxClockSkew", b -> b.maxClockSkew(Duration.ofSeconds(1)));
    assertTwice("maxTokenSize", b -> b.maxTokenSize(4096));
    assertTwice("statelessMaxLifetime", b -> b.statelessMaxLifetime(Duration.ofSeconds(30)));
    assertTwice("proofAlgorithms", b -> b.proofAlgorithms(es256));
    assertTwice("proofLifetime", b -> b.proofLifetime(Duration.ofSeconds(30)));
    assertTwice("maxRememberedProofs", b -> b.maxRememberedProofs(10));
    assertTwice("maxRememberedProofsPerKey", b -> b.maxRememberedProofsPerKey(10));
  }

  @Test
  void verifierLimitsAcceptTheirBoundsAndRefuseJustBeyond() {
    assertMessage(IllegalArgumentException.class, "maxTokenSize must be in [256, 1048576], was 255",
        () -> JwtVerifier.builder().maxTokenSize(255));
    assertMessage(IllegalArgumentException.class,
        "maxTokenSize must be in [256, 1048576], was 1048577",
        () -> JwtVerifier.builder().maxTokenSize((1 << 20) + 1));
    assertDoesNotThrow(() -> JwtVerifier.builder().maxTokenSize(256));
    assertDoesNotThrow(() -> JwtVerifier.builder().maxTokenSize(1 << 20));

    assertMessage(IllegalArgumentException.class, "maxClockSkew must be in [PT0S, PT5M]",
        () -> JwtVerifier.builder().maxClockSkew(Duration.ofMinutes(5).plusNanos(1)));
    assertMessage(IllegalArgumentException.class, "maxClockSkew must be in [PT0S, PT5M]",
        () -> JwtVerifier.builder().maxClockSkew(Duration.ofNanos(-1)));
    assertDoesNotThrow(() -> JwtVerifier.builder().maxClockSkew(Duration.ZERO));
    assertDoesNotThrow(() -> JwtVerifier.builder().maxClockSkew(Duration.ofMinutes(5)));

    assertMessage(IllegalArgumentException.class, "proofLifetime must be in [PT1S, PT10M]",
        () -> JwtVerifier.builder().proofLifetime(Duration.ofSeconds(1).minusNanos(1)));
    assertMessage(IllegalArgumentException.class, "proofLifetime must be in [PT1S, PT10M]",
        () -> JwtVerifier.builder().proofLifetime(Duration.ofMinutes(10).plusNanos(1)));
    assertDoesNotThrow(() -> JwtVerifier.builder().proofLifetime(Duration.ofSeconds(1)));
    assertDoesNotThrow(() -> JwtVerifier.builder().proofLifetime(Duration.ofMinutes(10)));

    assertMessage(IllegalArgumentException.class, "maxRememberedProofsPerKey must be > 0, was 0",
        () -> JwtVerifier.builder().maxRememberedProofsPerKey(0));
    assertDoesNotThrow(() -> JwtVerifier.builder().maxRememberedProofs(1));
    assertDoesNotThrow(() -> JwtVerifier.builder().maxRememberedProofsPerKey(1));
  }

  @Test
  void everyIdentityVerifierSetterThatTakesAValueMayBeCalledOnce() {
    List<UnaryOperator<JwtIdentityVerifier.Builder>> setters = List.of(
        b -> b.trustedKeys(new JWKSet()), b -> b.issuer(Fixture.ISSUER),
        b -> b.audience(Fixture.AUDIENCE), b -> b.clock(f.clock),
        b -> b.algorithms(List.of(JWSAlgorithm.ES256)), b -> b.maxClockSkew(Duration.ZERO),
        b -> b.maxTokenLifetime(Duration.ofMinutes(5)));
    List<String> names = List.of("trustedKeys", "issuer", "audience", "clock", "algorithms",
        "maxClockSkew", "maxTokenLifetime");
    for (int i = 0; i < setters.size(); i++) {
      UnaryOperator<JwtIdentityVerifier.Builder> setter = setters.get(i);
      JwtIdentityVerifier.Builder builder = setter.apply(JwtIdentityVerifier.builder());
      assertMessage(IllegalStateException.class, names.get(i) + " was already set",
          () -> setter.apply(builder));
    }
  }

  @Test
  void identityVerifierClockSkewAcceptsItsBoundsAndRefusesJustBeyond() {
    assertMessage(IllegalArgumentException.class, "maxClockSkew must be in [PT0S, PT5M]",
        () -> JwtIdentityVerifier.builder().maxClockSkew(Duration.ofMinutes(5).plusNanos(1)));
    assertMessage(IllegalArgumentException.class, "maxClockSkew must be in [PT0S, PT5M]",
        () -> JwtIdentityVerifier.builder().maxClockSkew(Duration.ofNanos(-1)));
    assertMessage(NullPointerException.class, "maxClockSkew must not be null",
        () -> JwtIdentityVerifier.builder().maxClockSkew(null));
    assertDoesNotThrow(() -> JwtIdentityVerifier.builder().maxClockSkew(Duration.ZERO));
    assertDoesNotThrow(() -> JwtIdentityVerifier.builder().maxClockSkew(Duration.ofMinutes(5)));
  }

  @Test
  void everyIssuerSetterMayBeCalledOnce() {
    List<UnaryOperator<JwtIssuer.Builder>> setters = List.of(
        b -> b.auditSink(e -> { }), b -> b.jit(f.jit), b -> b.keyRing(f.ring),
        b -> b.issuer(Fixture.ISSUER), b -> b.clock(f.clock),
        b -> b.tokenLifetime(Duration.ofMinutes(1)), b -> b.statelessLifetime(Duration.ofMinutes(1)));
    List<String> names = List.of("auditSink", "jit", "keyRing", "issuer", "clock",
        "tokenLifetime", "statelessLifetime");
    for (int i = 0; i < setters.size(); i++) {
      UnaryOperator<JwtIssuer.Builder> setter = setters.get(i);
      JwtIssuer.Builder builder = setter.apply(JwtIssuer.builder());
      assertMessage(IllegalStateException.class, names.get(i) + " was already set",
          () -> setter.apply(builder));
    }
  }

  @Test
  void issuerLifetimesMayBeExactlyASecondAndNotNull() {
    assertDoesNotThrow(() -> JwtIssuer.builder().tokenLifetime(Duration.ofSeconds(1)));
    assertDoesNotThrow(() -> JwtIssuer.builder().statelessLifetime(Duration.ofSeconds(1)));
    assertMessage(IllegalArgumentException.class, "tokenLifetime must be >= PT1S",
        () -> JwtIssuer.builder().tokenLifetime(Duration.ofSeconds(1).minusNanos(1)));
    assertMessage(NullPointerException.class, "tokenLifetime must not be null",
        () -> JwtIssuer.builder().tokenLifetime(null));
    assertMessage(NullPointerException.class, "statelessLifetime must not be null",
        () -> JwtIssuer.builder().statelessLifetime(null));
  }

  private static void assertTwice(String name, UnaryOperator<JwtVerifier.Builder> setter) {
    JwtVerifier.Builder builder = setter.apply(JwtVerifier.builder());
    assertMessage(IllegalStateException.class, name + " was already set",
        () -> setter.apply(builder));
  }

  private static void assertMessage(Class<? extends Throwable> type, String prefix,
      Executable call) {
    Throwable e = assertThrows(type, call);
    assertTrue(e.getMessage().startsWith(prefix), () -> "message was: " + e.getMessage());
    assertEquals(type, e.getClass());
  }
}
