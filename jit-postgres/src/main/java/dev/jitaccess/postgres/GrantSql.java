package dev.jitaccess.postgres;

/**
 * The statements of a {@link PostgresGrantStore} on one schema. The schema name is the only text
 * spliced in, checked and quoted; every value is a bound parameter.
 *
 * <p>{@code VISIBLE} is the retention: a grant is gone once its {@code retained_from} (when it
 * ended, or its notAfter while ACTIVE) is not after the cutoff, now minus the retention. Its two
 * parameters are the cutoff's epoch seconds and nanoseconds.
 */
final class GrantSql {
  private static final String VISIBLE = "(g.retained_from_s, g.retained_from_n) > (?, ?)";

  /**
   * Appends the change row and notifies, for the grant the CTE {@code written} returned.
   * Parameters: the origin, the channel.
   */
  private static String logged(String changes) {
    return ", change AS (INSERT INTO " + changes + " (grant_id, version, state, origin) "
        + "SELECT id, version, state, ?::text FROM written RETURNING revision) "
        + "SELECT revision, pg_notify(?, revision::text) FROM change";
  }

  final String schema;
  final String grants;
  final String changes;

  /**
   * Inserts a grant unless one with its id (or, as unlikely as a collision of 96 random bits, its
   * reference) exists, and logs it. Parameters: {@link GrantRows#bindInsert}, then the origin
   * and the channel. Returns the revision, or no row for a duplicate. Every unique index is an
   * arbiter, so racing inserts of one id end in one row and no error.
   */
  final String insert;

  /**
   * Applies a transition if the stored version is the expected one, and logs it. Parameters:
   * {@link GrantRows#bindTransition}, id, expected version, cutoff, origin, channel. Returns the
   * revision, or no row.
   */
  final String compareAndSet;

  /** Parameters: id, cutoff. */
  final String get;

  /** Parameters: reference, cutoff. */
  final String byReference;

  /** Parameters: subject twice (hash, then the name), cutoff. */
  final String bySubject;

  /** Parameters: owner twice, cutoff. */
  final String byOwner;

  /** Parameters: task twice, cutoff. */
  final String byTask;

  /** Parameters: parent id, cutoff. */
  final String byParent;

  /** Parameters: the parent ids as a text array, cutoff. */
  final String byParents;

  /**
   * Ends a batch of ACTIVE children of some parents, logs one change per child and notifies the
   * newest revision once. Picks up to the limit of ACTIVE children through the index of parents,
   * parent by parent (each pick reads only as far as it needs: no batch reads again the children
   * ended before it), then locks them in id order, so that racing batches do not deadlock, and
   * waits for a child another transaction holds rather than skip it; a child that transaction
   * ended is then left out. Parameters: the parent ids as a text array, cutoff, limit, limit
   * again; now (seconds, nanos); the states EXPIRED and REVOKED; now again; the reasons EXPIRED
   * and PARENT_REVOKED; endedAt (seconds, nanos); origin; channel. Returns the number of children
   * picked, then the grant in {@link GrantRows#read} order: one row per child ended, or one row
   * of nulls after the count if none was (all were ended meanwhile by others, when the count is
   * not 0).
   */
  final String endChildren;

  /**
   * The ids of parents that are not ACTIVE, or are gone (past the retention, or deleted), and
   * have ACTIVE children: where a cascade that stopped partway left off. One scan of the grants.
   * Parameters: cutoff (the children's), cutoff (the parents'), limit.
   */
  final String orphanParents;

  /** Parameters: cutoff, limit. */
  final String activeFirst;

  /** Parameters: after's expiresAt (seconds, nanos) and id, cutoff, limit. */
  final String activeAfter;

  /**
   * A keyset page of the grants that left ACTIVE, in {@code (endedAt, id)} order, on the partial
   * index {@code grants_ended}. Parameters: since (seconds, nanos); after's endedAt (seconds,
   * nanos) and id; cutoff; limit.
   */
  final String endedSince;

  /** Deletes a batch of grants past the retention. Parameters: cutoff, batch size. */
  final String purge;

  GrantSql(String schemaName) {
    this.schema = PostgresSchema.checkName(schemaName, "schema");
    String quoted = PostgresSchema.quote(schema);
    this.grants = quoted + ".grants";
    this.changes = quoted + ".grant_changes";
    String select = "SELECT " + GrantRows.columns("g") + " FROM " + grants + " g WHERE ";
    StringBuilder values = new StringBuilder();
    for (int i = 0; i < GrantRows.INSERT_PARAMETERS; i++) {
      values.append(i == 0 ? "?" : ", ?");
    }
    this.insert = "WITH written AS (INSERT INTO " + grants + " (" + GrantRows.INSERT_COLUMNS
        + ") VALUES (" + values + ") ON CONFLICT DO NOTHING RETURNING id, version, state)"
        + logged(changes);
    this.compareAndSet = "WITH written AS (UPDATE " + grants + " g SET expires_at_s = ?, "
        + "expires_at_n = ?, uses_consumed = ?, state = ?, end_reason = ?, ended_at_s = ?, "
        + "ended_at_n = ?, version = g.version + 1 WHERE g.id = ? AND g.version = ? "
        + "AND g.state = 'ACTIVE' AND " + VISIBLE + " RETURNING g.id, g.version, g.state)"
        + logged(changes);
    this.get = select + "g.id = ? AND " + VISIBLE;
    this.byReference = select + "g.reference = ? AND " + VISIBLE;
    this.bySubject = select + byName("subject");
    this.byOwner = select + byName("owner");
    this.byTask = select + byName("task");
    this.byParent = select + "g.parent_id = ? AND " + VISIBLE;
    this.byParents = select + "g.parent_id = ANY(?::text[]) AND " + VISIBLE;
    String expired = "(g.expires_at_s, g.expires_at_n) <= (?, ?)";
    this.endChildren = "WITH found AS (SELECT c.id FROM unnest(?::text[]) AS p(id) CROSS JOIN "
        + "LATERAL (SELECT g.id FROM " + grants + " g WHERE g.parent_id = p.id AND g.state = "
        + "'ACTIVE' AND " + VISIBLE + " LIMIT ?) c LIMIT ?), "
        + "picked AS (SELECT g.id FROM " + grants + " g WHERE g.id = ANY(ARRAY(SELECT id FROM "
        + "found)) AND g.state = 'ACTIVE' ORDER BY g.id FOR UPDATE), written AS (UPDATE "
        + grants + " g SET state = CASE WHEN " + expired + " THEN ? ELSE ? END, "
        + "end_reason = CASE WHEN " + expired + " THEN ? ELSE ? END, "
        + "ended_at_s = ?, ended_at_n = ?, version = g.version + 1 FROM picked p "
        + "WHERE g.id = p.id AND g.state = 'ACTIVE' RETURNING " + GrantRows.columns("g") + "), "
        + "change AS (INSERT INTO " + changes + " (grant_id, version, state, origin) "
        + "SELECT id, version, state, ?::text FROM written RETURNING revision), "
        + "notified AS (SELECT pg_notify(?, max(revision)::text) FROM change "
        + "HAVING count(*) > 0) SELECT f.n, e.* FROM (SELECT count(*) AS n FROM found) f "
        + "LEFT JOIN (SELECT " + GrantRows.columns("w") + " FROM written w, notified) e ON true";
    this.orphanParents = "SELECT DISTINCT g.parent_id FROM " + grants + " g WHERE g.state = "
        + "'ACTIVE' AND g.parent_id IS NOT NULL AND " + VISIBLE + " AND NOT EXISTS (SELECT 1 FROM "
        + grants + " p WHERE p.id = g.parent_id AND p.state = 'ACTIVE' AND "
        + "(p.retained_from_s, p.retained_from_n) > (?, ?)) LIMIT ?";
    String order = " ORDER BY g.expires_at_s, g.expires_at_n, g.id LIMIT ?";
    this.activeFirst = select + "g.state = 'ACTIVE' AND " + VISIBLE + order;
    this.activeAfter = select + "g.state = 'ACTIVE' AND (g.expires_at_s, g.expires_at_n, g.id) "
        + "> (?, ?, ?) AND " + VISIBLE + order;
    this.endedSince = select + "g.state <> 'ACTIVE' AND (g.ended_at_s, g.ended_at_n) >= (?, ?) "
        + "AND (g.ended_at_s, g.ended_at_n, g.id) > (?, ?, ?) AND " + VISIBLE
        + " ORDER BY g.ended_at_s, g.ended_at_n, g.id LIMIT ?";
    this.purge = "DELETE FROM " + grants + " WHERE id IN (SELECT g.id FROM " + grants + " g "
        + "WHERE (g.retained_from_s, g.retained_from_n) <= (?, ?) LIMIT ? FOR UPDATE SKIP LOCKED)";
  }

  /** A lookup by a name through its hash index, then the name itself. */
  private static String byName(String column) {
    return "hashtextextended(g." + column + ", 0) = hashtextextended(?, 0) AND g." + column
        + " = ? AND " + VISIBLE;
  }
}
