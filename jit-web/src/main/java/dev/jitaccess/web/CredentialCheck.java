package dev.jitaccess.web;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.jitaccess.Decision;
import dev.jitaccess.DenyReason;
import dev.jitaccess.Grant;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.jwt.DpopProof;
import dev.jitaccess.jwt.JwtVerifier;
import dev.jitaccess.web.Challenges.Scheme;
import java.text.ParseException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Finds the one credential of a request and decides it for an action on a resource: a jit-jwt
 * access token ({@code Bearer}, or {@code DPoP} with a proof) or, if enabled, a grant id header.
 * Thread-safe.
 */
final class CredentialCheck {
  /** RFC 9110 token68. */
  private static final Pattern TOKEN68 = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");
  /** Longest token parsed here to see whether it is bound; the verifier judges longer ones. */
  private static final int MAX_PEEK = JwtVerifier.Builder.DEFAULT_MAX_TOKEN_SIZE;

  private final JwtVerifier verifier;
  private final @Nullable String grantHeader;
  private final @Nullable JitAccess jit;
  private final Challenges challenges;

  CredentialCheck(JwtVerifier verifier, @Nullable String grantHeader, @Nullable JitAccess jit,
      Challenges challenges) {
    this.verifier = verifier;
    this.grantHeader = grantHeader;
    this.jit = jit;
    this.challenges = challenges;
  }

  WebDecision decide(WebRequest request, String action, String resource) {
    List<String> authorization = request.header("Authorization");
    List<String> grants = grantHeader == null ? List.of() : request.header(grantHeader);
    if (authorization.size() + grants.size() > 1) {
      return challenges.deny(WebDenialCode.MULTIPLE_CREDENTIALS, Scheme.NONE);
    }
    if (!grants.isEmpty()) {
      return byGrantId(grants.get(0).strip(), action, resource);
    }
    if (authorization.isEmpty()) {
      return challenges.deny(WebDenialCode.NO_CREDENTIAL, Scheme.NONE);
    }
    String value = authorization.get(0).strip();
    int space = value.indexOf(' ');
    String scheme = (space < 0 ? value : value.substring(0, space)).toLowerCase(Locale.ROOT);
    Scheme used = scheme.equals("bearer") ? Scheme.BEARER
        : scheme.equals("dpop") ? Scheme.DPOP : Scheme.NONE;
    if (used == Scheme.NONE) {
      return challenges.deny(WebDenialCode.NO_CREDENTIAL, Scheme.NONE);
    }
    String token = space < 0 ? "" : value.substring(space + 1).stripLeading();
    if (!TOKEN68.matcher(token).matches()) {
      return challenges.deny(WebDenialCode.MALFORMED_CREDENTIAL, used);
    }
    JWTClaimsSet peeked = token.length() <= MAX_PEEK ? claims(token) : null;
    Decision decision;
    if (used == Scheme.BEARER) {
      decision = verifier.verify(token, action, resource);
    } else {
      List<String> proofs = request.header("DPoP");
      if (proofs.size() > 1) {
        return challenges.deny(WebDenialCode.DPOP_PROOF_REPEATED, used);
      }
      if (peeked != null && peeked.getClaim("cnf") == null) {
        return challenges.deny(WebDenialCode.DPOP_TOKEN_NOT_BOUND, used);
      }
      decision = verifier.verify(token, action, resource, proofs.isEmpty() ? null
          : new DpopProof(proofs.get(0).strip(), request.method(), request.targetUri()));
    }
    if (decision.isDenied()) {
      return challenges.deny(Objects.requireNonNull(decision.code(), "code"), used);
    }
    // Verified: the claims are the issuer's. A reference and subject are required claims.
    String reference = peeked == null ? null : string(peeked, "grant_ref");
    String subject = peeked == null ? null : string(peeked, "sub");
    if (reference == null || subject == null) {
      return challenges.deny(DenyReason.BACKEND_FAILURE, used);
    }
    return WebDecision.allow(new AllowedRequest(reference, subject, string(peeked, "task"),
        action, resource, used == Scheme.BEARER
            ? AllowedRequest.Credential.BEARER_TOKEN : AllowedRequest.Credential.DPOP_TOKEN));
  }

  private WebDecision byGrantId(String grantId, String action, String resource) {
    if (jit == null || grantId.isEmpty()) {
      return challenges.deny(WebDenialCode.MALFORMED_CREDENTIAL, Scheme.GRANT_HEADER);
    }
    Decision decision = jit.check(grantId, action, resource);
    if (decision.isDenied()) {
      return challenges.deny(Objects.requireNonNull(decision.code(), "code"),
          Scheme.GRANT_HEADER);
    }
    Optional<Grant> grant = jit.grant(grantId);
    if (grant.isEmpty()) { // removed since the check: it no longer allows
      return challenges.deny(DenyReason.UNKNOWN_GRANT, Scheme.GRANT_HEADER);
    }
    Grant g = grant.get();
    return WebDecision.allow(new AllowedRequest(g.reference(), g.subject(), g.task(), action,
        resource, AllowedRequest.Credential.GRANT_HEADER));
  }

  /** The claims of a compact JWT, parsed without any check; null if it is not one. */
  private static @Nullable JWTClaimsSet claims(String token) {
    try {
      return SignedJWT.parse(token).getJWTClaimsSet();
    } catch (ParseException | RuntimeException e) {
      return null;
    }
  }

  private static @Nullable String string(JWTClaimsSet claims, String name) {
    Object value = claims.getClaim(name);
    return value instanceof String ? (String) value : null;
  }
}
