package dev.jitaccess.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What the console accepts as settings and form fields, and how it writes durations. */
class ConsoleInputTest {
  @Test
  void aMountPathMustBeAbsoluteWithoutATrailingSlashOrDotSegments() {
    assertEquals("/ops/jit", new ConsoleSettings("/ops/jit", "JIT_CONSOLE", 10).path());
    for (String bad : new String[] {"", "/", "ops", "/ops/", "/ops/../admin", "/a b", "/ops/.",
        "/${x}"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new ConsoleSettings(bad, "JIT_CONSOLE", 10), bad);
      assertTrue(e.getMessage().startsWith("jit.console.path must be"), e.getMessage());
    }
  }

  @Test
  void theRoleIsANameOrTheStarAndThePageSizeIsBounded() {
    assertEquals("*", new ConsoleSettings("/c", "*", 1).role());
    assertThrows(IllegalArgumentException.class, () -> new ConsoleSettings("/c", "a role", 1));
    assertThrows(IllegalArgumentException.class, () -> new ConsoleSettings("/c", "", 1));
    assertThrows(IllegalArgumentException.class, () -> new ConsoleSettings("/c", "R", 0));
    assertThrows(IllegalArgumentException.class, () -> new ConsoleSettings("/c", "R", 10_001));
  }

  @Test
  void durationsAreReadShortOrIsoAndNeverNegative() {
    Duration absent = Duration.ofMinutes(10);
    assertEquals(absent, Forms.duration(null, "f", absent));
    assertEquals(absent, Forms.duration("  ", "f", absent));
    assertEquals(Duration.ofSeconds(90), Forms.duration("90s", "f", absent));
    assertEquals(Duration.ofHours(2), Forms.duration("2h", "f", absent));
    assertEquals(Duration.ofDays(7), Forms.duration("7d", "f", absent));
    assertEquals(Duration.ofMinutes(150), Forms.duration("PT2H30M", "f", absent));
    for (String bad : new String[] {"soon", "h", "-2h", "PT-1H", "-PT1H", "2w", "1234567890s"}) {
      ConsoleInputException e = assertThrows(ConsoleInputException.class,
          () -> Forms.duration(bad, "Ended more than", absent), bad);
      assertTrue(e.getMessage().startsWith("Ended more than must"), e.getMessage());
    }
  }

  @Test
  void requiredTextIsTrimmedBoundedAndFreeOfControlCharacters() {
    assertEquals("why", Forms.required("  why ", "Reason", 10));
    assertEquals("Reason is required.", assertThrows(ConsoleInputException.class,
        () -> Forms.required(" ", "Reason", 10)).getMessage());
    assertThrows(ConsoleInputException.class, () -> Forms.required("a\u0000b", "Reason", 10));
    assertThrows(ConsoleInputException.class, () -> Forms.required("a\u202Eb", "Reason", 10));
    assertThrows(ConsoleInputException.class, () -> Forms.required("x".repeat(11), "Reason", 10));
  }

  @Test
  void durationsAreWrittenForPeople() {
    assertEquals("0s", Views.duration(Duration.ZERO));
    assertEquals("5m07s", Views.duration(Duration.ofSeconds(307)));
    assertEquals("2h05m", Views.duration(Duration.ofMinutes(125)));
    assertEquals("3d04h", Views.duration(Duration.ofHours(76)));
    assertEquals("-1m00s", Views.duration(Duration.ofMinutes(-1)));
    assertEquals("-", Views.duration(null));
  }
}
