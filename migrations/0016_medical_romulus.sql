CREATE TABLE "bp_blueprints" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"service_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"pairs_with" uuid,
	"content" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bp_blueprints_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "bp_blueprints_kind" CHECK ("bp_blueprints"."kind" in ('current', 'future')),
	CONSTRAINT "bp_blueprints_version" CHECK ("bp_blueprints"."version" >= 1)
);
--> statement-breakpoint
CREATE TABLE "bp_comments" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"blueprint_id" uuid NOT NULL,
	"stage_id" text NOT NULL,
	"lane_id" text NOT NULL,
	"member_id" uuid NOT NULL,
	"body" text NOT NULL,
	"hidden_at" timestamp with time zone,
	"hidden_by" uuid,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bp_comments_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "bp_comments_body" CHECK (length("bp_comments"."body") between 1 and 2000)
);
--> statement-breakpoint
CREATE TABLE "bp_versions" (
	"tenant_id" uuid NOT NULL,
	"blueprint_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"title" text NOT NULL,
	"content" jsonb NOT NULL,
	"change" text NOT NULL,
	"author_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bp_versions_tenant_id_blueprint_id_version_pk" PRIMARY KEY("tenant_id","blueprint_id","version")
);
--> statement-breakpoint
ALTER TABLE "bp_blueprints" ADD CONSTRAINT "bp_blueprints_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bp_blueprints" ADD CONSTRAINT "bp_blueprints_tenant_id_service_id_res_services_tenant_id_id_fk" FOREIGN KEY ("tenant_id","service_id") REFERENCES "public"."res_services"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bp_blueprints" ADD CONSTRAINT "bp_blueprints_tenant_id_pairs_with_bp_blueprints_tenant_id_id_fk" FOREIGN KEY ("tenant_id","pairs_with") REFERENCES "public"."bp_blueprints"("tenant_id","id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bp_blueprints" ADD CONSTRAINT "bp_blueprints_tenant_id_created_by_members_tenant_id_id_fk" FOREIGN KEY ("tenant_id","created_by") REFERENCES "public"."members"("tenant_id","id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bp_comments" ADD CONSTRAINT "bp_comments_tenant_id_blueprint_id_bp_blueprints_tenant_id_id_fk" FOREIGN KEY ("tenant_id","blueprint_id") REFERENCES "public"."bp_blueprints"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bp_comments" ADD CONSTRAINT "bp_comments_tenant_id_member_id_members_tenant_id_id_fk" FOREIGN KEY ("tenant_id","member_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bp_comments" ADD CONSTRAINT "bp_comments_tenant_id_hidden_by_members_tenant_id_id_fk" FOREIGN KEY ("tenant_id","hidden_by") REFERENCES "public"."members"("tenant_id","id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bp_versions" ADD CONSTRAINT "bp_versions_tenant_id_blueprint_id_bp_blueprints_tenant_id_id_fk" FOREIGN KEY ("tenant_id","blueprint_id") REFERENCES "public"."bp_blueprints"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bp_versions" ADD CONSTRAINT "bp_versions_tenant_id_author_id_members_tenant_id_id_fk" FOREIGN KEY ("tenant_id","author_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bp_blueprints_service" ON "bp_blueprints" USING btree ("tenant_id","service_id");--> statement-breakpoint
CREATE INDEX "bp_comments_cell" ON "bp_comments" USING btree ("tenant_id","blueprint_id","stage_id","lane_id");--> statement-breakpoint
CREATE INDEX "bp_comments_member" ON "bp_comments" USING btree ("tenant_id","member_id");--> statement-breakpoint
CREATE INDEX "bp_versions_author" ON "bp_versions" USING btree ("tenant_id","author_id");