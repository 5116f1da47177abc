package dev.jitaccess.postgres;

import dev.jitaccess.Grant;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Runs a {@link PostgresGrantStore}'s queries for grants and reads the rows they return. */
final class GrantQueries {
  private final Jdbc jdbc;
  private final Supplier<Instant> cutoffs;

  GrantQueries(Jdbc jdbc, Supplier<Instant> cutoffs) {
    this.jdbc = jdbc;
    this.cutoffs = cutoffs;
  }

  List<Grant> byName(String operation, String statementText, String name) {
    if (!GrantRows.isStorable(name)) {
      return List.of();
    }
    return query(operation, statementText, statement -> text(statement, text(statement, 1, name),
        name));
  }

  /** Binds {@code value} at {@code index}; returns the next index. */
  static int text(PreparedStatement statement, int index, String value)
      throws SQLException {
    statement.setString(index, value);
    return index + 1;
  }

  /** Binds a query's leading parameters. */
  interface Binder {
    /** Binds from parameter 1 on; returns the next index. */
    int bind(PreparedStatement statement) throws SQLException;
  }

  List<Grant> query(String operation, String statementText, Binder binder) {
    return query(operation, statementText, binder, 0);
  }

  /**
   * Runs a query whose parameters are the binder's, then the cutoff, then {@code limit} if it is
   * positive, and reads the grants it returns.
   */
  List<Grant> query(String operation, String statementText, Binder binder, int limit) {
    Instant cutoff = cutoffs.get();
    return jdbc.run(operation, connection -> {
      try (PreparedStatement statement = connection.prepareStatement(statementText)) {
        int i = GrantRows.bindInstant(statement, binder.bind(statement), cutoff);
        if (limit > 0) {
          statement.setInt(i, limit);
        }
        List<Grant> grants = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            grants.add(GrantRows.read(rows, 1));
          }
        }
        return grants;
      }
    });
  }
}
