package dev.jitaccess.web;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.DenialCode;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.jwt.JwtVerifier;
import dev.jitaccess.spi.AuditSink;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Decides HTTP requests, without any framework: from the method, the raw path and the headers, the
 * action and resource the request needs (from a {@link RouteMap} or a {@link RequiresGrant}), the
 * one credential it presents, and whether that credential's grant permits it.
 *
 * <pre>{@code
 * GrantEnforcer enforcer = GrantEnforcer.builder()
 *     .tokens(verifier)                       // a JwtVerifier, live-checking the runtime
 *     .routes(RouteMap.builder().guard("/orders")
 *         .route("GET", "/orders/**", "read", "orders/**").build())
 *     .realm("orders")
 *     .build();
 * WebDecision d = enforcer.decide(request);
 * }</pre>
 *
 * <p>In order, each step failing closed:
 *
 * <ol>
 *   <li>a request under no guarded prefix of the route map passes ({@link WebDecision#isDenied()}
 *       false, no grant), unless a {@link RequiresGrant} applies;
 *   <li>the raw path is mapped to segments as {@code docs/http.md} describes (context path and
 *       leading {@code /} stripped, percent-encoding decoded once); encoded slashes, dot segments,
 *       control characters, empty segments, double encoding, path parameters and characters outside
 *       the resource grammar deny with 400;
 *   <li>the requirement: the first matching route, else 403 ({@link WebDenialCode#UNMAPPED_ROUTE});
 *   <li>exactly one credential: {@code Authorization: Bearer <jwt>}, {@code Authorization: DPoP
 *       <jwt>} with one {@code DPoP} proof header (verified for this method and {@link
 *       WebRequest#targetUri()}), or, if enabled, the grant id header; two deny with 400;
 *   <li>the token's verifier (or {@link JitAccess#check} for a grant id): 401 for a missing or
 *       invalid credential, 403 for a valid one without the permission.
 * </ol>
 *
 * <p>Every denial of this class's own is logged and audited by its {@link WebDenialCode} only;
 * the verifier and the runtime audit theirs. Thread-safe.
 */
public final class GrantEnforcer {
  private static final System.Logger LOG = System.getLogger(GrantEnforcer.class.getName());
  private static final Pattern METHOD = Pattern.compile("[A-Z]{1,16}");

  private final RouteMap routes;
  private final CredentialCheck credentials;
  private final Challenges challenges;
  private final @Nullable AuditSink audit;
  private final Clock clock;

  private GrantEnforcer(RouteMap routes, CredentialCheck credentials, Challenges challenges,
      @Nullable AuditSink audit, Clock clock) {
    this.routes = routes;
    this.credentials = credentials;
    this.challenges = challenges;
    this.audit = audit;
    this.clock = clock;
  }

  /** A builder; {@link Builder#tokens} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Decides a request by the route map. Never throws for a bad request. */
  public WebDecision decide(WebRequest request) {
    return decide(request, (AllowedRequest) null);
  }

  /**
   * Decides a request the way {@link #decide(WebRequest)} does, for a request already allowed
   * {@code earlier} (a forward or include within one allowed request): if the route map needs
   * exactly the action and resource allowed earlier, the earlier allowance stands and no credential
   * is checked again (a use is not spent twice, a DPoP proof not replayed); for anything else the
   * request is decided on its own credentials. With {@code earlier} null, as {@link
   * #decide(WebRequest)}. Never throws for a bad request.
   */
  public WebDecision decide(WebRequest request, @Nullable AllowedRequest earlier) {
    Objects.requireNonNull(request, "request must not be null");
    String raw = rawPath(request);
    if (!routes.guards(raw, request.containerPath())) {
      return WebDecision.notGuarded();
    }
    RequestPath path = RequestPath.parse(request.requestPath(), request.contextPath());
    if (path.problem() != null) {
      return denied(request, path.problem(), null, null);
    }
    ResourceTemplate.Resolved need = routes.resolve(request.method(), path.segments());
    if (need == null) {
      return denied(request, WebDenialCode.UNMAPPED_ROUTE, null, null);
    }
    if (earlier != null && need.problem() == null && earlier.action().equals(need.action())
        && earlier.resource().equals(need.resource())) {
      return WebDecision.allow(earlier);
    }
    return decide(request, need);
  }

  /**
   * Decides a request for a declared requirement, whatever the route map says: {@code {name}}
   * placeholders of its resource are filled from {@code pathVariables} (the framework's decoded
   * path variables). The raw path is still checked. Never throws for a bad request.
   */
  public WebDecision decide(WebRequest request, RequiresGrant requirement,
      Map<String, String> pathVariables) {
    return decide(request, requirement.action(), requirement.resource(), pathVariables);
  }

  /**
   * Decides a request for {@code action} on the resource template {@code resource} (see {@link
   * RequiresGrant#resource()}). A malformed action or template denies with 500 ({@link
   * WebDenialCode#ROUTE_MISCONFIGURED}). Never throws for a bad request.
   */
  public WebDecision decide(WebRequest request, String action, String resource,
      Map<String, String> pathVariables) {
    Objects.requireNonNull(request, "request must not be null");
    Objects.requireNonNull(pathVariables, "pathVariables must not be null");
    RequestPath path = RequestPath.parse(request.requestPath(), request.contextPath());
    if (path.problem() != null) {
      return denied(request, path.problem(), null, null);
    }
    ResourceTemplate template;
    try {
      template = ResourceTemplate.parse(resource, false, "resource");
    } catch (IllegalArgumentException | NullPointerException e) {
      LOG.log(System.Logger.Level.ERROR, "a grant requirement is malformed: " + e.getMessage());
      return denied(request, WebDenialCode.ROUTE_MISCONFIGURED, null, null);
    }
    if (action == null || !dev.jitaccess.Permission.isWellFormedRequest(action, "x")) {
      return denied(request, WebDenialCode.ROUTE_MISCONFIGURED, null, null);
    }
    return decide(request, template.fill(action, pathVariables, java.util.List.of()));
  }

  private WebDecision decide(WebRequest request, ResourceTemplate.Resolved need) {
    if (need.problem() != null || need.resource() == null) {
      return denied(request, Objects.requireNonNull(need.problem(), "problem"), need.action(),
          null);
    }
    WebDecision decision = credentials.decide(request, need.action(), need.resource());
    if (decision.isDenied()) {
      DenialCode code = Objects.requireNonNull(decision.code(), "code");
      log(request, code);
      if (code instanceof WebDenialCode) {
        audit(code, need.action(), need.resource());
      }
    }
    return decision;
  }

  private WebDecision denied(WebRequest request, WebDenialCode code, @Nullable String action,
      @Nullable String resource) {
    log(request, code);
    audit(code, action, resource);
    return challenges.deny(code, Challenges.Scheme.NONE);
  }

  /** Logs a denial by its code and the method only: the path and headers are the client's. */
  private static void log(WebRequest request, DenialCode code) {
    String method = METHOD.matcher(request.method()).matches() ? request.method() : "?";
    LOG.log(System.Logger.Level.INFO, "denied " + method + " request: " + code.name());
  }

  private void audit(DenialCode code, @Nullable String action, @Nullable String resource) {
    if (audit == null) {
      return;
    }
    try {
      audit.record(AuditEvent.builder(AuditEventType.DENIED, clock.instant())
          .reason(code.name()).action(action).resource(resource).build());
    } catch (Throwable e) { // a failing sink never changes the decision
      LOG.log(System.Logger.Level.ERROR, "AuditSink " + audit + " failed to record a denial", e);
    }
  }

  private static String rawPath(WebRequest request) {
    String path = request.requestPath();
    String context = request.contextPath();
    return path.startsWith(context) ? path.substring(context.length()) : path;
  }

  /**
   * Builds a {@link GrantEnforcer}. Each setter may be called once (a second call throws {@link
   * IllegalStateException}). Not thread-safe.
   *
   * <p>Required: {@link #tokens}. Defaults: {@link RouteMap#denyAll()}; realm {@value
   * #DEFAULT_REALM}; DPoP algorithms {@code ES256} (the verifier's default); no grant header; no
   * audit sink; the system UTC clock (for audit event times only).
   */
  public static final class Builder {
    /** The realm named in challenges unless set. */
    public static final String DEFAULT_REALM = "jit-access";

    private static final Pattern HEADER = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}");
    private static final Pattern REALM = Pattern.compile("[\\x20-\\x7e&&[^\"\\\\]]{1,64}");
    private static final Pattern ALGS = Pattern.compile("[A-Z0-9]{5,6}( [A-Z0-9]{5,6}){0,8}");

    private @Nullable JwtVerifier tokens;
    private @Nullable RouteMap routes;
    private @Nullable String realm;
    private @Nullable String dpopAlgorithms;
    private @Nullable String grantHeader;
    private @Nullable JitAccess jit;
    private @Nullable AuditSink auditSink;
    private @Nullable Clock clock;

    private Builder() {}

    /** Verifies presented access tokens (required). */
    public Builder tokens(JwtVerifier verifier) {
      requireUnset(tokens, "tokens");
      this.tokens = Objects.requireNonNull(verifier, "tokens must not be null");
      return this;
    }

    /** The routes and the guarded prefixes used by {@link GrantEnforcer#decide(WebRequest)}. */
    public Builder routes(RouteMap routes) {
      requireUnset(this.routes, "routes");
      this.routes = Objects.requireNonNull(routes, "routes must not be null");
      return this;
    }

    /** The {@code realm} of every challenge: printable ASCII without {@code "} or {@code \}. */
    public Builder realm(String realm) {
      requireUnset(this.realm, "realm");
      Objects.requireNonNull(realm, "realm must not be null");
      if (!REALM.matcher(realm).matches()) {
        throw new IllegalArgumentException("realm must be 1 to 64 printable ASCII characters"
            + " other than \" and \\, was '" + realm + "'");
      }
      this.realm = realm;
      return this;
    }

    /**
     * The proof algorithms the {@code DPoP} challenge announces ({@code algs}), space-separated;
     * set it to the verifier's proof algorithms.
     */
    public Builder dpopAlgorithms(String algorithms) {
      requireUnset(this.dpopAlgorithms, "dpopAlgorithms");
      Objects.requireNonNull(algorithms, "dpopAlgorithms must not be null");
      if (!ALGS.matcher(algorithms).matches()) {
        throw new IllegalArgumentException("dpopAlgorithms must be JWS algorithm names separated"
            + " by single spaces, was '" + algorithms + "'");
      }
      this.dpopAlgorithms = algorithms;
      return this;
    }

    /**
     * Accepts a grant id in header {@code name}, checked with {@link JitAccess#check}; off by
     * default. A grant id is a credential as strong as a bearer token, with no audience and no
     * expiry of its own: enable it only between trusted services over TLS.
     */
    public Builder grantHeader(String name, JitAccess jit) {
      requireUnset(this.grantHeader, "grantHeader");
      Objects.requireNonNull(name, "grantHeader must not be null");
      if (!HEADER.matcher(name).matches() || name.equalsIgnoreCase("Authorization")
          || name.equalsIgnoreCase("DPoP")) {
        throw new IllegalArgumentException("grantHeader must be a header name of 1 to 64 token"
            + " characters other than Authorization and DPoP, was '" + name + "'");
      }
      this.grantHeader = name;
      this.jit = Objects.requireNonNull(jit, "jit must not be null");
      return this;
    }

    /** Receives a {@code DENIED} event for each of the enforcer's own denials. */
    public Builder auditSink(AuditSink auditSink) {
      requireUnset(this.auditSink, "auditSink");
      this.auditSink = Objects.requireNonNull(auditSink, "auditSink must not be null");
      return this;
    }

    /** The clock for audit event times. */
    public Builder clock(Clock clock) {
      requireUnset(this.clock, "clock");
      this.clock = Objects.requireNonNull(clock, "clock must not be null");
      return this;
    }

    /**
     * The enforcer.
     *
     * @throws NullPointerException if {@link #tokens} was not set
     */
    public GrantEnforcer build() {
      JwtVerifier verifier = Objects.requireNonNull(tokens, "tokens must be set");
      Challenges c = new Challenges(realm == null ? DEFAULT_REALM : realm,
          dpopAlgorithms == null ? "ES256" : dpopAlgorithms);
      return new GrantEnforcer(routes == null ? RouteMap.denyAll() : routes,
          new CredentialCheck(verifier, grantHeader, jit, c), c, auditSink,
          clock == null ? Clock.systemUTC() : clock);
    }

    private static void requireUnset(@Nullable Object current, String name) {
      if (current != null) {
        throw new IllegalStateException(name + " was already set");
      }
    }
  }
}
