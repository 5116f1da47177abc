-- JIT Access on PostgreSQL, schema version 4: the source a grant's request came from.
--
-- Fixed at issue; NULL for grants minted without one (and every grant written before this
-- version). A grant with a source is pinned to it by the source-pinning anomaly detector.

ALTER TABLE "${schema}".grants ADD COLUMN source text COLLATE "C";
