package dev.jitaccess.jwt;

import static dev.jitaccess.jwt.Fixture.assertAllowed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.jitaccess.Decision;
import dev.jitaccess.DenyReason;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.GrantState;
import dev.jitaccess.GrantStateException;
import dev.jitaccess.Permission;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import dev.jitaccess.Ttl;
import dev.jitaccess.UnknownGrantException;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.core.JitAccessBuilder;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** What the issuer writes, and that the verifier accepts exactly that. */
class IssueAndVerifyRoundTripTest {
  private final Fixture f = new Fixture();

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void issuedTokenCarriesTheGrantInItsHeaderAndClaims() {
    Grant grant = f.grant("write:exports/2026-11/** read:orders/*");
    String token = f.issuer.issue(grant.id(), Fixture.AUDIENCE);

    JWSHeader header = Fixture.headerOf(token);
    assertEquals(JWSAlgorithm.ES256, header.getAlgorithm());
    assertEquals("key-1", header.getKeyID());
    assertEquals("at+jwt", header.getType().getType());

    JWTClaimsSet claims = Fixture.claimsOf(token);
    Instant now = f.clock.instant();
    assertEquals(Fixture.ISSUER, claims.getIssuer());
    assertEquals(grant.subject(), claims.getSubject());
    assertEquals(List.of(Fixture.AUDIENCE), claims.getAudience());
    assertTrue(claims.getJWTID().matches("[A-Za-z0-9_-]{22}"), claims.getJWTID());
    assertNotEquals(grant.id(), claims.getJWTID());
    assertEquals(grant.subject(), claims.getClaim("client_id"));
    assertEquals(grant.reference(), claims.getClaim("grant_ref"));
    assertFalse(token.contains(grant.id()), "the token carries no grant id");
    assertFalse(Fixture.claimsOf(token).toString().contains(grant.id()));
    assertEquals("read:orders/* write:exports/2026-11/**", claims.getClaim("scope"));
    assertEquals(grant.task(), claims.getClaim("task"));
    assertEquals(grant.owner(), claims.getClaim("owner"));
    assertEquals(now.getEpochSecond(), claims.getIssueTime().toInstant().getEpochSecond());
    assertEquals(claims.getIssueTime(), claims.getNotBeforeTime());
    assertEquals(now.getEpochSecond() + 300, claims.getExpirationTime().toInstant()
        .getEpochSecond());
    assertNull(claims.getClaim("act"));
    assertNull(claims.getClaim("cnf"));
  }

  @Test
  void tokenNeverExpiresAfterItsGrant() {
    Grant shortLived = f.grant("read:orders/*", b -> b.ttl(Ttl.of(Duration.ofSeconds(90))));
    String token = f.issuer.issue(shortLived.id(), Fixture.AUDIENCE);
    Instant exp = Fixture.claimsOf(token).getExpirationTime().toInstant();
    assertFalse(exp.isAfter(shortLived.expiresAt()), exp + " is after " + shortLived.expiresAt());
    assertTrue(exp.isAfter(shortLived.expiresAt().minusSeconds(1)));
  }

  @Test
  void statelessTokenIsCappedAtTheStatelessLifetime() {
    Grant grant = f.grant("read:orders/*");
    JWTClaimsSet claims = Fixture.claimsOf(f.issuer.issueStateless(grant.id(), Fixture.AUDIENCE,
        null));
    assertEquals(60, claims.getExpirationTime().toInstant().getEpochSecond()
        - claims.getIssueTime().toInstant().getEpochSecond());
  }

  @Test
  void delegatedGrantCarriesItsChainOfActors() {
    Grant root = f.grant("read:orders/**");
    Grant child = f.jit.delegate(root.id(), Scope.parse("read:orders/42/**"),
        Duration.ofMinutes(5), "agent-planner");
    Grant grandchild = f.jit.delegate(child.id(), Scope.parse("read:orders/42/lines"),
        Duration.ofMinutes(2), "agent-tool");

    JWTClaimsSet claims = Fixture.claimsOf(f.issuer.issue(grandchild.id(), Fixture.AUDIENCE));

    assertEquals("agent-tool", claims.getSubject());
    assertEquals(Map.of("sub", "agent-planner", "act", Map.of("sub", "ci-job-4711")),
        claims.getClaim("act"));
    assertAllowed(f.verifier.verify(f.issuer.issue(grandchild.id(), Fixture.AUDIENCE), "read",
        "orders/42/lines"));
  }

  @Test
  void refusesToMintForARevokedGrant() {
    Grant grant = f.grant("read:orders/*");
    f.jit.revoke(grant.id(), RevocationReason.MANUAL);
    GrantStateException e = assertThrows(GrantStateException.class,
        () -> f.issuer.issue(grant.id(), Fixture.AUDIENCE));
    assertEquals(GrantState.REVOKED, e.state());
    assertTrue(e.getMessage().endsWith(" must be ACTIVE to mint a token, was REVOKED"),
        e.getMessage());
  }

  @Test
  void refusesToMintForAnExpiredGrant() {
    Grant grant = f.grant("read:orders/*");
    f.clock.advance(Duration.ofMinutes(10));
    GrantStateException e = assertThrows(GrantStateException.class,
        () -> f.issuer.issue(grant.id(), Fixture.AUDIENCE));
    assertEquals(GrantState.EXPIRED, e.state());
  }

  @Test
  void refusesToMintForAGrantWhoseExpiryTheRuntimeHasNotYetProcessedAndSaysItExpired() {
    FakeClock clock = new FakeClock();
    FakeClock idleScheduler = new FakeClock(); // never advanced: no expiry task ever runs
    JitAccess jit = JitAccess.builder().clock(clock).scheduler(idleScheduler)
        .auditSink(e -> { }).build();
    try {
      JwtIssuer issuer = JwtIssuer.builder().jit(jit).keyRing(f.ring).issuer(Fixture.ISSUER)
          .clock(clock).build();
      Grant grant = jit.request(GrantRequest.builder().subject("ci-job-4711")
          .owner("team-orders").task("export-2026-11").purpose("export the November orders")
          .scope(Scope.parse("read:orders/*")).ttl(Ttl.of(Duration.ofMinutes(10))).build());
      clock.advance(Duration.ofMinutes(10));
      assertEquals(GrantState.ACTIVE, jit.grant(grant.id()).orElseThrow().state(),
          "the record still says ACTIVE");
      GrantStateException e = assertThrows(GrantStateException.class,
          () -> issuer.issue(grant.id(), Fixture.AUDIENCE));
      assertEquals(GrantState.EXPIRED, e.state());
      assertTrue(e.getMessage().contains(
          "must be usable, with every ancestor, to mint a token; EXPIRED"), e.getMessage());
    } finally {
      jit.close();
    }
  }

  @Test
  void refusesToMintForAGrantThatExpiresWithinTheSecond() {
    Grant grant = f.grant("read:orders/*", b -> b.ttl(Ttl.of(Duration.ofMillis(300))));
    assertThrows(GrantStateException.class, () -> f.issuer.issue(grant.id(), Fixture.AUDIENCE));
  }

  @Test
  void refusesToMintForAnUnknownGrant() {
    assertThrows(UnknownGrantException.class,
        () -> f.issuer.issue("AAAAAAAAAAAAAAAAAAAAAA", Fixture.AUDIENCE));
    IllegalArgumentException malformed = assertThrows(IllegalArgumentException.class,
        () -> f.issuer.issue("not a grant id", Fixture.AUDIENCE));
    assertTrue(malformed.getMessage().startsWith("grantId must"), malformed.getMessage());
  }

  @Test
  void refusesToBindATokenToAPrivateKey() {
    Grant grant = f.grant("read:orders/*");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> f.issuer.issue(grant.id(), Fixture.AUDIENCE, Fixture.ecKey("workload")));
    assertTrue(e.getMessage().startsWith("workloadKey must be a public key"), e.getMessage());
  }

  @Test
  void refusesABlankAudience() {
    Grant grant = f.grant("read:orders/*");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> f.issuer.issue(grant.id(), " "));
    assertEquals("audience must not be blank", e.getMessage());
  }

  @Test
  void tokenStopsWorkingTheMomentItsGrantExpiresEvenWithinTheClockSkew() {
    Grant grant = f.grant("read:orders/*", b -> b.ttl(Ttl.of(Duration.ofSeconds(120))));
    String token = f.issuer.issue(grant.id(), Fixture.AUDIENCE);
    f.clock.setTo(grant.expiresAt().minusMillis(1));
    assertAllowed(f.verifier.verify(token, "read", "orders/42"));
    f.clock.setTo(grant.expiresAt());
    Decision after = f.verifier.verify(token, "read", "orders/42");
    assertEquals(DenyReason.EXPIRED, after.reason(), after::toString);
  }

  @Test
  void everyRandomScopeRoundTripsThroughTheTokenAndIsEnforced() {
    qt().withExamples(40).forAll(scopes()).checkAssert(permissions -> {
      Scope scope = Scope.of(permissions);
      Grant grant = f.grant(scope.toString());
      String token = f.issuer.issue(grant.id(), Fixture.AUDIENCE);
      assertEquals(scope, Scope.parse((String) Fixture.claimsOf(token).getClaim("scope")));
      for (Permission p : permissions) {
        String concrete = p.resourcePattern().replace("/**", "/x").replace("**", "x")
            .replace("*", "any");
        assertAllowed(f.verifier.verify(token, p.action(), concrete));
      }
      Decision denied = f.verifier.verify(token, "delete", "nothing/here");
      assertEquals(DenyReason.OUT_OF_SCOPE, denied.reason(), denied::toString);
    });
  }

  private static Gen<List<Permission>> scopes() {
    String[] actions = {"read", "write", "list"};
    String[] segments = {"orders", "42", "*", "exports", "2026-11", "lines"};
    Gen<Permission> permission = lists().of(integers().between(0, segments.length - 1))
        .ofSizeBetween(1, 3)
        .zip(integers().between(0, actions.length - 1), integers().between(0, 1),
            (path, action, tail) -> {
              List<String> parts = new ArrayList<>();
              for (int i : path) {
                parts.add(segments[i]);
              }
              if (tail == 1) {
                parts.add("**");
              }
              return Permission.of(actions[action], String.join("/", parts));
            });
    return lists().of(permission).ofSizeBetween(1, 4);
  }

  @Test
  void aTokenLifetimeLongerThanAnyGrantIsCappedByTheGrant() {
    JwtIssuer issuer = JwtIssuer.builder().jit(f.jit).keyRing(f.ring).issuer(Fixture.ISSUER)
        .clock(f.clock).tokenLifetime(Duration.ofSeconds(Long.MAX_VALUE))
        .statelessLifetime(Duration.ofSeconds(Long.MAX_VALUE)).build();
    Grant grant = f.grant("read:orders/*");
    for (String token : List.of(issuer.issue(grant.id(), Fixture.AUDIENCE),
        issuer.issueStateless(grant.id(), Fixture.AUDIENCE, null))) {
      assertEquals(grant.expiresAt().getEpochSecond(),
          Fixture.claimsOf(token).getExpirationTime().toInstant().getEpochSecond());
      assertAllowed(f.verifier.verify(token, "read", "orders/42"));
    }
  }

  @Test
  void aGrantAtTheDeepestDelegationTheRuntimeAllowsGetsAVerifiableToken() {
    int depth = JitAccessBuilder.MAX_DELEGATION_DEPTH;
    try (JitAccess deep = JitAccess.builder().clock(f.clock).scheduler(f.clock)
        .auditSink(e -> { }).maxDelegationDepth(depth).build()) {
      JwtIssuer issuer = JwtIssuer.builder().jit(deep).keyRing(f.ring).issuer(Fixture.ISSUER)
          .clock(f.clock).build();
      JwtVerifier verifier = JwtVerifier.builder().keyRing(f.ring).issuer(Fixture.ISSUER)
          .audience(Fixture.AUDIENCE).clock(f.clock).liveCheck(deep).build();
      Grant grant = deep.request(GrantRequest.builder().subject("agent-0").owner("team-orders")
          .task("chain").purpose("an agent chain").scope(Scope.parse("read:orders/*"))
          .ttl(Ttl.of(Duration.ofMinutes(30))).build());
      for (int i = 1; i <= depth; i++) {
        grant = deep.delegate(grant.id(), Scope.parse("read:orders/*"), Duration.ofMinutes(20),
            "agent-" + i);
      }
      String token = issuer.issue(grant.id(), Fixture.AUDIENCE);
      assertAllowed(verifier.verify(token, "read", "orders/42"));
      Object act = Fixture.claimsOf(token).getClaim("act");
      int levels = 0;
      while (act instanceof Map) {
        levels++;
        act = ((Map<?, ?>) act).get("act");
      }
      assertEquals(depth, levels, "one act level per ancestor");
    }
  }
}
