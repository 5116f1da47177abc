package dev.jitaccess.spring.boot;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.jwt.JwtKeyRing;
import dev.jitaccess.jwt.JwtVerifier;
import dev.jitaccess.spi.AuditSink;
import dev.jitaccess.spring.boot.properties.JwtProperties;
import dev.jitaccess.spring.boot.properties.RouteProperties;
import dev.jitaccess.spring.boot.properties.WebProperties;
import dev.jitaccess.web.RouteMap;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/** Builds the web beans from {@code jit.web.*}, each bad value failing with the property's name. */
final class WebFactory {
  /** The largest JWK set read from {@code jit.web.jwt.jwks-location}. */
  static final int MAX_JWKS_BYTES = 1 << 20;

  private WebFactory() {}

  static JwtVerifier verifier(JwtProperties jwt, Clock clock, JitAccess jit,
      @Nullable JwtKeyRing ring, ResourceLoader resources, @Nullable AuditSink audit) {
    String issuer = required("jit.web.jwt.issuer", jwt.getIssuer());
    String audience = required("jit.web.jwt.audience", jwt.getAudience());
    JwtVerifier.Builder builder = JwtVerifier.builder().clock(clock).liveCheck(jit);
    property("jit.web.jwt.issuer", () -> builder.issuer(issuer));
    property("jit.web.jwt.audience", () -> builder.audience(audience));
    String location = jwt.getJwksLocation();
    if (location != null && ring != null) {
      throw new IllegalStateException("jit.web.jwt.jwks-location is set and a JwtKeyRing bean "
          + "exists: trust one source of keys (remove the property, or define a JwtVerifier bean)");
    }
    if (location != null) {
      builder.trustedKeys(jwks(location, resources));
    } else if (ring != null) {
      builder.keyRing(ring);
    } else {
      throw new IllegalStateException("jit.web.jwt.jwks-location must be set when HTTP "
          + "enforcement is on (jit.web.enabled), or the application must define a JwtKeyRing "
          + "or JwtVerifier bean");
    }
    if (jwt.getMaxClockSkew() != null) {
      property("jit.web.jwt.max-clock-skew", () -> builder.maxClockSkew(jwt.getMaxClockSkew()));
    }
    if (!jwt.getAlgorithms().isEmpty()) {
      List<JWSAlgorithm> algorithms = algorithms("jit.web.jwt.algorithms", jwt.getAlgorithms());
      property("jit.web.jwt.algorithms", () -> builder.algorithms(algorithms));
    }
    if (!jwt.getProofAlgorithms().isEmpty()) {
      List<JWSAlgorithm> algorithms =
          algorithms("jit.web.jwt.proof-algorithms", jwt.getProofAlgorithms());
      property("jit.web.jwt.proof-algorithms", () -> builder.proofAlgorithms(algorithms));
    }
    if (audit != null) {
      builder.auditSink(audit);
    }
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      // The allow-lists are checked together at build: name the one the message is about.
      String m = String.valueOf(e.getMessage());
      String property = m.startsWith("proofAlgorithms") ? "jit.web.jwt.proof-algorithms"
          : m.startsWith("algorithms") ? "jit.web.jwt.algorithms" : "jit.web.jwt";
      throw new IllegalStateException(property + " is invalid: " + m, e);
    }
  }

  static RouteMap routes(WebProperties web) {
    RouteMap.Builder builder = RouteMap.builder();
    List<String> guard = web.getGuard();
    for (int i = 0; i < guard.size(); i++) {
      String prefix = guard.get(i);
      property("jit.web.guard[" + i + "]", () -> builder.guard(prefix));
    }
    List<RouteProperties> routes = web.getRoutes();
    for (int i = 0; i < routes.size(); i++) {
      RouteProperties r = routes.get(i);
      String name = "jit.web.routes[" + i + "]";
      try {
        builder.route(required(name + ".method", r.getMethod()),
            required(name + ".pattern", r.getPattern()),
            required(name + ".action", r.getAction()),
            required(name + ".resource", r.getResource()));
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(name + "." + field(e.getMessage()) + " is invalid: "
            + e.getMessage(), e);
      }
    }
    return builder.build();
  }

  /** The route property a {@link RouteMap.Builder#route} message is about. */
  private static String field(@Nullable String message) {
    String m = message == null ? "" : message;
    if (m.startsWith("method")) {
      return "method";
    }
    if (m.startsWith("action")) {
      return "action";
    }
    if (m.startsWith("pathPattern")) {
      return "pattern";
    }
    return "resource";
  }

  private static JWKSet jwks(String location, ResourceLoader resources) {
    Resource resource = resources.getResource(location);
    if (!resource.exists()) {
      throw new IllegalStateException("jit.web.jwt.jwks-location names no readable resource: "
          + location);
    }
    byte[] bytes;
    try (InputStream in = resource.getInputStream()) {
      bytes = in.readNBytes(MAX_JWKS_BYTES + 1);
    } catch (IOException e) {
      throw new IllegalStateException("jit.web.jwt.jwks-location could not be read: " + location
          + " (" + e.getClass().getSimpleName() + ")", e);
    }
    if (bytes.length > MAX_JWKS_BYTES) {
      throw new IllegalStateException("jit.web.jwt.jwks-location must be at most "
          + MAX_JWKS_BYTES + " bytes: " + location);
    }
    try {
      JWKSet set = JWKSet.parse(new String(bytes, StandardCharsets.UTF_8));
      if (set.getKeys().isEmpty()) {
        throw new IllegalStateException("jit.web.jwt.jwks-location holds no key: " + location);
      }
      return set;
    } catch (ParseException e) {
      // The parser's message may quote the file; its key material stays out of the message.
      throw new IllegalStateException("jit.web.jwt.jwks-location is not a JWK set: " + location);
    }
  }

  private static List<JWSAlgorithm> algorithms(String property, List<String> names) {
    List<JWSAlgorithm> algorithms = new ArrayList<>();
    for (String name : names) {
      JWSAlgorithm a = JWSAlgorithm.parse(name == null ? "" : name.trim());
      if (a.getRequirement() == null) {  // parse() makes any unknown name an algorithm
        throw new IllegalStateException(property + " must name JWS algorithms such as ES256, "
            + "was '" + name + "'");
      }
      algorithms.add(a);
    }
    return algorithms;
  }

  private static String required(String property, @Nullable String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(property + " must be set when HTTP enforcement is on "
          + "(jit.web.enabled)");
    }
    return value;
  }

  /** Runs {@code step}, turning an invalid value into a failure that names {@code property}. */
  static <T> T property(String property, java.util.function.Supplier<T> step) {
    try {
      return step.get();
    } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
      throw new IllegalStateException(property + " is invalid: " + e.getMessage(), e);
    }
  }
}
