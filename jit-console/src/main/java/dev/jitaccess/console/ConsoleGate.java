package dev.jitaccess.console;

import dev.jitaccess.governance.GovernanceException;
import dev.jitaccess.teardown.TeardownStateException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.security.Principal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * Every console request passes here. A page: the person must be signed in (the request's {@link
 * Principal}) and in the console's role, else 401 or 403 and nothing of the console is shown; then
 * the page is rendered with its forms' CSRF fields and the messages left by the last action. An
 * action (POST): the same check, then the CSRF check (403 and no change if it fails), then the
 * action through the library, whose refusal becomes a plain message, then a 303 redirect to a
 * page (Post/Redirect/Get). Responses are never cached and forbid framing and foreign resources.
 * Thread-safe.
 */
final class ConsoleGate {
  private static final Logger LOG = LoggerFactory.getLogger(ConsoleGate.class);
  private static final String FLASH = ConsoleGate.class.getName() + ".flash";
  private static final String CSP = "default-src 'none'; style-src 'self'; img-src 'self'; "
      + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

  private final ConsoleSettings settings;
  private final CsrfGuard csrf;
  private final ConsolePages pages;

  ConsoleGate(ConsoleSettings settings, CsrfGuard csrf, ConsolePages pages) {
    this.settings = settings;
    this.csrf = csrf;
    this.pages = pages;
  }

  /** A message for the next page: {@code kind} is {@code ok} or {@code refused}. */
  record Flash(String kind, String text) implements java.io.Serializable {}

  /** A page's variables, made for the signed-in person. */
  interface Page {
    Map<String, Object> variables(String actor);
  }

  /** Renders {@code template} for the signed-in person, or refuses with 401 or 403. */
  ResponseEntity<String> page(HttpServletRequest request, HttpServletResponse response,
      String template, Page page) {
    String actor = actor(request);
    if (actor == null) {
      return denied(request);
    }
    Map<String, Object> vars = new LinkedHashMap<>(page.variables(actor));
    String base = base(request);
    vars.put("base", base);
    vars.put("actor", actor);
    List<Map<String, String>> fields = new ArrayList<>();
    for (CsrfGuard.Field f : csrf.fields(request, response, base)) {
      fields.add(Map.of("name", f.name(), "value", f.value()));
    }
    vars.put("csrf", fields);
    List<Map<String, String>> messages = new ArrayList<>();
    for (Flash f : takeFlash(request)) {
      messages.add(Map.of("kind", f.kind(), "text", f.text()));
    }
    vars.put("flash", messages);
    vars.put("current", template);
    return respond(HttpStatus.OK, MediaType.TEXT_HTML, pages.render(template, vars));
  }

  /**
   * Runs {@code action} for the signed-in person if the POST passes the CSRF check, leaves its
   * answer (or its refusal) for the next page, and redirects to {@code back} under the console.
   */
  ResponseEntity<String> action(HttpServletRequest request, String back,
      Function<String, String> action) {
    String actor = actor(request);
    if (actor == null) {
      return denied(request);
    }
    if (!csrf.accepts(request)) {
      return respond(HttpStatus.FORBIDDEN, MediaType.TEXT_PLAIN, "This form did not come from "
          + "the console or has expired. Nothing was changed: reload the page and try again.");
    }
    Flash flash;
    try {
      flash = new Flash("ok", action.apply(actor));
    } catch (GovernanceException refused) {
      flash = new Flash("refused", Refusals.of(refused));
    } catch (ConsoleInputException | IllegalArgumentException | TeardownStateException bad) {
      flash = new Flash("refused", bad.getMessage());
    } catch (RuntimeException failed) {
      LOG.warn("console action {} by {} failed", request.getServletPath(), actor, failed);
      flash = new Flash("refused", "The action failed (" + failed.getClass().getSimpleName()
          + "); nothing may have changed. The application log has the details.");
    }
    addFlash(request, flash);
    HttpHeaders headers = headers();
    headers.set(HttpHeaders.LOCATION, base(request) + back);
    return new ResponseEntity<>(headers, HttpStatus.SEE_OTHER);
  }

  /** The signed-in person's name if they may use the console; null otherwise. */
  private @Nullable String actor(HttpServletRequest request) {
    Principal principal = request.getUserPrincipal();
    if (principal == null || principal.getName() == null || principal.getName().isBlank()) {
      return null;
    }
    if (!ConsoleSettings.ANY_ROLE.equals(settings.role())
        && !request.isUserInRole(settings.role())) {
      return null;
    }
    return principal.getName();
  }

  private ResponseEntity<String> denied(HttpServletRequest request) {
    boolean signedIn = request.getUserPrincipal() != null;
    return respond(signedIn ? HttpStatus.FORBIDDEN : HttpStatus.UNAUTHORIZED, MediaType.TEXT_PLAIN,
        signedIn ? "Forbidden." : "Sign in first.");
  }

  private String base(HttpServletRequest request) {
    return request.getContextPath() + settings.path();
  }

  private static ResponseEntity<String> respond(HttpStatus status, MediaType type, String body) {
    HttpHeaders headers = headers();
    headers.setContentType(new MediaType(type, java.nio.charset.StandardCharsets.UTF_8));
    return new ResponseEntity<>(body, headers, status);
  }

  private static HttpHeaders headers() {
    HttpHeaders headers = new HttpHeaders();
    headers.setCacheControl("no-store");
    headers.set("Content-Security-Policy", CSP);
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("X-Frame-Options", "DENY");
    headers.set("Referrer-Policy", "no-referrer");
    return headers;
  }

  private static void addFlash(HttpServletRequest request, Flash flash) {
    HttpSession session = request.getSession(true);
    synchronized (ConsoleGate.class) {
      List<Flash> list = new ArrayList<>(flashes(session));
      list.add(flash);
      session.setAttribute(FLASH, List.copyOf(list.subList(Math.max(0, list.size() - 5),
          list.size())));
    }
  }

  private static List<Flash> takeFlash(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    if (session == null) {
      return List.of();
    }
    synchronized (ConsoleGate.class) {
      List<Flash> list = flashes(session);
      session.removeAttribute(FLASH);
      return list;
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Flash> flashes(HttpSession session) {
    Object held = session.getAttribute(FLASH);
    return held instanceof List ? (List<Flash>) held : List.of();
  }
}
