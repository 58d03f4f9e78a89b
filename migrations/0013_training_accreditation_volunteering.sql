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
CREATE TABLE "training_attendance" (
	"tenant_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"course_id" uuid NOT NULL,
	"session_date" date NOT NULL,
	"present" boolean NOT NULL,
	"marked_by" text NOT NULL,
	"marked_at" timestamp with time zone DEFAULT now() NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL,
	CONSTRAINT "training_attendance_tenant_id_session_id_member_id_pk" PRIMARY KEY("tenant_id","session_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "training_bookings" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"status" text NOT NULL,
	"queued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL,
	CONSTRAINT "training_bookings_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "training_bookings_status" CHECK ("training_bookings"."status" in ('booked', 'waitlisted'))
);
--> statement-breakpoint
CREATE TABLE "training_courses" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"key" text NOT NULL,
	"title" text NOT NULL,
	"title_pl" text,
	"description" text DEFAULT '' NOT NULL,
	"description_pl" text,
	"duration_minutes" integer NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "training_courses_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "training_courses_duration" CHECK ("training_courses"."duration_minutes" between 1 and 10080)
);
--> statement-breakpoint
CREATE TABLE "training_sessions" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"course_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"venue" text NOT NULL,
	"ward_id" uuid,
	"trainer_id" uuid,
	"capacity" integer NOT NULL,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"sequence" integer DEFAULT 0 NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "training_sessions_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "training_sessions_capacity" CHECK ("training_sessions"."capacity" between 1 and 500),
	CONSTRAINT "training_sessions_times" CHECK ("training_sessions"."ends_at" > "training_sessions"."starts_at"),
	CONSTRAINT "training_sessions_status" CHECK ("training_sessions"."status" in ('scheduled', 'cancelled'))
);
--> statement-breakpoint
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
ALTER TABLE "qualification_kind_courses" ADD CONSTRAINT "qualification_kind_courses_tenant_id_kind_id_qualification_kinds_tenant_id_id_fk" FOREIGN KEY ("tenant_id","kind_id") REFERENCES "public"."qualification_kinds"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qualification_kinds" ADD CONSTRAINT "qualification_kinds_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qualifications" ADD CONSTRAINT "qualifications_tenant_id_member_id_members_tenant_id_id_fk" FOREIGN KEY ("tenant_id","member_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qualifications" ADD CONSTRAINT "qualifications_tenant_id_kind_id_qualification_kinds_tenant_id_id_fk" FOREIGN KEY ("tenant_id","kind_id") REFERENCES "public"."qualification_kinds"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_attendance" ADD CONSTRAINT "training_attendance_tenant_id_session_id_training_sessions_tenant_id_id_fk" FOREIGN KEY ("tenant_id","session_id") REFERENCES "public"."training_sessions"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_attendance" ADD CONSTRAINT "training_attendance_tenant_id_member_id_members_tenant_id_id_fk" FOREIGN KEY ("tenant_id","member_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_bookings" ADD CONSTRAINT "training_bookings_tenant_id_session_id_training_sessions_tenant_id_id_fk" FOREIGN KEY ("tenant_id","session_id") REFERENCES "public"."training_sessions"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_bookings" ADD CONSTRAINT "training_bookings_tenant_id_member_id_members_tenant_id_id_fk" FOREIGN KEY ("tenant_id","member_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_courses" ADD CONSTRAINT "training_courses_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_sessions" ADD CONSTRAINT "training_sessions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_sessions" ADD CONSTRAINT "training_sessions_tenant_id_course_id_training_courses_tenant_id_id_fk" FOREIGN KEY ("tenant_id","course_id") REFERENCES "public"."training_courses"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_sessions" ADD CONSTRAINT "training_sessions_tenant_id_trainer_id_members_tenant_id_id_fk" FOREIGN KEY ("tenant_id","trainer_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dbs_checks" ADD CONSTRAINT "dbs_checks_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dbs_checks" ADD CONSTRAINT "dbs_checks_tenant_id_member_id_members_tenant_id_id_fk" FOREIGN KEY ("tenant_id","member_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_hours" ADD CONSTRAINT "volunteer_hours_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_hours" ADD CONSTRAINT "volunteer_hours_tenant_id_member_id_members_tenant_id_id_fk" FOREIGN KEY ("tenant_id","member_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_hours" ADD CONSTRAINT "volunteer_hours_tenant_id_activity_id_volunteering_activities_tenant_id_id_fk" FOREIGN KEY ("tenant_id","activity_id") REFERENCES "public"."volunteering_activities"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteering_activities" ADD CONSTRAINT "volunteering_activities_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "qualification_kind_courses_course" ON "qualification_kind_courses" USING btree ("tenant_id","course_key");--> statement-breakpoint
CREATE UNIQUE INDEX "qualification_kinds_key" ON "qualification_kinds" USING btree ("tenant_id","key");--> statement-breakpoint
CREATE UNIQUE INDEX "qualifications_code" ON "qualifications" USING btree ("tenant_id","code");--> statement-breakpoint
CREATE UNIQUE INDEX "qualifications_course_session" ON "qualifications" USING btree ("tenant_id","member_id","kind_id","course_key","session_id") WHERE "qualifications"."session_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "qualifications_member" ON "qualifications" USING btree ("tenant_id","member_id","kind_id");--> statement-breakpoint
CREATE INDEX "qualifications_expiry" ON "qualifications" USING btree ("tenant_id","expires_on") WHERE "qualifications"."revoked_at" IS NULL;--> statement-breakpoint
CREATE INDEX "training_attendance_quarter" ON "training_attendance" USING btree ("tenant_id","session_date","member_id","session_id") WHERE "training_attendance"."present";--> statement-breakpoint
CREATE INDEX "training_attendance_member" ON "training_attendance" USING btree ("tenant_id","member_id");--> statement-breakpoint
CREATE UNIQUE INDEX "training_bookings_member" ON "training_bookings" USING btree ("tenant_id","session_id","member_id");--> statement-breakpoint
CREATE INDEX "training_bookings_of_member" ON "training_bookings" USING btree ("tenant_id","member_id");--> statement-breakpoint
CREATE UNIQUE INDEX "training_courses_key" ON "training_courses" USING btree ("tenant_id","key");--> statement-breakpoint
CREATE INDEX "training_sessions_starts" ON "training_sessions" USING btree ("tenant_id","starts_at");--> statement-breakpoint
CREATE INDEX "training_sessions_trainer" ON "training_sessions" USING btree ("tenant_id","trainer_id");--> statement-breakpoint
CREATE INDEX "dbs_checks_member" ON "dbs_checks" USING btree ("tenant_id","member_id");--> statement-breakpoint
CREATE INDEX "dbs_checks_renewal" ON "dbs_checks" USING btree ("tenant_id","renewal_on");--> statement-breakpoint
CREATE UNIQUE INDEX "volunteer_hours_client_key" ON "volunteer_hours" USING btree ("tenant_id","member_id","client_key");--> statement-breakpoint
CREATE INDEX "volunteer_hours_member_day" ON "volunteer_hours" USING btree ("tenant_id","member_id","worked_on");--> statement-breakpoint
CREATE INDEX "volunteer_hours_status" ON "volunteer_hours" USING btree ("tenant_id","status");--> statement-breakpoint
CREATE INDEX "volunteer_hours_approved" ON "volunteer_hours" USING btree ("tenant_id","member_id","minutes","worked_on") WHERE "volunteer_hours"."status" = 'approved';--> statement-breakpoint
CREATE UNIQUE INDEX "volunteering_activities_key" ON "volunteering_activities" USING btree ("tenant_id","key");