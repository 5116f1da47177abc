/**
 * JWTs for grants: issue ({@link dev.jitaccess.jwt.JwtIssuer}), verify ({@link
 * dev.jitaccess.jwt.JwtVerifier}), rotate keys ({@link dev.jitaccess.jwt.JwtKeyRing}), bind to a
 * workload key with a DPoP-style proof ({@link dev.jitaccess.jwt.DpopProof}), and verify workload
 * identity ({@link dev.jitaccess.jwt.JwtIdentityVerifier}). Verification never throws for a bad
 * token: it answers with a {@link dev.jitaccess.Decision} that names the reason.
 */
@NullMarked
package dev.jitaccess.jwt;

import org.jspecify.annotations.NullMarked;
