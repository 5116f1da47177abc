package dev.jitaccess.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import dev.jitaccess.Ttl;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.jwt.DpopProof;
import dev.jitaccess.jwt.JwtIssuer;
import dev.jitaccess.jwt.JwtKeyRing;
import dev.jitaccess.testkit.time.FakeClock;
import dev.jitaccess.web.AllowedRequest;
import dev.jitaccess.web.RequiresGrant;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * HTTP enforcement as the starter configures it from {@code jit.web.*}, over real HTTP on
 * localhost: the interceptor for {@code @RequiresGrant} handlers and the filter for a route group,
 * with tokens of a real issuer whose public keys the application trusts from a JWKS file.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    classes = WebEnforcementHttpTest.App.class,
    properties = {"jit.web.jwt.issuer=" + WebEnforcementHttpTest.ISSUER,
        "jit.web.jwt.audience=" + WebEnforcementHttpTest.AUDIENCE,
        "jit.web.realm=orders",
        "jit.web.guard[0]=/reports",
        "jit.web.routes[0].method=GET", "jit.web.routes[0].pattern=/reports/{day}",
        "jit.web.routes[0].action=read", "jit.web.routes[0].resource=reports/{day}",
        "jit.web.routes[1].method=POST", "jit.web.routes[1].pattern=/reports/{day}",
        "jit.web.routes[1].action=write", "jit.web.routes[1].resource=reports/{day}",
        "jit.web.grant-header=X-Jit-Grant",
        // Grants are minted directly here, not through approved requests.
        "jit.governance.enabled=false"})
class WebEnforcementHttpTest {
  static final String ISSUER = "https://jit.example.test";
  static final String AUDIENCE = "orders-api";
  static final FakeClock CLOCK = new FakeClock();
  static final JwtKeyRing RING = JwtKeyRing.builder().clock(CLOCK).signingKey(ecKey("key-1"))
      .build();
  private static final List<String> NO_CREDENTIAL =
      List.of("Bearer realm=\"orders\"", "DPoP realm=\"orders\", algs=\"ES256\"");

  private final HttpClient http = HttpClient.newHttpClient();
  private final ECKey workload = ecKey("workload");
  private JwtIssuer issuer;

  @LocalServerPort
  int port;

  @Autowired
  JitAccess jit;

  /** The issuer's public keys, as an operator would hand them to the service: a JWKS file. */
  @DynamicPropertySource
  static void jwks(DynamicPropertyRegistry registry) {
    try {
      Path file = Files.createTempFile("jwks", ".json");
      file.toFile().deleteOnExit();
      Files.writeString(file, RING.jwksJson(), StandardCharsets.UTF_8);
      registry.add("jit.web.jwt.jwks-location", () -> file.toUri().toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @BeforeEach
  void issuer() {
    issuer = JwtIssuer.builder().jit(jit).keyRing(RING).issuer(ISSUER).clock(CLOCK).build();
  }

  @Test
  void anAnnotatedHandlerAllowsAGrantWithThePermission() throws Exception {
    Grant grant = grant("write:orders/42", null);
    HttpResponse<String> r = send("POST", "/orders/42", "Authorization", "Bearer " + token(grant));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("written 42 by " + grant.reference());
    assertThat(r.body()).doesNotContain(grant.id());
  }

  @Test
  void noCredentialGets401WithBothChallengesAndNoDetail() throws Exception {
    HttpResponse<String> r = send("POST", "/orders/42");
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().allValues("WWW-Authenticate")).containsExactlyElementsOf(NO_CREDENTIAL);
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(r.body()).isEqualToIgnoringWhitespace("Unauthorized");
  }

  @Test
  void aGrantWithoutThePermissionGets403InsufficientScope() throws Exception {
    Grant grant = grant("write:orders/7", null);
    HttpResponse<String> r = send("POST", "/orders/42", "Authorization", "Bearer " + token(grant));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.headers().allValues("WWW-Authenticate"))
        .containsExactly("Bearer realm=\"orders\", error=\"insufficient_scope\"");
    assertThat(r.body()).isEqualToIgnoringWhitespace("Forbidden");
  }

  @Test
  void aRevokedGrantIsDeniedAtOnceThoughItsTokenHasNotExpired() throws Exception {
    Grant grant = grant("write:orders/42", null);
    String token = token(grant);
    assertThat(send("POST", "/orders/42", "Authorization", "Bearer " + token).statusCode())
        .isEqualTo(200);
    jit.revoke(grant.id(), RevocationReason.ANOMALY);
    HttpResponse<String> r = send("POST", "/orders/42", "Authorization", "Bearer " + token);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().allValues("WWW-Authenticate"))
        .contains("Bearer realm=\"orders\", error=\"invalid_token\"");
  }

  @Test
  void theFilterEnforcesTheRouteGroupFromProperties() throws Exception {
    Grant reader = grant("read:reports/*", null);
    HttpResponse<String> allowed = send("GET", "/reports/2026-11", "Authorization",
        "Bearer " + token(reader));
    assertThat(allowed.statusCode()).isEqualTo(200);
    assertThat(allowed.body()).isEqualTo("report 2026-11 on reports/2026-11");

    assertThat(send("GET", "/reports/2026-11").statusCode()).isEqualTo(401);
    Grant other = grant("read:orders/*", null);
    assertThat(send("GET", "/reports/2026-11", "Authorization", "Bearer " + token(other))
        .statusCode()).isEqualTo(403);

    HttpResponse<String> unmapped = send("GET", "/reports/2026-11/raw", "Authorization",
        "Bearer " + token(reader));
    assertThat(unmapped.statusCode()).as("unmapped under a guarded prefix").isEqualTo(403);
    assertThat(unmapped.headers().allValues("WWW-Authenticate")).isEmpty();
    assertThat(send("GET", "/reports/2026-11/..%2F..%2Fpublic").statusCode()).isEqualTo(400);
    assertThat(send("GET", "/public").body()).isEqualTo("public");
  }

  @Test
  void anAnnotatedHandlerUnderTheFilterIsDecidedOnceSoADpopProofAndAOneUseGrantPass()
      throws Exception {
    Grant once = grant("write:reports/2026-11", 1L);
    String token = issuer.issue(once.id(), AUDIENCE, workload.toPublicJWK());
    String url = "http://localhost:" + port + "/reports/2026-11";
    HttpResponse<String> r = send("POST", "/reports/2026-11", "Authorization", "DPoP " + token,
        "DPoP", DpopProof.sign(workload, "POST", url, token, CLOCK).jwt());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("closed 2026-11");

    HttpResponse<String> again = send("POST", "/reports/2026-11", "Authorization",
        "DPoP " + token, "DPoP", DpopProof.sign(workload, "POST", url, token, CLOCK).jwt());
    assertThat(again.statusCode()).as("the one use is spent").isEqualTo(401);
  }

  @Test
  void theOptInGrantHeaderIsChecked() throws Exception {
    Grant grant = grant("write:orders/42", null);
    assertThat(send("POST", "/orders/42", "X-Jit-Grant", grant.id()).statusCode()).isEqualTo(200);
    assertThat(send("POST", "/orders/43", "X-Jit-Grant", grant.id()).statusCode()).isEqualTo(403);
  }

  private Grant grant(String scope, Long uses) {
    GrantRequest.Builder b = GrantRequest.builder().subject("svc-billing").owner("team-orders")
        .task("task-" + scope.hashCode() + "-" + System.nanoTime()).purpose("close the month")
        .scope(Scope.parse(scope)).ttl(Ttl.of(Duration.ofMinutes(10)));
    if (uses != null) {
      b.useBudget(uses);
    }
    return jit.request(b.build());
  }

  private String token(Grant grant) {
    return issuer.issue(grant.id(), AUDIENCE);
  }

  private HttpResponse<String> send(String method, String path, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
        .timeout(Duration.ofSeconds(20)).method(method, HttpRequest.BodyPublishers.noBody());
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static ECKey ecKey(String kid) {
    try {
      return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Orders (annotated handlers) and reports (the route group, one handler also annotated). */
  @RestController
  static class Handlers {
    @PostMapping("/orders/{id}")
    @RequiresGrant(action = "write", resource = "orders/{id}")
    String write(@PathVariable("id") String id, HttpServletRequest request) {
      AllowedRequest allowed = (AllowedRequest) request.getAttribute(AllowedRequest.ATTRIBUTE);
      return "written " + id + " by " + allowed.grantReference();
    }

    @GetMapping("/reports/{day}")
    String report(@PathVariable("day") String day, HttpServletRequest request) {
      AllowedRequest allowed = (AllowedRequest) request.getAttribute(AllowedRequest.ATTRIBUTE);
      return "report " + day + " on " + allowed.resource();
    }

    @GetMapping("/reports/{day}/raw")
    String raw(@PathVariable("day") String day) {
      return "raw " + day;
    }

    @PostMapping("/reports/{day}")
    @RequiresGrant(action = "write", resource = "reports/{day}")
    String close(@PathVariable("day") String day) {
      return "closed " + day;
    }

    @GetMapping("/public")
    String open() {
      return "public";
    }
  }

  /** The application: its clock, and its handlers. */
  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {
    @Bean
    FakeClock clock() {
      return CLOCK;
    }

    @Bean
    Handlers handlers() {
      return new Handlers();
    }
  }
}
