package dev.jitaccess.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantState;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.governance.EligibilityRules;
import dev.jitaccess.governance.Governance;
import dev.jitaccess.testkit.time.FakeClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.json.JsonMapper;

/** The {@code jitaccess} endpoint and health over real HTTP on localhost. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    classes = JitAccessEndpointHttpTest.App.class,
    properties = {"management.endpoints.web.exposure.include=jitaccess,health",
        "management.endpoint.health.show-details=always",
        // HTTP enforcement is WebEnforcementHttpTest's; this application has no token issuer.
        "jit.web.enabled=false"})
class JitAccessEndpointHttpTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @LocalServerPort
  int port;

  @Autowired
  Governance governance;

  @Autowired
  JitAccess jit;

  @Test
  void readsTheExposureReportWithFiltersAndNoGrantId() throws Exception {
    Grant grant = Fixtures.activate(governance, "report-1");
    HttpResponse<String> all = send("GET", "/actuator/jitaccess?owner=team-a&groupBy=tier", null);
    assertThat(all.statusCode()).isEqualTo(200);
    assertThat(all.body()).doesNotContain(grant.id());
    Map<String, Object> report = json(all.body());
    assertThat(report.get("query")).asString().contains("owner=team-a").contains("groupBy=tier");
    List<Map<String, Object>> rows = rows(report);
    assertThat(rows).extracting(r -> r.get("reference")).contains(grant.reference());

    HttpResponse<String> none = send("GET", "/actuator/jitaccess?owner=team-z", null);
    assertThat(rows(json(none.body()))).isEmpty();

    HttpResponse<String> bad = send("GET", "/actuator/jitaccess?groupBy=colour", null);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("groupBy");
  }

  @Test
  void revokesOneGrantByItsReferenceWithAReason() throws Exception {
    Grant grant = Fixtures.activate(governance, "revoke-1");
    HttpResponse<String> noReason = send("DELETE",
        "/actuator/jitaccess/grant/" + grant.reference(), null);
    assertThat(noReason.statusCode()).isEqualTo(400);
    assertThat(jit.grant(grant.id()).orElseThrow().state()).isEqualTo(GrantState.ACTIVE);

    HttpResponse<String> revoked = send("DELETE",
        "/actuator/jitaccess/grant/" + grant.reference() + "?reason=COMPROMISED", null);
    assertThat(revoked.statusCode()).isEqualTo(200);
    assertThat(revoked.body()).doesNotContain(grant.id());
    assertThat(json(revoked.body())).containsEntry("revoked", true)
        .containsEntry("grant", grant.reference()).containsEntry("state", "REVOKED");
    Grant after = jit.grant(grant.id()).orElseThrow();
    assertThat(after.state()).isEqualTo(GrantState.REVOKED);
    assertThat(jit.check(grant.id(), "read", "orders/1").isAllowed()).isFalse();

    HttpResponse<String> unknown = send("DELETE",
        "/actuator/jitaccess/grant/gr_unknown?reason=COMPROMISED", null);
    assertThat(unknown.statusCode()).isEqualTo(404);
  }

  @Test
  void revokesATaskWithAReasonByPathAndByBody() throws Exception {
    Grant one = Fixtures.activate(governance, "task-a");
    HttpResponse<String> byPath = send("DELETE",
        "/actuator/jitaccess/task/task-a?reason=INCIDENT_CLOSED", null);
    assertThat(byPath.statusCode()).isEqualTo(200);
    assertThat(json(byPath.body())).containsEntry("revoked", 1);
    assertThat(jit.grant(one.id()).orElseThrow().state()).isEqualTo(GrantState.REVOKED);
    assertThat(jit.isTaskEnded("task-a")).isTrue();

    Grant two = Fixtures.activate(governance, "task-b");
    HttpResponse<String> byBody = send("POST", "/actuator/jitaccess",
        "{\"task\":\"task-b\",\"reason\":\"INCIDENT_CLOSED\"}");
    assertThat(byBody.statusCode()).isEqualTo(200);
    assertThat(jit.grant(two.id()).orElseThrow().state()).isEqualTo(GrantState.REVOKED);

    HttpResponse<String> both = send("POST", "/actuator/jitaccess",
        "{\"task\":\"task-b\",\"grant\":\"gr_x\",\"reason\":\"X\"}");
    assertThat(both.statusCode()).isEqualTo(400);
  }

  @Test
  void healthReportsTheStoreUp() throws Exception {
    HttpResponse<String> health = send("GET", "/actuator/health/jitaccess", null);
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(json(health.body())).containsEntry("status", "UP");
  }

  private HttpResponse<String> send(String method, String path, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(
        URI.create("http://localhost:" + port + path));
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> json(String body) {
    return JsonMapper.shared().readValue(body, Map.class);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> rows(Map<String, Object> report) {
    return (List<Map<String, Object>>) report.get("rows");
  }

  /** An application with the starter, governance in memory, a fake clock and one rule. */
  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {
    @Bean
    FakeClock clock() {
      return new FakeClock();
    }

    @Bean
    EligibilityRules rules() {
      return Fixtures.rules();
    }
  }
}
