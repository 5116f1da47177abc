package dev.jitaccess.spring.boot.properties;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code jit.console.*}: the embeddable console (jit-console), mounted when it, Spring MVC and a
 * {@code Governance} bean are present. The console reads the same properties itself and checks
 * their rules when it starts (a malformed path or role, or a page size outside [1, 10000], fails
 * the start naming the property); binding them here publishes them to IDEs and fails the start
 * on a value of the wrong type. Not thread-safe; bound once at start.
 */
@ConfigurationProperties(prefix = "jit.console")
public class ConsoleProperties {
  /** Whether the console is mounted when jit-console, Spring MVC and a Governance bean are present. */
  private boolean enabled = true;

  /**
   * Where the pages live: an absolute path of segments made of letters, digits and ._~-, without
   * a trailing '/'.
   */
  private String path = "/jit-console";

  /**
   * The role a person needs, as HttpServletRequest.isUserInRole sees it (with Spring Security the
   * authority ROLE_ followed by it); '*' admits anyone signed in.
   */
  private String role = "JIT_CONSOLE";

  /** How many pending requests, report rows and teardowns a page lists, 1 to 10000. */
  private int pageSize = 200;

  /** Made by Spring when it binds {@code jit.console.*}. */
  public ConsoleProperties() {}

  /** Whether the console is mounted. */
  public boolean isEnabled() {
    return enabled;
  }

  /** Sets whether the console is mounted. */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** Where the pages live. */
  public String getPath() {
    return path;
  }

  /** Sets where the pages live. */
  public void setPath(String path) {
    this.path = path;
  }

  /** The role a person needs, or {@code *}. */
  public String getRole() {
    return role;
  }

  /** Sets the role a person needs. */
  public void setRole(String role) {
    this.role = role;
  }

  /** How many items a list shows. */
  public int getPageSize() {
    return pageSize;
  }

  /** Sets how many items a list shows. */
  public void setPageSize(int pageSize) {
    this.pageSize = pageSize;
  }
}
