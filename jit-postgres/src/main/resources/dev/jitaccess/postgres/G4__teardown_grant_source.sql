-- JIT Access governance on PostgreSQL, version 4: a teardown entry keeps its grant's source,
-- as grants do from the grant schema's version 4. NULL for entries written before.

ALTER TABLE "${schema}".teardown_entries ADD COLUMN source text COLLATE "C";
