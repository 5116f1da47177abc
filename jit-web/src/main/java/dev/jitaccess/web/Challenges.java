package dev.jitaccess.web;

import dev.jitaccess.DenialCode;
import dev.jitaccess.DenyReason;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Turns a denial into its status and {@code WWW-Authenticate} challenges (RFC 6750 for {@code
 * Bearer}, RFC 9449 for {@code DPoP}). A 401 lists both schemes, the one the client used first and
 * with the error; a 403 names only the scheme used. Immutable and thread-safe.
 */
final class Challenges {
  /** How the request presented its credential. */
  enum Scheme { NONE, BEARER, DPOP, GRANT_HEADER }

  private final String bearer;
  private final String dpop;
  private final String dpopAlgs;

  Challenges(String realm, String dpopAlgs) {
    this.bearer = "Bearer realm=\"" + realm + "\"";
    this.dpop = "DPoP realm=\"" + realm + "\"";
    this.dpopAlgs = "algs=\"" + dpopAlgs + "\"";
  }

  WebDecision deny(DenialCode code, Scheme scheme) {
    DenyReason reason = code.reason();
    if (code == WebDenialCode.MULTIPLE_CREDENTIALS) {
      return WebDecision.deny(400, List.of(bearer + ", error=\"invalid_request\""), code);
    }
    if (code == WebDenialCode.UNMAPPED_ROUTE) {
      return WebDecision.deny(403, List.of(), code);
    }
    if (code == WebDenialCode.ROUTE_MISCONFIGURED) {
      return WebDecision.deny(500, List.of(), code);
    }
    switch (reason) {
      case MALFORMED_REQUEST:
        return WebDecision.deny(400, List.of(), code);
      case BACKEND_FAILURE:
      case STALE_VIEW:
        return WebDecision.deny(503, List.of(), code);
      case OUT_OF_SCOPE:
      case POLICY_DENIED:
        return WebDecision.deny(403, scheme == Scheme.BEARER
            ? List.of(bearer(error("insufficient_scope")))
            : scheme == Scheme.DPOP ? List.of(dpop(error("insufficient_scope")))
            : List.of(), code);
      default:
        break;
    }
    if (code == WebDenialCode.NO_CREDENTIAL || scheme == Scheme.NONE
        || scheme == Scheme.GRANT_HEADER) {
      return WebDecision.deny(401, List.of(bearer(null), dpop(null)), code);
    }
    String error = reason == DenyReason.INVALID_PROOF && scheme == Scheme.DPOP
        ? error("invalid_dpop_proof") : error("invalid_token");
    return WebDecision.deny(401, scheme == Scheme.DPOP
        ? List.of(dpop(error), bearer(null)) : List.of(bearer(error), dpop(null)), code);
  }

  private static String error(String error) {
    return "error=\"" + error + "\"";
  }

  private String bearer(@Nullable String error) {
    return error == null ? bearer : bearer + ", " + error;
  }

  private String dpop(@Nullable String error) {
    return error == null ? dpop + ", " + dpopAlgs : dpop + ", " + error + ", " + dpopAlgs;
  }
}
