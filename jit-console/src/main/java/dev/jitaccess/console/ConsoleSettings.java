package dev.jitaccess.console;

import java.util.Objects;
import java.util.regex.Pattern;
import org.springframework.core.env.Environment;

/**
 * The console's settings, read once from the environment: where it is mounted ({@code
 * jit.console.path}), the role a person needs ({@code jit.console.role}) and how many items a list
 * shows ({@code jit.console.page-size}). Immutable.
 *
 * @param path the base path, such as {@code /jit-console}
 * @param role the role {@link jakarta.servlet.http.HttpServletRequest#isUserInRole} must admit, or
 *     {@code *} for any signed-in person
 * @param pageSize how many pending requests, report rows and teardowns a page lists
 */
record ConsoleSettings(String path, String role, int pageSize) {
  static final String PATH = "jit.console.path";
  static final String ROLE = "jit.console.role";
  static final String PAGE_SIZE = "jit.console.page-size";
  static final String DEFAULT_PATH = "/jit-console";
  static final String DEFAULT_ROLE = "JIT_CONSOLE";
  static final String ANY_ROLE = "*";

  private static final Pattern PATH_SHAPE = Pattern.compile("(/[A-Za-z0-9._~-]+)+");
  private static final Pattern ROLE_SHAPE = Pattern.compile("[A-Za-z0-9_.:-]{1,128}|\\*");

  ConsoleSettings {
    Objects.requireNonNull(path, PATH + " must not be null");
    Objects.requireNonNull(role, ROLE + " must not be null");
    if (!PATH_SHAPE.matcher(path).matches() || path.contains("/./") || path.contains("/../")
        || path.endsWith("/.") || path.endsWith("/..")) {
      throw new IllegalArgumentException(PATH + " must be an absolute path of segments made of "
          + "letters, digits and ._~- without a trailing '/', was '" + shown(path) + "'");
    }
    if (!ROLE_SHAPE.matcher(role).matches()) {
      throw new IllegalArgumentException(ROLE + " must be a role name (letters, digits, _.:-, "
          + "at most 128) or * for any signed-in person, was '" + shown(role) + "'");
    }
    if (pageSize < 1 || pageSize > 10_000) {
      throw new IllegalArgumentException(PAGE_SIZE + " must be in [1, 10000], was " + pageSize);
    }
  }

  static ConsoleSettings from(Environment env) {
    return new ConsoleSettings(env.getProperty(PATH, DEFAULT_PATH),
        env.getProperty(ROLE, DEFAULT_ROLE), env.getProperty(PAGE_SIZE, Integer.class, 200));
  }

  private static String shown(String s) {
    String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }
}
