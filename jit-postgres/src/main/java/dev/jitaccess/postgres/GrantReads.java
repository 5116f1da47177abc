package dev.jitaccess.postgres;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantReference;
import dev.jitaccess.internal.Validation;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A {@link PostgresGrantStore}'s reads of the database: what each lookup asks, bound as
 * parameters. An id, reference or name that no stored grant can have (malformed, or text
 * PostgreSQL cannot hold) finds nothing, without a query. Thread-safe.
 */
final class GrantReads {
  private final GrantQueries queries;
  private final GrantSql sql;

  GrantReads(GrantQueries queries, GrantSql sql) {
    this.queries = queries;
    this.sql = sql;
  }

  /** The grant {@code id}, which must be well formed, as stored now. */
  @Nullable Grant get(String id) {
    List<Grant> found =
        queries.query("read a grant", sql.get, statement -> GrantQueries.text(statement, 1, id));
    return found.isEmpty() ? null : found.get(0);
  }

  /** The grant {@code id} as stored now, or null if it is not well formed. */
  @Nullable Grant getIfWellFormed(String id) {
    return Validation.isWellFormedId(id) ? get(id) : null;
  }

  List<Grant> activeByExpiry(@Nullable Grant after, int limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be > 0, was " + limit);
    }
    if (after == null) {
      return queries.query("list ACTIVE grants", sql.activeFirst, statement -> 1, limit);
    }
    Instant expiresAt = after.expiresAt();
    return queries.query("list ACTIVE grants", sql.activeAfter, statement -> {
      int i = GrantRows.bindInstant(statement, 1, expiresAt);
      return GrantQueries.text(statement, i, after.id());
    }, limit);
  }

  /**
   * Up to {@code limit} grants that left ACTIVE at or after {@code since}, after {@code after}
   * in {@code (endedAt, id)} order: one keyset page on the index {@code grants_ended}. The first
   * page starts after {@code (since, "")}, as no id is empty.
   */
  List<Grant> endedSince(Instant since, @Nullable Instant afterEndedAt, String afterId,
      int limit) {
    Instant from = afterEndedAt == null ? since : afterEndedAt;
    return queries.query("list ended grants", sql.endedSince, statement -> {
      int i = GrantRows.bindInstant(statement, 1, since);
      i = GrantRows.bindInstant(statement, i, from);
      return GrantQueries.text(statement, i, afterEndedAt == null ? "" : afterId);
    }, limit);
  }

  @Nullable Grant byReference(String reference) {
    if (!GrantReference.isWellFormed(reference)) {
      return null;
    }
    List<Grant> found = queries.query("find a grant by reference", sql.byReference,
        statement -> GrantQueries.text(statement, 1, reference));
    return found.isEmpty() ? null : found.get(0);
  }

  Collection<Grant> bySubject(String subject) {
    return queries.byName("find grants by subject", sql.bySubject, subject);
  }

  Collection<Grant> byOwner(String owner) {
    return queries.byName("find grants by owner", sql.byOwner, owner);
  }

  Collection<Grant> byTask(String task) {
    return queries.byName("find grants by task", sql.byTask, task);
  }

  Collection<Grant> byParent(String parentId) {
    if (!Validation.isWellFormedId(parentId)) {
      return List.of();
    }
    return queries.query("find grants by parent", sql.byParent,
        statement -> GrantQueries.text(statement, 1, parentId));
  }

  /** One query ({@code parent_id = ANY(?)}) on the index of parents. */
  Collection<Grant> byParents(Collection<String> parentIds) {
    String[] ids = CascadeBatch.wellFormed(parentIds);
    if (ids.length == 0) {
      return List.of();
    }
    return queries.query("find grants by parents", sql.byParents,
        statement -> CascadeBatch.bindIds(statement, 1, ids));
  }
}
