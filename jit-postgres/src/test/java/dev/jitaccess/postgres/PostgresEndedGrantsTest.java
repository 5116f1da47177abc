package dev.jitaccess.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.GrantState;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Ttl;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.testkit.time.FakeClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link PostgresEndedGrants} on a real PostgreSQL: grants ended by revoke and by expiry are listed
 * once each, in keyset pages in (endedAt, id) order, from {@code since} on, within the store's
 * retention; ACTIVE grants never.
 */
class PostgresEndedGrantsTest {
  private static final Comparator<Grant> ORDER = Comparator.comparing(
      (Grant g) -> Objects.requireNonNull(g.endedAt())).thenComparing(Grant::id);

  private static final Duration RETENTION = Duration.ofHours(1);

  private final FakeClock clock = new FakeClock();
  private final String schema = TestDatabase.freshSchema();
  private final PostgresGrantStore store = PostgresGrantStore.builder()
      .dataSource(TestDatabase.dataSource()).schema(schema).clock(clock).retention(RETENTION).build();
  private final JitAccess jit = JitAccess.builder().clock(clock).scheduler(clock).store(store)
      .auditSink(e -> { }).build();
  private final PostgresEndedGrants ended = PostgresEndedGrants.of(store);

  @AfterEach
  void close() {
    jit.close();
  }

  private Grant grant(String subject, Duration ttl) {
    return jit.request(GrantRequest.builder().subject(subject).owner("team-payments")
        .task("task-" + subject).purpose("rotate the payments keys").scope("write:db/payments")
        .ttl(Ttl.of(ttl)).build());
  }

  /** Every grant from {@code since} on, page by page. */
  private List<Grant> all(Instant since, int pageSize) {
    List<Grant> listed = new ArrayList<>();
    Grant after = null;
    while (true) {
      List<Grant> page = ended.endedSince(since, after, pageSize);
      assertTrue(page.size() <= pageSize, "a page holds at most the limit");
      if (page.isEmpty()) {
        return listed;
      }
      listed.addAll(page);
      after = page.get(page.size() - 1);
    }
  }

  @Test
  void grantsEndedByRevokeAndByExpiryAreListedOnceEachInPagesAndActiveGrantsNever() {
    Instant start = clock.instant();
    List<Grant> expiring = new ArrayList<>();
    List<Grant> revoked = new ArrayList<>();
    List<Grant> active = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      expiring.add(grant("short-" + i, Duration.ofMinutes(10)));
      revoked.add(grant("revoked-" + i, Duration.ofMinutes(30)));
      active.add(grant("long-" + i, Duration.ofMinutes(30)));
    }
    clock.advance(Duration.ofMinutes(1));
    // Two revokes at one instant: the page boundary falls between equal end times.
    jit.revoke(revoked.get(0).id(), RevocationReason.TASK_COMPLETED);
    jit.revoke(revoked.get(1).id(), RevocationReason.MANUAL);
    clock.advance(Duration.ofSeconds(1));
    jit.revoke(revoked.get(2).id(), RevocationReason.TASK_COMPLETED);
    clock.advance(Duration.ofMinutes(10)); // the four short grants expire
    jit.revoke(revoked.get(3).id(), RevocationReason.TASK_COMPLETED);

    Set<String> expected = new HashSet<>();
    expiring.forEach(g -> expected.add(g.id()));
    revoked.forEach(g -> expected.add(g.id()));
    for (int pageSize : new int[] {1, 2, 3, 5, 8, 500}) {
      List<Grant> listed = all(start, pageSize);
      assertEquals(8, listed.size(), "page size " + pageSize);
      assertEquals(expected, new HashSet<>(listed.stream().map(Grant::id).toList()));
      assertEquals(listed.stream().sorted(ORDER).toList(), listed, "in (endedAt, id) order");
      assertTrue(listed.stream().noneMatch(Grant::isActive));
    }
    List<Grant> listed = all(start, 3);
    assertEquals(4, listed.stream().filter(g -> g.state() == GrantState.EXPIRED).count());
    assertEquals(4, listed.stream().filter(g -> g.state() == GrantState.REVOKED).count());
    for (Grant g : active) {
      assertTrue(store.get(g.id()).isActive());
      assertFalse(listed.stream().anyMatch(l -> l.id().equals(g.id())), "ACTIVE never listed");
    }
  }

  @Test
  void sinceIsRespectedToTheNanosecond() {
    Grant first = grant("alice", Duration.ofMinutes(30));
    Grant second = grant("bob", Duration.ofMinutes(30));
    clock.advance(Duration.ofSeconds(5));
    jit.revoke(first.id(), RevocationReason.TASK_COMPLETED);
    Instant firstEnd = store.get(first.id()).endedAt();
    clock.advance(Duration.ofSeconds(5));
    jit.revoke(second.id(), RevocationReason.TASK_COMPLETED);
    Instant secondEnd = store.get(second.id()).endedAt();

    assertEquals(List.of(first.id(), second.id()), ids(all(firstEnd, 10)));
    assertEquals(List.of(second.id()), ids(all(firstEnd.plusNanos(1), 10)));
    assertEquals(List.of(second.id()), ids(all(secondEnd, 10)), "at since is included");
    assertEquals(List.of(), all(secondEnd.plusNanos(1), 10));
    // A cursor before the window starts the window from its beginning.
    Grant endedFirst = store.get(first.id());
    assertEquals(List.of(second.id()), ids(ended.endedSince(secondEnd, endedFirst, 10)));
  }

  @Test
  void grantsPastTheStoresRetentionAreNotListed() {
    Grant g = grant("alice", Duration.ofMinutes(30));
    jit.revoke(g.id(), RevocationReason.TASK_COMPLETED);
    Instant since = clock.instant();
    assertEquals(List.of(g.id()), ids(all(since, 10)));
    clock.advance(RETENTION.plusSeconds(1));
    assertEquals(List.of(), all(since, 10));
  }

  @Test
  void badArgumentsAreRefusedNamingTheFieldAndNeverTheGrantId() {
    Grant active = grant("alice", Duration.ofMinutes(30));
    Instant now = clock.instant();
    IllegalArgumentException zero =
        assertThrows(IllegalArgumentException.class, () -> ended.endedSince(now, null, 0));
    assertTrue(zero.getMessage().startsWith("limit must be > 0"), zero.getMessage());
    IllegalArgumentException notEnded =
        assertThrows(IllegalArgumentException.class, () -> ended.endedSince(now, active, 10));
    assertTrue(notEnded.getMessage().startsWith("after must have ended"));
    assertFalse(notEnded.getMessage().contains(active.id()));
    assertThrows(NullPointerException.class, () -> ended.endedSince(null, null, 10));
    assertThrows(NullPointerException.class, () -> PostgresEndedGrants.of(null));
  }

  @Test
  void aPageIsARangeScanOnThePartialIndexOfEndedGrants() throws SQLException {
    String sql = new GrantSql(schema).endedSince;
    try (Connection c = TestDatabase.unpooled().getConnection()) {
      try (Statement s = c.createStatement()) {
        s.execute("SET enable_seqscan = off");
        s.execute("SET enable_bitmapscan = off");
      }
      try (PreparedStatement explain = c.prepareStatement("EXPLAIN " + sql)) {
        Object[] parameters = {0L, 0, 0L, 0, "", 0L, 0, 10};
        for (int i = 0; i < parameters.length; i++) {
          explain.setObject(i + 1, parameters[i]);
        }
        StringBuilder plan = new StringBuilder();
        try (ResultSet rows = explain.executeQuery()) {
          while (rows.next()) {
            plan.append(rows.getString(1)).append('\n');
          }
        }
        assertTrue(plan.toString().contains("grants_ended"), plan.toString());
        assertFalse(plan.toString().contains("Sort"), "the index gives the order:\n" + plan);
      }
    }
  }

  private static List<String> ids(List<Grant> grants) {
    return grants.stream().map(Grant::id).toList();
  }
}
