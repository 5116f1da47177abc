package dev.jitaccess.examples;

// README quickstart: begin
import dev.jitaccess.GrantRequest;
import dev.jitaccess.Scope;
import dev.jitaccess.Ttl;
import dev.jitaccess.core.JitAccess;
import java.time.Duration;

/** One task's access: minted for the deploy, checked, and revoked the moment it ends. */
public final class Quickstart {
  /** Whatever was opened with a grant (sessions, connections) and must close when it ends. */
  public interface Sessions {
    void closeAll(String grantId);
  }

  /** The task's own work; it hands the grant id to every call it makes downstream. */
  public interface Deployer {
    void deploy(String grantId);
  }

  public static final GrantRequest DEPLOY_PAYMENTS = GrantRequest.builder()
      .subject("ci-job-4711").owner("team-payments").task("deploy-2026-11-23")
      .purpose("deploy the payments service")
      .scope(Scope.parse("write:deployments/payments", "read:config/payments/**"))
      .ttl(Ttl.of(Duration.ofMinutes(10), Duration.ofMinutes(30)))   // lifetime, hard cap
      .build();

  private Quickstart() {
  }

  /** One runtime per application; close it on shutdown. */
  public static JitAccess start(Sessions sessions) {
    return JitAccess.builder()
        .listener((grant, reason) -> sessions.closeAll(grant.id()))   // tear down elsewhere
        .build();
  }

  public static void deploy(JitAccess jit, Deployer deployer) {
    jit.run(DEPLOY_PAYMENTS, grant -> {
      jit.require(grant.id(), "write", "deployments/payments");   // throws AccessDeniedException
      deployer.deploy(grant.id());
    });  // revoked here: TASK_COMPLETED, or TASK_FAILED if the body threw
  }
}
// README quickstart: end
