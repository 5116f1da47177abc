package dev.jitaccess.console.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.governance.AccessRequest;
import dev.jitaccess.governance.Governance;
import dev.jitaccess.governance.RequestSpec;
import dev.jitaccess.governance.RequestState;
import dev.jitaccess.governance.RiskTiers;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The console over real HTTP where the application forgot to guard it: mounted at {@code
 * /unguarded/console}, a path this application's security lets anyone reach and does not check
 * for CSRF. The console itself still refuses a request without a principal or without its role,
 * and a POST without its own token in both the form and its SameSite cookie.
 */
@SpringBootTest(classes = ConsoleTestApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "jit.console.path=/unguarded/console")
class ConsoleOverHttpTest {
  private static final AtomicInteger TASKS = new AtomicInteger();
  private static final Pattern TOKEN =
      Pattern.compile("name=\"jit_console_token\" value=\"([A-Za-z0-9_-]+)\"");

  @LocalServerPort int port;
  @Autowired Governance governance;

  @Test
  void withoutAPrincipalTheConsoleAnswers401AndShowsNothing() throws Exception {
    AccessRequest asked = ask("waiting for a decision here");
    HttpResponse<String> page = client().send(get("/requests", null), body());
    assertEquals(401, page.statusCode());
    assertFalse(page.body().contains(asked.id()));
    assertFalse(page.body().contains("rita"));
  }

  @Test
  void aSignedInPersonWithoutTheConsolesRoleGets403AndSeesNothing() throws Exception {
    AccessRequest asked = ask("waiting for a decision here");
    for (String path : new String[] {"/requests", "/exposure", "/reviews", "/teardowns"}) {
      HttpResponse<String> page = client().send(get(path, "otto"), body());
      assertEquals(403, page.statusCode(), path);
      assertFalse(page.body().contains(asked.id()), path);
    }
    HttpResponse<String> post = client().send(post("/requests/approve", "otto",
        "id=" + asked.id()), body());
    assertEquals(403, post.statusCode());
    assertEquals(RequestState.PENDING, governance.find(asked.id()).orElseThrow().state());
  }

  @Test
  void aPostNeedsTheTokenInTheFormAndInTheSameSiteCookie() throws Exception {
    AccessRequest asked = ask("waiting for a decision here");
    HttpClient browser = client();
    HttpResponse<String> page = browser.send(get("/requests", "alice"), body());
    assertEquals(200, page.statusCode());
    String cookie = page.headers().allValues("Set-Cookie").stream()
        .filter(c -> c.startsWith("jit_console_token=")).findFirst().orElseThrow();
    assertTrue(cookie.contains("SameSite=Strict"), cookie);
    assertTrue(cookie.contains("HttpOnly"), cookie);
    assertTrue(cookie.contains("Path=/unguarded/console"), cookie);
    Matcher m = TOKEN.matcher(page.body());
    assertTrue(m.find(), "the form carries the console's token");
    String token = m.group(1);

    // Without the form's token: refused.
    assertEquals(403, browser.send(post("/requests/approve", "alice", "id=" + asked.id()),
        body()).statusCode());
    // The token in the form but sent from elsewhere (no session, no cookie): refused.
    assertEquals(403, client().send(post("/requests/approve", "alice", "id=" + asked.id()
        + "&jit_console_token=" + token), body()).statusCode());
    // A wrong token with the right session and cookie: refused.
    assertEquals(403, browser.send(post("/requests/approve", "alice", "id=" + asked.id()
        + "&jit_console_token=" + "x" + token.substring(1)), body()).statusCode());
    assertEquals(RequestState.PENDING, governance.find(asked.id()).orElseThrow().state());

    HttpResponse<String> done = browser.send(post("/requests/approve", "alice", "id="
        + asked.id() + "&jit_console_token=" + token), body());
    assertEquals(303, done.statusCode());
    assertEquals("/unguarded/console/requests", done.headers().firstValue("Location").orElseThrow());
    assertEquals(RequestState.APPROVED, governance.find(asked.id()).orElseThrow().state());
  }

  @Test
  void pagesEscapeWhatPeopleWroteAndAreNeitherCachedNorFramed() throws Exception {
    AccessRequest asked = ask("<script>alert('owned')</script> order 42 stuck");
    HttpResponse<String> page = client().send(get("/requests", "bob"), body());
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains(asked.id()));
    assertFalse(page.body().contains("<script>"), "user text is escaped");
    assertTrue(page.body().contains("&lt;script&gt;"));
    String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertTrue(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"), csp);
    assertEquals("no-store", page.headers().firstValue("Cache-Control").orElseThrow());
    assertEquals("DENY", page.headers().firstValue("X-Frame-Options").orElseThrow());
    assertNotNull(page.headers().firstValue("Content-Type").filter(t -> t.startsWith("text/html"))
        .orElse(null));
  }

  private AccessRequest ask(String justification) {
    return governance.request(RequestSpec.builder().requester("rita").owner("orders-team")
        .task("HTTP-" + TASKS.incrementAndGet()).purpose("fix a stuck order")
        .scope("read:orders/42").lifetime(Duration.ofMinutes(30)).tier(RiskTiers.MEDIUM)
        .justification(justification).build());
  }

  private static HttpClient client() {
    return HttpClient.newBuilder().cookieHandler(new CookieManager())
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  private static HttpResponse.BodyHandler<String> body() {
    return HttpResponse.BodyHandlers.ofString();
  }

  private HttpRequest get(String path, String user) {
    return auth(HttpRequest.newBuilder(uri(path)), user).GET().build();
  }

  private HttpRequest post(String path, String user, String form) {
    return auth(HttpRequest.newBuilder(uri(path)), user)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build();
  }

  private URI uri(String path) {
    return URI.create("http://localhost:" + port + "/unguarded/console" + path);
  }

  private static HttpRequest.Builder auth(HttpRequest.Builder b, String user) {
    if (user == null) {
      return b;
    }
    String basic = user + ":" + ConsoleTestApplication.PASSWORD;
    return b.header("Authorization", "Basic "
        + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
  }
}
