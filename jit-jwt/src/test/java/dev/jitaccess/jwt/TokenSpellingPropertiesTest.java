package dev.jitaccess.jwt;

import static dev.jitaccess.jwt.Fixture.assertAllowed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import com.nimbusds.jose.util.Base64URL;
import dev.jitaccess.Decision;
import dev.jitaccess.Grant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A signed token has one spelling. Nimbus's base64url decoder skips characters outside the
 * alphabet, reads {@code +} and {@code /} as {@code -} and {@code _}, and ignores the unused bits
 * of a part's last character, so each variant below decodes to the very bytes the issuer signed;
 * every one is denied as malformed, and the canonical spelling is allowed.
 */
class TokenSpellingPropertiesTest {
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  /** Characters Nimbus's decoder skips: ASCII outside the alphabet but the dot, and beyond. */
  private static final List<String> SKIPPED = List.of(" ", "\t", "\n", "\r", "\u0000", "\u000b",
      "\u001f", "\u007f", "=", "!", "\"", "#", "$", "%", "&", "'", "(", ")", "*", ",", ":", ";",
      "<", ">", "?", "@", "[", "\\", "]", "^", "`", "{", "|", "}", "~", "\u0085", "\u00a0",
      "\u00e9", "\u2028", "\u2029", "\u200b", "\u202e", "\ufeff");

  private final Fixture f = new Fixture();
  private final Grant grant = f.grant("read:orders/*");
  private final String token = withDashOrUnderscore();

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void everySpellingOfAValidTokenButTheCanonicalOneIsDenied() {
    assertAllowed(f.verifier.verify(token, "read", "orders/42"));
    qt().withExamples(500)
        .forAll(integers().between(0, 3), integers().between(0, 1 << 20),
            integers().between(0, 1 << 20))
        .checkAssert((kind, a, b) -> {
          String variant = variant(kind, a, b);
          assertNotEquals(token, variant);
          assertSameBytes(variant);
          Decision decision = assertDoesNotThrow(
              () -> f.verifier.verify(variant, "read", "orders/42"));
          assertEquals(JwtDenialCode.MALFORMED_TOKEN, decision.code(),
              () -> "kind " + kind + ": " + decision);
        });
    assertAllowed(f.verifier.verify(token, "read", "orders/42"));
  }

  /**
   * Kind 0: one skipped character inserted anywhere, around the token too; 1: two of them; 2: one
   * {@code -} or {@code _} in the standard alphabet; 3: non-zero unused bits in a last character.
   */
  private String variant(int kind, int a, int b) {
    switch (kind) {
      case 0:
        return insert(token, a % (token.length() + 1), SKIPPED.get(b % SKIPPED.size()));
      case 1: {
        String once = insert(token, a % (token.length() + 1), SKIPPED.get(b % SKIPPED.size()));
        return insert(once, b % (once.length() + 1), SKIPPED.get(a % SKIPPED.size()));
      }
      case 2: {
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < token.length(); i++) {
          if (token.charAt(i) == '-' || token.charAt(i) == '_') {
            at.add(i);
          }
        }
        int i = at.get(a % at.size());
        return token.substring(0, i) + (token.charAt(i) == '-' ? '+' : '/')
            + token.substring(i + 1);
      }
      default: {
        List<Integer> ends = new ArrayList<>(); // the last index of each part of 4n + 2 or 3
        int start = 0;
        for (int i = 0; i <= token.length(); i++) {
          if (i == token.length() || token.charAt(i) == '.') {
            if ((i - start) % 4 != 0) {
              ends.add(i - 1);
            }
            start = i + 1;
          }
        }
        int end = ends.get(a % ends.size());
        int partLength = end + 1 - (token.lastIndexOf('.', end) + 1);
        int unused = partLength % 4 == 2 ? 0x0F : 0x03;
        int value = ALPHABET.indexOf(token.charAt(end)) | (1 + b % unused);
        return token.substring(0, end) + ALPHABET.charAt(value) + token.substring(end + 1);
      }
    }
  }

  private void assertSameBytes(String variant) {
    String[] canonical = token.split("\\.", -1);
    String[] parts = variant.split("\\.", -1);
    assertEquals(3, parts.length, variant);
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(Base64URL.from(canonical[i]).decode(), Base64URL.from(parts[i]).decode(),
          "part " + (i + 1) + " of " + variant);
    }
  }

  private static String insert(String s, int at, String what) {
    return s.substring(0, at) + what + s.substring(at);
  }

  /** A token issued for the grant whose text holds a {@code -} or an {@code _}. */
  private String withDashOrUnderscore() {
    while (true) { // ECDSA signatures differ every time: one soon holds either
      String issued = f.issuer.issue(grant.id(), Fixture.AUDIENCE);
      if (issued.indexOf('-') >= 0 || issued.indexOf('_') >= 0) {
        return issued;
      }
    }
  }
}
