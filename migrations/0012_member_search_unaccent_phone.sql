DROP INDEX "members_name_trgm";--> statement-breakpoint
CREATE INDEX "members_name_unaccent_trgm" ON "members" USING gin (f_unaccent(lower("name")) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "members_phone" ON "members" USING btree ("tenant_id","phone") WHERE "members"."phone" IS NOT NULL;