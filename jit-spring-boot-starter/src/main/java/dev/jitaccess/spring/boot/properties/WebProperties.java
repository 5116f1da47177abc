package dev.jitaccess.spring.boot.properties;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * {@code jit.web.*}: HTTP enforcement of grants (jit-web) in a servlet web application: the token
 * verifier, the {@code @RequiresGrant} interceptor for Spring MVC, and the servlet filter with a
 * route map when routes or guarded prefixes are configured.
 */
public class WebProperties {
  /** Whether HTTP enforcement is configured when jit-web is present in a servlet web application. */
  private boolean enabled = true;

  /** The realm named in WWW-Authenticate challenges (default jit-access). */
  private @Nullable String realm;

  /** The header that may carry a grant id (off unless set); a grant id has no audience or expiry of its own: only between trusted services over TLS. */
  private @Nullable String grantHeader;

  /** The order of the grant filter among the servlet filters (default 0, after Spring Security's). */
  private int filterOrder;

  /** Path prefixes the filter guards: under them, a request no route maps is denied (default: every path, once routes are set). */
  private List<String> guard = new ArrayList<>();

  /** Routes the filter enforces, in order; the first whose method and pattern match decides. */
  private List<RouteProperties> routes = new ArrayList<>();

  /** How access tokens are verified. */
  @NestedConfigurationProperty
  private final JwtProperties jwt = new JwtProperties();

  /** Whether HTTP enforcement is configured (default true). */
  public boolean isEnabled() {
    return enabled;
  }

  /** Sets whether HTTP enforcement is configured. */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** The challenges' realm; null for the default. */
  public @Nullable String getRealm() {
    return realm;
  }

  /** Sets the challenges' realm. */
  public void setRealm(@Nullable String realm) {
    this.realm = realm;
  }

  /** The grant id header's name; null when grant ids are not accepted. */
  public @Nullable String getGrantHeader() {
    return grantHeader;
  }

  /** Sets the grant id header's name. */
  public void setGrantHeader(@Nullable String grantHeader) {
    this.grantHeader = grantHeader;
  }

  /** The grant filter's order. */
  public int getFilterOrder() {
    return filterOrder;
  }

  /** Sets the grant filter's order. */
  public void setFilterOrder(int filterOrder) {
    this.filterOrder = filterOrder;
  }

  /** The guarded path prefixes. */
  public List<String> getGuard() {
    return guard;
  }

  /** Sets the guarded path prefixes. */
  public void setGuard(List<String> guard) {
    this.guard = guard;
  }

  /** The routes. */
  public List<RouteProperties> getRoutes() {
    return routes;
  }

  /** Sets the routes. */
  public void setRoutes(List<RouteProperties> routes) {
    this.routes = routes;
  }

  /** How access tokens are verified ({@code jit.web.jwt.*}). */
  public JwtProperties getJwt() {
    return jwt;
  }

  void validate(Rules rules) {
    for (int i = 0; i < routes.size(); i++) {
      RouteProperties route = routes.get(i);
      if (route == null) {
        rules.reject("jit.web.routes[" + i + "]", "must be set");
      } else {
        route.validate(rules, "jit.web.routes[" + i + "]");
      }
    }
    if (grantHeader != null && grantHeader.isBlank()) {
      rules.reject("jit.web.grant-header", "must not be blank (leave it unset to accept no grant id)");
    }
    jwt.validate(rules);
  }
}
