package dev.jitaccess.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.governance.AccessRequest;
import dev.jitaccess.governance.Approval;
import dev.jitaccess.governance.Rejection;
import dev.jitaccess.governance.spi.BreakGlassLock;
import dev.jitaccess.governance.spi.GovernanceStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Ids and names that look like SQL, patterns or placeholders, which {@link
 * GovernanceStoreCompatibilityKit} runs as a nested class: each is stored as the text it is and
 * finds only itself.
 */
abstract class GovernanceLiteralChecks {
  /** Valid ids and names that SQL, LIKE, regular expressions or templates would interpret. */
  static final List<String> ATTACKS = List.of(
      "x'; DROP TABLE access_requests; --",
      "' OR '1'='1",
      "\" OR 1=1 --",
      "'); NOTIFY attack, 'owned'; --",
      "x' UNION SELECT * FROM pg_shadow --",
      "\u00e9'; SELECT pg_sleep(10); --",
      "%",
      "_",
      "\\",
      "$1",
      "?",
      ".*",
      "${schema}",
      "req_a%b_c");

  private final GovernanceStoreCompatibilityKit kit;

  GovernanceLiteralChecks(GovernanceStoreCompatibilityKit kit) {
    this.kit = kit;
  }

  private GovernanceStore store() {
    return kit.store();
  }

  private AccessRequest requestNamed(String text) {
    Instant now = kit.requests().now();
    return kit.requests().pending(now).id(text).requester(text + " requester").subject(text)
        .owner(text).task(text).purpose(text).tier(text).rule(text).justification(text)
        .issuer(text).ticket(text)
        .approvals(List.of(new Approval(text, text, now)))
        .rejections(List.of(new Rejection(text, text, now))).version(2).build();
  }

  @Test
  @DisplayName("requests whose id and names look like SQL or patterns round-trip and are found "
      + "only by their own id")
  void requestsRoundTripAndAreFoundLiterally() {
    List<AccessRequest> inserted = new ArrayList<>();
    for (String attack : ATTACKS) {
      AccessRequest r = requestNamed(attack);
      store().insert(r);
      inserted.add(r);
    }
    for (AccessRequest r : inserted) {
      assertEquals(r, store().get(r.id()), r.id());
    }
    for (String probe : List.of("%%", "__", "' OR ''='", "req_aXbYc", "req_a%b_", ". *", "$2",
        "X'; DROP TABLE ACCESS_REQUESTS; --", "\u00c9'; SELECT PG_SLEEP(10); --", "REQ_A%B_C")) {
      assertNull(store().get(probe), probe);
    }
    assertEquals(ATTACKS.size(), store().pending(1000).size(),
        "every request is still there, in a table that is still there");
  }

  @Test
  @DisplayName("break-glass locks of subjects that look like SQL or patterns are kept apart and "
      + "found only by their own subject")
  void locksAreFoundLiterally() {
    Instant now = kit.requests().now();
    for (String attack : ATTACKS) {
      assertTrue(store().lock(new BreakGlassLock(attack, attack, attack, now)), attack);
    }
    for (String attack : ATTACKS) {
      assertEquals(Optional.of(new BreakGlassLock(attack, attack, attack, now)),
          store().lockOf(attack), attack);
    }
    for (String probe : List.of("%%", "__", "req_aXbYc", "' OR ''='",
        ATTACKS.get(0).toUpperCase(Locale.ROOT))) {
      assertEquals(Optional.empty(), store().lockOf(probe), probe);
    }
    BreakGlassLock percent = new BreakGlassLock("%", "%", "%", now);
    assertFalse(store().unlock(new BreakGlassLock("_", "%", "%", now)), "\"_\" is not \"%\"");
    assertTrue(store().unlock(percent));
    assertEquals(Optional.of(new BreakGlassLock("_", "_", "_", now)), store().lockOf("_"),
        "unlocking \"%\" removes no other lock");
  }
}
