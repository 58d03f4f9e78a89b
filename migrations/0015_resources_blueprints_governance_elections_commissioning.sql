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
CREATE TABLE "gov_agenda_items" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"title" text NOT NULL,
	"title_pl" text,
	"body" text DEFAULT '' NOT NULL,
	CONSTRAINT "gov_agenda_items_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "gov_attendance" (
	"tenant_id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"mode" text NOT NULL,
	"proxy_holder_id" uuid,
	"recorded_by" uuid,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "gov_attendance_tenant_id_meeting_id_member_id_pk" PRIMARY KEY("tenant_id","meeting_id","member_id"),
	CONSTRAINT "gov_attendance_mode" CHECK ("gov_attendance"."mode" in ('in_person', 'online', 'apologies', 'proxy')),
	CONSTRAINT "gov_attendance_proxy" CHECK (("gov_attendance"."mode" = 'proxy') = ("gov_attendance"."proxy_holder_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "gov_decision_counters" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"last_number" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gov_decisions" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"number" integer NOT NULL,
	"decided_on" date NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"title_pl" text,
	"summary" text DEFAULT '' NOT NULL,
	"summary_pl" text,
	"meeting_id" uuid,
	"motion_id" uuid,
	"election_id" uuid,
	"outcome" text NOT NULL,
	"votes_for" integer,
	"votes_against" integer,
	"abstentions" integer,
	"rule" text DEFAULT '' NOT NULL,
	"refs" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "gov_decisions_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "gov_decisions_kind" CHECK ("gov_decisions"."kind" in ('resolution', 'election', 'budget_ratification', 'policy_adoption', 'other')),
	CONSTRAINT "gov_decisions_outcome" CHECK ("gov_decisions"."outcome" in ('carried', 'not_carried', 'elected', 'noted'))
);
--> statement-breakpoint
CREATE TABLE "gov_document_versions" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"document_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"body" text NOT NULL,
	"body_pl" text,
	"status" text DEFAULT 'draft' NOT NULL,
	"adopted_on" date,
	"adopted_by_motion_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "gov_document_versions_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "gov_document_versions_status" CHECK ("gov_document_versions"."status" in ('draft', 'adopted', 'superseded')),
	CONSTRAINT "gov_document_versions_adopted" CHECK ("gov_document_versions"."status" = 'draft' or "gov_document_versions"."adopted_on" is not null)
);
--> statement-breakpoint
CREATE TABLE "gov_documents" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"kind" text NOT NULL,
	"slug" text NOT NULL,
	"title" text NOT NULL,
	"title_pl" text,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "gov_documents_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "gov_documents_kind" CHECK ("gov_documents"."kind" in ('rules', 'safeguarding', 'data_protection', 'conflicts_of_interest', 'complaints', 'volunteer', 'other'))
);
--> statement-breakpoint
CREATE TABLE "gov_interests" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"description" text NOT NULL,
	"related_kind" text,
	"related_id" text,
	"declared_on" date NOT NULL,
	"ended_on" date,
	"is_demo" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "gov_interests_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "gov_meetings" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"title_pl" text,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"location" text DEFAULT '' NOT NULL,
	"online_url" text,
	"status" text DEFAULT 'draft' NOT NULL,
	"called_at" timestamp with time zone,
	"quorum_kind" text,
	"quorum_value" integer,
	"entitled_count" integer,
	"chair_id" uuid,
	"created_by" uuid,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "gov_meetings_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "gov_meetings_kind" CHECK ("gov_meetings"."kind" in ('board', 'general', 'agm')),
	CONSTRAINT "gov_meetings_status" CHECK ("gov_meetings"."status" in ('draft', 'called', 'held', 'cancelled')),
	CONSTRAINT "gov_meetings_order" CHECK ("gov_meetings"."ends_at" > "gov_meetings"."starts_at"),
	CONSTRAINT "gov_meetings_called" CHECK ("gov_meetings"."status" = 'draft' or "gov_meetings"."status" = 'cancelled' or "gov_meetings"."called_at" is not null)
);
--> statement-breakpoint
CREATE TABLE "gov_minutes" (
	"tenant_id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"body" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"drafted_by" uuid,
	"drafted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"approved_at_meeting_id" uuid,
	"approved_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	CONSTRAINT "gov_minutes_tenant_id_meeting_id_pk" PRIMARY KEY("tenant_id","meeting_id"),
	CONSTRAINT "gov_minutes_status" CHECK ("gov_minutes"."status" in ('draft', 'approved', 'published')),
	CONSTRAINT "gov_minutes_published" CHECK ("gov_minutes"."status" <> 'published' or ("gov_minutes"."approved_at" is not null and "gov_minutes"."published_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "gov_motion_ballots" (
	"tenant_id" uuid NOT NULL,
	"motion_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"choice" text NOT NULL,
	"receipt_hash" text NOT NULL,
	CONSTRAINT "gov_motion_ballots_tenant_id_motion_id_id_pk" PRIMARY KEY("tenant_id","motion_id","id"),
	CONSTRAINT "gov_motion_ballots_choice" CHECK ("gov_motion_ballots"."choice" in ('for', 'against', 'abstain'))
);
--> statement-breakpoint
CREATE TABLE "gov_motion_interests" (
	"tenant_id" uuid NOT NULL,
	"motion_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"declared_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "gov_motion_interests_tenant_id_motion_id_member_id_pk" PRIMARY KEY("tenant_id","motion_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "gov_motion_voters" (
	"tenant_id" uuid NOT NULL,
	"motion_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	CONSTRAINT "gov_motion_voters_tenant_id_motion_id_member_id_pk" PRIMARY KEY("tenant_id","motion_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "gov_motions" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"meeting_id" uuid,
	"item_id" uuid,
	"title" text NOT NULL,
	"title_pl" text,
	"body" text NOT NULL,
	"body_pl" text,
	"kind" text DEFAULT 'ordinary' NOT NULL,
	"threshold_pct" integer DEFAULT 50 NOT NULL,
	"voting" text DEFAULT 'in_meeting' NOT NULL,
	"electorate" text DEFAULT 'members' NOT NULL,
	"proposer_id" uuid,
	"proposer_name" text DEFAULT '' NOT NULL,
	"seconder_id" uuid,
	"seconder_name" text DEFAULT '' NOT NULL,
	"refers_kind" text,
	"refers_id" text,
	"refers_label" text,
	"refers_href" text,
	"opens_at" timestamp with time zone,
	"closes_at" timestamp with time zone,
	"status" text DEFAULT 'draft' NOT NULL,
	"votes_for" integer,
	"votes_against" integer,
	"abstentions" integer,
	"conflicted_count" integer DEFAULT 0 NOT NULL,
	"outcome" text,
	"decided_at" timestamp with time zone,
	"recorded_by" uuid,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "gov_motions_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "gov_motions_kind" CHECK ("gov_motions"."kind" in ('ordinary', 'special')),
	CONSTRAINT "gov_motions_voting" CHECK ("gov_motions"."voting" in ('in_meeting', 'secret_online')),
	CONSTRAINT "gov_motions_electorate" CHECK ("gov_motions"."electorate" in ('board', 'members')),
	CONSTRAINT "gov_motions_status" CHECK ("gov_motions"."status" in ('draft', 'open', 'closed', 'withdrawn')),
	CONSTRAINT "gov_motions_outcome" CHECK ("gov_motions"."outcome" is null or "gov_motions"."outcome" in ('carried', 'not_carried')),
	CONSTRAINT "gov_motions_threshold" CHECK ("gov_motions"."threshold_pct" between 50 and 100),
	CONSTRAINT "gov_motions_counts" CHECK (coalesce("gov_motions"."votes_for", 0) >= 0 and coalesce("gov_motions"."votes_against", 0) >= 0 and coalesce("gov_motions"."abstentions", 0) >= 0),
	CONSTRAINT "gov_motions_in_meeting" CHECK ("gov_motions"."voting" <> 'in_meeting' or "gov_motions"."meeting_id" is not null),
	CONSTRAINT "gov_motions_online_times" CHECK ("gov_motions"."voting" <> 'secret_online' or "gov_motions"."status" = 'draft' or ("gov_motions"."opens_at" is not null and "gov_motions"."closes_at" is not null and "gov_motions"."closes_at" > "gov_motions"."opens_at"))
);
--> statement-breakpoint
CREATE TABLE "gov_officers" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"office" text NOT NULL,
	"member_id" uuid,
	"holder_name" text NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date,
	"is_demo" boolean DEFAULT false NOT NULL,
	CONSTRAINT "gov_officers_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "gov_officers_office" CHECK ("gov_officers"."office" in ('chair', 'secretary', 'treasurer')),
	CONSTRAINT "gov_officers_order" CHECK ("gov_officers"."ends_on" is null or "gov_officers"."ends_on" >= "gov_officers"."starts_on")
);
--> statement-breakpoint
CREATE TABLE "gov_papers" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"item_id" uuid,
	"kind" text DEFAULT 'other' NOT NULL,
	"title" text NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"url" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "gov_papers_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "gov_papers_kind" CHECK ("gov_papers"."kind" in ('board_report', 'accounts_summary', 'other'))
);
--> statement-breakpoint
CREATE TABLE "gov_seats" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"kind" text NOT NULL,
	"label" text NOT NULL,
	"label_pl" text,
	"ward_id" uuid,
	"active" boolean DEFAULT true NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "gov_seats_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "gov_seats_kind" CHECK ("gov_seats"."kind" in ('elected_parent', 'co_opted', 'ward')),
	CONSTRAINT "gov_seats_ward" CHECK (("gov_seats"."kind" = 'ward') = ("gov_seats"."ward_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "gov_settings" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"society_name" text DEFAULT '' NOT NULL,
	"registration_number" text DEFAULT '' NOT NULL,
	"registered_on" date,
	"register_name" text DEFAULT 'FCA Mutuals Public Register' NOT NULL,
	"board_quorum_kind" text DEFAULT 'number' NOT NULL,
	"board_quorum_value" integer DEFAULT 3 NOT NULL,
	"general_quorum_kind" text DEFAULT 'share' NOT NULL,
	"general_quorum_value" integer DEFAULT 10 NOT NULL,
	"board_notice_days" integer DEFAULT 7 NOT NULL,
	"general_notice_days" integer DEFAULT 14 NOT NULL,
	"agm_notice_days" integer DEFAULT 21 NOT NULL,
	"special_threshold_pct" integer DEFAULT 75 NOT NULL,
	"proxies_allowed" boolean DEFAULT false NOT NULL,
	"rotation_denominator" integer DEFAULT 3 NOT NULL,
	"ward_seats" boolean DEFAULT false NOT NULL,
	"term_years" integer DEFAULT 3 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "gov_settings_quorum_kinds" CHECK ("gov_settings"."board_quorum_kind" in ('number', 'share') and "gov_settings"."general_quorum_kind" in ('number', 'share')),
	CONSTRAINT "gov_settings_quorum_values" CHECK ("gov_settings"."board_quorum_value" >= 1 and "gov_settings"."general_quorum_value" >= 1),
	CONSTRAINT "gov_settings_notice" CHECK ("gov_settings"."board_notice_days" >= 0 and "gov_settings"."general_notice_days" >= 0 and "gov_settings"."agm_notice_days" >= 0),
	CONSTRAINT "gov_settings_threshold" CHECK ("gov_settings"."special_threshold_pct" > 50 and "gov_settings"."special_threshold_pct" <= 100),
	CONSTRAINT "gov_settings_rotation" CHECK ("gov_settings"."rotation_denominator" >= 0),
	CONSTRAINT "gov_settings_term" CHECK ("gov_settings"."term_years" between 1 and 10)
);
--> statement-breakpoint
CREATE TABLE "gov_terms" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"seat_id" uuid NOT NULL,
	"member_id" uuid,
	"holder_name" text NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"source" text DEFAULT 'election' NOT NULL,
	"election_id" uuid,
	"ended_early_on" date,
	"role_granted_at" timestamp with time zone,
	"role_removed_at" timestamp with time zone,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "gov_terms_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "gov_terms_order" CHECK ("gov_terms"."ends_on" > "gov_terms"."starts_on"),
	CONSTRAINT "gov_terms_source" CHECK ("gov_terms"."source" in ('election', 'co_option', 'appointment'))
);
--> statement-breakpoint
CREATE TABLE "res_categories" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"key" text NOT NULL,
	"title" text NOT NULL,
	"title_pl" text,
	"oruk_term_id" text,
	"active" boolean DEFAULT true NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "res_categories_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "res_delivery" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"service_id" uuid NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"sessions" integer NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "res_delivery_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "res_delivery_sessions" CHECK ("res_delivery"."sessions" >= 0),
	CONSTRAINT "res_delivery_period_order" CHECK ("res_delivery"."period_end" >= "res_delivery"."period_start")
);
--> statement-breakpoint
CREATE TABLE "res_family_contacts" (
	"tenant_id" uuid NOT NULL,
	"service_id" uuid NOT NULL,
	"family_key" text NOT NULL,
	"key_version" integer DEFAULT 1 NOT NULL,
	"contact_on" date NOT NULL,
	"ward_id" uuid,
	"is_demo" boolean DEFAULT false NOT NULL,
	CONSTRAINT "res_family_contacts_tenant_id_service_id_family_key_contact_on_pk" PRIMARY KEY("tenant_id","service_id","family_key","contact_on"),
	CONSTRAINT "res_family_contacts_key_shape" CHECK ("res_family_contacts"."family_key" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "res_imports" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"kind" text NOT NULL,
	"file_name" text NOT NULL,
	"file_sha256" text NOT NULL,
	"rows_read" integer NOT NULL,
	"rows_added" integer NOT NULL,
	"rows_changed" integer NOT NULL,
	"rows_unchanged" integer NOT NULL,
	"imported_by" uuid,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "res_imports_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "res_imports_kind" CHECK ("res_imports"."kind" in ('services', 'spend', 'reach', 'contacts', 'openreferral'))
);
--> statement-breakpoint
CREATE TABLE "res_provider_staff" (
	"tenant_id" uuid NOT NULL,
	"provider_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"added_by" uuid,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "res_provider_staff_tenant_id_provider_id_member_id_pk" PRIMARY KEY("tenant_id","provider_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "res_providers" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"ref" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"website" text,
	"email" text,
	"phone" text,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "res_providers_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "res_providers_kind" CHECK ("res_providers"."kind" in ('childrens_centre', 'home_start', 'health', 'school', 'community_safety', 'voluntary', 'council', 'other'))
);
--> statement-breakpoint
CREATE TABLE "res_reach" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"service_id" uuid NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"ward_id" uuid NOT NULL,
	"attendances" integer NOT NULL,
	"families" integer NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "res_reach_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "res_reach_counts" CHECK ("res_reach"."attendances" >= 0 and "res_reach"."families" >= 0 and "res_reach"."families" <= "res_reach"."attendances"),
	CONSTRAINT "res_reach_period_order" CHECK ("res_reach"."period_end" >= "res_reach"."period_start")
);
--> statement-breakpoint
CREATE TABLE "res_scenario_changes" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"scenario_id" uuid NOT NULL,
	"service_id" uuid NOT NULL,
	"change_percent" integer DEFAULT 0 NOT NULL,
	"add_pence" bigint DEFAULT 0 NOT NULL,
	"families_per_1000" real,
	"note" text DEFAULT '' NOT NULL,
	CONSTRAINT "res_scenario_changes_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "res_scenario_changes_percent" CHECK ("res_scenario_changes"."change_percent" >= -100 and "res_scenario_changes"."change_percent" <= 1000),
	CONSTRAINT "res_scenario_changes_add" CHECK ("res_scenario_changes"."add_pence" >= 0)
);
--> statement-breakpoint
CREATE TABLE "res_scenarios" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"created_by" uuid,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "res_scenarios_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "res_scenarios_period_order" CHECK ("res_scenarios"."period_end" >= "res_scenarios"."period_start")
);
--> statement-breakpoint
CREATE TABLE "res_service_schedules" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"service_id" uuid NOT NULL,
	"weekday" integer NOT NULL,
	"opens_at" text NOT NULL,
	"closes_at" text NOT NULL,
	"frequency" text DEFAULT 'weekly' NOT NULL,
	"term_time_only" boolean DEFAULT false NOT NULL,
	CONSTRAINT "res_service_schedules_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "res_service_schedules_weekday" CHECK ("res_service_schedules"."weekday" between 1 and 7),
	CONSTRAINT "res_service_schedules_times" CHECK ("res_service_schedules"."opens_at" ~ '^[0-2][0-9]:[0-5][0-9]$' and "res_service_schedules"."closes_at" ~ '^[0-2][0-9]:[0-5][0-9]$' and "res_service_schedules"."opens_at" < "res_service_schedules"."closes_at"),
	CONSTRAINT "res_service_schedules_frequency" CHECK ("res_service_schedules"."frequency" in ('weekly', 'fortnightly', 'monthly', 'termly', 'on_demand'))
);
--> statement-breakpoint
CREATE TABLE "res_service_wards" (
	"tenant_id" uuid NOT NULL,
	"service_id" uuid NOT NULL,
	"ward_id" uuid NOT NULL,
	CONSTRAINT "res_service_wards_tenant_id_service_id_ward_id_pk" PRIMARY KEY("tenant_id","service_id","ward_id")
);
--> statement-breakpoint
CREATE TABLE "res_services" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"provider_id" uuid NOT NULL,
	"ref" text NOT NULL,
	"name" text NOT NULL,
	"name_pl" text,
	"description" text DEFAULT '' NOT NULL,
	"description_pl" text,
	"category_id" uuid NOT NULL,
	"tier" text NOT NULL,
	"target_group" text DEFAULT '' NOT NULL,
	"venue_name" text DEFAULT '' NOT NULL,
	"venue_address" text DEFAULT '' NOT NULL,
	"venue_postcode" text,
	"capacity" integer DEFAULT 0 NOT NULL,
	"evidence" text DEFAULT 'none' NOT NULL,
	"evidence_source" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"email" text,
	"phone" text,
	"url" text,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "res_services_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "res_services_tier" CHECK ("res_services"."tier" in ('universal', 'targeted', 'specialist', 'acute')),
	CONSTRAINT "res_services_evidence" CHECK ("res_services"."evidence" in ('none', 'some', 'good', 'strong')),
	CONSTRAINT "res_services_status" CHECK ("res_services"."status" in ('active', 'planned', 'decommissioned')),
	CONSTRAINT "res_services_capacity" CHECK ("res_services"."capacity" >= 0)
);
--> statement-breakpoint
CREATE TABLE "res_settings" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"family_key_secret" text NOT NULL,
	"family_key_version" integer DEFAULT 1 NOT NULL,
	"marginal_families_per_1000" real DEFAULT 2 NOT NULL,
	"marginal_evidence_at_most" text DEFAULT 'some' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "res_settings_evidence" CHECK ("res_settings"."marginal_evidence_at_most" in ('none', 'some', 'good', 'strong')),
	CONSTRAINT "res_settings_threshold" CHECK ("res_settings"."marginal_families_per_1000" >= 0)
);
--> statement-breakpoint
CREATE TABLE "res_spend" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"service_id" uuid NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"kind" text NOT NULL,
	"amount_pence" bigint NOT NULL,
	"funding_source" text DEFAULT '' NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "res_spend_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "res_spend_kind" CHECK ("res_spend"."kind" in ('staff', 'venue', 'materials', 'overheads', 'other')),
	CONSTRAINT "res_spend_amount" CHECK ("res_spend"."amount_pence" >= 0),
	CONSTRAINT "res_spend_period_order" CHECK ("res_spend"."period_end" >= "res_spend"."period_start")
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
ALTER TABLE "elec_ballots" ADD CONSTRAINT "elec_ballots_tenant_id_election_id_elec_elections_tenant_id_id_fk" FOREIGN KEY ("tenant_id","election_id") REFERENCES "public"."elec_elections"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "elec_candidates" ADD CONSTRAINT "elec_candidates_tenant_id_election_id_elec_elections_tenant_id_id_fk" FOREIGN KEY ("tenant_id","election_id") REFERENCES "public"."elec_elections"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "elec_candidates" ADD CONSTRAINT "elec_candidates_tenant_id_member_id_members_tenant_id_id_fk" FOREIGN KEY ("tenant_id","member_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "elec_elections" ADD CONSTRAINT "elec_elections_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "elec_voters" ADD CONSTRAINT "elec_voters_tenant_id_election_id_elec_elections_tenant_id_id_fk" FOREIGN KEY ("tenant_id","election_id") REFERENCES "public"."elec_elections"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "elec_voters" ADD CONSTRAINT "elec_voters_tenant_id_member_id_members_tenant_id_id_fk" FOREIGN KEY ("tenant_id","member_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_agenda_items" ADD CONSTRAINT "gov_agenda_items_tenant_id_meeting_id_gov_meetings_tenant_id_id_fk" FOREIGN KEY ("tenant_id","meeting_id") REFERENCES "public"."gov_meetings"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_attendance" ADD CONSTRAINT "gov_attendance_tenant_id_meeting_id_gov_meetings_tenant_id_id_fk" FOREIGN KEY ("tenant_id","meeting_id") REFERENCES "public"."gov_meetings"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_attendance" ADD CONSTRAINT "gov_attendance_tenant_id_member_id_members_tenant_id_id_fk" FOREIGN KEY ("tenant_id","member_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_attendance" ADD CONSTRAINT "gov_attendance_tenant_id_proxy_holder_id_members_tenant_id_id_fk" FOREIGN KEY ("tenant_id","proxy_holder_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_decision_counters" ADD CONSTRAINT "gov_decision_counters_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_decisions" ADD CONSTRAINT "gov_decisions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_decisions" ADD CONSTRAINT "gov_decisions_tenant_id_meeting_id_gov_meetings_tenant_id_id_fk" FOREIGN KEY ("tenant_id","meeting_id") REFERENCES "public"."gov_meetings"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_decisions" ADD CONSTRAINT "gov_decisions_tenant_id_motion_id_gov_motions_tenant_id_id_fk" FOREIGN KEY ("tenant_id","motion_id") REFERENCES "public"."gov_motions"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_document_versions" ADD CONSTRAINT "gov_document_versions_tenant_id_document_id_gov_documents_tenant_id_id_fk" FOREIGN KEY ("tenant_id","document_id") REFERENCES "public"."gov_documents"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_document_versions" ADD CONSTRAINT "gov_document_versions_tenant_id_created_by_members_tenant_id_id_fk" FOREIGN KEY ("tenant_id","created_by") REFERENCES "public"."members"("tenant_id","id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_documents" ADD CONSTRAINT "gov_documents_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_interests" ADD CONSTRAINT "gov_interests_tenant_id_member_id_members_tenant_id_id_fk" FOREIGN KEY ("tenant_id","member_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_meetings" ADD CONSTRAINT "gov_meetings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_meetings" ADD CONSTRAINT "gov_meetings_tenant_id_chair_id_members_tenant_id_id_fk" FOREIGN KEY ("tenant_id","chair_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_meetings" ADD CONSTRAINT "gov_meetings_tenant_id_created_by_members_tenant_id_id_fk" FOREIGN KEY ("tenant_id","created_by") REFERENCES "public"."members"("tenant_id","id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_minutes" ADD CONSTRAINT "gov_minutes_tenant_id_meeting_id_gov_meetings_tenant_id_id_fk" FOREIGN KEY ("tenant_id","meeting_id") REFERENCES "public"."gov_meetings"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_minutes" ADD CONSTRAINT "gov_minutes_tenant_id_approved_at_meeting_id_gov_meetings_tenant_id_id_fk" FOREIGN KEY ("tenant_id","approved_at_meeting_id") REFERENCES "public"."gov_meetings"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_minutes" ADD CONSTRAINT "gov_minutes_tenant_id_drafted_by_members_tenant_id_id_fk" FOREIGN KEY ("tenant_id","drafted_by") REFERENCES "public"."members"("tenant_id","id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_motion_ballots" ADD CONSTRAINT "gov_motion_ballots_tenant_id_motion_id_gov_motions_tenant_id_id_fk" FOREIGN KEY ("tenant_id","motion_id") REFERENCES "public"."gov_motions"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_motion_interests" ADD CONSTRAINT "gov_motion_interests_tenant_id_motion_id_gov_motions_tenant_id_id_fk" FOREIGN KEY ("tenant_id","motion_id") REFERENCES "public"."gov_motions"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_motion_interests" ADD CONSTRAINT "gov_motion_interests_tenant_id_member_id_members_tenant_id_id_fk" FOREIGN KEY ("tenant_id","member_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_motion_voters" ADD CONSTRAINT "gov_motion_voters_tenant_id_motion_id_gov_motions_tenant_id_id_fk" FOREIGN KEY ("tenant_id","motion_id") REFERENCES "public"."gov_motions"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_motion_voters" ADD CONSTRAINT "gov_motion_voters_tenant_id_member_id_members_tenant_id_id_fk" FOREIGN KEY ("tenant_id","member_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_motions" ADD CONSTRAINT "gov_motions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_motions" ADD CONSTRAINT "gov_motions_tenant_id_meeting_id_gov_meetings_tenant_id_id_fk" FOREIGN KEY ("tenant_id","meeting_id") REFERENCES "public"."gov_meetings"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_motions" ADD CONSTRAINT "gov_motions_tenant_id_item_id_gov_agenda_items_tenant_id_id_fk" FOREIGN KEY ("tenant_id","item_id") REFERENCES "public"."gov_agenda_items"("tenant_id","id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_motions" ADD CONSTRAINT "gov_motions_tenant_id_proposer_id_members_tenant_id_id_fk" FOREIGN KEY ("tenant_id","proposer_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_motions" ADD CONSTRAINT "gov_motions_tenant_id_seconder_id_members_tenant_id_id_fk" FOREIGN KEY ("tenant_id","seconder_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_officers" ADD CONSTRAINT "gov_officers_tenant_id_member_id_members_tenant_id_id_fk" FOREIGN KEY ("tenant_id","member_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_papers" ADD CONSTRAINT "gov_papers_tenant_id_meeting_id_gov_meetings_tenant_id_id_fk" FOREIGN KEY ("tenant_id","meeting_id") REFERENCES "public"."gov_meetings"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_papers" ADD CONSTRAINT "gov_papers_tenant_id_item_id_gov_agenda_items_tenant_id_id_fk" FOREIGN KEY ("tenant_id","item_id") REFERENCES "public"."gov_agenda_items"("tenant_id","id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_seats" ADD CONSTRAINT "gov_seats_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_seats" ADD CONSTRAINT "gov_seats_tenant_id_ward_id_wards_tenant_id_id_fk" FOREIGN KEY ("tenant_id","ward_id") REFERENCES "public"."wards"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_settings" ADD CONSTRAINT "gov_settings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_terms" ADD CONSTRAINT "gov_terms_tenant_id_seat_id_gov_seats_tenant_id_id_fk" FOREIGN KEY ("tenant_id","seat_id") REFERENCES "public"."gov_seats"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gov_terms" ADD CONSTRAINT "gov_terms_tenant_id_member_id_members_tenant_id_id_fk" FOREIGN KEY ("tenant_id","member_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "res_categories" ADD CONSTRAINT "res_categories_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "res_delivery" ADD CONSTRAINT "res_delivery_tenant_id_service_id_res_services_tenant_id_id_fk" FOREIGN KEY ("tenant_id","service_id") REFERENCES "public"."res_services"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "res_family_contacts" ADD CONSTRAINT "res_family_contacts_tenant_id_service_id_res_services_tenant_id_id_fk" FOREIGN KEY ("tenant_id","service_id") REFERENCES "public"."res_services"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "res_family_contacts" ADD CONSTRAINT "res_family_contacts_tenant_id_ward_id_wards_tenant_id_id_fk" FOREIGN KEY ("tenant_id","ward_id") REFERENCES "public"."wards"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "res_imports" ADD CONSTRAINT "res_imports_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "res_imports" ADD CONSTRAINT "res_imports_tenant_id_imported_by_members_tenant_id_id_fk" FOREIGN KEY ("tenant_id","imported_by") REFERENCES "public"."members"("tenant_id","id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "res_provider_staff" ADD CONSTRAINT "res_provider_staff_tenant_id_provider_id_res_providers_tenant_id_id_fk" FOREIGN KEY ("tenant_id","provider_id") REFERENCES "public"."res_providers"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "res_provider_staff" ADD CONSTRAINT "res_provider_staff_tenant_id_member_id_members_tenant_id_id_fk" FOREIGN KEY ("tenant_id","member_id") REFERENCES "public"."members"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "res_providers" ADD CONSTRAINT "res_providers_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "res_reach" ADD CONSTRAINT "res_reach_tenant_id_service_id_res_services_tenant_id_id_fk" FOREIGN KEY ("tenant_id","service_id") REFERENCES "public"."res_services"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "res_reach" ADD CONSTRAINT "res_reach_tenant_id_ward_id_wards_tenant_id_id_fk" FOREIGN KEY ("tenant_id","ward_id") REFERENCES "public"."wards"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "res_scenario_changes" ADD CONSTRAINT "res_scenario_changes_tenant_id_scenario_id_res_scenarios_tenant_id_id_fk" FOREIGN KEY ("tenant_id","scenario_id") REFERENCES "public"."res_scenarios"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "res_scenario_changes" ADD CONSTRAINT "res_scenario_changes_tenant_id_service_id_res_services_tenant_id_id_fk" FOREIGN KEY ("tenant_id","service_id") REFERENCES "public"."res_services"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "res_scenarios" ADD CONSTRAINT "res_scenarios_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "res_scenarios" ADD CONSTRAINT "res_scenarios_tenant_id_created_by_members_tenant_id_id_fk" FOREIGN KEY ("tenant_id","created_by") REFERENCES "public"."members"("tenant_id","id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "res_service_schedules" ADD CONSTRAINT "res_service_schedules_tenant_id_service_id_res_services_tenant_id_id_fk" FOREIGN KEY ("tenant_id","service_id") REFERENCES "public"."res_services"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "res_service_wards" ADD CONSTRAINT "res_service_wards_tenant_id_service_id_res_services_tenant_id_id_fk" FOREIGN KEY ("tenant_id","service_id") REFERENCES "public"."res_services"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "res_service_wards" ADD CONSTRAINT "res_service_wards_tenant_id_ward_id_wards_tenant_id_id_fk" FOREIGN KEY ("tenant_id","ward_id") REFERENCES "public"."wards"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "res_services" ADD CONSTRAINT "res_services_tenant_id_provider_id_res_providers_tenant_id_id_fk" FOREIGN KEY ("tenant_id","provider_id") REFERENCES "public"."res_providers"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "res_services" ADD CONSTRAINT "res_services_tenant_id_category_id_res_categories_tenant_id_id_fk" FOREIGN KEY ("tenant_id","category_id") REFERENCES "public"."res_categories"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "res_settings" ADD CONSTRAINT "res_settings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "res_spend" ADD CONSTRAINT "res_spend_tenant_id_service_id_res_services_tenant_id_id_fk" FOREIGN KEY ("tenant_id","service_id") REFERENCES "public"."res_services"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bp_blueprints_service" ON "bp_blueprints" USING btree ("tenant_id","service_id");--> statement-breakpoint
CREATE INDEX "bp_comments_cell" ON "bp_comments" USING btree ("tenant_id","blueprint_id","stage_id","lane_id");--> statement-breakpoint
CREATE INDEX "bp_comments_member" ON "bp_comments" USING btree ("tenant_id","member_id");--> statement-breakpoint
CREATE INDEX "bp_versions_author" ON "bp_versions" USING btree ("tenant_id","author_id");--> statement-breakpoint
CREATE UNIQUE INDEX "comm_ballots_receipt" ON "comm_ballots" USING btree ("tenant_id","round_id","receipt_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "comm_ledger_idempotency" ON "comm_ledger" USING btree ("tenant_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "comm_ledger_pot" ON "comm_ledger" USING btree ("tenant_id","pot_id","kind");--> statement-breakpoint
CREATE INDEX "comm_proposals_round" ON "comm_proposals" USING btree ("tenant_id","round_id");--> statement-breakpoint
CREATE UNIQUE INDEX "elec_ballots_receipt" ON "elec_ballots" USING btree ("tenant_id","election_id","receipt_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "elec_candidates_member" ON "elec_candidates" USING btree ("tenant_id","election_id","member_id");--> statement-breakpoint
CREATE INDEX "gov_agenda_items_meeting" ON "gov_agenda_items" USING btree ("tenant_id","meeting_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "gov_decisions_number" ON "gov_decisions" USING btree ("tenant_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "gov_decisions_motion" ON "gov_decisions" USING btree ("tenant_id","motion_id");--> statement-breakpoint
CREATE UNIQUE INDEX "gov_decisions_election" ON "gov_decisions" USING btree ("tenant_id","election_id");--> statement-breakpoint
CREATE INDEX "gov_decisions_date" ON "gov_decisions" USING btree ("tenant_id","decided_on");--> statement-breakpoint
CREATE UNIQUE INDEX "gov_document_versions_number" ON "gov_document_versions" USING btree ("tenant_id","document_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "gov_documents_slug" ON "gov_documents" USING btree ("tenant_id","slug");--> statement-breakpoint
CREATE INDEX "gov_interests_member" ON "gov_interests" USING btree ("tenant_id","member_id");--> statement-breakpoint
CREATE INDEX "gov_interests_related" ON "gov_interests" USING btree ("tenant_id","related_kind","related_id");--> statement-breakpoint
CREATE INDEX "gov_meetings_starts" ON "gov_meetings" USING btree ("tenant_id","starts_at");--> statement-breakpoint
CREATE UNIQUE INDEX "gov_motion_ballots_receipt" ON "gov_motion_ballots" USING btree ("tenant_id","motion_id","receipt_hash");--> statement-breakpoint
CREATE INDEX "gov_motions_meeting" ON "gov_motions" USING btree ("tenant_id","meeting_id");--> statement-breakpoint
CREATE INDEX "gov_motions_refers" ON "gov_motions" USING btree ("tenant_id","refers_kind","refers_id");--> statement-breakpoint
CREATE INDEX "gov_terms_dates" ON "gov_terms" USING btree ("tenant_id","starts_on","ends_on");--> statement-breakpoint
CREATE INDEX "gov_terms_member" ON "gov_terms" USING btree ("tenant_id","member_id");--> statement-breakpoint
CREATE UNIQUE INDEX "res_categories_key" ON "res_categories" USING btree ("tenant_id","key");--> statement-breakpoint
CREATE UNIQUE INDEX "res_delivery_period" ON "res_delivery" USING btree ("tenant_id","service_id","period_start","period_end");--> statement-breakpoint
CREATE INDEX "res_family_contacts_key" ON "res_family_contacts" USING btree ("tenant_id","key_version","family_key","contact_on");--> statement-breakpoint
CREATE INDEX "res_family_contacts_day" ON "res_family_contacts" USING btree ("tenant_id","contact_on");--> statement-breakpoint
CREATE INDEX "res_provider_staff_member" ON "res_provider_staff" USING btree ("tenant_id","member_id");--> statement-breakpoint
CREATE UNIQUE INDEX "res_providers_ref" ON "res_providers" USING btree ("tenant_id","ref");--> statement-breakpoint
CREATE UNIQUE INDEX "res_reach_line" ON "res_reach" USING btree ("tenant_id","service_id","period_start","period_end","ward_id");--> statement-breakpoint
CREATE INDEX "res_reach_period" ON "res_reach" USING btree ("tenant_id","period_start","period_end","ward_id","service_id","attendances","families");--> statement-breakpoint
CREATE UNIQUE INDEX "res_scenario_changes_service" ON "res_scenario_changes" USING btree ("tenant_id","scenario_id","service_id");--> statement-breakpoint
CREATE UNIQUE INDEX "res_scenarios_name" ON "res_scenarios" USING btree ("tenant_id","name");--> statement-breakpoint
CREATE INDEX "res_service_schedules_service" ON "res_service_schedules" USING btree ("tenant_id","service_id");--> statement-breakpoint
CREATE INDEX "res_service_wards_ward" ON "res_service_wards" USING btree ("tenant_id","ward_id");--> statement-breakpoint
CREATE UNIQUE INDEX "res_services_ref" ON "res_services" USING btree ("tenant_id","provider_id","ref");--> statement-breakpoint
CREATE INDEX "res_services_category" ON "res_services" USING btree ("tenant_id","category_id");--> statement-breakpoint
CREATE UNIQUE INDEX "res_spend_line" ON "res_spend" USING btree ("tenant_id","service_id","period_start","period_end","kind","funding_source");--> statement-breakpoint
CREATE INDEX "res_spend_period" ON "res_spend" USING btree ("tenant_id","period_start","period_end");