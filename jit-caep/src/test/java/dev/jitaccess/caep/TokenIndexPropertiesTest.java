package dev.jitaccess.caep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.jitaccess.GrantReference;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The token index against a model: whatever tokens were issued, bounds reached and time passed,
 * a grant's SET subjects name every token still within its retention, by its {@code jti} or by
 * naming the grant itself, and never one past it.
 */
class TokenIndexPropertiesTest {
  private static final SetSigner SIGNER = SetSigner.fromKey(Rig.ecKey("k"));
  private static final Duration RETENTION = Duration.ofSeconds(300);
  private static final List<String> GRANTS = List.of(
      GrantReference.of("grant-a"), GrantReference.of("grant-b"),
      GrantReference.of("grant-c"), GrantReference.of("grant-d"));

  private record Token(String grant, String jti, long exp) {}

  /** Runs {@code ops} (each an int: add, advance or an unreadable token) on a fresh transmitter. */
  private static List<Token> run(List<Integer> ops, CaepTransmitter t, FakeClock clock,
      boolean unreadable) {
    List<Token> issued = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      int op = ops.get(i);
      String grant = GRANTS.get((op / 3) % GRANTS.size());
      switch (op % 3) {
        case 0:
          long exp = clock.instant().getEpochSecond() + (op / 12) % 600;
          String jti = "t" + i; // a jti names one token: never issued twice
          t.tokenIssued(grant, jti, Instant.ofEpochSecond(exp));
          issued.add(new Token(grant, jti, exp));
          break;
        case 1:
          clock.advance(Duration.ofSeconds((op / 3) % 400));
          break;
        default:
          if (unreadable) {
            t.tokens().addUnreadable(grant, null);
          }
          break;
      }
    }
    return issued;
  }

  private static FakeClock clock(int start) {
    return new FakeClock(Instant.parse("2026-03-14T09:26:53Z").plusSeconds(start));
  }

  @Test
  void everyTokenWithinItsRetentionIsNamedByItsJtiOrByItsGrant() {
    qt().withExamples(300)
        .forAll(lists().of(integers().between(0, 100_000)).ofSizeBetween(1, 60),
            integers().between(0, 1_000_000))
        .checkAssert((ops, start) -> {
          FakeClock clock = clock(start);
          CaepTransmitter t = CaepTransmitter.builder().issuer("https://i").signer(SIGNER)
              .clock(clock).maxTrackedGrants(2).maxTokensPerGrant(3).tokenRetention(RETENTION)
              .build();
          List<Token> issued = run(ops, t, clock, true);
          long cutoff = clock.instant().getEpochSecond() - RETENTION.getSeconds();
          for (String grant : GRANTS) {
            List<Map<String, Object>> subjects = t.subjectsOf(grant, "holder");
            boolean namedWhole = subjects.contains(SecurityEvents.opaque(grant));
            for (Token token : issued) {
              if (!token.grant().equals(grant)) {
                continue;
              }
              boolean named = subjects.contains(SecurityEvents.jwtId("https://i", token.jti()));
              if (token.exp() >= cutoff) {
                assertTrue(named || namedWhole, "token " + token + " must be named");
              } else {
                assertFalse(named, "token " + token + " is past its retention");
              }
            }
            assertFalse(subjects.isEmpty(), "a SET about a grant always names something");
          }
        });
  }

  @Test
  void withinItsBoundsAGrantIsNamedByExactlyItsLiveTokens() {
    qt().withExamples(300)
        .forAll(lists().of(integers().between(0, 100_000)).ofSizeBetween(1, 60),
            integers().between(0, 1_000_000))
        .checkAssert((ops, start) -> {
          FakeClock clock = clock(start);
          CaepTransmitter t = CaepTransmitter.builder().issuer("https://i").signer(SIGNER)
              .clock(clock).tokenRetention(RETENTION).build();
          List<Token> issued = run(ops, t, clock, false);
          long cutoff = clock.instant().getEpochSecond() - RETENTION.getSeconds();
          for (String grant : GRANTS) {
            Set<Map<String, Object>> expected = new HashSet<>();
            for (Token token : issued) {
              if (token.grant().equals(grant) && token.exp() >= cutoff) {
                expected.add(SecurityEvents.jwtId("https://i", token.jti()));
              }
            }
            if (expected.isEmpty()) {
              expected.add(SecurityEvents.opaque(grant));
            }
            assertEquals(expected, new HashSet<>(t.subjectsOf(grant, "holder")));
          }
        });
  }
}
