CREATE TABLE "comm_ballot_box" (
	"tenant_id" uuid NOT NULL,
	"round_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"sealed" text NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL,
	CONSTRAINT "comm_ballot_box_tenant_id_round_id_id_pk" PRIMARY KEY("tenant_id","round_id","id")
);
--> statement-breakpoint
ALTER TABLE "comm_ballot_box" ADD CONSTRAINT "comm_ballot_box_tenant_id_round_id_comm_rounds_tenant_id_id_fk" FOREIGN KEY ("tenant_id","round_id") REFERENCES "public"."comm_rounds"("tenant_id","id") ON DELETE cascade ON UPDATE no action;