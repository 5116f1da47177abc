-- JIT Access governance on PostgreSQL, governance schema version 2: pre-approved entitlement
-- bundles, their members and the grants minted from them (PostgresBundleStore), and
-- recertification decisions, lapses, notices and suspensions (PostgresRecertificationStore).
-- Runs after G1__governance.sql, with the same conventions: ${schema} stands for the schema name
-- (PostgresGovernanceSchema.apply replaces it; under Flyway or Liquibase, set a placeholder or
-- changelog parameter named schema); instants are seconds (bigint) and nanoseconds (integer);
-- names and text compare byte for byte (COLLATE "C"), as Java's String.equals does.

-- One row per bundle: every field of dev.jitaccess.governance.Bundle. A compare-and-set is one
-- UPDATE ... WHERE name = ? AND version = ?. Member changes of a bundle lock its row (FOR NO KEY
-- UPDATE) first, so that they run one after the other.
CREATE TABLE "${schema}".bundles (
  name            text COLLATE "C" NOT NULL,
  owner           text COLLATE "C" NOT NULL,
  approved_by     text COLLATE "C" NOT NULL,
  -- Scope.toString(): the permissions, sorted, separated by single spaces.
  scope           text COLLATE "C" NOT NULL,
  tier            text COLLATE "C" NOT NULL,
  starts_at_s     bigint NOT NULL,
  starts_at_n     integer NOT NULL,
  ends_at_s       bigint NOT NULL,
  ends_at_n       integer NOT NULL,
  created_at_s    bigint NOT NULL,
  created_at_n    integer NOT NULL,
  state           text NOT NULL,
  -- When it left ACTIVE: set exactly when it is ENDED or REVOKED.
  ended_at_s      bigint,
  ended_at_n      integer,
  version         bigint NOT NULL,
  CONSTRAINT bundles_pk PRIMARY KEY (name),
  CONSTRAINT bundles_state CHECK (state IN ('ACTIVE', 'ENDED', 'REVOKED')),
  CONSTRAINT bundles_nanos CHECK (starts_at_n BETWEEN 0 AND 999999999
      AND ends_at_n BETWEEN 0 AND 999999999 AND created_at_n BETWEEN 0 AND 999999999
      AND ended_at_n BETWEEN 0 AND 999999999),
  CONSTRAINT bundles_window CHECK ((ends_at_s, ends_at_n) > (starts_at_s, starts_at_n)),
  CONSTRAINT bundles_ended CHECK ((ended_at_s IS NULL) = (ended_at_n IS NULL)
      AND (state = 'ACTIVE') = (ended_at_s IS NULL)),
  CONSTRAINT bundles_version CHECK (version >= 0)
);

-- One row per member of a bundle. The primary key answers isMember and memberCount, makes adding
-- a member twice a no-op (INSERT ... SELECT unnest(?) ... ON CONFLICT DO NOTHING adds a bulk in
-- one statement and counts what it added), and finds what DELETE ... WHERE member = ANY(?)
-- removes.
CREATE TABLE "${schema}".bundle_members (
  bundle          text COLLATE "C" NOT NULL,
  member          text COLLATE "C" NOT NULL,
  CONSTRAINT bundle_members_pk PRIMARY KEY (bundle, member),
  CONSTRAINT bundle_members_bundle FOREIGN KEY (bundle)
      REFERENCES "${schema}".bundles (name) ON DELETE CASCADE
);

-- One row per grant minted from a bundle, kept after its member leaves (so that removing a member
-- can end its grants). grant_id is a secret, as the grants table's id is. The primary key is the
-- index of both lookups: a bundle's grants (its first column) and a member's (its first two).
CREATE TABLE "${schema}".bundle_grants (
  bundle          text COLLATE "C" NOT NULL,
  member          text COLLATE "C" NOT NULL,
  grant_id        text COLLATE "C" NOT NULL,
  CONSTRAINT bundle_grants_pk PRIMARY KEY (bundle, member, grant_id),
  CONSTRAINT bundle_grants_bundle FOREIGN KEY (bundle)
      REFERENCES "${schema}".bundles (name) ON DELETE CASCADE
);

-- The latest recertification decision per item (bundle:<name> or request:<id>): a decision
-- replaces the one before (INSERT ... ON CONFLICT (item) DO UPDATE); the audit trail keeps them
-- all.
CREATE TABLE "${schema}".recertification_decisions (
  item            text COLLATE "C" NOT NULL,
  reviewer        text COLLATE "C" NOT NULL,
  keep            boolean NOT NULL,
  note            text COLLATE "C" NOT NULL,
  at_s            bigint NOT NULL,
  at_n            integer NOT NULL,
  CONSTRAINT recertification_decisions_pk PRIMARY KEY (item),
  CONSTRAINT recertification_decisions_nanos CHECK (at_n BETWEEN 0 AND 999999999)
);

-- One row per lapsed recertification, and one per owner told one was due: the primary key on
-- (item, due time) makes of racing markLapsed (or markNoticed) calls on any replicas exactly one
-- insert a row, the one that answers true (INSERT ... ON CONFLICT DO NOTHING).
CREATE TABLE "${schema}".recertification_lapses (
  item            text COLLATE "C" NOT NULL,
  due_s           bigint NOT NULL,
  due_n           integer NOT NULL,
  CONSTRAINT recertification_lapses_pk PRIMARY KEY (item, due_s, due_n),
  CONSTRAINT recertification_lapses_nanos CHECK (due_n BETWEEN 0 AND 999999999)
);

CREATE TABLE "${schema}".recertification_notices (
  item            text COLLATE "C" NOT NULL,
  due_s           bigint NOT NULL,
  due_n           integer NOT NULL,
  CONSTRAINT recertification_notices_pk PRIMARY KEY (item, due_s, due_n),
  CONSTRAINT recertification_notices_nanos CHECK (due_n BETWEEN 0 AND 999999999)
);

-- One row per suspended item, until its next decision deletes it.
CREATE TABLE "${schema}".recertification_suspensions (
  item            text COLLATE "C" NOT NULL,
  CONSTRAINT recertification_suspensions_pk PRIMARY KEY (item)
);
