package dev.jitaccess.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.governance.Bundle;
import dev.jitaccess.governance.spi.BundleStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Bundle names, members and grant ids that look like SQL, patterns, placeholders or array
 * literals, which {@link BundleStoreCompatibilityKit} runs as a nested class: each is stored as
 * the text it is and finds only itself.
 */
abstract class BundleLiteralChecks {
  /** Member names that an array literal or a list would split, quote or read as NULL. */
  static final List<String> ARRAY_LIKE = List.of("NULL", "null", "{a,b}", "{}", "\"", "\"\"",
      "a,b", ",", " padded ", "a\\\\b", "'", "''", "[1]", "(x)");
  private static final String ATTACKS_UPPER =
      GovernanceLiteralChecks.ATTACKS.get(0).toUpperCase(Locale.ROOT);

  private final BundleStoreCompatibilityKit kit;

  BundleLiteralChecks(BundleStoreCompatibilityKit kit) {
    this.kit = kit;
  }

  private BundleStore store() {
    return kit.store();
  }

  @Test
  @DisplayName("bundles whose names look like SQL or patterns round-trip and are found only by "
      + "their own name")
  void bundlesRoundTripAndAreFoundLiterally() {
    List<Bundle> inserted = new ArrayList<>();
    for (String attack : GovernanceLiteralChecks.ATTACKS) {
      Bundle b = kit.bundles().active(attack);
      store().insert(b);
      inserted.add(b);
    }
    for (Bundle b : inserted) {
      assertEquals(b, store().get(b.name()), b.name());
    }
    for (String probe : List.of("%%", "__", "' OR ''='", "req_aXbYc", "req_a%b_", ". *", "$2",
        "X'; DROP TABLE ACCESS_REQUESTS; --", "REQ_A%B_C", "*")) {
      assertNull(store().get(probe), probe);
    }
    assertEquals(GovernanceLiteralChecks.ATTACKS.size(), store().bundles().size(),
        "every bundle is still there, in a table that is still there");
  }

  @Test
  @DisplayName("members that look like SQL, patterns or array literals are kept apart and found "
      + "only as themselves")
  void membersAreTakenLiterally() {
    Bundle b = kit.bundles().active("%");
    Bundle other = kit.bundles().active("_");
    store().insert(b);
    store().insert(other);
    List<String> members = new ArrayList<>(GovernanceLiteralChecks.ATTACKS);
    members.addAll(ARRAY_LIKE);
    assertEquals(members.size(), store().addMembers(b.name(), members));
    assertEquals(members.size(), store().memberCount(b.name()));
    assertEquals(0, store().memberCount(other.name()), "\"_\" is not \"%\"");
    for (String member : members) {
      assertTrue(store().isMember(b.name(), member), member);
      assertFalse(store().isMember(other.name(), member), member);
    }
    for (String probe : List.of("%%", "__", "' OR ''='", "req_aXbYc", "a", "b", "{a", "NuLL",
        "", "\"\"\"", "padded", ATTACKS_UPPER)) {
      assertFalse(store().isMember(b.name(), probe), probe);
    }
    assertEquals(List.of(), store().removeMembers(b.name(), List.of("%%", "__", "{a,b,c}")));
    assertEquals(List.of("%", "NULL"), store().removeMembers(b.name(), List.of("%", "NULL")));
    assertEquals(members.size() - 2, store().memberCount(b.name()),
        "removing \"%\" and \"NULL\" removes no other member");
    assertTrue(store().isMember(b.name(), "_"));
    assertTrue(store().isMember(b.name(), "null"));
  }

  @Test
  @DisplayName("grants of members that look like SQL or patterns are found only by their own "
      + "member")
  void grantsAreFoundByTheirOwnMember() {
    Bundle b = kit.bundles().active();
    store().insert(b);
    List<String> ids = new ArrayList<>();
    for (String member : List.of("%", "_", "NULL", "' OR '1'='1")) {
      String id = GovernanceBundles.newGrantId();
      store().recordGrant(b.name(), member, id);
      ids.add(id);
    }
    assertEquals(List.of(ids.get(0)), store().grantsOf(b.name(), "%"));
    assertEquals(List.of(ids.get(1)), store().grantsOf(b.name(), "_"));
    assertEquals(List.of(ids.get(2)), store().grantsOf(b.name(), "NULL"));
    assertEquals(List.of(ids.get(3)), store().grantsOf(b.name(), "' OR '1'='1"));
    assertEquals(List.of(), store().grantsOf(b.name(), "null"));
    assertEquals(List.of(), store().grantsOf(b.name(), "' OR ''='"));
    assertEquals(BundleGrantChecks.sorted(ids),
        BundleGrantChecks.sorted(store().grantsOf(b.name(), null)));
  }
}
