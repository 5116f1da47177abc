package dev.jitaccess.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.Grant;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The enforcer without any framework: a method, a raw path and headers in, a decision out. */
class GrantEnforcerTest {
  @TempDir
  Path baseDir;
  private WebFixture f;
  private final List<AuditEvent> audit = new CopyOnWriteArrayList<>();

  private GrantEnforcer enforcer() {
    f = new WebFixture(baseDir);
    return GrantEnforcer.builder().tokens(f.verifier).clock(f.clock).auditSink(audit::add)
        .routes(RouteMap.builder().route("GET", "/orders/{id}", "read", "orders/{id}").build())
        .build();
  }

  @AfterEach
  void close() throws Exception {
    f.close();
  }

  private static WebRequest get(String path, Map<String, List<String>> headers) {
    return new WebRequest("GET", path, "", null, "https://orders.example.com" + path,
        name -> headers.getOrDefault(name, List.of()));
  }

  @Test
  void aFrameworkNeutralRequestIsAllowedWithTheGrantsReference() {
    GrantEnforcer enforcer = enforcer();
    Grant grant = f.grant("read:orders/*");
    WebDecision d = enforcer.decide(get("/orders/42",
        Map.of("Authorization", List.of("Bearer " + f.token(grant)))));
    assertTrue(d.isAllowed(), d::toString);
    assertEquals(new AllowedRequest(grant.reference(), "ci-job-4711", "export-2026-11", "read",
        "orders/42", AllowedRequest.Credential.BEARER_TOKEN), d.allowed());
  }

  @Test
  void theEnforcersOwnDenialIsAuditedByReasonCodeOnly() {
    GrantEnforcer enforcer = enforcer();
    WebDecision d = enforcer.decide(get("/orders/%2e%2e", Map.of()));
    assertEquals(400, d.status());
    assertEquals(WebDenialCode.PATH_DOT_SEGMENT, d.code());
    assertEquals(1, audit.size());
    AuditEvent e = audit.get(0);
    assertEquals("PATH_DOT_SEGMENT", e.reason());
    assertEquals(f.clock.instant(), e.at());
    assertNull(e.resource());
    assertNull(e.detail());
  }

  @Test
  void theGrantHeaderIsIgnoredUnlessEnabled() {
    GrantEnforcer enforcer = enforcer();
    Grant grant = f.grant("read:orders/*");
    WebDecision d = enforcer.decide(get("/orders/42",
        Map.of("X-Jit-Grant", List.of(grant.id()))));
    assertEquals(401, d.status());
    assertEquals(WebDenialCode.NO_CREDENTIAL, d.code());
  }

  @Test
  void aMisconfiguredRequirementIs500() {
    GrantEnforcer enforcer = enforcer();
    WebDecision d = enforcer.decide(get("/orders/42", Map.of()), "read", "orders/{id}", Map.of());
    assertEquals(500, d.status());
    assertEquals(WebDenialCode.ROUTE_MISCONFIGURED, d.code());
    assertEquals(500, enforcer.decide(get("/orders/42", Map.of()), "read", "orders/*",
        Map.of("id", "42")).status());
  }
}
