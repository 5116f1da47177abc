-- JIT Access governance on PostgreSQL, governance schema version 3: the teardown ledger
-- (PostgresTeardownLedger), one row per ended grant and downstream. Runs after
-- G2__bundles_and_recertification.sql, with the same conventions: ${schema} stands for the schema
-- name; instants are seconds (bigint) and nanoseconds (integer); names and text compare byte for
-- byte (COLLATE "C").

-- The first 23 columns are the ended grant's snapshot, every field of dev.jitaccess.Grant, named
-- and typed as in the grant store's grants table (the downstream is called with it long after the
-- grant store may have released the grant). The rest is the entry, dev.jitaccess.teardown
-- .TeardownEntry. A compare-and-set is one UPDATE ... WHERE id = ? AND downstream = ? AND
-- entry_version = ?.
CREATE TABLE "${schema}".teardown_entries (
  id              text COLLATE "C" NOT NULL,
  reference       text COLLATE "C" NOT NULL,
  subject         text COLLATE "C" NOT NULL,
  owner           text COLLATE "C" NOT NULL,
  task            text COLLATE "C" NOT NULL,
  purpose         text COLLATE "C" NOT NULL,
  scope           text COLLATE "C" NOT NULL,
  issued_at_s     bigint NOT NULL,
  issued_at_n     integer NOT NULL,
  expires_at_s    bigint NOT NULL,
  expires_at_n    integer NOT NULL,
  not_after_s     bigint NOT NULL,
  not_after_n     integer NOT NULL,
  parent_id       text COLLATE "C",
  use_budget      bigint,
  uses_consumed   bigint NOT NULL,
  version         bigint NOT NULL,
  state           text NOT NULL,
  end_reason      text NOT NULL,
  ended_at_s      bigint NOT NULL,
  ended_at_n      integer NOT NULL,
  tier            text COLLATE "C",
  request_id      text COLLATE "C",
  -- The entry. A downstream name matches [A-Za-z0-9][A-Za-z0-9._:-]{0,63}.
  downstream      text COLLATE "C" NOT NULL,
  teardown_state  text NOT NULL,
  entitlement     text COLLATE "C",
  attempts        integer NOT NULL,
  created_at_s    bigint NOT NULL,
  created_at_n    integer NOT NULL,
  updated_at_s    bigint NOT NULL,
  updated_at_n    integer NOT NULL,
  -- NULL exactly when the entry is settled.
  due_at_s        bigint,
  due_at_n        integer,
  lease_owner     text COLLATE "C",
  lease_until_s   bigint,
  lease_until_n   integer,
  cause           text COLLATE "C",
  retained_by     text COLLATE "C",
  actor           text COLLATE "C",
  entry_version   bigint NOT NULL,
  -- When the entry becomes claimable (TeardownEntry.claimableAt): its due time, or its lease's end
  -- if later; NULL when settled.
  claimable_s     bigint GENERATED ALWAYS AS (CASE WHEN lease_until_s IS NOT NULL
      AND (lease_until_s, lease_until_n) > (due_at_s, due_at_n) THEN lease_until_s
      ELSE due_at_s END) STORED,
  claimable_n     integer GENERATED ALWAYS AS (CASE WHEN lease_until_s IS NOT NULL
      AND (lease_until_s, lease_until_n) > (due_at_s, due_at_n) THEN lease_until_n
      ELSE due_at_n END) STORED,
  CONSTRAINT teardown_entries_pk PRIMARY KEY (id, downstream),
  CONSTRAINT teardown_entries_state CHECK (teardown_state IN
      ('PENDING', 'REVOKED', 'VERIFIED', 'IRREVOCABLE', 'RETAINED', 'CLOSED')),
  CONSTRAINT teardown_entries_grant_ended CHECK (state IN ('EXPIRED', 'REVOKED', 'EXHAUSTED')),
  CONSTRAINT teardown_entries_nanos CHECK (issued_at_n BETWEEN 0 AND 999999999
      AND expires_at_n BETWEEN 0 AND 999999999 AND not_after_n BETWEEN 0 AND 999999999
      AND ended_at_n BETWEEN 0 AND 999999999 AND created_at_n BETWEEN 0 AND 999999999
      AND updated_at_n BETWEEN 0 AND 999999999 AND due_at_n BETWEEN 0 AND 999999999
      AND lease_until_n BETWEEN 0 AND 999999999),
  CONSTRAINT teardown_entries_due CHECK ((due_at_s IS NULL) = (due_at_n IS NULL)),
  CONSTRAINT teardown_entries_lease CHECK ((lease_owner IS NULL) = (lease_until_s IS NULL)
      AND (lease_until_s IS NULL) = (lease_until_n IS NULL)
      AND (lease_owner IS NULL OR due_at_s IS NOT NULL)),
  CONSTRAINT teardown_entries_counts CHECK (attempts >= 0 AND entry_version >= 0
      AND uses_consumed >= 0 AND version >= 0)
);

-- claimDue: the due entries of one downstream by the time they become claimable, as one
-- UPDATE ... FROM (SELECT ... ORDER BY claimable LIMIT ? FOR UPDATE SKIP LOCKED) ... RETURNING.
CREATE INDEX teardown_entries_claimable ON "${schema}".teardown_entries
    (downstream, claimable_s, claimable_n, id) WHERE claimable_s IS NOT NULL;

-- lingering: the unsettled entries by the end of their grant.
CREATE INDEX teardown_entries_lingering ON "${schema}".teardown_entries
    (ended_at_s, ended_at_n, id, downstream) WHERE due_at_s IS NOT NULL;

-- deleteSettled: the settled entries by their last change.
CREATE INDEX teardown_entries_settled ON "${schema}".teardown_entries
    (updated_at_s, updated_at_n) WHERE due_at_s IS NULL;
