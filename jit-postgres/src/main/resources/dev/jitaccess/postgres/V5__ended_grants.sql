-- JIT Access on PostgreSQL, schema version 5: an index of the grants that ended, by when.
--
-- PostgresEndedGrants lists the grants that ended at or after a time in keyset pages on
-- (ended_at, id): what the teardown's reconciliation sweep reads. The retention index cannot
-- serve it, as it also holds every ACTIVE grant (by notAfter, mostly in the future), which a
-- scan from the start of the window would read through on every sweep. Partial: only grants
-- that left ACTIVE, whose ended_at is never NULL (grants_ending).

CREATE INDEX grants_ended ON "${schema}".grants (ended_at_s, ended_at_n, id)
    WHERE state <> 'ACTIVE';
