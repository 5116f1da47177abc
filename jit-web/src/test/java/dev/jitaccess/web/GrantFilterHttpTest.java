package dev.jitaccess.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.jwt.DpopProof;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The servlet filter on an embedded Tomcat, called over real HTTP on localhost. */
class GrantFilterHttpTest {
  private static final List<String> NO_CREDENTIAL =
      List.of("Bearer realm=\"shop\"", "DPoP realm=\"shop\", algs=\"ES256\"");
  private static final List<String> INVALID_TOKEN = List.of(
      "Bearer realm=\"shop\", error=\"invalid_token\"", "DPoP realm=\"shop\", algs=\"ES256\"");
  private static final List<String> INVALID_PROOF = List.of(
      "DPoP realm=\"shop\", error=\"invalid_dpop_proof\", algs=\"ES256\"", "Bearer realm=\"shop\"");

  @TempDir
  Path baseDir;
  private WebFixture f;
  private Grant grant;

  /** Answers with what allowed the request. */
  static final class Orders extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
        throws IOException, jakarta.servlet.ServletException {
      String path = request.getPathInfo() == null ? "" : request.getPathInfo();
      if (request.getDispatcherType() == jakarta.servlet.DispatcherType.REQUEST) {
        if (path.startsWith("/public/forward/")) {
          request.getRequestDispatcher(path.substring("/public/forward".length()))
              .forward(request, response);
          return;
        }
        if (path.startsWith("/public/include/")) {
          response.setContentType("text/plain");
          response.getWriter().write("before|");
          request.getRequestDispatcher(path.substring("/public/include".length()))
              .include(request, response);
          response.getWriter().write("|after");
          return;
        }
        if (request.getParameter("again") != null) { // the same route, forwarded
          request.getRequestDispatcher(path).forward(request, response);
          return;
        }
      }
      AllowedRequest a = (AllowedRequest) request.getAttribute(AllowedRequest.ATTRIBUTE);
      response.setContentType("text/plain");
      response.getWriter().write(a == null ? "open" : a.grantReference() + " " + a.subject() + " "
          + a.task() + " " + a.action() + " " + a.resource() + " " + a.credential());
    }
  }

  @BeforeEach
  void start() throws Exception {
    f = new WebFixture(baseDir);
    GrantEnforcer enforcer = GrantEnforcer.builder()
        .tokens(f.verifier)
        .routes(RouteMap.builder().guard("/orders")
            .route("GET", "/orders/**", "read", "orders/**")
            .route("POST", "/orders/{id}", "write", "orders/{id}")
            .build())
        .realm("shop")
        .grantHeader("X-Jit-Grant", f.jit)
        .build();
    Context context = f.context("/shop");
    Tomcat.addServlet(context, "orders", new Orders());
    context.addServletMappingDecoded("/*", "orders");
    FilterDef def = new FilterDef();
    def.setFilterName("grants");
    def.setFilter(new GrantFilter(enforcer));
    context.addFilterDef(def);
    FilterMap map = new FilterMap();
    map.setFilterName("grants");
    map.addURLPattern("/*");
    map.setDispatcher("REQUEST");
    map.setDispatcher("FORWARD");
    map.setDispatcher("INCLUDE");
    context.addFilterMap(map);
    f.start();
    grant = f.grant("read:orders/** write:orders/42");
  }

  @AfterEach
  void stop() throws Exception {
    f.close();
  }

  private static void assertDenied(HttpResponse<String> r, int status, List<String> challenges) {
    assertEquals(status, r.statusCode(), r::body);
    assertEquals(challenges, r.headers().allValues("WWW-Authenticate"));
    assertEquals(List.of("no-store"), r.headers().allValues("Cache-Control"));
    String body = r.body();
    assertTrue(List.of("Bad Request\n", "Unauthorized\n", "Forbidden\n").contains(body), body);
  }

  @Test
  void aBearerTokenWhoseGrantPermitsTheRouteIsAllowed() throws Exception {
    HttpResponse<String> r = f.send("GET", "/shop/orders/42/lines?page=2",
        "Authorization", "Bearer " + f.token(grant));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(grant.reference() + " ci-job-4711 export-2026-11 read orders/42/lines BEARER_TOKEN",
        r.body());
  }

  @Test
  void aForwardFromAnOpenPathIntoAGuardedRouteIsDecidedThereAndDeniedWithoutACredential()
      throws Exception {
    assertDenied(f.send("GET", "/shop/public/forward/orders/42"), 401, NO_CREDENTIAL);
  }

  @Test
  void aForwardIntoAGuardedRouteIsAllowedByACredentialThatPermitsThatRoute() throws Exception {
    HttpResponse<String> r = f.send("GET", "/shop/public/forward/orders/42",
        "Authorization", "Bearer " + f.token(grant));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(grant.reference() + " ci-job-4711 export-2026-11 read orders/42 BEARER_TOKEN",
        r.body());
  }

  @Test
  void anIncludeOfAGuardedRouteWithoutACredentialIncludesNothingOfIt() throws Exception {
    HttpResponse<String> r = f.send("GET", "/shop/public/include/orders/42");
    assertFalse(r.body().contains("open"), r.body());
    assertFalse(r.body().contains("orders/42"), r.body());
    assertTrue(r.body().startsWith("Unauthorized"), r.body()); // the denial, not the route
  }

  @Test
  void aForwardToTheRouteAlreadyAllowedKeepsThatAllowanceAndSpendsNoSecondProof()
      throws Exception {
    String token = f.boundToken(grant);
    DpopProof proof = f.proof("GET", "/shop/orders/42", token);
    HttpResponse<String> r = f.send("GET", "/shop/orders/42?again=1",
        "Authorization", "DPoP " + token, "DPoP", proof.jwt());
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().endsWith("read orders/42 DPOP_TOKEN"), r.body());
  }

  @Test
  void aRequestOutsideTheGuardedPrefixPassesWithoutACredential() throws Exception {
    assertEquals("open", f.send("GET", "/shop/public/info").body());
  }

  @Test
  void noCredentialIs401WithBothChallengesAndNoError() throws Exception {
    assertDenied(f.send("GET", "/shop/orders/42"), 401, NO_CREDENTIAL);
  }

  @Test
  void anUnsupportedSchemeCountsAsNoCredential() throws Exception {
    assertDenied(f.send("GET", "/shop/orders/42", "Authorization", "Basic dXNlcjpwYXNz"), 401,
        NO_CREDENTIAL);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Bearer not-a-jwt", "Bearer a.b.c", "Bearer ", "Bearer a b"})
  void anInvalidTokenIs401InvalidToken(String authorization) throws Exception {
    assertDenied(f.send("GET", "/shop/orders/42", "Authorization", authorization), 401,
        INVALID_TOKEN);
  }

  @Test
  void aValidTokenWithoutThePermissionIs403InsufficientScopeAndRevealsNothing() throws Exception {
    String token = f.token(grant);
    HttpResponse<String> r = f.send("POST", "/shop/orders/43", "Authorization", "Bearer " + token);
    assertDenied(r, 403, List.of("Bearer realm=\"shop\", error=\"insufficient_scope\""));
    assertFalse(r.body().contains(grant.reference()));
    assertFalse(r.headers().map().toString().contains(grant.reference()));
    assertFalse(r.headers().map().toString().contains("OUT_OF_SCOPE"));
  }

  @Test
  void anUnmappedRouteUnderAGuardedPrefixIs403WhateverTheCredential() throws Exception {
    assertDenied(f.send("DELETE", "/shop/orders/42", "Authorization", "Bearer " + f.token(grant)),
        403, List.of());
    HttpResponse<String> head =
        f.send("HEAD", "/shop/orders/42", "Authorization", "Bearer " + f.token(grant));
    assertEquals(403, head.statusCode());
    assertEquals(List.of(), head.headers().allValues("WWW-Authenticate"));
  }

  @Test
  void aRevokedGrantDeniesItsTokenAtOnce() throws Exception {
    String token = f.token(grant);
    assertEquals(200, f.send("GET", "/shop/orders/42", "Authorization", "Bearer " + token)
        .statusCode());
    f.jit.revoke(grant.id(), RevocationReason.MANUAL);
    assertDenied(f.send("GET", "/shop/orders/42", "Authorization", "Bearer " + token), 401,
        INVALID_TOKEN);
  }

  @Test
  void anExpiredGrantDeniesItsToken() throws Exception {
    String token = f.token(grant);
    f.clock.advance(Duration.ofMinutes(11));
    assertDenied(f.send("GET", "/shop/orders/42", "Authorization", "Bearer " + token), 401,
        INVALID_TOKEN);
  }

  @Test
  void twoAuthorizationHeadersAre400InvalidRequest() throws Exception {
    String token = f.token(grant);
    assertDenied(f.send("GET", "/shop/orders/42", "Authorization", "Bearer " + token,
        "Authorization", "Bearer " + token), 400,
        List.of("Bearer realm=\"shop\", error=\"invalid_request\""));
  }

  @Test
  void aTokenAndAGrantHeaderAre400InvalidRequest() throws Exception {
    assertDenied(f.send("GET", "/shop/orders/42", "Authorization", "Bearer " + f.token(grant),
        "X-Jit-Grant", grant.id()), 400,
        List.of("Bearer realm=\"shop\", error=\"invalid_request\""));
  }

  @Test
  void theOptInGrantHeaderIsCheckedByTheRuntime() throws Exception {
    HttpResponse<String> r = f.send("GET", "/shop/orders/7", "X-Jit-Grant", grant.id());
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().endsWith("read orders/7 GRANT_HEADER"), r.body());
    assertDenied(f.send("POST", "/shop/orders/7", "X-Jit-Grant", grant.id()), 403, List.of());
    f.jit.revoke(grant.id(), RevocationReason.MANUAL);
    assertDenied(f.send("GET", "/shop/orders/7", "X-Jit-Grant", grant.id()), 401, NO_CREDENTIAL);
    assertDenied(f.send("GET", "/shop/orders/7", "X-Jit-Grant", "no-such-grant"), 401,
        NO_CREDENTIAL);
  }

  @Test
  void aBoundTokenWithAGoodProofIsAllowed() throws Exception {
    String token = f.boundToken(grant);
    DpopProof proof = f.proof("GET", "/shop/orders/42", token);
    HttpResponse<String> r = f.send("GET", "/shop/orders/42?x=1", "Authorization", "DPoP " + token,
        "DPoP", proof.jwt());
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().endsWith("read orders/42 DPOP_TOKEN"), r.body());
  }

  @Test
  void aReplayedProofIs401InvalidDpopProof() throws Exception {
    String token = f.boundToken(grant);
    DpopProof proof = f.proof("GET", "/shop/orders/42", token);
    assertEquals(200, f.send("GET", "/shop/orders/42", "Authorization", "DPoP " + token,
        "DPoP", proof.jwt()).statusCode());
    assertDenied(f.send("GET", "/shop/orders/42", "Authorization", "DPoP " + token,
        "DPoP", proof.jwt()), 401, INVALID_PROOF);
  }

  @Test
  void oneProofSentConcurrentlyOnManyConnectionsIsAcceptedOnce() throws Exception {
    String token = f.boundToken(grant);
    DpopProof proof = f.proof("GET", "/shop/orders/42", token);
    int requests = 16;
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(requests);
    try {
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      List<java.util.concurrent.Future<Integer>> statuses = new java.util.ArrayList<>();
      for (int i = 0; i < requests; i++) {
        statuses.add(pool.submit(() -> {
          go.await();
          return f.send("GET", "/shop/orders/42", "Authorization", "DPoP " + token,
              "DPoP", proof.jwt()).statusCode();
        }));
      }
      go.countDown();
      int allowed = 0;
      for (java.util.concurrent.Future<Integer> s : statuses) {
        int status = s.get();
        assertTrue(status == 200 || status == 401, () -> "status " + status);
        allowed += status == 200 ? 1 : 0;
      }
      assertEquals(1, allowed);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aProofForAnotherUriOrMethodIs401InvalidDpopProof() throws Exception {
    String token = f.boundToken(grant);
    assertDenied(f.send("GET", "/shop/orders/42", "Authorization", "DPoP " + token,
        "DPoP", f.proof("GET", "/shop/orders/43", token).jwt()), 401, INVALID_PROOF);
    assertDenied(f.send("GET", "/shop/orders/42", "Authorization", "DPoP " + token,
        "DPoP", f.proof("POST", "/shop/orders/42", token).jwt()), 401, INVALID_PROOF);
  }

  @Test
  void aBoundTokenWithoutAProofIsDenied() throws Exception {
    String token = f.boundToken(grant);
    assertDenied(f.send("GET", "/shop/orders/42", "Authorization", "Bearer " + token), 401,
        INVALID_TOKEN);
    assertDenied(f.send("GET", "/shop/orders/42", "Authorization", "DPoP " + token), 401,
        INVALID_PROOF);
  }

  @Test
  void twoProofHeadersAre401InvalidDpopProof() throws Exception {
    String token = f.boundToken(grant);
    assertDenied(f.send("GET", "/shop/orders/42", "Authorization", "DPoP " + token,
        "DPoP", f.proof("GET", "/shop/orders/42", token).jwt(),
        "DPoP", f.proof("GET", "/shop/orders/42", token).jwt()), 401, INVALID_PROOF);
  }

  @Test
  void anUnboundTokenPresentedWithTheDpopSchemeIsDenied() throws Exception {
    String token = f.token(grant);
    assertDenied(f.send("GET", "/shop/orders/42", "Authorization", "DPoP " + token,
        "DPoP", f.proof("GET", "/shop/orders/42", token).jwt()), 401,
        List.of("DPoP realm=\"shop\", error=\"invalid_token\", algs=\"ES256\"",
            "Bearer realm=\"shop\""));
  }

  @Test
  void aBoundTokenWithoutThePermissionIs403UnderTheDpopScheme() throws Exception {
    String token = f.boundToken(grant);
    assertDenied(f.send("POST", "/shop/orders/43", "Authorization", "DPoP " + token,
        "DPoP", f.proof("POST", "/shop/orders/43", token).jwt()), 403,
        List.of("DPoP realm=\"shop\", error=\"insufficient_scope\", algs=\"ES256\""));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "/shop/orders/4%2F2", "/shop/orders/%2e%2e/admin",
      "/shop/orders/../orders/42", "/shop/public/../orders/42", "/shop/public/%2E%2E/orders/42",
      "/shop/orders/./42", "/shop/orders//42", "/shop/orders/42/", "/shop/orders/4%252F2",
      "/shop/orders/4%25", "/shop/orders;x=1/42", "/shop/orders/42;jsessionid=1",
      "/shop/orders/*", "/shop/orders/%C3%A9", "/shop/orders/a%20b"})
  void aMalformedPathIs400EvenWithAGoodToken(String path) throws Exception {
    HttpResponse<String> r = f.send("GET", path, "Authorization", "Bearer " + f.token(grant));
    assertDenied(r, 400, List.of());
    assertEquals("Bad Request\n", r.body());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/shop/orders/%00", "/shop/orders/4%0A2", "/shop/orders/%7F",
      "/shop/orders/4%5C2"})
  void aPathTheContainerMayRefuseItselfIs400(String path) throws Exception {
    HttpResponse<String> r = f.send("GET", path, "Authorization", "Bearer " + f.token(grant));
    assertEquals(400, r.statusCode(), r::body);
    assertFalse(r.body().contains("open") || r.body().contains(grant.reference()), r.body());
  }
}
