package dev.jitaccess.jwt;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

import dev.jitaccess.Decision;
import dev.jitaccess.Grant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** No change to a valid token is accepted, and no input makes the verifier throw. */
class TokenMutationPropertiesTest {
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ";

  private final Fixture f = new Fixture();
  private final Grant grant = f.grant("read:orders/*");
  private final String token = f.issuer.issue(grant.id(), Fixture.AUDIENCE);

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void anyOneCharacterChangeToTheSignedPartIsDenied() {
    int signedLength = token.lastIndexOf('.');
    qt().withExamples(300)
        .forAll(integers().between(0, signedLength - 1),
            integers().between(0, ALPHABET.length() - 1))
        .assuming((position, c) -> token.charAt(position) != ALPHABET.charAt(c))
        .checkAssert((position, c) -> {
          String mutated = token.substring(0, position) + ALPHABET.charAt(c)
              + token.substring(position + 1);
          Decision decision = assertDoesNotThrow(
              () -> f.verifier.verify(mutated, "read", "orders/42"));
          assertTrue(decision.isDenied(), () -> "accepted " + mutated);
        });
  }

  @Test
  void arbitraryStringsAreDeniedWithoutThrowing() {
    qt().withExamples(500).forAll(strings().allPossible().ofLengthBetween(0, 300))
        .checkAssert(input -> {
          Decision decision = assertDoesNotThrow(
              () -> f.verifier.verify(input, "read", "orders/42"));
          assertNotNull(decision.reason());
        });
  }

  @Test
  void dotSeparatedBase64LikeStringsAreDeniedWithoutThrowing() {
    qt().withExamples(500)
        .forAll(strings().betweenCodePoints('+', 'z').ofLengthBetween(1, 60),
            strings().betweenCodePoints('+', 'z').ofLengthBetween(0, 60),
            strings().betweenCodePoints('+', 'z').ofLengthBetween(0, 90))
        .checkAssert((a, b, c) -> {
          Decision decision = assertDoesNotThrow(
              () -> f.verifier.verify(a + "." + b + "." + c, "read", "orders/42"));
          assertNotNull(decision.reason());
        });
  }
}
