package dev.jitaccess.web;

import dev.jitaccess.DenialCode;
import dev.jitaccess.DenyReason;

/**
 * Why {@link GrantEnforcer} refused an HTTP request before, or instead of, a token or grant check:
 * the precise {@link DenialCode} of a {@link WebDecision}. Token and grant denials carry {@code
 * jit-jwt}'s and the runtime's own codes. {@link #name()} is what log lines record; none of these
 * codes is ever sent to the client.
 */
public enum WebDenialCode implements DenialCode {
  /** The path does not start with the context path and {@code /}, or is too long. */
  PATH_MALFORMED(DenyReason.MALFORMED_REQUEST),
  /** The path holds {@code %2F} or {@code %5C}: an encoded {@code /} or {@code \}. */
  PATH_ENCODED_SLASH(DenyReason.MALFORMED_REQUEST),
  /** A segment is {@code .} or {@code ..}, written literally or percent-encoded. */
  PATH_DOT_SEGMENT(DenyReason.MALFORMED_REQUEST),
  /** The path holds a control character (NUL, CR, LF, ...), literally or percent-encoded. */
  PATH_CONTROL_CHARACTER(DenyReason.MALFORMED_REQUEST),
  /** A segment is empty: {@code //}, or a trailing {@code /}. */
  PATH_EMPTY_SEGMENT(DenyReason.MALFORMED_REQUEST),
  /** The path decodes to a {@code %}: it was percent-encoded twice ({@code %252F}). */
  PATH_DOUBLE_ENCODING(DenyReason.MALFORMED_REQUEST),
  /** A {@code %} not followed by two hexadecimal digits. */
  PATH_BAD_ENCODING(DenyReason.MALFORMED_REQUEST),
  /** A path parameter ({@code ;}), which containers strip before they map the request. */
  PATH_PARAMETER(DenyReason.MALFORMED_REQUEST),
  /** A character the resource grammar rejects ({@code [A-Za-z0-9._~:@+=,-]} only), once decoded. */
  PATH_FORBIDDEN_CHARACTER(DenyReason.MALFORMED_REQUEST),
  /** A path variable filled into a resource placeholder is not one well-formed segment. */
  PLACEHOLDER_INVALID(DenyReason.MALFORMED_REQUEST),
  /** No route maps this method and path, under a prefix the enforcer guards. */
  UNMAPPED_ROUTE(DenyReason.POLICY_DENIED),
  /** A requirement names a placeholder the path does not bind, or is not a valid template. */
  ROUTE_MISCONFIGURED(DenyReason.POLICY_DENIED),
  /** No credential was presented, or only one of a scheme this enforcer does not accept. */
  NO_CREDENTIAL(DenyReason.INVALID_TOKEN),
  /** More than one credential: two {@code Authorization} headers, or one and a grant header. */
  MULTIPLE_CREDENTIALS(DenyReason.MALFORMED_REQUEST),
  /** The {@code Authorization} or grant header is not of the accepted form. */
  MALFORMED_CREDENTIAL(DenyReason.INVALID_TOKEN),
  /** A token presented with the {@code DPoP} scheme is not bound to a key. */
  DPOP_TOKEN_NOT_BOUND(DenyReason.INVALID_TOKEN),
  /** More than one {@code DPoP} header. */
  DPOP_PROOF_REPEATED(DenyReason.INVALID_PROOF);

  private final DenyReason reason;

  WebDenialCode(DenyReason reason) {
    this.reason = reason;
  }

  @Override
  public DenyReason reason() {
    return reason;
  }
}
