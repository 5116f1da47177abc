package dev.jitaccess.jwt;

import com.nimbusds.jose.JOSEObjectType;
import java.util.Locale;
import java.util.Set;

/**
 * The JOSE types ({@code typ}) of what this module signs: its tokens, and the rule on the type of
 * anything else a {@link JwtKeyRing} signs (see {@link #checkForeign}).
 */
final class TokenTypes {
  /**
   * The JOSE type of the access tokens this module issues for a verifier with a live check: RFC
   * 9068's JWT access token.
   */
  static final JOSEObjectType ACCESS_TOKEN_TYPE = new JOSEObjectType("at+jwt");
  /** The same type as its media type, which RFC 9068 lets issuers write instead. */
  static final JOSEObjectType ACCESS_TOKEN_MEDIA_TYPE = new JOSEObjectType("application/at+jwt");
  /**
   * The JOSE type of the access tokens this module issues for a stateless verifier: the only type
   * such a verifier accepts, so that a token meant for a live check is never taken without one.
   */
  static final JOSEObjectType STATELESS_TOKEN_TYPE = new JOSEObjectType("jit-stateless+jwt");

  /** The types a verifier here accepts as a token or a proof, lower case. */
  private static final Set<String> OWN = Set.of(ACCESS_TOKEN_TYPE.getType(),
      ACCESS_TOKEN_MEDIA_TYPE.getType(), STATELESS_TOKEN_TYPE.getType(),
      DpopProof.TYPE.getType());

  private TokenTypes() {}

  /**
   * Refuses, for an object other than this module's own, a type that is not a {@code +jwt}
   * media type or that is one of this module's token and proof types, so that nothing signed for
   * another purpose passes for an access token or a proof.
   *
   * @throws IllegalArgumentException naming the rule, if {@code type} is refused
   */
  static void checkForeign(JOSEObjectType type) {
    String t = type.getType().toLowerCase(Locale.ROOT);
    if (!t.endsWith("+jwt") || t.length() <= "+jwt".length() || OWN.contains(t)) {
      throw new IllegalArgumentException("type must be a +jwt media type other than this "
          + "module's token and proof types, was " + type);
    }
  }
}
