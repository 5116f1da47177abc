package dev.jitaccess.postgres;

import static dev.jitaccess.postgres.Replica.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantState;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import dev.jitaccess.testkit.time.FakeClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A delegation tree of thousands of grants ended at its root on one replica of three: the
 * descendants end in batches of one statement each, deny on every replica from the moment the
 * revocation returns, and are heard of once by each; a replica that dies after ending the root
 * leaves the rest to another.
 */
class CascadeTest {
  private static final Duration MAX_LAG = Duration.ofMillis(250);
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private final FakeClock clock = new FakeClock();
  private final String schema = TestDatabase.freshSchema();
  private final List<Replica> replicas = new ArrayList<>();

  @AfterEach
  void closeReplicas() {
    for (Replica replica : replicas) {
      replica.close();
    }
  }

  private Replica replica(Consistency consistency) {
    Replica replica = new Replica(TestDatabase.dataSource(), schema, clock, consistency, MAX_LAG);
    replicas.add(replica);
    return replica;
  }

  private Grant child(Grant parent) {
    return grant(parent.id(), parent.expiresAt());
  }

  private Grant grant(@Nullable String parentId, Instant expiresAt) {
    Instant now = clock.instant();
    return Grant.builder().id(TestGrants.newId()).subject("ci-job").owner("team").task("t")
        .purpose("p").scope(Scope.parse("read:orders/*")).issuedAt(now).expiresAt(expiresAt)
        .notAfter(now.plus(Duration.ofHours(1))).parentId(parentId).build();
  }

  /** Inserts {@code fanOut[0]} children under {@code root}, each with {@code fanOut[1]}, ... */
  private List<Grant> tree(PostgresGrantStore store, Grant root, int... fanOut) {
    List<Grant> all = new ArrayList<>();
    List<Grant> level = List.of(root);
    for (int width : fanOut) {
      List<Grant> next = new ArrayList<>();
      for (Grant parent : level) {
        for (int i = 0; i < width; i++) {
          Grant child = child(parent);
          store.insert(child);
          next.add(child);
        }
      }
      all.addAll(next);
      level = next;
    }
    return all;
  }

  private static List<String> heard(Grant root, RevocationReason reason, List<Grant> tree) {
    List<String> expected = new ArrayList<>();
    expected.add(root.reference() + " " + reason);
    for (Grant grant : tree) {
      expected.add(grant.reference() + " " + RevocationReason.PARENT_REVOKED);
    }
    expected.sort(null);
    return expected;
  }

  /** Waits until every replica heard exactly {@code expected}, in any order, each once. */
  private static void awaitHeardOnce(List<String> expected, List<Replica> replicas) {
    for (Replica replica : replicas) {
      awaitUntil(() -> replica.heard().size() >= expected.size(), PATIENCE,
          "the listener hears of " + expected.size() + " ends");
      List<String> heard = replica.heard();
      heard.sort(null);
      assertEquals(expected, heard, "each end heard once");
    }
  }

  /** How many grants of {@code tree} the database holds ACTIVE. */
  private long activeIn(List<Grant> tree) {
    return query("SELECT count(*) FROM \"" + schema + "\".grants WHERE state = 'ACTIVE' "
        + "AND id = ANY(?)", tree, rows -> rows.getLong(1)).get(0);
  }

  /** The number of end changes per writing transaction, for the grants of {@code tree}. */
  private List<Long> endsPerTransaction(List<Grant> tree) {
    return query("SELECT count(*) FROM \"" + schema + "\".grant_changes WHERE state <> 'ACTIVE' "
        + "AND grant_id = ANY(?) GROUP BY transaction_id", tree, rows -> rows.getLong(1));
  }

  interface Row<T> {
    T read(ResultSet rows) throws SQLException;
  }

  private static <T> List<T> query(String sql, List<Grant> tree, Row<T> row) {
    String[] ids = new String[tree.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = tree.get(i).id();
    }
    try (Connection connection = TestDatabase.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setArray(1, connection.createArrayOf("text", ids));
      List<T> out = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          out.add(row.read(rows));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aTreeOfThousandsRevokedAtTheRootEndsInBatchesDeniesEverywhereAtOnceAndIsHeardOnceByEach() {
    Replica a = replica(Consistency.STRICT);
    Replica b = replica(Consistency.STRICT);
    Replica c = replica(Consistency.CACHED);
    Grant root = a.mint(Duration.ofMinutes(5));
    List<Grant> tree = tree(a.store, root, 20, 20, 4); // 20 + 400 + 1,600 descendants
    Grant leaf = tree.get(tree.size() - 1);
    assertTrue(b.check(leaf).isAllowed(), "a leaf is allowed on B before the revocation");

    assertTrue(a.jit.revoke(root.id(), RevocationReason.ANOMALY));

    assertEquals(0, activeIn(tree), "every descendant ended when revoke returned");
    for (int i = 0; i < tree.size(); i += 10) {
      assertFalse(b.check(tree.get(i)).isAllowed(), "descendant " + i + " denies on B at once");
    }
    Grant ended = b.store.get(leaf.id());
    assertEquals(GrantState.REVOKED, ended.state());
    assertEquals(RevocationReason.PARENT_REVOKED, ended.endReason());
    List<Long> batches = endsPerTransaction(tree);
    assertEquals(tree.size(), batches.stream().mapToLong(Long::longValue).sum(),
        "one end change per descendant");
    assertTrue(batches.stream().allMatch(n -> n <= 1000), "batches of at most 1,000: " + batches);
    assertTrue(batches.size() <= 12, "a few statements, not one per descendant: " + batches);
    awaitHeardOnce(heard(root, RevocationReason.ANOMALY, tree), replicas);
  }

  @Test
  void aReplicaKilledMidCascadeLeavesTheRestToAnother() {
    Replica b = replica(Consistency.STRICT);
    Replica c = replica(Consistency.CACHED);
    PostgresGrantStore dead = PostgresGrantStore.builder().dataSource(TestDatabase.dataSource())
        .schema(schema).clock(clock).consistency(Consistency.STRICT).build();
    Grant root = grant(null, clock.instant().plus(Duration.ofMinutes(5)));
    dead.insert(root);
    List<Grant> tree = tree(dead, root, 20, 20, 2);

    // The dead replica's runtime ended the root and part of the first level, then stopped.
    Instant now = clock.instant();
    Grant revoked = root.end(GrantState.REVOKED, RevocationReason.MANUAL, now);
    assertTrue(dead.compareAndSet(root, revoked));
    // (B or C may already be ending them, having heard of the root.)
    assertTrue(dead.endChildren(List.of(root.id()), now, 5).size() <= 5);
    for (Grant grant : tree.subList(0, 3)) {
      assertFalse(b.check(grant).isAllowed(), "a descendant denies at once through its root");
    }

    awaitUntil(() -> activeIn(tree) == 0, PATIENCE, "another replica ends every descendant");
    List<String> expected = heard(root, RevocationReason.MANUAL, tree);
    awaitHeardOnce(expected, replicas);
    Map<Long, Long> sizes = new TreeMap<>();
    for (long n : endsPerTransaction(tree)) {
      sizes.merge(n, 1L, Long::sum);
    }
    assertEquals(tree.size(), new HashSet<>(expected).size() - 1, "each descendant heard");
    assertTrue(sizes.keySet().stream().allMatch(n -> n <= 1000), "batches: " + sizes);
  }

  @Test
  void aBatchWhosePicksAnotherWriterEndedMeanwhilePicksAgainRatherThanAnswerEmpty()
      throws Exception {
    PostgresGrantStore store = PostgresGrantStore.builder().dataSource(TestDatabase.dataSource())
        .schema(schema).clock(clock).consistency(Consistency.STRICT).build();
    Grant parent = grant(null, clock.instant().plus(Duration.ofMinutes(5)));
    store.insert(parent);
    List<Grant> children = tree(store, parent, 3);
    assertTrue(store.compareAndSet(parent,
        parent.end(GrantState.REVOKED, RevocationReason.MANUAL, clock.instant())));
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Connection other = TestDatabase.unpooled().getConnection()) {
      other.setAutoCommit(false);
      // Another writer ends the two children a batch of two picks first (the index of parents
      // keeps one parent's children in the order they were written), and has not committed.
      try (PreparedStatement end = other.prepareStatement("UPDATE \"" + schema + "\".grants SET "
          + "state = 'REVOKED', end_reason = 'MANUAL', ended_at_s = 0, ended_at_n = 0, "
          + "version = version + 1 WHERE id = ANY(?)")) {
        end.setArray(1, other.createArrayOf("text",
            new String[] {children.get(0).id(), children.get(1).id()}));
        assertEquals(2, end.executeUpdate());
      }
      Future<List<Grant>> batch =
          pool.submit(() -> store.endChildren(List.of(parent.id()), clock.instant(), 2));
      awaitUntil(() -> waitingOnALock() > 0, PATIENCE, "the batch waits for the other writer");
      other.commit();
      List<Grant> ended = batch.get(60, TimeUnit.SECONDS);
      assertEquals(List.of(children.get(2).reference()),
          ended.stream().map(Grant::reference).toList(),
          "the batch picked again and ended the child left, rather than answer that none was");
    } finally {
      pool.shutdownNow();
    }
    assertEquals(List.of(), store.endChildren(List.of(parent.id()), clock.instant(), 2));
  }

  private static long waitingOnALock() {
    try (Connection connection = TestDatabase.unpooled().getConnection();
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT count(*) FROM pg_stat_activity "
            + "WHERE wait_event_type = 'Lock' AND query LIKE 'WITH found AS%'")) {
      row.next();
      return row.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
