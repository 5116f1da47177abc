package dev.jitaccess.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void readsIsoDurationsInEitherCaseAndNegativeOnes() {
    assertEquals(Duration.ofHours(2), Durations.parse("PT2H"));
    assertEquals(Duration.ofMinutes(90), Durations.parse("pt90m"));
    assertEquals(Duration.ofMinutes(-5), Durations.parse("-PT5M"));
  }

  @Test
  void readsAWholeNumberWithItsUnit() {
    assertEquals(Duration.ofSeconds(90), Durations.parse("90s"));
    assertEquals(Duration.ofMinutes(30), Durations.parse("30m"));
    assertEquals(Duration.ofHours(2), Durations.parse("2h"));
    assertEquals(Duration.ofDays(7), Durations.parse("7d"));
    assertEquals(Duration.ofDays(999_999_999), Durations.parse("999999999d"));
  }

  @Test
  void answersNullForWhatIsNeither() {
    for (String bad : new String[] {"", "h", "-", "P", "PT", "-P", "PTxH", "5", "5w", "5H",
        "-5m", "+5m", "5.5h", " 5m", "5m ", "1234567890s", "٥m", "2hh"}) {
      assertNull(Durations.parse(bad), bad);
    }
  }
}
