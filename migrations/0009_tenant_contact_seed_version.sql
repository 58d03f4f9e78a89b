ALTER TABLE "tenants" ADD COLUMN "contact_email" text;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "contact_address" text;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "seed_version" integer DEFAULT 0 NOT NULL;