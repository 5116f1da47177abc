package dev.jitaccess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A check context's source is checked as a name, so that it compares like the grant's pin. */
class CheckContextTest {

  private static String refusal(String source) {
    return assertThrows(IllegalArgumentException.class, () -> CheckContext.ofSource(source))
        .getMessage();
  }

  @Test
  void aMalformedSourceIsRefusedNamingTheFieldAndTheRule() {
    assertEquals("source must not be blank", refusal("   "));
    assertEquals("source must not begin or end with white space, was 9 characters",
        refusal("10.0.0.7 "));
    assertTrue(refusal("10.0.0.7\nforged=1").startsWith(
        "source must not contain control, format, line-separator"));
    assertTrue(refusal("a\u202Eb").contains("found U+202E at index 1"));
    assertEquals("source must be at most 1024 characters, was 1025", refusal("x".repeat(1025)));
    NullPointerException none =
        assertThrows(NullPointerException.class, () -> CheckContext.ofSource(null));
    assertEquals("source must not be null", none.getMessage());
  }

  @Test
  void aSourceIsKeptInNfcSoTwoSpellingsOfOnePlaceAreEqual() {
    CheckContext composed = CheckContext.ofSource("caf\u00e9-runner");
    CheckContext decomposed = CheckContext.ofSource("cafe\u0301-runner");
    assertEquals(composed, decomposed);
    assertEquals(composed.hashCode(), decomposed.hashCode());
    assertEquals("caf\u00e9-runner", decomposed.source());
    assertEquals(RequestContext.builder().source("cafe\u0301-runner").build().source().get(),
        decomposed.source(), "compares equal to the same source given to a request");
    assertNotEquals(composed, CheckContext.ofSource("other"));
  }

  @Test
  void itsTextShowsTheSourceAbbreviated() {
    String text = CheckContext.ofSource("s".repeat(200)).toString();
    assertTrue(text.startsWith("CheckContext[source=sss"), text);
    assertFalse(text.contains("s".repeat(100)), text);
  }
}
