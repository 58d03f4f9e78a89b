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
ALTER TABLE "comm_commissions" ADD CONSTRAINT "comm_commissions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comm_commissions" ADD CONSTRAINT "comm_commissions_tenant_id_pot_id_comm_pots_tenant_id_id_fk" FOREIGN KEY ("tenant_id","pot_id") REFERENCES "public"."comm_pots"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "comm_deliverables" ADD CONSTRAINT "comm_deliverables_tenant_id_commission_id_comm_commissions_tenant_id_id_fk" FOREIGN KEY ("tenant_id","commission_id") REFERENCES "public"."comm_commissions"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "comm_commissions_status" ON "comm_commissions" USING btree ("tenant_id","status");--> statement-breakpoint
CREATE INDEX "comm_deliverables_commission" ON "comm_deliverables" USING btree ("tenant_id","commission_id");