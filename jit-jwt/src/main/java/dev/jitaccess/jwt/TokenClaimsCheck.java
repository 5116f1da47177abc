package dev.jitaccess.jwt;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Date;
import java.util.Map;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Nimbus's {@link DefaultJWTClaimsVerifier} (exact issuer, accepted audience, required claims,
 * {@code exp}/{@code nbf} with an explicit clock skew) reading the injected clock, preceded by the
 * same checks done one by one so that each failure carries its own reason. Also checks that the
 * string claims are strings, that {@code iat} is not in the future, and, if set, that the token
 * lives no longer than a maximum. Thread-safe.
 */
final class TokenClaimsCheck extends DefaultJWTClaimsVerifier<SecurityContext> {
  /** Registered claims whose value must be a JSON string (RFC 7519, section 4.1). */
  private static final String[] STRING_CLAIMS = {"iss", "sub", "jti"};
  /** The latest NumericDate accepted: 9999-12-31T23:59:59Z, in seconds. */
  static final long MAX_NUMERIC_DATE = 253_402_300_799L;

  /** Registered claims whose value must be a NumericDate, a JSON number. */
  private static final String[] DATE_CLAIMS = {"exp", "nbf", "iat"};

  private final Clock clock;
  private final String issuer;
  private final String audience;
  private final Set<String> required;
  private final Set<String> strings;
  private final long skewMillis;
  private final @Nullable Duration maxLifetime;

  TokenClaimsCheck(Clock clock, String issuer, String audience, Set<String> required,
      Set<String> strings, Duration skew, @Nullable Duration maxLifetime) {
    // Nimbus asks these sets about null, which the Set.of family refuses: pass HashSets.
    super(new HashSet<>(List.of(audience)), new JWTClaimsSet.Builder().issuer(issuer).build(),
        new HashSet<>(withDefaults(required)), new HashSet<>());
    this.clock = clock;
    this.issuer = issuer;
    this.audience = audience;
    this.required = withDefaults(required);
    this.strings = Set.copyOf(strings);
    this.skewMillis = skew.toMillis();
    this.maxLifetime = maxLifetime;
    // Nimbus counts whole seconds; round up so that the millisecond checks above decide.
    setMaxClockSkew((int) skew.plusMillis(999).getSeconds());
  }

  private static Set<String> withDefaults(Set<String> required) {
    Set<String> all = new HashSet<>(required);
    all.addAll(List.of("iss", "aud", "exp", "sub"));
    return Set.copyOf(all);
  }

  @Override
  protected Date currentTime() {
    return new Date(clock.millis());
  }

  @Override
  public void verify(JWTClaimsSet claims, @Nullable SecurityContext context)
      throws BadJWTException {
    for (String name : required) {
      if (claims.getClaim(name) == null) {
        throw new Reasoned.Claims(JwtDenialCode.INVALID_CLAIM, name + " claim must be present");
      }
    }
    for (Object value : claims.getClaims().values()) {
      if (depth(value, 1) > Claims.MAX_DEPTH) {
        throw new Reasoned.Claims(JwtDenialCode.INVALID_CLAIM,
            "claims must nest at most " + Claims.MAX_DEPTH + " levels deep");
      }
    }
    for (String name : strings) {
      Object value = claims.getClaim(name);
      if (value != null && !(value instanceof String)) {
        throw new Reasoned.Claims(JwtDenialCode.INVALID_CLAIM, name + " claim must be a string");
      }
    }
    if (!issuer.equals(claims.getIssuer())) {
      throw new Reasoned.Claims(JwtDenialCode.WRONG_ISSUER,
          "iss must be " + issuer + ", was " + claims.getIssuer());
    }
    List<String> audiences = claims.getAudience();
    if (audiences == null || !audiences.contains(audience)) {
      throw new Reasoned.Claims(JwtDenialCode.WRONG_AUDIENCE,
          "aud must contain " + audience + ", was " + audiences);
    }
    long now = clock.millis();
    Date exp = date(claims, "exp");
    Date nbf = date(claims, "nbf");
    Date iat = date(claims, "iat");
    // The same comparisons as Nimbus's DateUtils: valid while exp + skew > now, and from
    // nbf - skew < now.
    if (exp != null && exp.getTime() + skewMillis <= now) {
      throw new Reasoned.Claims(JwtDenialCode.TOKEN_EXPIRED, "exp " + exp.toInstant()
          + " has passed (clock skew " + skewMillis + " ms)");
    }
    if (nbf != null && nbf.getTime() - skewMillis >= now) {
      throw new Reasoned.Claims(JwtDenialCode.TOKEN_NOT_YET_VALID, "nbf " + nbf.toInstant()
          + " is in the future (clock skew " + skewMillis + " ms)");
    }
    if (iat != null && iat.getTime() - skewMillis > now) {
      throw new Reasoned.Claims(JwtDenialCode.TOKEN_NOT_YET_VALID, "iat " + iat.toInstant()
          + " is in the future (clock skew " + skewMillis + " ms)");
    }
    if (maxLifetime != null) {
      if (exp == null || iat == null) {
        throw new Reasoned.Claims(JwtDenialCode.INVALID_CLAIM, "exp and iat claims must be present");
      }
      // Compared as Durations: exp - iat in milliseconds can overflow a long, and so can a very
      // long maximum; an overflowing lifetime is longer than any maximum.
      Duration lifetime = Duration.ofMillis(exp.getTime()).minusMillis(iat.getTime());
      if (lifetime.compareTo(maxLifetime) > 0) {
        throw new Reasoned.Claims(JwtDenialCode.TOKEN_LIFETIME_TOO_LONG, "exp - iat must be at most "
            + maxLifetime + ", was " + lifetime);
      }
    }
    try {
      super.verify(claims, context);
    } catch (BadJWTException e) {
      throw new Reasoned.Claims(JwtDenialCode.INVALID_CLAIM, String.valueOf(e.getMessage()));
    }
  }

  /**
   * Which registered claim of a payload has the wrong JSON type, or null if none: {@code iss},
   * {@code sub} and {@code jti} must be strings, {@code aud} a string or an array of strings,
   * {@code exp}, {@code nbf} and {@code iat} numbers (NumericDate); a member present with the value
   * {@code null} has the wrong type too. Nimbus refuses most of these while parsing, before the
   * signature is checked, and turns a numeric {@code sub} into a string; the pipeline refuses
   * them all, after the signature. The message names the claim, never its value.
   */
  static @Nullable String mistypedClaim(Map<String, Object> payload) {
    for (String name : STRING_CLAIMS) {
      Object value = payload.get(name);
      if (value == null ? payload.containsKey(name) : !(value instanceof String)) {
        return name + " claim must be a string";
      }
    }
    for (String name : DATE_CLAIMS) {
      Object value = payload.get(name);
      if (value == null ? payload.containsKey(name) : !(value instanceof Number)) {
        return name + " claim must be a NumericDate (a JSON number)";
      }
      // Nimbus multiplies a NumericDate by 1000 into a long, which wraps past about 9.2e15 s:
      // a huge nbf would become a date in the past. Seconds from 1970 to the end of year 9999.
      double seconds = value == null ? 0 : ((Number) value).doubleValue();
      if (!(seconds >= 0 && seconds <= MAX_NUMERIC_DATE)) {
        return name + " claim must be a NumericDate from 0 to " + MAX_NUMERIC_DATE
            + " (9999-12-31T23:59:59Z)";
      }
    }
    Object aud = payload.get("aud");
    if (aud == null ? payload.containsKey("aud") : !isAudience(aud)) {
      return "aud claim must be a string or an array of strings";
    }
    return null;
  }

  private static boolean isAudience(Object aud) {
    if (aud instanceof String) {
      return true;
    }
    if (!(aud instanceof Collection)) {
      return false;
    }
    for (Object one : (Collection<?>) aud) {
      if (!(one instanceof String)) {
        return false;
      }
    }
    return true;
  }

  /** How deep {@code value} nests, stopping once past the limit. */
  static int depth(@Nullable Object value, int level) {
    if (level > Claims.MAX_DEPTH) {
      return level;
    }
    int deepest = level;
    if (value instanceof Map) {
      for (Object child : ((Map<?, ?>) value).values()) {
        deepest = Math.max(deepest, depth(child, level + 1));
      }
    } else if (value instanceof Collection) {
      for (Object child : (Collection<?>) value) {
        deepest = Math.max(deepest, depth(child, level + 1));
      }
    }
    return deepest;
  }

  private static @Nullable Date date(JWTClaimsSet claims, String name) throws BadJWTException {
    try {
      return claims.getDateClaim(name);
    } catch (ParseException e) {
      throw new Reasoned.Claims(JwtDenialCode.INVALID_CLAIM, name + " claim must be a NumericDate");
    }
  }
}
