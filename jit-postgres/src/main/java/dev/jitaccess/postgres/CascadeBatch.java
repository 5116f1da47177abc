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
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Ends the ACTIVE children of ended grants, a batch per statement: {@link GrantSql#endChildren}
 * updates them, appends their change rows with this store's origin and notifies once, so a batch
 * commits whole or not at all, and every replica's strict reads see its children ended from the
 * moment it returns. And, as background work, the orphans a cascade that stopped partway left
 * ({@link GrantSql#endOrphans}), one replica at a time.
 */
final class CascadeBatch {
  private final Jdbc jdbc;
  private final GrantSql sql;
  private final String origin;
  private final Clock clock;
  private final Supplier<Instant> cutoffs;

  /** How many orphans {@link #finishCascades} ends per transaction. */
  static final int ORPHAN_BATCH = 1_000;
  /** The name of {@link #finishCascades}' {@link ReplicaLock}. */
  static final String TASK = "finish-cascades";

  CascadeBatch(Jdbc jdbc, GrantSql sql, String origin, Clock clock, Supplier<Instant> cutoffs) {
    this.jdbc = jdbc;
    this.sql = sql;
    this.origin = origin;
    this.clock = clock;
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

  /**
   * Ends up to {@code limit} ACTIVE children of {@code parentIds} (those well formed) at {@code
   * now}, and hands each to {@code sink}.
   *
   * @throws IllegalArgumentException if {@code limit} is not positive
   */
  List<Grant> endChildren(Collection<String> parentIds, Instant now, int limit,
      Consumer<Grant> sink) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be > 0, was " + limit);
    }
    String[] ids = wellFormed(parentIds);
    if (ids.length == 0) {
      return List.of();
    }
    Instant cutoff = cutoffs.get();
    List<Grant> ended = jdbc.run("end the children of ended grants",
        connection -> endChildren(connection, ids, cutoff, now, limit, origin));
    for (Grant child : ended) {
      sink.accept(child);
    }
    return ended;
  }

  /**
   * Runs {@link GrantSql#endChildren}, its changes recorded with origin {@code by}, until it ends
   * a child or picks none: empty only when no ACTIVE child is left, even when another transaction
   * ended every child a batch picked.
   */
  private List<Grant> endChildren(Connection connection, String[] parentIds, Instant cutoff,
      Instant now, int limit, String by) throws SQLException {
    while (true) {
      try (PreparedStatement statement = connection.prepareStatement(sql.endChildren)) {
        int i = bindIds(statement, 1, parentIds);
        i = GrantRows.bindInstant(statement, i, cutoff);
        statement.setInt(i++, limit);
        statement.setInt(i++, limit);
        i = GrantRows.bindInstant(statement, i, now);
        statement.setString(i++, GrantState.EXPIRED.name());
        statement.setString(i++, GrantState.REVOKED.name());
        i = GrantRows.bindInstant(statement, i, now);
        statement.setString(i++, RevocationReason.EXPIRED.code());
        statement.setString(i++, RevocationReason.PARENT_REVOKED.code());
        i = GrantRows.bindInstant(statement, i, now);
        statement.setString(i++, by);
        statement.setString(i, sql.schema);
        long picked = 0;
        List<Grant> ended = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            picked = rows.getLong(1);
            if (rows.getString(2) != null) {
              ended.add(GrantRows.read(rows, 2));
            }
          }
        }
        if (!ended.isEmpty() || picked == 0) {
          return ended;
        }
      }
    }
  }

  /**
   * The origin recorded on the changes of {@link #finishCascades}: not the store's own, so that
   * every follower delivers them, this store's too. No runtime made those ends (the store's
   * background work did), so none reports them itself, and each runtime's listeners hear of each
   * once through its follower.
   */
  static String sweepOrigin(String origin) {
    return origin + "/sweep";
  }

  /**
   * Ends every ACTIVE grant under a parent that has ended or is gone, and hands each to {@code
   * sink}: finds such parents (one scan, {@value #ORPHAN_BATCH} at most), ends their ACTIVE
   * children {@value #ORPHAN_BATCH} per transaction, then the children of those it ended, level by
   * level through the index of parents, and looks again until a round ends nothing. Each
   * transaction first takes the schema's {@link ReplicaLock} for the task: a replica that finds it
   * taken stops, since another replica is doing this.
   *
   * @return how many it ended
   */
  long finishCascades(Consumer<Grant> sink) {
    long total = 0;
    while (true) {
      String[] level = orphanParents();
      long round = 0;
      while (level != null && level.length > 0) {
        List<String> next = new ArrayList<>();
        for (int from = 0; from < level.length; from += ORPHAN_BATCH) {
          String[] parents =
              Arrays.copyOfRange(level, from, Math.min(level.length, from + ORPHAN_BATCH));
          List<Grant> ended;
          while ((ended = endOrphans(parents)) != null && !ended.isEmpty()) {
            for (Grant grant : ended) {
              sink.accept(grant);
              next.add(grant.id());
            }
            round += ended.size();
          }
          if (ended == null) {
            return total + round; // another replica holds the lock
          }
        }
        level = next.toArray(new String[0]);
      }
      total += round;
      if (level == null || round == 0) {
        return total;
      }
    }
  }

  /**
   * Up to {@value #ORPHAN_BATCH} parents that ended or are gone and have ACTIVE children; null if
   * another replica holds the lock.
   */
  private String @Nullable [] orphanParents() {
    Instant cutoff = cutoffs.get();
    return jdbc.transaction("find the ended grants with ACTIVE children", connection -> {
      if (!ReplicaLock.tryLock(connection, sql.schema, TASK)) {
        return null;
      }
      try (PreparedStatement statement = connection.prepareStatement(sql.orphanParents)) {
        int i = GrantRows.bindInstant(statement, 1, cutoff);
        i = GrantRows.bindInstant(statement, i, cutoff);
        statement.setInt(i, ORPHAN_BATCH);
        List<String> ids = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            ids.add(rows.getString(1));
          }
        }
        return ids.toArray(new String[0]);
      }
    });
  }

  /**
   * Ends up to {@value #ORPHAN_BATCH} ACTIVE children of {@code parentIds} at now on the store's
   * clock, with the {@link #sweepOrigin}, in a transaction that first takes the schema's {@link
   * ReplicaLock} for the task; null if another replica holds it.
   */
  private @Nullable List<Grant> endOrphans(String[] parentIds) {
    Instant cutoff = cutoffs.get();
    Instant now = clock.instant();
    return jdbc.transaction("end the descendants of ended grants", connection -> {
      if (!ReplicaLock.tryLock(connection, sql.schema, TASK)) {
        return null;
      }
      return endChildren(connection, parentIds, cutoff, now, ORPHAN_BATCH, sweepOrigin(origin));
    });
  }
}
