CREATE TABLE "dbs_checks" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"checked_on" date,
	"certificate_number" text NOT NULL,
	"level" text,
	"outcome" text,
	"update_service" boolean,
	"renewal_on" date,
	"decision_on" date,
	"decision" text,
	"reference" text DEFAULT '' NOT NULL,
	"reduced_at" timestamp with time zone,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dbs_checks_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "dbs_checks_reference" CHECK (length("dbs_checks"."reference") <= 40),
	CONSTRAINT "dbs_checks_certificate" CHECK (length("dbs_checks"."certificate_number") <= 20)
);
--> statement-breakpoint
CREATE TABLE "volunteer_hours" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"activity_id" uuid NOT NULL,
	"worked_on" date NOT NULL,
	"minutes" integer NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'submitted' NOT NULL,
	"question" text DEFAULT '' NOT NULL,
	"client_key" text NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "volunteer_hours_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "volunteer_hours_minutes" CHECK ("volunteer_hours"."minutes" > 0 AND "volunteer_hours"."minutes" <= 960),
	CONSTRAINT "volunteer_hours_status_check" CHECK ("volunteer_hours"."status" in ('submitted', 'approved', 'queried'))
);
--> statement-breakpoint
CREATE TABLE "volunteering_activities" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"key" text,
	"title_en" text NOT NULL,
	"title_pl" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"sort" integer DEFAULT 100 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "volunteering_activities_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "dbs_checks" ADD CONSTRAINT "dbs_checks_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dbs_checks" ADD CONSTRAINT "dbs_checks_tenant_id_member_id_members_tenant_id_id_fk" FOREIGN KEY ("tenant_id","member_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_hours" ADD CONSTRAINT "volunteer_hours_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_hours" ADD CONSTRAINT "volunteer_hours_tenant_id_member_id_members_tenant_id_id_fk" FOREIGN KEY ("tenant_id","member_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_hours" ADD CONSTRAINT "volunteer_hours_tenant_id_activity_id_volunteering_activities_tenant_id_id_fk" FOREIGN KEY ("tenant_id","activity_id") REFERENCES "public"."volunteering_activities"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteering_activities" ADD CONSTRAINT "volunteering_activities_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dbs_checks_member" ON "dbs_checks" USING btree ("tenant_id","member_id");--> statement-breakpoint
CREATE INDEX "dbs_checks_renewal" ON "dbs_checks" USING btree ("tenant_id","renewal_on");--> statement-breakpoint
CREATE UNIQUE INDEX "volunteer_hours_client_key" ON "volunteer_hours" USING btree ("tenant_id","member_id","client_key");--> statement-breakpoint
CREATE INDEX "volunteer_hours_member_day" ON "volunteer_hours" USING btree ("tenant_id","member_id","worked_on");--> statement-breakpoint
CREATE INDEX "volunteer_hours_status" ON "volunteer_hours" USING btree ("tenant_id","status");--> statement-breakpoint
CREATE INDEX "volunteer_hours_approved" ON "volunteer_hours" USING btree ("tenant_id","member_id","minutes","worked_on") WHERE "volunteer_hours"."status" = 'approved';--> statement-breakpoint
CREATE UNIQUE INDEX "volunteering_activities_key" ON "volunteering_activities" USING btree ("tenant_id","key");