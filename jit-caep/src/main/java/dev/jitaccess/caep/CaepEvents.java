package dev.jitaccess.caep;

/**
 * The names this module writes: event types (CAEP 1.0, SSF 1.0), the JOSE type and media type of a
 * Security Event Token (RFC 8417, RFC 8935) and the Subject Identifier formats (RFC 9493, SSF 1.0).
 * Constants only.
 */
public final class CaepEvents {
  /** CAEP: every session (here: every token) of the subject was revoked. */
  public static final String SESSION_REVOKED =
      "https://schemas.openid.net/secevent/caep/event-type/session-revoked";
  /** CAEP: claims of the subject's token changed; here the grant's new expiry, as {@code exp}. */
  public static final String TOKEN_CLAIMS_CHANGE =
      "https://schemas.openid.net/secevent/caep/event-type/token-claims-change";
  /** SSF: a verification event, sent on demand to check that a stream delivers. */
  public static final String VERIFICATION =
      "https://schemas.openid.net/secevent/ssf/event-type/verification";

  /** The {@code typ} header of every SET this module signs (RFC 8417, section 2.3). */
  public static final String SET_TYPE = "secevent+jwt";
  /** The {@code Content-Type} of a pushed SET (RFC 8935, section 2). */
  public static final String SET_MEDIA_TYPE = "application/secevent+jwt";

  /** SSF 1.0's format for a JWT by its issuer and {@code jti}: {@code {format, iss, jti}}. */
  public static final String FORMAT_JWT_ID = "jwt_id";
  /** RFC 9493's opaque format: {@code {format, id}}. */
  public static final String FORMAT_OPAQUE = "opaque";
  /** RFC 9493's issuer and subject format: {@code {format, iss, sub}}. */
  public static final String FORMAT_ISS_SUB = "iss_sub";

  private CaepEvents() {}
}
