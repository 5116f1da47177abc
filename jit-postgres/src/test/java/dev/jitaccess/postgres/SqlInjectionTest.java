package dev.jitaccess.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantReference;
import dev.jitaccess.testkit.time.FakeClock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every id, name and reference is bound as a parameter: SQL in them is stored as text. */
class SqlInjectionTest {
  private static final List<String> ATTACKS = List.of(
      "x'; DROP TABLE grants; --",
      "' OR '1'='1",
      "\" OR 1=1 --",
      "'); NOTIFY attack, 'owned'; --",
      "%",
      "_",
      "\\",
      "$1",
      "${schema}",
      "x' UNION SELECT * FROM pg_shadow --",
      "é'; SELECT pg_sleep(10); --");

  private final FakeClock clock = new FakeClock();
  private final PostgresGrantStore store = PostgresGrantStore.builder()
      .dataSource(TestDatabase.dataSource()).schema(TestDatabase.freshSchema()).clock(clock)
      .build();

  private static Set<String> ids(Collection<Grant> grants) {
    return grants.stream().map(Grant::id).collect(Collectors.toSet());
  }

  @Test
  void namesHoldingSqlAreStoredAndFoundLiterally() {
    List<Grant> grants = new ArrayList<>();
    for (String attack : ATTACKS) {
      Grant g = TestGrants.grant(clock, attack, attack, attack).toBuilder().purpose(attack)
          .build();
      store.insert(g);
      grants.add(g);
    }
    for (Grant g : grants) {
      assertEquals(g, store.get(g.id()));
      assertEquals(Set.of(g.id()), ids(store.findBySubject(g.subject())), g.subject());
      assertEquals(Set.of(g.id()), ids(store.findByOwner(g.owner())), g.owner());
      assertEquals(Set.of(g.id()), ids(store.findByTask(g.task())), g.task());
    }
    assertEquals(ATTACKS.size(), store.findActiveByExpiry(null, 1000).size(),
        "the table is still there, with every grant");
  }

  @Test
  void idsAndReferencesHoldingSqlFindNothing() {
    Grant grant = TestGrants.grant(clock);
    store.insert(grant);
    for (String attack : ATTACKS) {
      assertNull(store.get(attack), attack);
      assertNull(store.get(grant.id() + attack), attack);
      assertTrue(store.findByParent(attack).isEmpty(), attack);
      assertNull(store.findByReference(attack), attack);
      assertNull(store.findByReference(GrantReference.PREFIX + attack), attack);
      assertTrue(store.findBySubject(attack).isEmpty(), attack);
    }
    // Well-formed ids that LIKE or a regex would match: matched exactly, so nothing.
    for (String pattern : List.of("_".repeat(grant.id().length()), "-", grant.id().substring(1))) {
      assertNull(store.get(pattern), pattern);
    }
    assertEquals(grant, store.get(grant.id()));
  }
}
