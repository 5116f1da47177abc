package dev.jitaccess.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.JOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.EncryptedJWT;
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
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One configured path from a compact token to verified claims: a size cap checked before
 * parsing, Nimbus's parser, a header policy (no {@code none}, no JWE, allow-listed {@code alg}, no
 * key references, no {@code crit}), then Nimbus's {@link DefaultJWTProcessor} with the given
 * {@code typ} verifier, key selector and claims verifier. Every failure is a {@link Denial} with a
 * specific reason. Thread-safe once built (the processor is only read).
 */
final class TokenPipeline {
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
    DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
    p.setJWSTypeVerifier(typeVerifier);
    p.setJWSKeySelector(keySelector);
    p.setJWTClaimsSetVerifier(claimsVerifier);
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
    if (parsed instanceof EncryptedJWT || !(parsed instanceof SignedJWT)) {
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
    return jwt;
  }

  /** Nimbus's processor: {@code typ}, key selection, signature, then claims. */
  JWTClaimsSet verify(SignedJWT jwt) throws Denial {
    try {
      return processor.process(jwt, null);
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
    if (e instanceof BadJWSException) {
      return JwtDenialCode.BAD_SIGNATURE;
    }
    if (e instanceof BadJWTException) {
      // Raised before the signature check only when the payload is not a JSON claims set.
      return JwtDenialCode.MALFORMED_TOKEN;
    }
    return JwtDenialCode.BAD_SIGNATURE;
  }

  /** A token that passed the pipeline, with its verified claims. */
  record Verified(SignedJWT jwt, JWTClaimsSet claims) {}
}
