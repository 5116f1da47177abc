package dev.jitaccess.web;

import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.jwt.JwtVerifier;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;

/** {@link WebFixture} for tests in other packages. */
public class WebFixtureAccess implements AutoCloseable {
  private final WebFixture f;

  /** A fixture whose Tomcat keeps its files under {@code baseDir}. */
  public WebFixtureAccess(Path baseDir) {
    this.f = new WebFixture(baseDir);
  }

  public JwtVerifier verifier() {
    return f.verifier;
  }

  public Context context(String path) {
    return f.context(path);
  }

  public void start() throws LifecycleException {
    f.start();
  }

  public Grant grant(String scope) {
    return f.grant(scope);
  }

  public String token(Grant grant) {
    return f.token(grant);
  }

  public String boundToken(Grant grant) {
    return f.boundToken(grant);
  }

  public String proof(String method, String rawPath, String token) {
    return f.proof(method, rawPath, token).jwt();
  }

  public void revoke(Grant grant, RevocationReason reason) {
    f.jit.revoke(grant.id(), reason);
  }

  public HttpResponse<String> send(String method, String rawPath, String... headers)
      throws IOException, InterruptedException {
    return f.send(method, rawPath, headers);
  }

  @Override
  public void close() throws LifecycleException {
    f.close();
  }
}
