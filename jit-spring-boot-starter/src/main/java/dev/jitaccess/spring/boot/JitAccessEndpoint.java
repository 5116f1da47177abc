package dev.jitaccess.spring.boot;

import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.core.JitAccess;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;

/**
 * The {@code jitaccess} Actuator endpoint: reads the governance exposure report, and revokes one
 * grant, named by its reference ({@code gr_...}), or every grant of a task, with a revocation
 * reason code that the audit trail records. It never returns a grant id. Expose it only to
 * operators, behind the application's security ({@code management.endpoints.web.exposure.include}
 * and a rule on {@code /actuator/jitaccess/**}): whoever reaches it can revoke any grant and see
 * who holds what.
 *
 * <ul>
 *   <li>{@code GET /actuator/jitaccess?owner=&tier=&subject=&smell=&minAge=&groupBy=}: the report
 *       (404 without jit-governance; 400 naming the filter for a malformed one).
 *   <li>{@code DELETE /actuator/jitaccess/grant/{reference}?reason=CODE} and {@code DELETE
 *       /actuator/jitaccess/task/{task}?reason=CODE}: revoke (404 for an unknown reference).
 *   <li>{@code POST /actuator/jitaccess} with {@code {"grant": "gr_...", "reason": "CODE"}} or
 *       {@code {"task": "...", "reason": "CODE"}}: the same, for task names a path cannot hold.
 * </ul>
 *
 * <p>Thread-safe.
 */
@WebEndpoint(id = "jitaccess")
public class JitAccessEndpoint {
  private final JitAccess jit;
  private final @Nullable ExposureReports exposure;

  JitAccessEndpoint(JitAccess jit, @Nullable ExposureReports exposure) {
    this.jit = jit;
    this.exposure = exposure;
  }

  /**
   * The exposure report, filtered and grouped as asked.
   *
   * @param owner only grants of this owner
   * @param tier only grants of this risk tier
   * @param subject only grants of this subject
   * @param smell only grants with this standing-access smell
   * @param minAge only grants at least this old ({@code PT2H} or {@code 2h})
   * @param groupBy {@code owner}, {@code tier} or {@code subject}
   * @return the report, or 400 or 404 with an {@code error}
   */
  @ReadOperation
  public WebEndpointResponse<Map<String, Object>> exposure(@Nullable String owner,
      @Nullable String tier, @Nullable String subject, @Nullable String smell,
      @Nullable String minAge, @Nullable String groupBy) {
    if (exposure == null) {
      return error(WebEndpointResponse.STATUS_NOT_FOUND,
          "the exposure report needs jit-governance");
    }
    StringBuilder query = new StringBuilder();
    String[] keys = {"owner", "tier", "subject", "smell", "minAge", "groupBy"};
    String[] values = {owner, tier, subject, smell, minAge, groupBy};
    for (int i = 0; i < keys.length; i++) {
      if (values[i] == null) {
        continue;
      }
      if (values[i].isEmpty() || values[i].chars().anyMatch(Character::isWhitespace)) {
        return error(WebEndpointResponse.STATUS_BAD_REQUEST,
            "filter " + keys[i] + " must be non-empty and hold no white space");
      }
      query.append(keys[i]).append('=').append(values[i]).append(' ');
    }
    try {
      return new WebEndpointResponse<>(exposure.report(query.toString()));
    } catch (IllegalArgumentException e) {
      return error(WebEndpointResponse.STATUS_BAD_REQUEST, e.getMessage());
    }
  }

  /**
   * Revokes a grant ({@code kind} {@code grant}, {@code name} its reference) or a task ({@code
   * kind} {@code task}).
   *
   * @param kind {@code grant} or {@code task}
   * @param name the grant's reference, or the task
   * @param reason the revocation reason code, {@code [A-Z][A-Z0-9_]{0,63}}
   * @return what was revoked, or 400 or 404 with an {@code error}
   */
  @DeleteOperation
  public WebEndpointResponse<Map<String, Object>> revoke(@Selector String kind,
      @Selector String name, @Nullable String reason) {
    switch (kind) {
      case "grant":
        return revokeGrant(name, reason);
      case "task":
        return revokeTask(name, reason);
      default:
        return error(WebEndpointResponse.STATUS_BAD_REQUEST,
            "the path must be /grant/{reference} or /task/{task}");
    }
  }

  /**
   * Revokes a grant by its reference, or a task: exactly one of {@code grant} and {@code task}.
   *
   * @param grant the grant's reference ({@code gr_...})
   * @param task the task
   * @param reason the revocation reason code, {@code [A-Z][A-Z0-9_]{0,63}}
   * @return what was revoked, or 400 or 404 with an {@code error}
   */
  @WriteOperation
  public WebEndpointResponse<Map<String, Object>> revokeByBody(@Nullable String grant,
      @Nullable String task, @Nullable String reason) {
    if ((grant == null) == (task == null)) {
      return error(WebEndpointResponse.STATUS_BAD_REQUEST,
          "exactly one of grant (a reference) and task must be given");
    }
    return grant != null ? revokeGrant(grant, reason) : revokeTask(task, reason);
  }

  private WebEndpointResponse<Map<String, Object>> revokeGrant(String reference,
      @Nullable String reason) {
    RevocationReason why = reason(reason);
    if (why == null) {
      return badReason(reason);
    }
    Optional<Grant> grant = jit.grantByReference(reference);
    if (grant.isEmpty()) {
      return error(WebEndpointResponse.STATUS_NOT_FOUND, "no grant has this reference");
    }
    boolean ended = jit.revoke(grant.get().id(), why);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("grant", grant.get().reference());
    body.put("revoked", ended);
    body.put("state", jit.grant(grant.get().id()).map(g -> g.state().name()).orElse("GONE"));
    body.put("reason", why.code());
    return new WebEndpointResponse<>(body);
  }

  private WebEndpointResponse<Map<String, Object>> revokeTask(String task,
      @Nullable String reason) {
    RevocationReason why = reason(reason);
    if (why == null) {
      return badReason(reason);
    }
    int ended;
    try {
      ended = jit.revokeTask(task, why);
    } catch (IllegalArgumentException e) {
      return error(WebEndpointResponse.STATUS_BAD_REQUEST, e.getMessage());
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("task", task);
    body.put("revoked", ended);
    body.put("reason", why.code());
    return new WebEndpointResponse<>(body);
  }

  private static @Nullable RevocationReason reason(@Nullable String code) {
    if (code == null || !code.matches("[A-Z][A-Z0-9_]{0,63}")) {
      return null;
    }
    return RevocationReason.of(code);
  }

  private static WebEndpointResponse<Map<String, Object>> badReason(@Nullable String code) {
    return error(WebEndpointResponse.STATUS_BAD_REQUEST, code == null
        ? "reason is required: a revocation reason code such as COMPROMISED"
        : "reason must match [A-Z][A-Z0-9_]{0,63}");
  }

  private static WebEndpointResponse<Map<String, Object>> error(int status,
      @Nullable String message) {
    return new WebEndpointResponse<>(Map.of("error", String.valueOf(message)), status);
  }
}
