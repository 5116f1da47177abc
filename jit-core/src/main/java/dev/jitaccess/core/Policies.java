package dev.jitaccess.core;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantDeniedException;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.Scope;
import dev.jitaccess.spi.AccessPolicy;
import dev.jitaccess.spi.PolicyDecision;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Asks the policy and holds it to its answer: a denial, a failure (an {@code Error} included) or
 * an answer wider or longer than the question refuses, with a DENIED audit event, and the
 * request's limits are checked before it is asked.
 */
final class Policies {
  private final AccessPolicy policy;
  private final Reporter reporter;
  final Duration maxLifetime;
  final Duration maxHardCap;

  Policies(AccessPolicy policy, Reporter reporter, Duration maxLifetime, Duration maxHardCap) {
    this.policy = policy;
    this.reporter = reporter;
    this.maxLifetime = maxLifetime;
    this.maxHardCap = maxHardCap;
  }

  AccessPolicy policy() {
    return policy;
  }

  /** Checks a lifetime and hard cap against the runtime's limits. */
  void checkLimits(Duration lifetime, @Nullable Duration cap, String field) {
    if (lifetime.compareTo(maxLifetime) > 0) {
      throw new IllegalArgumentException(
          field + ".lifetime must be <= maxLifetime " + maxLifetime + ", was " + lifetime);
    }
    if (cap != null && cap.compareTo(maxHardCap) > 0) {
      throw new IllegalArgumentException(
          field + ".hardCap must be <= maxHardCap " + maxHardCap + ", was " + cap);
    }
  }

  /** The policy's approval of a request or delegation ({@code parent} set). */
  PolicyDecision approve(GrantRequest request, @Nullable Grant parent) {
    PolicyDecision decision;
    try {
      decision = Objects.requireNonNull(policy.onRequest(request, parent), "policy returned null");
    } catch (RuntimeException e) {
      throw refuse(request, parent, "POLICY_FAILURE", "policy failed: " + e, e);
    } catch (Error e) { // audited, then thrown as it is
      refuse(request, parent, "POLICY_FAILURE", "policy failed: " + e, e);
      throw e;
    }
    if (!decision.isApproved()) {
      throw refuse(request, parent, Objects.requireNonNull(decision.reason()),
          "policy denied: " + decision.detail(), null);
    }
    return decision;
  }

  Scope narrowedScope(Scope asked, PolicyDecision decision, GrantRequest request,
      @Nullable Grant parent) {
    Scope narrowed = decision.narrowedScope();
    if (narrowed == null) {
      return asked;
    }
    if (!narrowed.isWithin(asked)) {
      throw refuse(request, parent, "POLICY_WIDENED",
          "policy answered with a scope wider than the one asked for: " + narrowed, null);
    }
    return narrowed;
  }

  Duration narrowedLifetime(Duration asked, PolicyDecision decision, GrantRequest request,
      @Nullable Grant parent) {
    Duration narrowed = decision.narrowedDuration();
    if (narrowed == null) {
      return asked;
    }
    if (narrowed.compareTo(asked) > 0) {
      throw refuse(request, parent, "POLICY_WIDENED",
          "policy answered with a lifetime longer than the one asked for: " + narrowed, null);
    }
    return narrowed;
  }

  /** The policy's approval of a renewal: the extension granted, never longer than asked. */
  Duration approveRenewal(Grant grant, Duration extension) {
    PolicyDecision decision;
    try {
      decision = Objects.requireNonNull(policy.onRenewal(grant, extension), "policy returned null");
    } catch (RuntimeException e) {
      throw refuseRenewal(grant, "POLICY_FAILURE", "policy failed: " + e, e);
    } catch (Error e) {
      refuseRenewal(grant, "POLICY_FAILURE", "policy failed: " + e, e);
      throw e;
    }
    if (!decision.isApproved()) {
      throw refuseRenewal(grant, Objects.requireNonNull(decision.reason()),
          "policy denied: " + decision.detail(), null);
    }
    Duration narrowed = decision.narrowedDuration();
    if (narrowed == null) {
      return extension;
    }
    if (narrowed.compareTo(extension) > 0) {
      throw refuseRenewal(grant, "POLICY_WIDENED",
          "policy answered with an extension longer than the one asked for", null);
    }
    return narrowed;
  }

  /** Audits a refused request or delegation and makes the exception to throw. */
  GrantDeniedException refuse(GrantRequest request, @Nullable Grant parent, String reason,
      String detail, @Nullable Throwable cause) {
    reporter.audit(AuditEvent.builder(AuditEventType.DENIED, reporter.now()).request(request)
        .parentId(parent == null ? null : parent.id()).scope(request.scope().toString())
        .reason(reason).detail(detail).build());
    return new GrantDeniedException(reason, "request for " + request.scope() + " refused ("
        + reason + "): " + detail, cause);
  }

  /** Audits a refused renewal and makes the exception to throw. */
  GrantDeniedException refuseRenewal(Grant grant, String reason, String detail,
      @Nullable Throwable cause) {
    reporter.audit(AuditEvent.builder(AuditEventType.DENIED, reporter.now()).grant(grant)
        .expiresAt(grant.expiresAt()).reason(reason).detail("renewal: " + detail).build());
    return new GrantDeniedException(reason, "renewal of grant " + grant.reference()
        + " refused (" + reason + "): " + detail, cause);
  }
}
