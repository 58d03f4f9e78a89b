CREATE TABLE "elec_ballots" (
	"tenant_id" uuid NOT NULL,
	"election_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"ranking" jsonb NOT NULL,
	"receipt_hash" text NOT NULL,
	CONSTRAINT "elec_ballots_tenant_id_election_id_id_pk" PRIMARY KEY("tenant_id","election_id","id")
);
--> statement-breakpoint
CREATE TABLE "elec_candidates" (
	"tenant_id" uuid NOT NULL,
	"election_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"nominated_by" uuid,
	"statement_en" text,
	"statement_pl" text,
	"status" text DEFAULT 'proposed' NOT NULL,
	"ballot_name" text,
	"checked_by" uuid,
	"checked_at" timestamp with time zone,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "elec_candidates_tenant_id_election_id_id_pk" PRIMARY KEY("tenant_id","election_id","id"),
	CONSTRAINT "elec_candidates_status" CHECK ("elec_candidates"."status" in ('proposed', 'accepted', 'declined', 'withdrawn'))
);
--> statement-breakpoint
CREATE TABLE "elec_elections" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"title" text NOT NULL,
	"title_pl" text,
	"agm_on" date NOT NULL,
	"seats" integer NOT NULL,
	"term_starts_on" date,
	"term_ends_on" date,
	"status" text DEFAULT 'nominations' NOT NULL,
	"opens_at" timestamp with time zone NOT NULL,
	"closes_at" timestamp with time zone NOT NULL,
	"lot_seed" text NOT NULL,
	"result" jsonb,
	"counted_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "elec_elections_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "elec_elections_status" CHECK ("elec_elections"."status" in ('nominations', 'voting', 'counted', 'published')),
	CONSTRAINT "elec_elections_seats" CHECK ("elec_elections"."seats" >= 1),
	CONSTRAINT "elec_elections_window" CHECK ("elec_elections"."closes_at" > "elec_elections"."opens_at")
);
--> statement-breakpoint
CREATE TABLE "elec_voters" (
	"tenant_id" uuid NOT NULL,
	"election_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	CONSTRAINT "elec_voters_tenant_id_election_id_member_id_pk" PRIMARY KEY("tenant_id","election_id","member_id")
);
--> statement-breakpoint
ALTER TABLE "elec_ballots" ADD CONSTRAINT "elec_ballots_tenant_id_election_id_elec_elections_tenant_id_id_fk" FOREIGN KEY ("tenant_id","election_id") REFERENCES "public"."elec_elections"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "elec_candidates" ADD CONSTRAINT "elec_candidates_tenant_id_election_id_elec_elections_tenant_id_id_fk" FOREIGN KEY ("tenant_id","election_id") REFERENCES "public"."elec_elections"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "elec_candidates" ADD CONSTRAINT "elec_candidates_tenant_id_member_id_members_tenant_id_id_fk" FOREIGN KEY ("tenant_id","member_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "elec_elections" ADD CONSTRAINT "elec_elections_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "elec_voters" ADD CONSTRAINT "elec_voters_tenant_id_election_id_elec_elections_tenant_id_id_fk" FOREIGN KEY ("tenant_id","election_id") REFERENCES "public"."elec_elections"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "elec_voters" ADD CONSTRAINT "elec_voters_tenant_id_member_id_members_tenant_id_id_fk" FOREIGN KEY ("tenant_id","member_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "elec_ballots_receipt" ON "elec_ballots" USING btree ("tenant_id","election_id","receipt_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "elec_candidates_member" ON "elec_candidates" USING btree ("tenant_id","election_id","member_id");