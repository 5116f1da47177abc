package dev.jitaccess.policy.cel;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.RequestContext;
import dev.jitaccess.Scope;
import dev.jitaccess.Ttl;
import dev.jitaccess.WorkloadIdentity;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Requests, grants and identities the tests decide on. */
final class Fixtures {
  static final Instant NOW = Instant.parse("2026-11-23T10:15:30Z");

  private Fixtures() {}

  static GrantRequest.Builder request() {
    return GrantRequest.builder().subject("ci-job-4711").owner("team-payments")
        .task("deploy-2026-11-23").purpose("deploy the payments service")
        .scope("write:deployments/payments", "read:config/payments/**")
        .ttl(Ttl.of(Duration.ofMinutes(10)));
  }

  static GrantRequest request(RequestContext context) {
    return request().context(context).build();
  }

  static WorkloadIdentity identity(Map<String, Object> claims) {
    return new WorkloadIdentity("spiffe://example.org/ci/runner", "https://issuer.example.org",
        NOW.plus(Duration.ofHours(1)), claims);
  }

  static String newId() {
    byte[] bytes = new byte[16];
    ThreadLocalRandom.current().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** A grant issued at {@code issuedAt} for {@code lifetime}, capped at {@code cap}. */
  static Grant grant(String scope, Instant issuedAt, Duration lifetime, Duration cap) {
    return Grant.builder().id(newId()).subject("ci-job-4711").owner("team-payments")
        .task("deploy-2026-11-23").purpose("deploy the payments service")
        .scope(Scope.parse(scope.split(" "))).issuedAt(issuedAt)
        .expiresAt(issuedAt.plus(lifetime)).notAfter(issuedAt.plus(cap)).build();
  }
}
