-- JIT Access governance on PostgreSQL, governance schema version 1: access requests, their
-- approvals and rejections, and break-glass locks. Versioned apart from the grant store's
-- V<n>__*.sql scripts (PostgresGovernanceSchema records it in governance_schema_version), so an
-- application that keeps grants in PostgreSQL without governance never creates these tables.
--
-- ${schema} stands for the schema name: a plain identifier ([a-z_][a-z0-9_]{0,62}), always
-- written quoted; it may be the grant store's schema, as no name here clashes with one there.
-- PostgresGovernanceSchema.apply replaces it; under Flyway or Liquibase, set a placeholder (or
-- changelog parameter) named schema. Needs PostgreSQL 13 or later and a database in UTF8.
--
-- Instants and durations are kept exactly, as seconds (bigint) and nanoseconds (integer):
-- timestamptz keeps microseconds. Names and text compare byte for byte (COLLATE "C"), as Java's
-- String.equals does.

CREATE SCHEMA IF NOT EXISTS "${schema}";

-- One row per access request: every field of dev.jitaccess.governance.AccessRequest but its
-- approvals and rejections, which are rows of the two tables after. A compare-and-set is one
-- UPDATE ... WHERE id = ? AND version = ?, then the request's approval and rejection rows
-- replaced, in one transaction.
CREATE TABLE "${schema}".access_requests (
  id              text COLLATE "C" NOT NULL,
  requester       text COLLATE "C" NOT NULL,
  issuer          text COLLATE "C",
  subject         text COLLATE "C" NOT NULL,
  owner           text COLLATE "C" NOT NULL,
  task            text COLLATE "C" NOT NULL,
  purpose         text COLLATE "C" NOT NULL,
  -- Scope.toString(): the permissions, sorted, separated by single spaces.
  scope           text COLLATE "C" NOT NULL,
  lifetime_s      bigint NOT NULL,
  lifetime_n      integer NOT NULL,
  tier            text COLLATE "C" NOT NULL,
  rule            text COLLATE "C" NOT NULL,
  justification   text COLLATE "C" NOT NULL,
  ticket          text COLLATE "C",
  start_at_s      bigint,
  start_at_n      integer,
  created_at_s    bigint NOT NULL,
  created_at_n    integer NOT NULL,
  expires_at_s    bigint NOT NULL,
  expires_at_n    integer NOT NULL,
  state           text NOT NULL,
  activate_by_s   bigint,
  activate_by_n   integer,
  -- The grant minted for it, once ACTIVE: a secret, as the grants table's id is.
  grant_id        text COLLATE "C",
  break_glass     boolean NOT NULL,
  review_due_s    bigint,
  review_due_n    integer,
  -- The review of a break-glass request: all four set, or none; reviewer NULL when MISSED.
  reviewer        text COLLATE "C",
  review_verdict  text,
  review_note     text COLLATE "C",
  review_at_s     bigint,
  review_at_n     integer,
  closed_at_s     bigint,
  closed_at_n     integer,
  version         bigint NOT NULL,
  -- AccessRequest.deadline(), written with every insert and compare-and-set: the expiry while
  -- PENDING, the end of the activation window while APPROVED, the review deadline of an
  -- unreviewed break-glass; otherwise NULL.
  deadline_s      bigint,
  deadline_n      integer,
  CONSTRAINT access_requests_pk PRIMARY KEY (id),
  CONSTRAINT access_requests_state CHECK (state IN
      ('PENDING', 'APPROVED', 'REJECTED', 'CANCELLED', 'EXPIRED', 'ACTIVE')),
  CONSTRAINT access_requests_verdict CHECK (review_verdict IN ('CONFIRMED', 'REJECTED', 'MISSED')),
  CONSTRAINT access_requests_nanos CHECK (lifetime_n BETWEEN 0 AND 999999999
      AND created_at_n BETWEEN 0 AND 999999999 AND expires_at_n BETWEEN 0 AND 999999999
      AND start_at_n BETWEEN 0 AND 999999999 AND activate_by_n BETWEEN 0 AND 999999999
      AND review_due_n BETWEEN 0 AND 999999999 AND review_at_n BETWEEN 0 AND 999999999
      AND closed_at_n BETWEEN 0 AND 999999999 AND deadline_n BETWEEN 0 AND 999999999),
  CONSTRAINT access_requests_pairs CHECK ((start_at_s IS NULL) = (start_at_n IS NULL)
      AND (activate_by_s IS NULL) = (activate_by_n IS NULL)
      AND (review_due_s IS NULL) = (review_due_n IS NULL)
      AND (closed_at_s IS NULL) = (closed_at_n IS NULL)
      AND (deadline_s IS NULL) = (deadline_n IS NULL)),
  CONSTRAINT access_requests_review CHECK ((review_verdict IS NULL) = (review_note IS NULL)
      AND (review_note IS NULL) = (review_at_s IS NULL)
      AND (review_at_s IS NULL) = (review_at_n IS NULL)
      AND (reviewer IS NULL OR review_verdict IS NOT NULL)),
  CONSTRAINT access_requests_grant CHECK ((state = 'ACTIVE') = (grant_id IS NOT NULL)),
  CONSTRAINT access_requests_version CHECK (version >= 0 AND lifetime_s >= 0)
);

-- due(now, limit): the requests with a deadline, oldest deadline first, one range scan.
CREATE INDEX access_requests_due ON "${schema}".access_requests (deadline_s, deadline_n, id)
    WHERE deadline_s IS NOT NULL;

-- pending(limit): the PENDING requests, oldest first.
CREATE INDEX access_requests_pending
    ON "${schema}".access_requests (created_at_s, created_at_n, id) WHERE state = 'PENDING';

-- A request's approvals, ordinal 0 the first.
CREATE TABLE "${schema}".access_request_approvals (
  request_id      text COLLATE "C" NOT NULL,
  ordinal         integer NOT NULL,
  approver        text COLLATE "C" NOT NULL,
  -- The team the approval counted for, or NULL.
  team            text COLLATE "C",
  at_s            bigint NOT NULL,
  at_n            integer NOT NULL,
  CONSTRAINT access_request_approvals_pk PRIMARY KEY (request_id, ordinal),
  CONSTRAINT access_request_approvals_request FOREIGN KEY (request_id)
      REFERENCES "${schema}".access_requests (id) ON DELETE CASCADE,
  CONSTRAINT access_request_approvals_values CHECK (ordinal >= 0 AND at_n BETWEEN 0 AND 999999999)
);

-- A request's rejections, ordinal 0 the first.
CREATE TABLE "${schema}".access_request_rejections (
  request_id      text COLLATE "C" NOT NULL,
  ordinal         integer NOT NULL,
  approver        text COLLATE "C" NOT NULL,
  reason          text COLLATE "C" NOT NULL,
  at_s            bigint NOT NULL,
  at_n            integer NOT NULL,
  CONSTRAINT access_request_rejections_pk PRIMARY KEY (request_id, ordinal),
  CONSTRAINT access_request_rejections_request FOREIGN KEY (request_id)
      REFERENCES "${schema}".access_requests (id) ON DELETE CASCADE,
  CONSTRAINT access_request_rejections_values CHECK (ordinal >= 0
      AND at_n BETWEEN 0 AND 999999999)
);

-- One row per locked subject: the primary key makes of racing locks exactly one. The request is
-- the break-glass whose review was missed; it is not a foreign key, so that a lock outlives the
-- request's row.
CREATE TABLE "${schema}".break_glass_locks (
  subject         text COLLATE "C" NOT NULL,
  owner           text COLLATE "C" NOT NULL,
  request_id      text COLLATE "C" NOT NULL,
  locked_at_s     bigint NOT NULL,
  locked_at_n     integer NOT NULL,
  CONSTRAINT break_glass_locks_pk PRIMARY KEY (subject),
  CONSTRAINT break_glass_locks_nanos CHECK (locked_at_n BETWEEN 0 AND 999999999)
);
