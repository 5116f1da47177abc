package dev.jitaccess.web;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.Scope;
import dev.jitaccess.Ttl;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.jwt.DpopProof;
import dev.jitaccess.jwt.JwtIssuer;
import dev.jitaccess.jwt.JwtKeyRing;
import dev.jitaccess.jwt.JwtVerifier;
import dev.jitaccess.testkit.time.FakeClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;

/**
 * A runtime, a key ring, an issuer and a live verifier on one fake clock, an embedded Tomcat on a
 * free port, and an HTTP client.
 */
final class WebFixture implements AutoCloseable {
  static final String ISSUER = "https://jit.example.com";
  static final String AUDIENCE = "orders-api";

  final FakeClock clock = new FakeClock();
  final JitAccess jit = JitAccess.builder().clock(clock).scheduler(clock).auditSink(e -> { })
      .build();
  final JwtKeyRing ring = JwtKeyRing.builder().clock(clock).signingKey(ecKey("key-1")).build();
  final JwtIssuer issuer = JwtIssuer.builder()
      .jit(jit).keyRing(ring).issuer(ISSUER).clock(clock).build();
  final JwtVerifier verifier = JwtVerifier.builder()
      .keyRing(ring).issuer(ISSUER).audience(AUDIENCE).clock(clock).liveCheck(jit).build();
  final ECKey workload = ecKey("workload");
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  final Tomcat tomcat = new Tomcat();
  int port;

  WebFixture(Path baseDir) {
    tomcat.setBaseDir(baseDir.toString());
    tomcat.setPort(0);
    // Let encoded slashes through, as a permissive container might: the enforcer must refuse them.
    tomcat.getConnector().setEncodedSolidusHandling("passthrough");
  }

  static ECKey ecKey(String kid) {
    try {
      return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A context mounted at {@code path}, to add servlets and filters to before {@link #start}. */
  Context context(String path) {
    return tomcat.addContext(path, null);
  }

  void start() throws LifecycleException {
    tomcat.start();
    port = tomcat.getConnector().getLocalPort();
  }

  Grant grant(String scope) {
    return jit.request(GrantRequest.builder()
        .subject("ci-job-4711").owner("team-orders").task("export-2026-11")
        .purpose("export the November orders")
        .scope(Scope.parse(scope))
        .ttl(Ttl.of(Duration.ofMinutes(10))).build());
  }

  String token(Grant grant) {
    return issuer.issue(grant.id(), AUDIENCE);
  }

  String boundToken(Grant grant) {
    return issuer.issue(grant.id(), AUDIENCE, workload.toPublicJWK());
  }

  String url(String rawPath) {
    return "http://localhost:" + port + rawPath;
  }

  DpopProof proof(String method, String rawPath, String token) {
    return DpopProof.sign(workload, method, url(rawPath), token, clock);
  }

  /** Sends {@code method rawPath} with the header name/value pairs, without a body. */
  HttpResponse<String> send(String method, String rawPath, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(rawPath)))
        .timeout(Duration.ofSeconds(20))
        .method(method, HttpRequest.BodyPublishers.noBody());
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() throws LifecycleException {
    try {
      tomcat.stop();
      tomcat.destroy();
    } finally {
      jit.close();
    }
  }
}
