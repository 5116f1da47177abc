package dev.jitaccess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jitaccess.spi.IdentityVerifier;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkloadIdentityTest {
  private static final Instant EXP = Instant.parse("2026-11-23T12:00:00Z");

  @Test
  void claimsAreAnUnmodifiableCopy() {
    Map<String, Object> claims = new HashMap<>(Map.of("sub", "spiffe://example.com/job"));
    WorkloadIdentity identity =
        new WorkloadIdentity("spiffe://example.com/job", "https://spire", EXP, claims);
    claims.put("extra", 1);
    assertEquals(1, identity.claims().size());
    assertThrows(UnsupportedOperationException.class, () -> identity.claims().put("x", 2));
  }

  @Test
  void blankOrControlCharacterSubjectsAreRefusedNamingTheField() {
    IllegalArgumentException blank = assertThrows(IllegalArgumentException.class,
        () -> new WorkloadIdentity(" ", "https://spire", EXP, Map.of()));
    assertEquals("subject must not be blank", blank.getMessage());
    IllegalArgumentException forged = assertThrows(IllegalArgumentException.class,
        () -> new WorkloadIdentity("job\nADMIN", "https://spire", EXP, Map.of()));
    assertEquals("subject must not contain control, format, line-separator or unpaired "
        + "surrogate characters, found U+000A at index 3", forged.getMessage());
    NullPointerException noIssuer = assertThrows(NullPointerException.class,
        () -> new WorkloadIdentity("job", null, EXP, Map.of()));
    assertEquals("issuer must not be null", noIssuer.getMessage());
  }

  @Test
  void requestAsReplacesTheClaimedSubjectWithTheVerifiedOne() {
    IdentityVerifier verifier = credential -> {
      if (!credential.equals("good")) {
        throw new IdentityVerificationException("signature", "credential rejected");
      }
      return new WorkloadIdentity("spiffe://example.com/job", "https://spire", EXP, Map.of());
    };
    GrantRequest.Builder request = GrantRequest.builder().subject("i-am-admin").owner("team")
        .task("task").purpose("purpose").scope("read:orders/*")
        .ttl(Ttl.of(Duration.ofMinutes(5)));
    assertEquals("spiffe://example.com/job", verifier.requestAs("good", request).subject());
    IdentityVerificationException e = assertThrows(IdentityVerificationException.class,
        () -> verifier.requestAs("bad", request));
    assertEquals("signature", e.rule());
  }
}
