ALTER TABLE "members" ADD COLUMN "pending_email" text;--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "pending_email_requested_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "pending_email_accepted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "pending_phone" text;--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "pending_phone_requested_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "import_snapshot" jsonb;--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "imported_at" timestamp with time zone;