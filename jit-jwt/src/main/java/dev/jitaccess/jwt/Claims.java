package dev.jitaccess.jwt;

import dev.jitaccess.core.JitAccess;
import dev.jitaccess.core.JitAccessBuilder;
import java.util.Set;

/** The claim names this module writes and reads. */
final class Claims {
  static final String SCOPE = "scope";
  /** RFC 9068's client: the grant's subject, the party the token was minted for. */
  static final String CLIENT_ID = "client_id";
  /** The grant's {@link dev.jitaccess.GrantReference}: how a live verifier finds the grant. */
  static final String GRANT_REF = "grant_ref";
  static final String TASK = "task";
  static final String OWNER = "owner";
  static final String ACT = "act";
  static final String CNF = "cnf";
  static final String JKT = "jkt";
  static final String HTM = "htm";
  static final String HTU = "htu";
  static final String ATH = "ath";

  /** Deepest {@code act} chain minted: every chain the runtime allows. */
  static final int MAX_ACT_DEPTH = JitAccessBuilder.MAX_DELEGATION_DEPTH;
  /** Deepest nesting of objects and arrays accepted in a claim value (the act chain fits). */
  static final int MAX_DEPTH = MAX_ACT_DEPTH + 4;

  /** Claims every access token must carry. */
  static final Set<String> ACCESS_REQUIRED =
      Set.of("iss", "sub", "aud", "exp", "iat", "jti", CLIENT_ID, SCOPE, GRANT_REF);
  /** Claims of an access token that must be strings when present. */
  static final Set<String> ACCESS_STRINGS =
      Set.of("sub", "jti", CLIENT_ID, SCOPE, GRANT_REF, TASK, OWNER);
  /** Longest {@code jti} accepted: this module mints 22 characters. */
  static final int MAX_JTI_LENGTH = 256;

  private Claims() {}
}
