package dev.jitaccess.console.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantReference;
import dev.jitaccess.GrantState;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.governance.AccessRequest;
import dev.jitaccess.governance.Governance;
import dev.jitaccess.governance.RequestSpec;
import dev.jitaccess.governance.RequestState;
import dev.jitaccess.governance.RiskTiers;
import dev.jitaccess.teardown.Teardown;
import dev.jitaccess.teardown.TeardownEntry;
import dev.jitaccess.teardown.TeardownState;
import dev.jitaccess.testkit.time.FakeClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The console in a real browser (headless Chromium) against a real application on a random port:
 * each test signs in, acts through the pages as a person would, and then checks the library's
 * state, not only what the page says.
 */
@SpringBootTest(classes = ConsoleTestApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConsoleInBrowserTest {
  private static final AtomicInteger TASKS = new AtomicInteger();

  @LocalServerPort int port;
  @Autowired Governance governance;
  @Autowired Teardown teardown;
  @Autowired FakeClock clock;
  @TempDir Path tmp;

  private ChromeDriver browser;

  @BeforeEach
  void openBrowser() {
    browser = Chromium.start(tmp);
  }

  @AfterEach
  void closeBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  void anApproverApprovesAPendingRequestAndItIsApprovedInTheGovernance() {
    AccessRequest asked = ask(RiskTiers.MEDIUM);
    signIn("alice");
    open("/requests");
    WebElement card = card(asked.id());
    submit(card.findElement(By.cssSelector("button.approve")));

    assertTrue(message().contains("You approved request " + asked.id()), message());
    assertEquals(RequestState.APPROVED, governance.find(asked.id()).orElseThrow().state());
    assertTrue(browser.findElements(By.cssSelector("[data-request='" + asked.id() + "']"))
        .isEmpty(), "an approved request leaves the pending list");
  }

  @Test
  void anApproverRejectsARequestWithAReasonThatTheGovernanceRecords() {
    AccessRequest asked = ask(RiskTiers.MEDIUM);
    signIn("bob");
    open("/requests");
    WebElement card = card(asked.id());
    card.findElement(By.name("reason")).sendKeys("not during the freeze");
    submit(card.findElement(By.cssSelector("button.reject")));

    assertTrue(message().contains("You rejected request " + asked.id()), message());
    AccessRequest after = governance.find(asked.id()).orElseThrow();
    assertEquals(RequestState.REJECTED, after.state());
    assertEquals("bob", after.rejections().get(0).approver());
    assertEquals("not during the freeze", after.rejections().get(0).reason());
  }

  @Test
  void aRequesterWhoTriesToApproveTheirOwnRequestIsToldPlainlyAndNothingChanges() {
    AccessRequest asked = ask(RiskTiers.MEDIUM);
    signIn("rita");
    open("/requests");
    WebElement card = card(asked.id());
    assertTrue(card.getText().contains("yours"));
    submit(card.findElement(By.cssSelector("button.approve")));

    String said = message();
    assertTrue(said.contains("You cannot decide or review a request that you made"), said);
    assertTrue(said.contains("SELF_APPROVAL"), said);
    assertFalse(browser.getPageSource().contains("Exception"), "no stack trace on the page");
    assertEquals(RequestState.PENDING, governance.find(asked.id()).orElseThrow().state());
  }

  @Test
  void revokingAGrantByItsReferenceEndsItAndThePageNeverShowsItsId() {
    Grant grant = activeGrant();
    String ref = GrantReference.of(grant.id());
    signIn("alice");
    open("/exposure");
    assertFalse(browser.getPageSource().contains(grant.id()), "the grant id is never shown");
    WebElement row = browser.findElement(By.cssSelector("tr[data-reference='" + ref + "']"));
    new Select(row.findElement(By.name("reason"))).selectByValue("ANOMALY");
    row.findElement(By.name("note")).sendKeys("token seen in a public paste");
    submit(row.findElement(By.cssSelector("button.reject")));

    assertTrue(message().contains("You revoked grant " + ref + " (ANOMALY)"), message());
    Grant after = governance.access().grant(grant.id()).orElseThrow();
    assertEquals(GrantState.REVOKED, after.state());
    assertEquals(RevocationReason.ANOMALY, after.endReason());
    assertFalse(browser.getPageSource().contains(grant.id()));
  }

  @Test
  void endingATaskRevokesEveryGrantOfItAndRefusesNewOnes() {
    Grant grant = activeGrant();
    signIn("bob");
    open("/exposure");
    WebElement form = browser.findElement(By.id("revoke-task"));
    form.findElement(By.name("task")).sendKeys(grant.task());
    new Select(form.findElement(By.name("reason"))).selectByValue("TASK_COMPLETED");
    form.findElement(By.name("note")).sendKeys("migration finished");
    submit(form.findElement(By.cssSelector("button.reject")));

    assertTrue(message().contains("You ended task " + grant.task()), message());
    assertTrue(message().contains("1 grant(s) revoked"), message());
    assertEquals(GrantState.REVOKED,
        governance.access().grant(grant.id()).orElseThrow().state());
    assertTrue(governance.access().isTaskEnded(grant.task()));
  }

  @Test
  void aLingeringTeardownIsClosedByForceWithTheReasonAndTheActorRecorded() {
    Grant grant = activeGrant();
    governance.access().revoke(grant.id(), RevocationReason.MANUAL);
    String ref = GrantReference.of(grant.id());
    signIn("alice");
    open("/teardowns?olderThan=0s");
    WebElement row = browser.findElement(By.cssSelector("tr[data-reference='" + ref
        + "'][data-downstream='" + ConsoleTestApplication.DOWNSTREAM + "']"));
    row.findElement(By.name("reason")).sendKeys("role dropped by hand in the legacy DB");
    submit(row.findElement(By.cssSelector("button.reject")));

    assertTrue(message().contains("You closed the teardown of grant " + ref), message());
    TeardownEntry entry = teardown.entries(grant.id()).get(0);
    assertEquals(TeardownState.CLOSED, entry.state());
    assertEquals("alice", entry.actor());
    assertEquals("role dropped by hand in the legacy DB", entry.cause());
  }

  @Test
  void theExposureReportFiltersByMinimumAgeAndSubject() {
    Grant old = activeGrant();
    clock.advance(Duration.ofMinutes(20)); // within its 30-minute lifetime
    Grant fresh = activeGrant();
    signIn("bob");
    open("/exposure");
    browser.findElement(By.id("f-minAge")).sendKeys("15m");
    browser.findElement(By.id("f-subject")).sendKeys("rita");
    submit(browser.findElement(By.cssSelector("form.filters button")));

    assertTrue(browser.getCurrentUrl().contains("minAge=15m"), browser.getCurrentUrl());
    List<String> shown = browser.findElements(By.cssSelector("tr[data-reference]")).stream()
        .map(e -> e.getAttribute("data-reference")).toList();
    assertTrue(shown.contains(GrantReference.of(old.id())), shown.toString());
    assertFalse(shown.contains(GrantReference.of(fresh.id())), shown.toString());
    assertEquals(governance.exposure("minAge=15m subject=rita").rows().size(), shown.size());

    browser.findElement(By.id("f-minAge")).clear();
    browser.findElement(By.id("f-minAge")).sendKeys("soon");
    submit(browser.findElement(By.cssSelector("form.filters button")));
    assertTrue(browser.findElement(By.cssSelector("[role=alert]")).getText()
        .contains("minAge"), "a malformed filter is explained");
  }

  @Test
  void aPostWithoutTheConsolesTokenIsRefusedAndChangesNothing() {
    AccessRequest asked = ask(RiskTiers.MEDIUM);
    signIn("alice");
    open("/requests");
    WebElement card = card(asked.id());
    // Spring Security's own token stays, so its filter lets the POST through to the console.
    browser.executeScript("arguments[0].querySelectorAll('input[name=jit_console_token]')"
        + ".forEach(function (e) { e.remove(); });", card);
    submit(card.findElement(By.cssSelector("button.approve")));

    assertTrue(browser.findElement(By.tagName("body")).getText()
        .contains("This form did not come from the console"));
    assertEquals(RequestState.PENDING, governance.find(asked.id()).orElseThrow().state());
  }

  @Test
  void aBreakGlassGrantIsReviewedAndARejectedReviewRevokesIt() {
    Grant grant = governance.breakGlass(spec(RiskTiers.HIGH)
        .justification("orders stuck at night, nobody to approve").build());
    signIn("alice");
    open("/reviews");
    WebElement card = card(grant.requestId());
    card.findElement(By.name("note")).sendKeys("no incident was open");
    submit(card.findElement(By.cssSelector("button[value=REJECTED]")));

    assertTrue(message().contains("REJECTED"), message());
    AccessRequest after = governance.find(grant.requestId()).orElseThrow();
    assertEquals("alice", after.review().reviewer());
    assertEquals(GrantState.REVOKED,
        governance.access().grant(grant.id()).orElseThrow().state());
  }

  private AccessRequest ask(String tier) {
    return governance.request(spec(tier).build());
  }

  private RequestSpec.Builder spec(String tier) {
    return RequestSpec.builder().requester("rita").owner("orders-team")
        .task("TASK-" + TASKS.incrementAndGet()).purpose("fix a stuck order")
        .scope("read:orders/42").lifetime(Duration.ofMinutes(30)).tier(tier)
        .justification("order 42 is stuck in the payment state");
  }

  private Grant activeGrant() {
    AccessRequest asked = ask(RiskTiers.MEDIUM);
    governance.approve(asked.id(), "alice");
    return governance.activate(asked.id(), "rita");
  }

  private void signIn(String user) {
    browser.get("http://localhost:" + port + "/login");
    browser.findElement(By.name("username")).sendKeys(user);
    browser.findElement(By.name("password")).sendKeys(ConsoleTestApplication.PASSWORD);
    submit(browser.findElement(By.cssSelector("button[type=submit]")));
  }

  /** Clicks a submit button and waits until the browser has left the page it was on. */
  private void submit(WebElement button) {
    button.click();
    new WebDriverWait(browser, Duration.ofSeconds(60)).until(driver -> isGone(button));
  }

  /**
   * Whether the page that held {@code element} was left. Chromium reports an element of a page it
   * left either as stale or, while the new document loads, as a node that "does not belong to the
   * document"; both mean gone.
   */
  private static boolean isGone(WebElement element) {
    try {
      element.isEnabled();
      return false;
    } catch (org.openqa.selenium.StaleElementReferenceException e) {
      return true;
    } catch (org.openqa.selenium.WebDriverException e) {
      if (e.getMessage() != null && e.getMessage().contains("does not belong to the document")) {
        return true;
      }
      throw e;
    }
  }

  private void open(String page) {
    browser.get("http://localhost:" + port + "/jit-console" + page);
  }

  private WebElement card(String requestId) {
    return browser.findElement(By.cssSelector("[data-request='" + requestId + "']"));
  }

  private String message() {
    return browser.findElement(By.cssSelector(".messages")).getText();
  }
}
