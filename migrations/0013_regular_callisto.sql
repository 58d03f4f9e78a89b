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
ALTER TABLE "training_attendance" ADD CONSTRAINT "training_attendance_tenant_id_session_id_training_sessions_tenant_id_id_fk" FOREIGN KEY ("tenant_id","session_id") REFERENCES "public"."training_sessions"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_attendance" ADD CONSTRAINT "training_attendance_tenant_id_member_id_members_tenant_id_id_fk" FOREIGN KEY ("tenant_id","member_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_bookings" ADD CONSTRAINT "training_bookings_tenant_id_session_id_training_sessions_tenant_id_id_fk" FOREIGN KEY ("tenant_id","session_id") REFERENCES "public"."training_sessions"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_bookings" ADD CONSTRAINT "training_bookings_tenant_id_member_id_members_tenant_id_id_fk" FOREIGN KEY ("tenant_id","member_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_courses" ADD CONSTRAINT "training_courses_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_sessions" ADD CONSTRAINT "training_sessions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_sessions" ADD CONSTRAINT "training_sessions_tenant_id_course_id_training_courses_tenant_id_id_fk" FOREIGN KEY ("tenant_id","course_id") REFERENCES "public"."training_courses"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_sessions" ADD CONSTRAINT "training_sessions_tenant_id_trainer_id_members_tenant_id_id_fk" FOREIGN KEY ("tenant_id","trainer_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "training_attendance_quarter" ON "training_attendance" USING btree ("tenant_id","session_date","member_id","session_id") WHERE "training_attendance"."present";--> statement-breakpoint
CREATE INDEX "training_attendance_member" ON "training_attendance" USING btree ("tenant_id","member_id");--> statement-breakpoint
CREATE UNIQUE INDEX "training_bookings_member" ON "training_bookings" USING btree ("tenant_id","session_id","member_id");--> statement-breakpoint
CREATE INDEX "training_bookings_of_member" ON "training_bookings" USING btree ("tenant_id","member_id");--> statement-breakpoint
CREATE UNIQUE INDEX "training_courses_key" ON "training_courses" USING btree ("tenant_id","key");--> statement-breakpoint
CREATE INDEX "training_sessions_starts" ON "training_sessions" USING btree ("tenant_id","starts_at");--> statement-breakpoint
CREATE INDEX "training_sessions_trainer" ON "training_sessions" USING btree ("tenant_id","trainer_id");