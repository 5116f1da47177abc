package dev.jitaccess.console;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The console's own defence against cross-site request forgery, checked on every POST whatever
 * the application's security does: a synchronizer token kept in the session, sent in every form,
 * and also in a {@code SameSite=Strict}, HttpOnly cookie scoped to the console's path, so a POST
 * must carry the session's token twice, once in the form and once in a cookie that no other site
 * makes the browser send. When Spring Security's {@code CsrfToken} is present in the request, its
 * field goes into the forms too, so that its own filter accepts them. Thread-safe.
 */
final class CsrfGuard {
  /** The form field and the cookie holding the console's token. */
  static final String FIELD = "jit_console_token";

  private static final String SESSION_KEY = CsrfGuard.class.getName() + ".token";
  private static final String SPRING_CSRF =
      "org.springframework.security.web.csrf.CsrfToken";

  private final SecureRandom random = new SecureRandom();
  private final boolean springSecurity = present(SPRING_CSRF);

  /** One hidden form field. */
  record Field(String name, String value) {}

  /**
   * The hidden fields every form of this page carries; creates the session's token on first use
   * and (re)sets its cookie.
   */
  List<Field> fields(HttpServletRequest request, HttpServletResponse response, String cookiePath) {
    HttpSession session = request.getSession(true);
    String token;
    synchronized (this) {
      Object held = session.getAttribute(SESSION_KEY);
      if (held instanceof String) {
        token = (String) held;
      } else {
        byte[] bits = new byte[32];
        random.nextBytes(bits);
        token = Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
        session.setAttribute(SESSION_KEY, token);
      }
    }
    Cookie cookie = new Cookie(FIELD, token);
    cookie.setPath(cookiePath);
    cookie.setHttpOnly(true);
    cookie.setSecure(request.isSecure());
    cookie.setAttribute("SameSite", "Strict");
    response.addCookie(cookie);
    List<Field> fields = new ArrayList<>(2);
    fields.add(new Field(FIELD, token));
    Field spring = springSecurity ? SpringCsrf.field(request) : null;
    if (spring != null) {
      fields.add(spring);
    }
    return List.copyOf(fields);
  }

  /**
   * Whether this POST carries the session's token both in its form and in the console's cookie.
   * False without a session, a token, the field or the cookie.
   */
  boolean accepts(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    if (session == null) {
      return false;
    }
    Object held = session.getAttribute(SESSION_KEY);
    if (!(held instanceof String)) {
      return false;
    }
    byte[] expected = ((String) held).getBytes(StandardCharsets.US_ASCII);
    String sent = request.getParameter(FIELD);
    String cookie = cookie(request);
    return sent != null && cookie != null
        && MessageDigest.isEqual(expected, sent.getBytes(StandardCharsets.US_ASCII))
        && MessageDigest.isEqual(expected, cookie.getBytes(StandardCharsets.US_ASCII));
  }

  private static @Nullable String cookie(HttpServletRequest request) {
    Cookie[] cookies = request.getCookies();
    if (cookies == null) {
      return null;
    }
    String found = null;
    for (Cookie c : cookies) {
      if (FIELD.equals(c.getName())) {
        if (found != null) {
          return null; // two cookies of this name: refuse rather than pick one
        }
        found = c.getValue();
      }
    }
    return found;
  }

  private static boolean present(String className) {
    try {
      Class.forName(className, false, CsrfGuard.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError absent) {
      return false;
    }
  }

  /** Spring Security's token, in a class loaded only when Spring Security is present. */
  private static final class SpringCsrf {
    static @Nullable Field field(HttpServletRequest request) {
      Object attribute = request.getAttribute(SPRING_CSRF);
      if (attribute instanceof org.springframework.security.web.csrf.CsrfToken) {
        org.springframework.security.web.csrf.CsrfToken token =
            (org.springframework.security.web.csrf.CsrfToken) attribute;
        return new Field(token.getParameterName(), token.getToken());
      }
      return null;
    }
  }
}
