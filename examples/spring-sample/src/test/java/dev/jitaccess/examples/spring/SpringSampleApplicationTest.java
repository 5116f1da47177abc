package dev.jitaccess.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jitaccess.postgres.PostgresGrantStore;
import dev.jitaccess.spi.GrantStore;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The sample application started as it is, on a random port, over real HTTP: its embedded
 * PostgreSQL, the token it prints, the orders and reports APIs, revocation through the Actuator
 * endpoint, and the console behind form login. The context (and its PostgreSQL) is closed after
 * the class.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
class SpringSampleApplicationTest {
  private static final Pattern TOKEN = Pattern.compile("TOKEN=([A-Za-z0-9_.-]+)");
  private static final Pattern REFERENCE = Pattern.compile("Rita's grant (gr_[A-Za-z0-9_-]+)");

  private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
      .followRedirects(HttpClient.Redirect.NEVER).build();

  @LocalServerPort
  int port;

  @Autowired
  DataSource dataSource;

  @Autowired
  GrantStore grants;

  @Autowired
  DemoUsers users;

  @Test
  void keepsItsGrantsInItsEmbeddedPostgres() throws Exception {
    assertThat(grants).isInstanceOf(PostgresGrantStore.class);
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("select count(*) from information_schema.tables "
            + "where table_schema = 'jit_access'")) {
      assertThat(r.next()).isTrue();
      assertThat(r.getInt(1)).isPositive();
    }
  }

  @Test
  void theTokenPrintedAtStartReadsOrdersUntilAnOperatorRevokesItsGrant(CapturedOutput output)
      throws Exception {
    String token = first(TOKEN, output.getOut());
    String reference = first(REFERENCE, output.getOut());

    HttpResponse<String> read = send("GET", "/api/orders/1", "Bearer " + token);
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.body()).contains("12 blue mugs").contains("\"readBy\":\"rita\"")
        .contains(reference);
    assertThat(send("GET", "/api/reports/orders", "Bearer " + token).statusCode())
        .as("the route group of the grant filter").isEqualTo(200);
    assertThat(send("PUT", "/api/orders/3?status=SHIPPED", "Bearer " + token).statusCode())
        .as("a read grant does not write").isEqualTo(403);

    HttpResponse<String> none = send("GET", "/api/orders/1", null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().allValues("WWW-Authenticate")).anyMatch(h -> h.startsWith("Bearer"));
    assertThat(send("GET", "/api/reports/orders", null).statusCode()).isEqualTo(401);

    String revoke = "/actuator/jitaccess/grant/" + reference + "?reason=COMPROMISED";
    assertThat(send("DELETE", revoke, null).statusCode()).isEqualTo(401);
    assertThat(send("DELETE", revoke, basic("bob")).statusCode())
        .as("an approver who is not an operator").isEqualTo(403);
    HttpResponse<String> revoked = send("DELETE", revoke, basic("alice"));
    assertThat(revoked.statusCode()).isEqualTo(200);
    assertThat(revoked.body()).contains("REVOKED");

    HttpResponse<String> after = send("GET", "/api/orders/1", "Bearer " + token);
    assertThat(after.statusCode()).isEqualTo(401);
    assertThat(after.headers().allValues("WWW-Authenticate"))
        .anyMatch(h -> h.contains("error=\"invalid_token\""));
  }

  @Test
  void theConsoleAsksToSignInAndShowsRitasPendingRequestToAnApprover() throws Exception {
    HttpResponse<String> unsigned = send("GET", "/jit-console", null);
    assertThat(unsigned.statusCode()).isEqualTo(302);
    assertThat(unsigned.headers().firstValue("Location")).hasValueSatisfying(
        l -> assertThat(l).endsWith("/login"));
    HttpResponse<String> login = send("GET", "/login", null);
    assertThat(login.statusCode()).isEqualTo(200);
    assertThat(login.body()).contains("name=\"username\"").contains("name=\"password\"");

    String csrf = first(Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\""), login.body());
    String form = "username=bob&password=" + URLEncoder.encode(users.password("bob"),
        StandardCharsets.UTF_8) + "&_csrf=" + URLEncoder.encode(csrf, StandardCharsets.UTF_8);
    HttpResponse<String> signedIn = http.send(HttpRequest.newBuilder(uri("/login"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(signedIn.statusCode()).isEqualTo(302);
    assertThat(signedIn.headers().firstValue("Location")).hasValueSatisfying(
        l -> assertThat(l).doesNotContain("error"));

    HttpResponse<String> requests = send("GET", "/jit-console/requests", null);
    assertThat(requests.statusCode()).isEqualTo(200);
    assertThat(requests.body()).contains("fix-stuck-order-3").contains("write:orders/3");
  }

  private HttpResponse<String> send(String method, String path, String authorization)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://localhost:" + port + path);
  }

  private String basic(String user) {
    return "Basic " + Base64.getEncoder().encodeToString(
        (user + ":" + users.password(user)).getBytes(StandardCharsets.UTF_8));
  }

  private static String first(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    assertThat(m.find()).as("%s in the output", pattern).isTrue();
    return m.group(1);
  }
}
