-- JIT Access on PostgreSQL, schema version 1: the grants and their change log.
--
-- ${schema} stands for the schema name: a plain identifier ([a-z_][a-z0-9_]{0,62}), always
-- written quoted. PostgresSchema.apply replaces it; under Flyway or Liquibase, set a placeholder
-- (or changelog parameter) named schema. Needs PostgreSQL 13 or later (xid8) and a database
-- in UTF8 (names hold any Unicode character).
--
-- Instants are kept exactly, as epoch seconds (bigint) and nanoseconds (integer): timestamptz
-- keeps microseconds, and a grant's times have nanoseconds. Names compare byte for byte
-- (COLLATE "C"), as Java's String.equals does, and ids sort as Java sorts them.

CREATE SCHEMA IF NOT EXISTS "${schema}";

CREATE TABLE "${schema}".grants (
  id              text COLLATE "C" NOT NULL,
  -- GrantReference.of(id): how a token names its grant without its id.
  reference       text COLLATE "C" NOT NULL,
  subject         text COLLATE "C" NOT NULL,
  owner           text COLLATE "C" NOT NULL,
  task            text COLLATE "C" NOT NULL,
  purpose         text COLLATE "C" NOT NULL,
  -- Scope.toString(): the permissions, sorted, separated by single spaces.
  scope           text COLLATE "C" NOT NULL,
  issued_at_s     bigint NOT NULL,
  issued_at_n     integer NOT NULL,
  expires_at_s    bigint NOT NULL,
  expires_at_n    integer NOT NULL,
  not_after_s     bigint NOT NULL,
  not_after_n     integer NOT NULL,
  parent_id       text COLLATE "C",
  -- NULL: no use budget.
  use_budget      bigint,
  uses_consumed   bigint NOT NULL,
  version         bigint NOT NULL,
  state           text NOT NULL,
  end_reason      text,
  ended_at_s      bigint,
  ended_at_n      integer,
  -- Where the retention counts from: when the grant ended, or its notAfter while it is ACTIVE.
  retained_from_s bigint GENERATED ALWAYS AS (COALESCE(ended_at_s, not_after_s)) STORED,
  retained_from_n integer GENERATED ALWAYS AS
      (CASE WHEN ended_at_s IS NULL THEN not_after_n ELSE ended_at_n END) STORED,
  CONSTRAINT grants_pk PRIMARY KEY (id),
  CONSTRAINT grants_nanos CHECK (issued_at_n BETWEEN 0 AND 999999999
      AND expires_at_n BETWEEN 0 AND 999999999 AND not_after_n BETWEEN 0 AND 999999999
      AND (ended_at_n IS NULL OR ended_at_n BETWEEN 0 AND 999999999)),
  CONSTRAINT grants_state CHECK (state IN ('ACTIVE', 'EXPIRED', 'REVOKED', 'EXHAUSTED')),
  CONSTRAINT grants_ending CHECK ((state = 'ACTIVE') = (end_reason IS NULL)
      AND (end_reason IS NULL) = (ended_at_s IS NULL)
      AND (ended_at_s IS NULL) = (ended_at_n IS NULL)),
  CONSTRAINT grants_uses CHECK ((use_budget IS NULL OR use_budget > 0) AND uses_consumed >= 0
      AND version >= 0)
);

CREATE UNIQUE INDEX grants_reference ON "${schema}".grants (reference);

-- findActiveByExpiry: keyset pages in (expiresAt, id) order over the ACTIVE grants.
CREATE INDEX grants_active_by_expiry ON "${schema}".grants (expires_at_s, expires_at_n, id)
    WHERE state = 'ACTIVE';

-- findBySubject, findByOwner, findByTask. A name may be 1,024 characters of up to 4 bytes each,
-- more than a B-tree entry may hold (2,704 bytes), so these index a 64-bit hash of the name; the
-- queries also compare the name itself. A B-tree, not a hash index: it keeps many grants of one
-- owner or task compact.
CREATE INDEX grants_subject ON "${schema}".grants (hashtextextended(subject, 0));
CREATE INDEX grants_owner ON "${schema}".grants (hashtextextended(owner, 0));
CREATE INDEX grants_task ON "${schema}".grants (hashtextextended(task, 0));

-- findByParent: ids are at most 1,024 ASCII characters.
CREATE INDEX grants_parent ON "${schema}".grants (parent_id) WHERE parent_id IS NOT NULL;

-- The retention sweep.
CREATE INDEX grants_retention ON "${schema}".grants (retained_from_s, retained_from_n);

-- One row per insert and per successful compare-and-set, written in the same statement (so the
-- same transaction) as the grant, followed by NOTIFY "${schema}", '<revision>'.
CREATE TABLE "${schema}".grant_changes (
  -- Allocated when the row is written, not when its transaction commits: revisions may commit
  -- out of order. See GrantChangeLog.
  revision        bigint GENERATED ALWAYS AS IDENTITY,
  -- The writing transaction; a change is final once this is below the xmin of a snapshot.
  transaction_id  xid8 NOT NULL DEFAULT pg_current_xact_id(),
  grant_id        text COLLATE "C" NOT NULL,
  version         bigint NOT NULL,
  state           text NOT NULL,
  -- The database's clock, so that a follower can measure its lag against clock_timestamp().
  changed_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
  CONSTRAINT grant_changes_pk PRIMARY KEY (revision)
);

CREATE INDEX grant_changes_committed ON "${schema}".grant_changes (transaction_id, revision);
CREATE INDEX grant_changes_changed_at ON "${schema}".grant_changes (changed_at);
