package dev.jitaccess.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The holiday peak: a bundle of 1,000 workers, 300 shifts, all ended with the bundle. */
class SeasonalPeakDemoTest {
  @Test
  void everyShiftGrantIsAllowedUntilTheBundleEndsAndNoneAfter() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new SeasonalPeakDemo(new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
    String all = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(all.contains("onboarded 1000 seasonal workers into holiday-2026 in one call"), all);
    assertTrue(all.contains("exposure before the bundle ends: 300 live grants"), all);
    assertTrue(all.contains("300 of 300 checks allowed"), all);
    assertTrue(all.contains("the bundle's window closed: ENDED"), all);
    assertTrue(all.contains("0 of 300 checks allowed after the end"), all);
    assertTrue(all.contains("exposure after the bundle ended: 0 live grants"), all);
    assertTrue(all.contains("support-leads"), "grouped by owner: " + all);
  }
}
