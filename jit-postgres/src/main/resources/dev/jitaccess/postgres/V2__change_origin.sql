-- JIT Access on PostgreSQL, schema version 2: which store instance made each change.
--
-- origin is the random id of the PostgresGrantStore instance that wrote the change, so that a
-- follower can tell its own changes from the other replicas'. Changes written before this
-- version have none (NULL): a follower treats them as made elsewhere.

ALTER TABLE "${schema}".grant_changes ADD COLUMN origin text COLLATE "C";
