-- JIT Access on PostgreSQL, schema version 3: the risk tier and access request a grant came from.
--
-- Both are fixed at issue and NULL for grants minted without them (and for every grant written
-- before this version). The request id is indexed: an approval workflow finds the grants of a
-- request by it.

ALTER TABLE "${schema}".grants ADD COLUMN tier text COLLATE "C";
ALTER TABLE "${schema}".grants ADD COLUMN request_id text COLLATE "C";
CREATE INDEX grants_request_id ON "${schema}".grants (request_id) WHERE request_id IS NOT NULL;
