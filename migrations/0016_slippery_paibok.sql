CREATE TABLE "comm_ballots" (
	"tenant_id" uuid NOT NULL,
	"round_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"choices" jsonb NOT NULL,
	"receipt_hash" text NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL,
	CONSTRAINT "comm_ballots_tenant_id_round_id_id_pk" PRIMARY KEY("tenant_id","round_id","id")
);
--> statement-breakpoint
CREATE TABLE "comm_ledger" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"pot_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"amount_pence" bigint NOT NULL,
	"round_id" uuid,
	"proposal_id" uuid,
	"idempotency_key" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"created_by" text NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "comm_ledger_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "comm_ledger_amount" CHECK ("comm_ledger"."amount_pence" > 0),
	CONSTRAINT "comm_ledger_kind" CHECK ("comm_ledger"."kind" in ('income', 'allocation', 'commitment', 'payment'))
);
--> statement-breakpoint
CREATE TABLE "comm_pots" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"name_pl" text DEFAULT '' NOT NULL,
	"financial_year" text NOT NULL,
	"source" text NOT NULL,
	"funder" text DEFAULT '' NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "comm_pots_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "comm_pots_year" CHECK ("comm_pots"."financial_year" ~ '^[0-9]{4}-[0-9]{2}$'),
	CONSTRAINT "comm_pots_source" CHECK ("comm_pots"."source" in ('devolved_budget', 'grant', 'commission_income', 'other'))
);
--> statement-breakpoint
CREATE TABLE "comm_proposals" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"round_id" uuid,
	"title" text NOT NULL,
	"summary" text NOT NULL,
	"ward_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"cost_pence" bigint NOT NULL,
	"service_id" uuid,
	"provider_text" text DEFAULT '' NOT NULL,
	"report_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"finding_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"indicators" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"proposer_id" uuid,
	"eligibility" text DEFAULT 'pending' NOT NULL,
	"eligibility_reason" text DEFAULT '' NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "comm_proposals_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "comm_proposals_cost" CHECK ("comm_proposals"."cost_pence" > 0),
	CONSTRAINT "comm_proposals_eligibility" CHECK ("comm_proposals"."eligibility" in ('pending', 'eligible', 'ineligible'))
);
--> statement-breakpoint
CREATE TABLE "comm_rounds" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"title" text NOT NULL,
	"title_pl" text DEFAULT '' NOT NULL,
	"pot_id" uuid NOT NULL,
	"budget_pence" bigint NOT NULL,
	"phase" text DEFAULT 'proposals' NOT NULL,
	"ward_id" uuid,
	"ballot_type" text DEFAULT 'approval' NOT NULL,
	"max_choices" integer,
	"total_points" integer,
	"rule" text DEFAULT 'mes' NOT NULL,
	"completion" text DEFAULT 'add1_utilitarian' NOT NULL,
	"frozen" boolean DEFAULT false NOT NULL,
	"result" jsonb,
	"ballots_pb" text,
	"motion_id" uuid,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "comm_rounds_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "comm_rounds_phase" CHECK ("comm_rounds"."phase" in ('proposals', 'review', 'voting', 'counting', 'ratification', 'published')),
	CONSTRAINT "comm_rounds_ballot" CHECK (("comm_rounds"."ballot_type" = 'approval' AND "comm_rounds"."total_points" IS NULL AND ("comm_rounds"."max_choices" IS NULL OR "comm_rounds"."max_choices" > 0)) OR ("comm_rounds"."ballot_type" = 'points' AND "comm_rounds"."total_points" > 0 AND "comm_rounds"."max_choices" IS NULL)),
	CONSTRAINT "comm_rounds_rule" CHECK ("comm_rounds"."rule" in ('greedy', 'mes') AND "comm_rounds"."completion" in ('none', 'add1', 'add1_utilitarian', 'utilitarian') AND ("comm_rounds"."rule" = 'mes' OR "comm_rounds"."completion" = 'none')),
	CONSTRAINT "comm_rounds_budget" CHECK ("comm_rounds"."budget_pence" > 0),
	CONSTRAINT "comm_rounds_frozen" CHECK ("comm_rounds"."frozen" OR "comm_rounds"."phase" in ('proposals', 'review'))
);
--> statement-breakpoint
CREATE TABLE "comm_voters" (
	"tenant_id" uuid NOT NULL,
	"round_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL,
	CONSTRAINT "comm_voters_tenant_id_round_id_member_id_pk" PRIMARY KEY("tenant_id","round_id","member_id")
);
--> statement-breakpoint
ALTER TABLE "comm_ballots" ADD CONSTRAINT "comm_ballots_tenant_id_round_id_comm_rounds_tenant_id_id_fk" FOREIGN KEY ("tenant_id","round_id") REFERENCES "public"."comm_rounds"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comm_ledger" ADD CONSTRAINT "comm_ledger_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comm_ledger" ADD CONSTRAINT "comm_ledger_tenant_id_pot_id_comm_pots_tenant_id_id_fk" FOREIGN KEY ("tenant_id","pot_id") REFERENCES "public"."comm_pots"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comm_pots" ADD CONSTRAINT "comm_pots_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comm_proposals" ADD CONSTRAINT "comm_proposals_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comm_proposals" ADD CONSTRAINT "comm_proposals_tenant_id_round_id_comm_rounds_tenant_id_id_fk" FOREIGN KEY ("tenant_id","round_id") REFERENCES "public"."comm_rounds"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comm_proposals" ADD CONSTRAINT "comm_proposals_tenant_id_proposer_id_members_tenant_id_id_fk" FOREIGN KEY ("tenant_id","proposer_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comm_rounds" ADD CONSTRAINT "comm_rounds_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comm_rounds" ADD CONSTRAINT "comm_rounds_tenant_id_pot_id_comm_pots_tenant_id_id_fk" FOREIGN KEY ("tenant_id","pot_id") REFERENCES "public"."comm_pots"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comm_voters" ADD CONSTRAINT "comm_voters_tenant_id_round_id_comm_rounds_tenant_id_id_fk" FOREIGN KEY ("tenant_id","round_id") REFERENCES "public"."comm_rounds"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comm_voters" ADD CONSTRAINT "comm_voters_tenant_id_member_id_members_tenant_id_id_fk" FOREIGN KEY ("tenant_id","member_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "comm_ballots_receipt" ON "comm_ballots" USING btree ("tenant_id","round_id","receipt_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "comm_ledger_idempotency" ON "comm_ledger" USING btree ("tenant_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "comm_ledger_pot" ON "comm_ledger" USING btree ("tenant_id","pot_id","kind");--> statement-breakpoint
CREATE INDEX "comm_proposals_round" ON "comm_proposals" USING btree ("tenant_id","round_id");