package dev.jitaccess.postgres;

import dev.jitaccess.Grant;
import dev.jitaccess.Scope;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Delegation trees for the cascade tests, written to the database in bulk (a batched plain
 * {@code INSERT}, without change rows: tens of thousands of grants one statement each would take
 * most of a minute), and what the database holds of them.
 */
final class TestTrees {
  private TestTrees() {}

  /** An ACTIVE grant issued now, expiring at {@code expiresAt}, capped an hour from now. */
  static Grant grant(Clock clock, @Nullable String parentId, Instant expiresAt) {
    Instant now = clock.instant();
    return Grant.builder().id(TestGrants.newId()).subject("ci-job").owner("team").task("t")
        .purpose("p").scope(Scope.parse("read:orders/*")).issuedAt(now).expiresAt(expiresAt)
        .notAfter(now.plus(Duration.ofHours(1))).parentId(parentId).build();
  }

  /**
   * The descendants of {@code root}, level by level: {@code fanOut[0]} children, each with
   * {@code fanOut[1]}, ...; not stored.
   */
  static List<Grant> descendants(Clock clock, Grant root, int... fanOut) {
    List<Grant> all = new ArrayList<>();
    List<Grant> level = List.of(root);
    for (int width : fanOut) {
      List<Grant> next = new ArrayList<>();
      for (Grant parent : level) {
        for (int i = 0; i < width; i++) {
          next.add(grant(clock, parent.id(), parent.expiresAt()));
        }
      }
      all.addAll(next);
      level = next;
    }
    return all;
  }

  /** Inserts {@code grants} into {@code schema} in batches, without change rows. */
  static void insert(String schema, List<Grant> grants) {
    String sql = "INSERT INTO \"" + schema + "\".grants (" + GrantRows.INSERT_COLUMNS
        + ") VALUES (" + "?, ".repeat(GrantRows.INSERT_PARAMETERS - 1) + "?)";
    try (Connection connection = TestDatabase.unpooled().getConnection()) {
      connection.setAutoCommit(false);
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        for (int i = 0; i < grants.size(); i++) {
          GrantRows.bindInsert(statement, 1, grants.get(i));
          statement.addBatch();
          if (i % 1000 == 999 || i == grants.size() - 1) {
            statement.executeBatch();
          }
        }
      }
      connection.commit();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Those of {@code grants} that the database holds ACTIVE. */
  static List<Grant> active(String schema, List<Grant> grants) {
    String[] ids = new String[grants.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = grants.get(i).id();
    }
    Set<String> active = new HashSet<>();
    try (Connection connection = TestDatabase.unpooled().getConnection();
        PreparedStatement statement = connection.prepareStatement("SELECT id FROM \""
            + schema + "\".grants WHERE state = 'ACTIVE' AND id = ANY(?)")) {
      statement.setArray(1, connection.createArrayOf("text", ids));
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          active.add(rows.getString(1));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    List<Grant> kept = new ArrayList<>(grants);
    kept.removeIf(grant -> !active.contains(grant.id()));
    return kept;
  }

  /** How many of {@code grants} the database holds in {@code state}. */
  static long count(String schema, List<Grant> grants, String state) {
    String[] ids = new String[grants.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = grants.get(i).id();
    }
    try (Connection connection = TestDatabase.unpooled().getConnection();
        PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM \""
            + schema + "\".grants WHERE state = ? AND id = ANY(?)")) {
      statement.setString(1, state);
      statement.setArray(2, connection.createArrayOf("text", ids));
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * How many end changes the log holds for each grant of {@code grants} that has more than one:
   * empty when every grant ended at most once.
   */
  static List<Long> endedMoreThanOnce(String schema, List<Grant> grants) {
    String[] ids = new String[grants.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = grants.get(i).id();
    }
    try (Connection connection = TestDatabase.unpooled().getConnection();
        PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM \""
            + schema + "\".grant_changes WHERE state <> 'ACTIVE' AND grant_id = ANY(?) "
            + "GROUP BY grant_id HAVING count(*) > 1")) {
      statement.setArray(1, connection.createArrayOf("text", ids));
      List<Long> counts = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          counts.add(rows.getLong(1));
        }
      }
      return counts;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
