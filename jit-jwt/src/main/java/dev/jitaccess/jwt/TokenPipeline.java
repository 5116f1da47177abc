package dev.jitaccess.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.JWTClaimsSetVerifier;
import dev.jitaccess.DenialCode;
import java.text.ParseException;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One configured path from a compact token to verified claims: a size cap checked before
 * parsing, the token's spelling, Nimbus's parser, a header policy (no {@code none}, no JWE,
 * allow-listed {@code alg}, no key references, no {@code crit}, no {@code b64}), then Nimbus's
 * {@link DefaultJWTProcessor} with the given {@code typ} verifier, key selector and claims
 * verifier. Every failure is a {@link Denial} with a specific reason. Thread-safe once built (the
 * processor is only read).
 *
 * <p><b>One spelling per token.</b> Nimbus's base64url decoder skips characters outside the
 * alphabet and ignores the unused bits of the last character, so that many strings decode to one
 * signed token. Before Nimbus sees it, a token must be three parts (a JWS; five, a JWE, is denied
 * as {@link JwtDenialCode#UNSUPPORTED_TOKEN} once Nimbus has read its header) of strict unpadded
 * base64url (RFC 7515, sections 2 and 7.1): only {@code A-Z a-z 0-9 - _}, so no {@code =}
 * padding, no whitespace or control character anywhere (around the token too), no {@code +} or
 * {@code /}; no part whose length leaves one character over (4n + 1); and the canonical last
 * character: where a part's length is 4n + 2 the last character carries 2 bits and its low 4 must
 * be zero (one of {@code AQgw}), where it is 4n + 3 it carries 4 bits and its low 2 must be zero
 * (one of {@code AEIMQUYcgkosw048}). RFC 4648 (section 3.5) lets a decoder refuse non-zero pad
 * bits; this one does, so each token has exactly one spelling. The header and the payload must
 * not be empty; an empty signature is left to Nimbus, which reads {@code alg none} from it (denied
 * as {@link JwtDenialCode#UNTRUSTED_ALGORITHM}) or refuses it. All of these are {@link
 * JwtDenialCode#MALFORMED_TOKEN}; the check is one pass over the characters.
 *
 * <p><b>Headers.</b> A {@code crit} header is refused whatever its value, {@code null} and an
 * empty list included (Nimbus drops a {@code null} one, so the header's own JSON is read), and so
 * is a {@code b64} header whatever its value: only RFC 7797's unencoded payloads use it, and RFC
 * 7797 requires it to be listed in {@code crit}. Both are {@link
 * JwtDenialCode#UNSUPPORTED_CRITICAL_HEADER}.
 *
 * <p><b>Claims, after the signature.</b> A payload that is not a JSON object is {@link
 * JwtDenialCode#MALFORMED_TOKEN} before the key is even selected. A registered claim of the wrong
 * JSON type ({@link TokenClaimsCheck#mistypedClaim}) is judged only once the signature verified,
 * so a forged token gets {@link JwtDenialCode#BAD_SIGNATURE} (or the key's denial) whatever its
 * claims say, and a correctly signed one {@link JwtDenialCode#INVALID_CLAIM}.
 */
final class TokenPipeline {
  /** Each ASCII character's value in the base64url alphabet, or -1 outside it. */
  private static final byte[] BASE64URL = new byte[128];

  static {
    java.util.Arrays.fill(BASE64URL, (byte) -1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (int i = 0; i < alphabet.length(); i++) {
      BASE64URL[alphabet.charAt(i)] = (byte) i;
    }
  }

  /**
   * Stands for the claims of a payload that is a JSON object with a registered claim of the wrong
   * type: Nimbus's processor carries it through the key selection and the signature check, and
   * the claims verifier then refuses it. Never the result of parsing a payload.
   */
  private static final JWTClaimsSet MISTYPED = new JWTClaimsSet.Builder().build();

  private final int maxSize;
  private final Set<JWSAlgorithm> algorithms;
  private final boolean embeddedJwkAllowed;
  private final DefaultJWTProcessor<SecurityContext> processor;

  TokenPipeline(int maxSize, Set<JWSAlgorithm> algorithms, boolean embeddedJwkAllowed,
      JOSEObjectTypeVerifier<SecurityContext> typeVerifier,
      JWSKeySelector<SecurityContext> keySelector,
      JWTClaimsSetVerifier<SecurityContext> claimsVerifier) {
    this.maxSize = maxSize;
    this.algorithms = Set.copyOf(algorithms);
    this.embeddedJwkAllowed = embeddedJwkAllowed;
    DefaultJWTProcessor<SecurityContext> p = new ClaimsAfterSignature();
    p.setJWSTypeVerifier(typeVerifier);
    p.setJWSKeySelector(keySelector);
    p.setJWTClaimsSetVerifier((claims, context) -> {
      if (claims == MISTYPED) {
        throw new MistypedClaim();
      }
      claimsVerifier.verify(claims, context);
    });
    this.processor = p;
  }

  /** Parses, checks and verifies {@code token}. */
  Verified process(@Nullable String token) throws Denial {
    SignedJWT jwt = parse(token);
    return new Verified(jwt, verify(jwt));
  }

  /** The size cap, the parse and the header policy; no signature or claims check yet. */
  SignedJWT parse(@Nullable String token) throws Denial {
    if (token == null || token.isEmpty()) {
      throw new Denial(JwtDenialCode.MALFORMED_TOKEN, "token must not be empty");
    }
    if (token.length() > maxSize) {
      throw new Denial(JwtDenialCode.TOKEN_TOO_LARGE,
          "token must be at most " + maxSize + " characters, was " + token.length());
    }
    int parts = checkSpelling(token);
    if (parts != 3 && parts != 5) {
      throw new Denial(JwtDenialCode.MALFORMED_TOKEN,
          "token must be three base64url parts separated by dots (a JWS), had " + parts);
    }
    JWT parsed;
    try {
      parsed = JWTParser.parse(token);
    } catch (ParseException e) {
      throw new Denial(JwtDenialCode.MALFORMED_TOKEN, "token is not a compact JWT: " + e.getMessage());
    } catch (RuntimeException | StackOverflowError e) {
      throw new Denial(JwtDenialCode.MALFORMED_TOKEN, "token is not a compact JWT: " + e);
    }
    if (parsed instanceof PlainJWT) {
      throw new Denial(JwtDenialCode.UNTRUSTED_ALGORITHM, "alg none is never accepted");
    }
    if (!(parsed instanceof SignedJWT)) { // an EncryptedJWT, the parser's only other result
      throw new Denial(JwtDenialCode.UNSUPPORTED_TOKEN, "token must be signed (JWS), not encrypted");
    }
    SignedJWT jwt = (SignedJWT) parsed;
    JWSHeader header = jwt.getHeader();
    if (!algorithms.contains(header.getAlgorithm())) {
      throw new Denial(JwtDenialCode.UNTRUSTED_ALGORITHM,
          "alg must be one of " + algorithms + ", was " + header.getAlgorithm());
    }
    if (header.getJWKURL() != null) {
      throw new Denial(JwtDenialCode.UNTRUSTED_KEY_REFERENCE, "jku header is never trusted");
    }
    if (header.getX509CertURL() != null) {
      throw new Denial(JwtDenialCode.UNTRUSTED_KEY_REFERENCE, "x5u header is never trusted");
    }
    if (header.getX509CertChain() != null) {
      throw new Denial(JwtDenialCode.UNTRUSTED_KEY_REFERENCE, "x5c header is never trusted");
    }
    if (header.getJWK() != null && !embeddedJwkAllowed) {
      throw new Denial(JwtDenialCode.UNTRUSTED_KEY_REFERENCE, "jwk header is never trusted");
    }
    if (header.getCriticalParams() != null) { // an empty list too, which RFC 7515 forbids
      throw new Denial(JwtDenialCode.UNSUPPORTED_CRITICAL_HEADER,
          "crit header parameters are not supported, had " + header.getCriticalParams());
    }
    String unsupported = rawCritOrB64(jwt);
    if (unsupported != null) {
      throw new Denial(JwtDenialCode.UNSUPPORTED_CRITICAL_HEADER, unsupported
          + " header is not supported, whatever its value (null too): unencoded payloads "
          + "(RFC 7797) and critical extensions are never accepted");
    }
    return jwt;
  }

  /**
   * Checks in one pass that {@code token} is dot-separated parts of strict, canonical, unpadded
   * base64url, and that the header and, in a JWS, the payload are not empty; returns how many
   * parts it has.
   */
  static int checkSpelling(String token) throws Denial {
    int parts = 1;
    int start = 0;
    boolean emptyPayload = false;
    int length = token.length();
    for (int i = 0; i < length; i++) {
      char c = token.charAt(i);
      if (c == '.') {
        if (i == start && parts == 1) {
          throw new Denial(JwtDenialCode.MALFORMED_TOKEN, "token header must not be empty");
        }
        emptyPayload |= i == start && parts == 2;
        checkPartEnd(token, start, i, parts);
        parts++;
        start = i + 1;
      } else if (c >= BASE64URL.length || BASE64URL[c] < 0) {
        throw new Denial(JwtDenialCode.MALFORMED_TOKEN, "token part " + parts
            + " must be unpadded base64url ([A-Za-z0-9_-] only), had another character at "
            + "offset " + i);
      }
    }
    checkPartEnd(token, start, length, parts);
    if (emptyPayload && parts == 3) {
      throw new Denial(JwtDenialCode.MALFORMED_TOKEN, "token payload must not be empty");
    }
    return parts;
  }

  /** The part {@code [start, end)}, number {@code part}: a possible length, canonical last bits. */
  private static void checkPartEnd(String token, int start, int end, int part) throws Denial {
    int unusedBitsMask;
    switch ((end - start) % 4) {
      case 0:
        return;
      case 1:
        throw new Denial(JwtDenialCode.MALFORMED_TOKEN, "token part " + part
            + " has a length no base64url encoding has (4n + 1 characters)");
      case 2:
        unusedBitsMask = 0x0F; // the last character carries 2 bits
        break;
      default:
        unusedBitsMask = 0x03; // the last character carries 4 bits
        break;
    }
    if ((BASE64URL[token.charAt(end - 1)] & unusedBitsMask) != 0) {
      throw new Denial(JwtDenialCode.MALFORMED_TOKEN, "token part " + part
          + " must be canonical base64url: the unused bits of its last character must be zero");
    }
  }

  /**
   * {@code crit} or {@code b64} if the header's own JSON has that member, whatever its value; null
   * if neither. Nimbus drops a {@code null} {@code crit}, so the JSON is parsed again.
   */
  private static @Nullable String rawCritOrB64(SignedJWT jwt) throws Denial {
    String json = jwt.getHeader().getParsedBase64URL().decodeToString();
    Map<String, Object> members;
    try {
      members = JSONObjectUtils.parse(json);
    } catch (ParseException | RuntimeException e) {
      throw new Denial(JwtDenialCode.MALFORMED_TOKEN, "token header is not a JSON object");
    }
    if (members.containsKey("crit")) {
      return "crit";
    }
    return members.containsKey("b64") ? "b64" : null;
  }

  /** Nimbus's processor: {@code typ}, key selection, signature, then claims. */
  JWTClaimsSet verify(SignedJWT jwt) throws Denial {
    try {
      return processor.process(jwt, null);
    } catch (MistypedClaim e) {
      throw new Denial(JwtDenialCode.INVALID_CLAIM, mistypedDetail(jwt));
    } catch (BadJOSEException | JOSEException e) {
      throw new Denial(codeOf(e), String.valueOf(e.getMessage()));
    } catch (RuntimeException | StackOverflowError e) {
      throw new Denial(JwtDenialCode.MALFORMED_TOKEN, "token could not be processed: " + e);
    }
  }

  private static DenialCode codeOf(Exception e) {
    if (e instanceof Reasoned) {
      return ((Reasoned) e).code();
    }
    if (e instanceof BadJWTException) {
      // Raised before the signature check only when the payload is not a JSON object.
      return JwtDenialCode.MALFORMED_TOKEN;
    }
    // A BadJWSException (the signature did not verify), or a JOSEException verifying it.
    return JwtDenialCode.BAD_SIGNATURE;
  }

  /** Which registered claim of a verified token has the wrong type; read again, on failure only. */
  private static String mistypedDetail(SignedJWT jwt) {
    String generic = "a registered claim has the wrong JSON type";
    try {
      String problem = TokenClaimsCheck.mistypedClaim(jwt.getPayload().toJSONObject());
      return problem != null ? problem : generic;
    } catch (RuntimeException e) { // parsed once already; the denial stands either way
      return generic;
    }
  }

  /**
   * Nimbus's processor, but a payload that is a JSON object whose registered claims have the wrong
   * types ({@code "exp": "9999999999"}, {@code "sub": 42}, which Nimbus would turn into {@code
   * "42"}) yields {@link #MISTYPED} instead of failing before the signature is checked. The
   * payload is parsed once.
   */
  private static final class ClaimsAfterSignature extends DefaultJWTProcessor<SecurityContext> {
    @Override
    protected JWTClaimsSet extractJWTClaimsSet(JWT jwt) throws BadJWTException {
      // The pipeline hands the processor signed tokens only.
      Map<String, Object> json = ((SignedJWT) jwt).getPayload().toJSONObject();
      if (json == null) {
        throw new BadJWTException("payload must be a JSON object");
      }
      if (TokenClaimsCheck.mistypedClaim(json) != null) {
        return MISTYPED;
      }
      try {
        return JWTClaimsSet.parse(json);
      } catch (ParseException e) {
        return MISTYPED;
      }
    }
  }

  /** A signed token's registered claim has the wrong JSON type. */
  private static final class MistypedClaim extends BadJWTException {
    private static final long serialVersionUID = 1L;

    MistypedClaim() {
      super("a registered claim has the wrong JSON type");
    }
  }

  /** A token that passed the pipeline, with its verified claims. */
  record Verified(SignedJWT jwt, JWTClaimsSet claims) {}
}
