CREATE TABLE "intel_categories" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"key" text NOT NULL,
	"title" text NOT NULL,
	"title_pl" text,
	"description" text DEFAULT '' NOT NULL,
	"description_pl" text,
	"active" boolean DEFAULT true NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "intel_categories_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "intel_report_links" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"report_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"target_id" text,
	"label" text NOT NULL,
	"url" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "intel_report_links_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "intel_report_notes" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"report_id" uuid NOT NULL,
	"author_id" uuid,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "intel_report_notes_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "intel_reports" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"client_id" text NOT NULL,
	"content_hash" text NOT NULL,
	"reporter_id" uuid,
	"category_id" uuid NOT NULL,
	"ward_id" uuid NOT NULL,
	"observed_on" date NOT NULL,
	"observed_text" text,
	"families_estimate" integer DEFAULT 0 NOT NULL,
	"since" text DEFAULT 'unknown' NOT NULL,
	"source" text NOT NULL,
	"point_lon" real,
	"point_lat" real,
	"status" text DEFAULT 'new' NOT NULL,
	"merged_into" uuid,
	"is_demo" boolean DEFAULT false NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"text_stripped_at" timestamp with time zone,
	CONSTRAINT "intel_reports_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "intel_reports_status" CHECK ("intel_reports"."status" in ('new', 'reviewed', 'acted_on', 'closed')),
	CONSTRAINT "intel_reports_source" CHECK ("intel_reports"."source" in ('seen', 'residents', 'other_data')),
	CONSTRAINT "intel_reports_since" CHECK ("intel_reports"."since" in ('this_week', 'this_month', 'few_months', 'over_a_year', 'unknown')),
	CONSTRAINT "intel_reports_families" CHECK ("intel_reports"."families_estimate" >= 0 and "intel_reports"."families_estimate" <= 10000)
);
--> statement-breakpoint
CREATE TABLE "intel_settings" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"text_retention_months" integer DEFAULT 24 NOT NULL,
	"front_door_phone" text DEFAULT '' NOT NULL,
	"front_door_name" text DEFAULT '' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "intel_sync_status" (
	"tenant_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"last_sync_at" timestamp with time zone NOT NULL,
	"waiting_count" integer DEFAULT 0 NOT NULL,
	"refused_count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "intel_sync_status_tenant_id_member_id_pk" PRIMARY KEY("tenant_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "safeguarding_concerns" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"client_id" text NOT NULL,
	"content_hash" text NOT NULL,
	"reporter_id" uuid,
	"ward_id" uuid,
	"observed_text" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"handled_by" uuid,
	"handled_at" timestamp with time zone,
	"handling_note" text,
	"is_demo" boolean DEFAULT false NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "safeguarding_concerns_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "safeguarding_concerns_status" CHECK ("safeguarding_concerns"."status" in ('open', 'handled'))
);
--> statement-breakpoint
CREATE TABLE "ladder_eligibility" (
	"tenant_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"ward_id" uuid,
	"current_level_id" uuid,
	"next_level_id" uuid,
	"eligible" boolean NOT NULL,
	"missing" jsonb NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ladder_eligibility_tenant_id_member_id_pk" PRIMARY KEY("tenant_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "ladder_levels" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"number" integer NOT NULL,
	"title" text NOT NULL,
	"title_pl" text DEFAULT '' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"description_pl" text DEFAULT '' NOT NULL,
	"minutes_required" integer DEFAULT 0 NOT NULL,
	"dbs_required" boolean DEFAULT false NOT NULL,
	"sign_off_required" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ladder_levels_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "ladder_member_levels" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"level_id" uuid NOT NULL,
	"from_date" date NOT NULL,
	"to_date" date,
	"approved_by" text NOT NULL,
	"request_id" uuid,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ladder_member_levels_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "ladder_requirements" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"level_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"any_of" text[] NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "ladder_requirements_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "ladder_role_requirements" (
	"tenant_id" uuid NOT NULL,
	"role" text NOT NULL,
	"kind" text NOT NULL,
	"key" text NOT NULL,
	CONSTRAINT "ladder_role_requirements_tenant_id_role_kind_key_pk" PRIMARY KEY("tenant_id","role","kind","key")
);
--> statement-breakpoint
CREATE TABLE "ladder_sign_offs" (
	"tenant_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"level_id" uuid NOT NULL,
	"signed_by" text NOT NULL,
	"signed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL,
	CONSTRAINT "ladder_sign_offs_tenant_id_member_id_level_id_pk" PRIMARY KEY("tenant_id","member_id","level_id")
);
--> statement-breakpoint
CREATE TABLE "ladder_step_up_requests" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"from_level_id" uuid,
	"to_level_id" uuid NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by" text,
	"reason" text DEFAULT '' NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL,
	CONSTRAINT "ladder_step_up_requests_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "intel_categories" ADD CONSTRAINT "intel_categories_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intel_report_links" ADD CONSTRAINT "intel_report_links_tenant_id_report_id_intel_reports_tenant_id_id_fk" FOREIGN KEY ("tenant_id","report_id") REFERENCES "public"."intel_reports"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intel_report_links" ADD CONSTRAINT "intel_report_links_tenant_id_created_by_members_tenant_id_id_fk" FOREIGN KEY ("tenant_id","created_by") REFERENCES "public"."members"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intel_report_notes" ADD CONSTRAINT "intel_report_notes_tenant_id_report_id_intel_reports_tenant_id_id_fk" FOREIGN KEY ("tenant_id","report_id") REFERENCES "public"."intel_reports"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intel_report_notes" ADD CONSTRAINT "intel_report_notes_tenant_id_author_id_members_tenant_id_id_fk" FOREIGN KEY ("tenant_id","author_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intel_reports" ADD CONSTRAINT "intel_reports_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intel_reports" ADD CONSTRAINT "intel_reports_tenant_id_category_id_intel_categories_tenant_id_id_fk" FOREIGN KEY ("tenant_id","category_id") REFERENCES "public"."intel_categories"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intel_reports" ADD CONSTRAINT "intel_reports_tenant_id_ward_id_wards_tenant_id_id_fk" FOREIGN KEY ("tenant_id","ward_id") REFERENCES "public"."wards"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intel_reports" ADD CONSTRAINT "intel_reports_tenant_id_reporter_id_members_tenant_id_id_fk" FOREIGN KEY ("tenant_id","reporter_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intel_settings" ADD CONSTRAINT "intel_settings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intel_sync_status" ADD CONSTRAINT "intel_sync_status_tenant_id_member_id_members_tenant_id_id_fk" FOREIGN KEY ("tenant_id","member_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "safeguarding_concerns" ADD CONSTRAINT "safeguarding_concerns_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "safeguarding_concerns" ADD CONSTRAINT "safeguarding_concerns_tenant_id_reporter_id_members_tenant_id_id_fk" FOREIGN KEY ("tenant_id","reporter_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "safeguarding_concerns" ADD CONSTRAINT "safeguarding_concerns_tenant_id_ward_id_wards_tenant_id_id_fk" FOREIGN KEY ("tenant_id","ward_id") REFERENCES "public"."wards"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ladder_eligibility" ADD CONSTRAINT "ladder_eligibility_tenant_id_member_id_members_tenant_id_id_fk" FOREIGN KEY ("tenant_id","member_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ladder_levels" ADD CONSTRAINT "ladder_levels_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ladder_member_levels" ADD CONSTRAINT "ladder_member_levels_tenant_id_member_id_members_tenant_id_id_fk" FOREIGN KEY ("tenant_id","member_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ladder_member_levels" ADD CONSTRAINT "ladder_member_levels_tenant_id_level_id_ladder_levels_tenant_id_id_fk" FOREIGN KEY ("tenant_id","level_id") REFERENCES "public"."ladder_levels"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ladder_requirements" ADD CONSTRAINT "ladder_requirements_tenant_id_level_id_ladder_levels_tenant_id_id_fk" FOREIGN KEY ("tenant_id","level_id") REFERENCES "public"."ladder_levels"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ladder_role_requirements" ADD CONSTRAINT "ladder_role_requirements_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ladder_sign_offs" ADD CONSTRAINT "ladder_sign_offs_tenant_id_member_id_members_tenant_id_id_fk" FOREIGN KEY ("tenant_id","member_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ladder_sign_offs" ADD CONSTRAINT "ladder_sign_offs_tenant_id_level_id_ladder_levels_tenant_id_id_fk" FOREIGN KEY ("tenant_id","level_id") REFERENCES "public"."ladder_levels"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ladder_step_up_requests" ADD CONSTRAINT "ladder_step_up_requests_tenant_id_member_id_members_tenant_id_id_fk" FOREIGN KEY ("tenant_id","member_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ladder_step_up_requests" ADD CONSTRAINT "ladder_step_up_requests_tenant_id_to_level_id_ladder_levels_tenant_id_id_fk" FOREIGN KEY ("tenant_id","to_level_id") REFERENCES "public"."ladder_levels"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "intel_categories_key" ON "intel_categories" USING btree ("tenant_id","key");--> statement-breakpoint
CREATE INDEX "intel_report_links_report" ON "intel_report_links" USING btree ("tenant_id","report_id");--> statement-breakpoint
CREATE INDEX "intel_report_links_target" ON "intel_report_links" USING btree ("tenant_id","kind","target_id");--> statement-breakpoint
CREATE UNIQUE INDEX "intel_reports_client_id" ON "intel_reports" USING btree ("tenant_id","client_id");--> statement-breakpoint
CREATE INDEX "intel_reports_picture" ON "intel_reports" USING btree ("tenant_id","observed_on","ward_id","category_id");--> statement-breakpoint
CREATE INDEX "intel_reports_needs" ON "intel_reports" USING btree ("tenant_id","observed_on","ward_id","category_id","families_estimate","is_demo") WHERE "intel_reports"."merged_into" is null;--> statement-breakpoint
CREATE INDEX "intel_reports_inbox" ON "intel_reports" USING btree ("tenant_id","status","received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "safeguarding_concerns_client_id" ON "safeguarding_concerns" USING btree ("tenant_id","client_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ladder_levels_number" ON "ladder_levels" USING btree ("tenant_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "ladder_member_levels_open" ON "ladder_member_levels" USING btree ("tenant_id","member_id") WHERE "ladder_member_levels"."to_date" IS NULL;--> statement-breakpoint
CREATE INDEX "ladder_member_levels_member" ON "ladder_member_levels" USING btree ("tenant_id","member_id");--> statement-breakpoint
CREATE INDEX "ladder_requirements_level" ON "ladder_requirements" USING btree ("tenant_id","level_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ladder_step_up_pending" ON "ladder_step_up_requests" USING btree ("tenant_id","member_id") WHERE "ladder_step_up_requests"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "ladder_step_up_status" ON "ladder_step_up_requests" USING btree ("tenant_id","status","requested_at");