package dev.jitaccess.console.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven by Debian's chromedriver, both named explicitly so that
 * Selenium Manager never looks for or downloads a browser or a driver. When either is missing the
 * calling test is skipped by an assumption that names the file and the install command.
 */
final class Chromium {
  static final Path BROWSER = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  private static final AtomicBoolean TOLD = new AtomicBoolean();

  private Chromium() {}

  /**
   * Skips the calling test, saying why, unless both binaries are installed. The reason is also
   * written once to the build's output (this module's tests do not redirect it), so that a
   * developer's {@code mvn verify} says which tests it could not run without opening a report.
   */
  static void assumeInstalled() {
    for (Path p : new Path[] {BROWSER, DRIVER}) {
      if (!Files.isExecutable(p)) {
        String why = "browser test skipped: " + p + " is missing; install Chromium and its "
            + "driver with: apt-get install chromium chromium-driver";
        if (TOLD.compareAndSet(false, true)) {
          System.err.println("[jit-console] " + why);
        }
        assumeTrue(false, why);
      }
    }
  }

  /** A fresh headless browser with a user-data directory of its own, under {@code dir}. */
  static ChromeDriver start(Path dir) {
    assumeInstalled();
    Path profile;
    try {
      profile = Files.createTempDirectory(dir, "chromium-profile");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.setProperty("SE_AVOID_STATS", "true");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
        "--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    return driver;
  }
}
