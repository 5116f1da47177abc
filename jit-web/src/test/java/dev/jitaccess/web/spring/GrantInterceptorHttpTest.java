package dev.jitaccess.web.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.web.AllowedRequest;
import dev.jitaccess.web.GrantEnforcer;
import dev.jitaccess.web.RequiresGrant;
import dev.jitaccess.web.RouteMap;
import jakarta.servlet.http.HttpServletRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.support.AnnotationConfigWebApplicationContext;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** The interceptor in a Spring MVC application on an embedded Tomcat, over real HTTP. */
class GrantInterceptorHttpTest {
  private static final List<String> NO_CREDENTIAL =
      List.of("Bearer realm=\"orders\"", "DPoP realm=\"orders\", algs=\"ES256\"");
  private static final List<String> INVALID_TOKEN = List.of(
      "Bearer realm=\"orders\", error=\"invalid_token\"", "DPoP realm=\"orders\", algs=\"ES256\"");

  @TempDir
  Path baseDir;
  private SpringFixture f;
  private Grant grant;

  /** Handlers with and without requirements. */
  @RestController
  static class Orders {
    @GetMapping("/orders/{id}")
    @RequiresGrant(action = "read", resource = "orders/{id}")
    String read(@PathVariable("id") String id, HttpServletRequest request) {
      AllowedRequest a = (AllowedRequest) request.getAttribute(AllowedRequest.ATTRIBUTE);
      return "order " + id + " for " + a.subject() + " by " + a.grantReference() + " on "
          + a.resource();
    }

    @PostMapping("/orders/{id}")
    @RequiresGrant(action = "write", resource = "orders/{id}")
    String write(@PathVariable("id") String id) {
      return "written " + id;
    }

    @GetMapping("/orders/{id}/notes")
    String notes(@PathVariable("id") String id) {
      return "notes " + id;
    }

    @GetMapping("/health")
    String health() {
      return "up";
    }
  }

  /** A class whose handlers all need one permission. */
  @RestController
  @RequiresGrant(action = "read", resource = "reports/daily")
  static class Reports {
    @GetMapping("/reports/daily")
    String daily() {
      return "daily";
    }
  }

  /** Registers the interceptor with the enforcer bean. */
  @Configuration
  @EnableWebMvc
  static class Web implements WebMvcConfigurer {
    private final GrantEnforcer enforcer;

    Web(GrantEnforcer enforcer) {
      this.enforcer = enforcer;
    }

    @Bean
    Orders orders() {
      return new Orders();
    }

    @Bean
    Reports reports() {
      return new Reports();
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
      registry.addInterceptor(new GrantInterceptor(enforcer));
    }
  }

  /** The web fixture with a DispatcherServlet at the root context. */
  static final class SpringFixture extends dev.jitaccess.web.WebFixtureAccess {
    SpringFixture(Path baseDir) {
      super(baseDir);
    }
  }

  @BeforeEach
  void start() throws Exception {
    f = new SpringFixture(baseDir);
    GrantEnforcer enforcer = GrantEnforcer.builder()
        .tokens(f.verifier())
        .routes(RouteMap.builder().guard("/orders").guard("/reports").build())
        .realm("orders")
        .build();
    AnnotationConfigWebApplicationContext spring = new AnnotationConfigWebApplicationContext();
    spring.addBeanFactoryPostProcessor(bf -> bf.registerSingleton("enforcer", enforcer));
    spring.register(Web.class);
    Context context = f.context("");
    Tomcat.addServlet(context, "dispatcher", new DispatcherServlet(spring)).setLoadOnStartup(1);
    context.addServletMappingDecoded("/", "dispatcher");
    f.start();
    grant = f.grant("read:orders/* write:orders/42 read:reports/daily");
  }

  @AfterEach
  void stop() throws Exception {
    f.close();
  }

  private static void assertDenied(HttpResponse<String> r, int status, List<String> challenges) {
    assertEquals(status, r.statusCode(), r::body);
    assertEquals(challenges, r.headers().allValues("WWW-Authenticate"));
  }

  @Test
  void anAnnotatedHandlerIsAllowedWithItsPlaceholderFilledFromThePath() throws Exception {
    HttpResponse<String> r = f.send("GET", "/orders/a%40b", "Authorization",
        "Bearer " + f.token(grant));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("order a@b for ci-job-4711 by " + grant.reference() + " on orders/a@b", r.body());
  }

  @Test
  void aClassLevelRequirementAppliesToItsHandlers() throws Exception {
    assertEquals("daily", f.send("GET", "/reports/daily", "Authorization",
        "Bearer " + f.token(grant)).body());
    assertDenied(f.send("GET", "/reports/daily"), 401, NO_CREDENTIAL);
  }

  @Test
  void anUnguardedHandlerWithoutRequirementIsOpen() throws Exception {
    assertEquals("up", f.send("GET", "/health").body());
  }

  @Test
  void aHandlerWithoutRequirementUnderAGuardedPrefixIsDenied() throws Exception {
    assertDenied(f.send("GET", "/orders/42/notes", "Authorization", "Bearer " + f.token(grant)),
        403, List.of());
  }

  @Test
  void eachDenialHasItsStatusAndChallenge() throws Exception {
    String token = f.token(grant);
    assertDenied(f.send("GET", "/orders/42"), 401, NO_CREDENTIAL);
    assertDenied(f.send("GET", "/orders/42", "Authorization", "Bearer x.y.z"), 401, INVALID_TOKEN);
    assertDenied(f.send("POST", "/orders/43", "Authorization", "Bearer " + token), 403,
        List.of("Bearer realm=\"orders\", error=\"insufficient_scope\""));
    assertEquals("written 42",
        f.send("POST", "/orders/42", "Authorization", "Bearer " + token).body());
  }

  @Test
  void aRevokedGrantDeniesAtOnce() throws Exception {
    String token = f.token(grant);
    assertEquals(200, f.send("GET", "/orders/1", "Authorization", "Bearer " + token).statusCode());
    f.revoke(grant, RevocationReason.MANUAL);
    assertDenied(f.send("GET", "/orders/1", "Authorization", "Bearer " + token), 401,
        INVALID_TOKEN);
  }

  @Test
  void aBoundTokenNeedsAFreshProofForThisRequest() throws Exception {
    String token = f.boundToken(grant);
    String proof = f.proof("GET", "/orders/42", token);
    assertEquals(200, f.send("GET", "/orders/42", "Authorization", "DPoP " + token,
        "DPoP", proof).statusCode());
    List<String> invalidProof = List.of(
        "DPoP realm=\"orders\", error=\"invalid_dpop_proof\", algs=\"ES256\"",
        "Bearer realm=\"orders\"");
    assertDenied(f.send("GET", "/orders/42", "Authorization", "DPoP " + token, "DPoP", proof),
        401, invalidProof);
    assertDenied(f.send("GET", "/orders/42", "Authorization", "DPoP " + token,
        "DPoP", f.proof("GET", "/orders/41", token)), 401, invalidProof);
    assertDenied(f.send("GET", "/orders/42", "Authorization", "DPoP " + token,
        "DPoP", f.proof("POST", "/orders/42", token)), 401, invalidProof);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/orders/4%2F2", "/orders/%2e%2e", "/orders/..%2F..%2Freports%2Fdaily",
      "/orders/4%252F2", "/orders/4;x", "/orders/a%20b", "/orders/%C3%A9"})
  void aMalformedPathIs400BeforeTheHandler(String path) throws Exception {
    HttpResponse<String> r = f.send("GET", path, "Authorization", "Bearer " + f.token(grant));
    assertEquals(400, r.statusCode(), r::body);
  }
}
