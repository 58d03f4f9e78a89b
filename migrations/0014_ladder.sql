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
CREATE UNIQUE INDEX "ladder_levels_number" ON "ladder_levels" USING btree ("tenant_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "ladder_member_levels_open" ON "ladder_member_levels" USING btree ("tenant_id","member_id") WHERE "ladder_member_levels"."to_date" IS NULL;--> statement-breakpoint
CREATE INDEX "ladder_member_levels_member" ON "ladder_member_levels" USING btree ("tenant_id","member_id");--> statement-breakpoint
CREATE INDEX "ladder_requirements_level" ON "ladder_requirements" USING btree ("tenant_id","level_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ladder_step_up_pending" ON "ladder_step_up_requests" USING btree ("tenant_id","member_id") WHERE "ladder_step_up_requests"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "ladder_step_up_status" ON "ladder_step_up_requests" USING btree ("tenant_id","status","requested_at");