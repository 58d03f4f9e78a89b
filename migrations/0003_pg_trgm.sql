-- Trigram indexes make the coordinators' "name or email contains …" search fast (pg_trgm is a
-- trusted extension: the database owner may create it; PGlite loads it at open).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
