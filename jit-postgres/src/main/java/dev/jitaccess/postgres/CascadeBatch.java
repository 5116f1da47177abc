package dev.jitaccess.postgres;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantState;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.internal.Validation;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * Ends the ACTIVE children of ended grants, a batch per statement: {@link GrantSql#endChildren}
 * updates them, appends their change rows with this store's origin and notifies once, so a batch
 * commits whole or not at all, and every replica's strict reads see its children ended from the
 * moment it returns.
 */
final class CascadeBatch {
  private final Jdbc jdbc;
  private final GrantSql sql;
  private final String origin;
  private final Supplier<Instant> cutoffs;

  CascadeBatch(Jdbc jdbc, GrantSql sql, String origin, Supplier<Instant> cutoffs) {
    this.jdbc = jdbc;
    this.sql = sql;
    this.origin = origin;
    this.cutoffs = cutoffs;
  }

  /**
   * The well-formed ids among {@code ids}, as an array of text; the others name no grant (see
   * {@link Validation#isWellFormedId}).
   */
  static String[] wellFormed(Collection<String> ids) {
    List<String> kept = new ArrayList<>(ids.size());
    for (String id : ids) {
      if (id != null && Validation.isWellFormedId(id)) {
        kept.add(id);
      }
    }
    return kept.toArray(new String[0]);
  }

  /** Binds {@code ids} as a text array at {@code index}; returns the next index. */
  static int bindIds(PreparedStatement statement, int index, String[] ids) throws SQLException {
    Connection connection = statement.getConnection();
    Array array = connection.createArrayOf("text", ids);
    statement.setArray(index, array);
    return index + 1;
  }

  /** Ends up to {@code limit} ACTIVE children of {@code parentIds} at {@code now}. */
  List<Grant> endChildren(String[] parentIds, Instant now, int limit) {
    Instant cutoff = cutoffs.get();
    return jdbc.run("end the children of ended grants", connection -> {
      try (PreparedStatement statement = connection.prepareStatement(sql.endChildren)) {
        int i = bindIds(statement, 1, parentIds);
        i = GrantRows.bindInstant(statement, i, cutoff);
        statement.setInt(i++, limit);
        i = GrantRows.bindInstant(statement, i, now);
        statement.setString(i++, GrantState.EXPIRED.name());
        statement.setString(i++, GrantState.REVOKED.name());
        i = GrantRows.bindInstant(statement, i, now);
        statement.setString(i++, RevocationReason.EXPIRED.code());
        statement.setString(i++, RevocationReason.PARENT_REVOKED.code());
        i = GrantRows.bindInstant(statement, i, now);
        statement.setString(i++, origin);
        statement.setString(i, sql.schema);
        List<Grant> ended = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            ended.add(GrantRows.read(rows, 1));
          }
        }
        return ended;
      }
    });
  }
}
