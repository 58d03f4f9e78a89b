CREATE TABLE "comm_ballot_box" (
	"tenant_id" uuid NOT NULL,
	"round_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"sealed" text NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL,
	CONSTRAINT "comm_ballot_box_tenant_id_round_id_id_pk" PRIMARY KEY("tenant_id","round_id","id")
);
--> statement-breakpoint
CREATE TABLE "comm_contracts" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"round_id" uuid NOT NULL,
	"proposal_id" uuid NOT NULL,
	"pot_id" uuid NOT NULL,
	"provider_id" uuid,
	"provider_name" text NOT NULL,
	"value_pence" bigint NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"indicators" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"create_key" text NOT NULL,
	"signed_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"close_reason" text DEFAULT '' NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "comm_contracts_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "comm_contracts_value" CHECK ("comm_contracts"."value_pence" > 0),
	CONSTRAINT "comm_contracts_dates" CHECK ("comm_contracts"."ends_on" >= "comm_contracts"."starts_on"),
	CONSTRAINT "comm_contracts_status" CHECK ("comm_contracts"."status" in ('draft', 'signed', 'completed', 'terminated')),
	CONSTRAINT "comm_contracts_signed" CHECK ("comm_contracts"."status" = 'draft' OR "comm_contracts"."status" = 'terminated' OR "comm_contracts"."signed_at" IS NOT NULL)
);
--> statement-breakpoint
CREATE TABLE "comm_milestones" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"contract_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"title" text NOT NULL,
	"due_on" date NOT NULL,
	"amount_pence" bigint NOT NULL,
	"evidence" text DEFAULT '' NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL,
	CONSTRAINT "comm_milestones_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "comm_milestones_amount" CHECK ("comm_milestones"."amount_pence" > 0)
);
--> statement-breakpoint
CREATE TABLE "comm_payments" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"contract_id" uuid NOT NULL,
	"milestone_id" uuid NOT NULL,
	"amount_pence" bigint NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'requested' NOT NULL,
	"requested_by" text NOT NULL,
	"requested_role" text NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"request_key" text NOT NULL,
	"decided_by" text,
	"decided_role" text,
	"decided_at" timestamp with time zone,
	"decide_key" text,
	"ledger_entry_id" uuid,
	"is_demo" boolean DEFAULT false NOT NULL,
	CONSTRAINT "comm_payments_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "comm_payments_amount" CHECK ("comm_payments"."amount_pence" > 0),
	CONSTRAINT "comm_payments_status" CHECK ("comm_payments"."status" in ('requested', 'approved', 'declined')),
	CONSTRAINT "comm_payments_two_people" CHECK ("comm_payments"."status" <> 'approved' OR ("comm_payments"."decided_by" IS NOT NULL AND "comm_payments"."decided_by" <> "comm_payments"."requested_by" AND "comm_payments"."ledger_entry_id" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "comm_commissions" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"title" text NOT NULL,
	"brief" text NOT NULL,
	"commissioner_kind" text NOT NULL,
	"commissioner_name" text NOT NULL,
	"provider_id" uuid,
	"contact_name" text DEFAULT '' NOT NULL,
	"contact_email" text DEFAULT '' NOT NULL,
	"price_pence" bigint NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"pot_id" uuid NOT NULL,
	"status" text DEFAULT 'enquiry' NOT NULL,
	"status_note" text DEFAULT '' NOT NULL,
	"agreed_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "comm_commissions_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "comm_commissions_price" CHECK ("comm_commissions"."price_pence" > 0),
	CONSTRAINT "comm_commissions_dates" CHECK ("comm_commissions"."ends_on" >= "comm_commissions"."starts_on"),
	CONSTRAINT "comm_commissions_status" CHECK ("comm_commissions"."status" in ('enquiry', 'quoted', 'agreed', 'in_progress', 'delivered', 'closed', 'declined', 'cancelled')),
	CONSTRAINT "comm_commissions_kind" CHECK ("comm_commissions"."commissioner_kind" in ('childrens_centre', 'council', 'school', 'health', 'voluntary', 'other'))
);
--> statement-breakpoint
CREATE TABLE "comm_deliverables" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"commission_id" uuid NOT NULL,
	"title" text NOT NULL,
	"due_on" date NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"link" text DEFAULT '' NOT NULL,
	"delivered_on" date,
	"position" integer DEFAULT 0 NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "comm_deliverables_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "comm_deliverables_status" CHECK ("comm_deliverables"."status" in ('pending', 'delivered') AND ("comm_deliverables"."status" = 'delivered') = ("comm_deliverables"."delivered_on" IS NOT NULL))
);
--> statement-breakpoint
ALTER TABLE "comm_ballot_box" ADD CONSTRAINT "comm_ballot_box_tenant_id_round_id_comm_rounds_tenant_id_id_fk" FOREIGN KEY ("tenant_id","round_id") REFERENCES "public"."comm_rounds"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comm_contracts" ADD CONSTRAINT "comm_contracts_tenant_id_proposal_id_comm_proposals_tenant_id_id_fk" FOREIGN KEY ("tenant_id","proposal_id") REFERENCES "public"."comm_proposals"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comm_contracts" ADD CONSTRAINT "comm_contracts_tenant_id_round_id_comm_rounds_tenant_id_id_fk" FOREIGN KEY ("tenant_id","round_id") REFERENCES "public"."comm_rounds"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comm_contracts" ADD CONSTRAINT "comm_contracts_tenant_id_pot_id_comm_pots_tenant_id_id_fk" FOREIGN KEY ("tenant_id","pot_id") REFERENCES "public"."comm_pots"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comm_milestones" ADD CONSTRAINT "comm_milestones_tenant_id_contract_id_comm_contracts_tenant_id_id_fk" FOREIGN KEY ("tenant_id","contract_id") REFERENCES "public"."comm_contracts"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comm_payments" ADD CONSTRAINT "comm_payments_tenant_id_contract_id_comm_contracts_tenant_id_id_fk" FOREIGN KEY ("tenant_id","contract_id") REFERENCES "public"."comm_contracts"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comm_payments" ADD CONSTRAINT "comm_payments_tenant_id_milestone_id_comm_milestones_tenant_id_id_fk" FOREIGN KEY ("tenant_id","milestone_id") REFERENCES "public"."comm_milestones"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comm_commissions" ADD CONSTRAINT "comm_commissions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comm_commissions" ADD CONSTRAINT "comm_commissions_tenant_id_pot_id_comm_pots_tenant_id_id_fk" FOREIGN KEY ("tenant_id","pot_id") REFERENCES "public"."comm_pots"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comm_deliverables" ADD CONSTRAINT "comm_deliverables_tenant_id_commission_id_comm_commissions_tenant_id_id_fk" FOREIGN KEY ("tenant_id","commission_id") REFERENCES "public"."comm_commissions"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "comm_contracts_proposal" ON "comm_contracts" USING btree ("tenant_id","proposal_id");--> statement-breakpoint
CREATE UNIQUE INDEX "comm_contracts_create_key" ON "comm_contracts" USING btree ("tenant_id","create_key");--> statement-breakpoint
CREATE UNIQUE INDEX "comm_milestones_position" ON "comm_milestones" USING btree ("tenant_id","contract_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "comm_payments_request_key" ON "comm_payments" USING btree ("tenant_id","request_key");--> statement-breakpoint
CREATE UNIQUE INDEX "comm_payments_decide_key" ON "comm_payments" USING btree ("tenant_id","decide_key");--> statement-breakpoint
CREATE INDEX "comm_payments_contract" ON "comm_payments" USING btree ("tenant_id","contract_id");--> statement-breakpoint
CREATE INDEX "comm_commissions_status" ON "comm_commissions" USING btree ("tenant_id","status");--> statement-breakpoint
CREATE INDEX "comm_deliverables_commission" ON "comm_deliverables" USING btree ("tenant_id","commission_id");