CREATE TABLE "qualification_kind_courses" (
	"tenant_id" uuid NOT NULL,
	"kind_id" uuid NOT NULL,
	"course_key" text NOT NULL,
	"relation" text NOT NULL,
	CONSTRAINT "qualification_kind_courses_tenant_id_kind_id_course_key_relation_pk" PRIMARY KEY("tenant_id","kind_id","course_key","relation"),
	CONSTRAINT "qualification_kind_courses_relation" CHECK ("qualification_kind_courses"."relation" in ('grants', 'requires', 'renews'))
);
--> statement-breakpoint
CREATE TABLE "qualification_kinds" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"key" text NOT NULL,
	"title" text NOT NULL,
	"title_pl" text,
	"description" text DEFAULT '' NOT NULL,
	"description_pl" text,
	"validity_months" integer,
	"reactivatable" boolean DEFAULT false NOT NULL,
	"reactivation_months" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "qualification_kinds_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "qualification_kinds_validity" CHECK ("qualification_kinds"."validity_months" IS NULL OR "qualification_kinds"."validity_months" BETWEEN 1 AND 600),
	CONSTRAINT "qualification_kinds_reactivation" CHECK ("qualification_kinds"."reactivation_months" IS NULL OR "qualification_kinds"."reactivation_months" BETWEEN 0 AND 600)
);
--> statement-breakpoint
CREATE TABLE "qualifications" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"kind_id" uuid NOT NULL,
	"issued_on" date NOT NULL,
	"expires_on" date,
	"source" text NOT NULL,
	"course_key" text,
	"session_id" text,
	"reason" text,
	"renewal_of" uuid,
	"code" text NOT NULL,
	"awarded_by" text NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by" text,
	"revoke_reason" text,
	"reminded_at" timestamp with time zone,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "qualifications_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "qualifications_source" CHECK ("qualifications"."source" in ('course', 'manual'))
);
--> statement-breakpoint
ALTER TABLE "qualification_kind_courses" ADD CONSTRAINT "qualification_kind_courses_tenant_id_kind_id_qualification_kinds_tenant_id_id_fk" FOREIGN KEY ("tenant_id","kind_id") REFERENCES "public"."qualification_kinds"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qualification_kinds" ADD CONSTRAINT "qualification_kinds_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qualifications" ADD CONSTRAINT "qualifications_tenant_id_member_id_members_tenant_id_id_fk" FOREIGN KEY ("tenant_id","member_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qualifications" ADD CONSTRAINT "qualifications_tenant_id_kind_id_qualification_kinds_tenant_id_id_fk" FOREIGN KEY ("tenant_id","kind_id") REFERENCES "public"."qualification_kinds"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "qualification_kind_courses_course" ON "qualification_kind_courses" USING btree ("tenant_id","course_key");--> statement-breakpoint
CREATE UNIQUE INDEX "qualification_kinds_key" ON "qualification_kinds" USING btree ("tenant_id","key");--> statement-breakpoint
CREATE UNIQUE INDEX "qualifications_code" ON "qualifications" USING btree ("tenant_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "qualifications_course_session" ON "qualifications" USING btree ("tenant_id","member_id","kind_id","course_key","session_id") WHERE "qualifications"."session_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "qualifications_member" ON "qualifications" USING btree ("tenant_id","member_id","kind_id");--> statement-breakpoint
CREATE INDEX "qualifications_expiry" ON "qualifications" USING btree ("tenant_id","expires_on") WHERE "qualifications"."revoked_at" IS NULL;