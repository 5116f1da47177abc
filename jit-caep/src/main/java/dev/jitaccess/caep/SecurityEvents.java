package dev.jitaccess.caep;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.jitaccess.RevocationReason;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The claims of the SETs this module writes (RFC 8417 as profiled by SSF 1.0): {@code iss},
 * {@code iat}, {@code jti}, {@code aud}, {@code txn} when given, {@code sub_id} when given, and
 * {@code events} with exactly one event. Never {@code sub} or {@code exp}. Stateless.
 */
final class SecurityEvents {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private SecurityEvents() {}

  /** The claims of one SET. */
  static JWTClaimsSet claims(String issuer, String audience, Instant now,
      @Nullable Map<String, Object> subId, String eventType, Map<String, Object> event,
      @Nullable String txn) {
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
        .issuer(issuer)
        .issueTime(Date.from(Instant.ofEpochSecond(now.getEpochSecond())))
        .jwtID(newId())
        .audience(audience);
    if (txn != null) {
      claims.claim("txn", txn);
    }
    if (subId != null) {
      claims.claim("sub_id", subId);
    }
    return claims.claim("events", Map.of(eventType, event)).build();
  }

  /** SSF 1.0's JWT ID format: the token by its issuer and {@code jti}. */
  static Map<String, Object> jwtId(String tokenIssuer, String tokenId) {
    Map<String, Object> id = new LinkedHashMap<>();
    id.put("format", CaepEvents.FORMAT_JWT_ID);
    id.put("iss", tokenIssuer);
    id.put("jti", tokenId);
    return id;
  }

  /** RFC 9493's opaque format. */
  static Map<String, Object> opaque(String value) {
    Map<String, Object> id = new LinkedHashMap<>();
    id.put("format", CaepEvents.FORMAT_OPAQUE);
    id.put("id", value);
    return id;
  }

  /** RFC 9493's issuer and subject format. */
  static Map<String, Object> issSub(String issuer, String subject) {
    Map<String, Object> id = new LinkedHashMap<>();
    id.put("format", CaepEvents.FORMAT_ISS_SUB);
    id.put("iss", issuer);
    id.put("sub", subject);
    return id;
  }

  /**
   * CAEP session-revoked: when, who started it ({@code admin} for a manual revocation, {@code
   * policy} for an anomaly, {@code system} otherwise) and the reason code for administrators.
   */
  static Map<String, Object> sessionRevoked(Instant at, RevocationReason reason) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("event_timestamp", at.getEpochSecond());
    event.put("initiating_entity", initiatingEntity(reason));
    event.put("reason_admin", Map.of("en", reason.code()));
    return event;
  }

  /** CAEP token-claims-change: the grant's new expiry as the changed {@code exp} claim. */
  static Map<String, Object> tokenClaimsChange(Instant at, Instant newExpiry) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("event_timestamp", at.getEpochSecond());
    event.put("initiating_entity", "system");
    event.put("claims", Map.of("exp", newExpiry.getEpochSecond()));
    return event;
  }

  /** SSF verification: the receiver's {@code state}, if it gave one. */
  static Map<String, Object> verification(@Nullable String state) {
    return state == null ? Map.of() : Map.of("state", state);
  }

  static String initiatingEntity(RevocationReason reason) {
    if (RevocationReason.MANUAL.equals(reason)) {
      return "admin";
    }
    if (RevocationReason.ANOMALY.equals(reason)) {
      return "policy";
    }
    return "system";
  }

  /** 128 bits from a {@link SecureRandom}, unpadded base64url. */
  private static String newId() {
    byte[] bits = new byte[16];
    RANDOM.nextBytes(bits);
    return BASE64URL.encodeToString(bits);
  }
}
