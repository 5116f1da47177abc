package dev.jitaccess.spi;

import dev.jitaccess.GrantRequest;
import dev.jitaccess.IdentityVerificationException;
import dev.jitaccess.WorkloadIdentity;

/**
 * Verifies, at request time, the credential a workload presents (a SPIFFE JWT-SVID, an OIDC ID
 * token, ...) so that only a workload that proved who it is can request a grant, and the grant's
 * subject is the verified one rather than whatever the caller wrote.
 *
 * <pre>{@code
 * GrantRequest request = identityVerifier.requestAs(svid, GrantRequest.builder()
 *     .owner("team-payments").task("deploy-4711").purpose("deploy payments")
 *     .scope("write:deployments/payments").ttl(Ttl.of(Duration.ofMinutes(10))));
 * Grant grant = jit.request(request);
 * }</pre>
 *
 * <p>Implementations must fail closed: any doubt (bad signature, unknown key, wrong issuer or
 * audience, expired, malformed) throws. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface IdentityVerifier {

  /**
   * Verifies {@code credential} and returns the identity it proves.
   *
   * @throws IdentityVerificationException naming the rule, if the credential proves nothing
   */
  WorkloadIdentity verify(String credential);

  /**
   * Verifies {@code credential} and builds {@code request} with the verified subject, replacing
   * any subject set on the builder, and the verified {@link WorkloadIdentity} (issuer and claims)
   * in its {@link dev.jitaccess.RequestContext#identity() context}, keeping the rest of the
   * context, so that a policy can decide on who proved what.
   *
   * @throws IdentityVerificationException naming the rule, if the credential proves nothing
   * @throws NullPointerException naming the first required field of the request not set
   */
  default GrantRequest requestAs(String credential, GrantRequest.Builder request) {
    WorkloadIdentity identity = verify(credential);
    GrantRequest built = request.subject(identity.subject()).build();
    return built.toBuilder()
        .context(built.context().toBuilder().identity(identity).build())
        .build();
  }
}
