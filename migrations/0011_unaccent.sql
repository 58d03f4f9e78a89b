-- Accent-insensitive member search: "malgorzata" finds Małgorzata, "klos" finds Kłos (the default
-- unaccent.rules map ł → l on PostgreSQL 15 and on PGlite). unaccent is a trusted extension: the
-- database owner may create it; PGlite loads it at open.
CREATE EXTENSION IF NOT EXISTS unaccent;
--> statement-breakpoint
-- unaccent() is STABLE (it reads a dictionary found through search_path), so an index cannot use it.
-- This wrapper names the dictionary by schema, which makes it safe to declare IMMUTABLE.
CREATE OR REPLACE FUNCTION f_unaccent(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;
