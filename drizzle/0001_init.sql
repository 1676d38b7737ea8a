CREATE SCHEMA "audit";
--> statement-breakpoint
CREATE TABLE "organization_members" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" text NOT NULL,
	"school_id" uuid,
	"status" text DEFAULT 'active' NOT NULL,
	"invited_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organization_members_organization_id_user_id_role_key" UNIQUE("organization_id","user_id","role"),
	CONSTRAINT "organization_members_role_check" CHECK ("organization_members"."role" in ('org_admin', 'therapist', 'school_staff', 'guardian', 'student', 'billing')),
	CONSTRAINT "organization_members_status_check" CHECK ("organization_members"."status" in ('invited', 'active', 'suspended')),
	CONSTRAINT "organization_members_school_staff_school_check" CHECK ("organization_members"."role" <> 'school_staff' or "organization_members"."school_id" is not null)
);
--> statement-breakpoint
ALTER TABLE "organization_members" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "organizations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"org_type" text NOT NULL,
	"state_code" char(2),
	"timezone" text DEFAULT 'America/New_York' NOT NULL,
	"npi" text,
	"medicaid_provider_id" text,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "organizations_slug_key" UNIQUE("slug"),
	CONSTRAINT "organizations_name_check" CHECK (char_length(btrim("organizations"."name")) between 2 and 200),
	CONSTRAINT "organizations_slug_check" CHECK ("organizations"."slug" ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
	CONSTRAINT "organizations_org_type_check" CHECK ("organizations"."org_type" in ('school_district', 'charter_school', 'private_school', 'clinic', 'contract_agency')),
	CONSTRAINT "organizations_state_code_check" CHECK ("organizations"."state_code" ~ '^[A-Z]{2}$'),
	CONSTRAINT "organizations_npi_check" CHECK ("organizations"."npi" ~ '^\d{10}$'),
	CONSTRAINT "organizations_settings_check" CHECK (jsonb_typeof("organizations"."settings") = 'object')
);
--> statement-breakpoint
ALTER TABLE "organizations" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "profiles" (
	"id" uuid PRIMARY KEY NOT NULL,
	"display_name" text NOT NULL,
	"email" text,
	"phone" text,
	"avatar_path" text,
	"locale" text DEFAULT 'en' NOT NULL,
	"is_platform_admin" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deactivated_at" timestamp with time zone,
	CONSTRAINT "profiles_display_name_check" CHECK (char_length("profiles"."display_name") between 1 and 120),
	CONSTRAINT "profiles_phone_check" CHECK ("profiles"."phone" ~ '^\+[1-9]\d{6,14}$')
);
--> statement-breakpoint
ALTER TABLE "profiles" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "schools" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"name" text NOT NULL,
	"nces_school_id" text,
	"address" jsonb,
	"timezone" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "schools_organization_id_id_key" UNIQUE("organization_id","id"),
	CONSTRAINT "schools_organization_id_name_key" UNIQUE("organization_id","name"),
	CONSTRAINT "schools_name_check" CHECK (char_length(btrim("schools"."name")) between 2 and 200),
	CONSTRAINT "schools_nces_school_id_check" CHECK ("schools"."nces_school_id" ~ '^\d{12}$'),
	CONSTRAINT "schools_address_check" CHECK ("schools"."address" is null or jsonb_typeof("schools"."address") = 'object')
);
--> statement-breakpoint
ALTER TABLE "schools" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "guardians" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"user_id" uuid,
	"first_name" text NOT NULL,
	"last_name" text NOT NULL,
	"email" text,
	"phone" text,
	"preferred_language" text,
	"preferred_contact" text DEFAULT 'app' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "guardians_organization_id_id_key" UNIQUE("organization_id","id"),
	CONSTRAINT "guardians_organization_id_user_id_key" UNIQUE("organization_id","user_id"),
	CONSTRAINT "guardians_first_name_check" CHECK (char_length(btrim("guardians"."first_name")) between 1 and 100),
	CONSTRAINT "guardians_last_name_check" CHECK (char_length(btrim("guardians"."last_name")) between 1 and 100),
	CONSTRAINT "guardians_phone_check" CHECK ("guardians"."phone" ~ '^\+[1-9][0-9]{6,14}$'),
	CONSTRAINT "guardians_preferred_contact_check" CHECK ("guardians"."preferred_contact" in ('app', 'email', 'sms', 'phone'))
);
--> statement-breakpoint
ALTER TABLE "guardians" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "student_guardians" (
	"organization_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"guardian_id" uuid NOT NULL,
	"relationship" text NOT NULL,
	"is_primary" boolean DEFAULT false NOT NULL,
	"has_educational_rights" boolean DEFAULT true NOT NULL,
	"portal_access" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "student_guardians_pkey" PRIMARY KEY("student_id","guardian_id"),
	CONSTRAINT "student_guardians_relationship_check" CHECK ("student_guardians"."relationship" in ('mother', 'father', 'parent', 'grandparent', 'foster_parent', 'legal_guardian', 'educational_surrogate', 'other'))
);
--> statement-breakpoint
ALTER TABLE "student_guardians" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "students" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"school_id" uuid,
	"user_id" uuid,
	"local_student_id" text,
	"first_name" text NOT NULL,
	"last_name" text NOT NULL,
	"preferred_name" text,
	"date_of_birth" date NOT NULL,
	"grade_level" text,
	"primary_language" text,
	"eligibility" text DEFAULT 'iep' NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "students_organization_id_id_key" UNIQUE("organization_id","id"),
	CONSTRAINT "students_organization_id_local_student_id_key" UNIQUE("organization_id","local_student_id"),
	CONSTRAINT "students_user_id_key" UNIQUE("user_id"),
	CONSTRAINT "students_first_name_check" CHECK (char_length(btrim("students"."first_name")) between 1 and 100),
	CONSTRAINT "students_last_name_check" CHECK (char_length(btrim("students"."last_name")) between 1 and 100),
	CONSTRAINT "students_date_of_birth_check" CHECK ("students"."date_of_birth" > date '1995-01-01'),
	CONSTRAINT "students_grade_level_check" CHECK ("students"."grade_level" in ('PK', 'K', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', 'post')),
	CONSTRAINT "students_eligibility_check" CHECK ("students"."eligibility" in ('iep', '504', 'ifsp', 'rti', 'private_referral', 'none')),
	CONSTRAINT "students_status_check" CHECK ("students"."status" in ('referred', 'active', 'exited', 'transferred'))
);
--> statement-breakpoint
ALTER TABLE "students" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "supervision_assignments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"supervisor_id" uuid NOT NULL,
	"supervisee_id" uuid NOT NULL,
	"supervision_type" text NOT NULL,
	"active_during" daterange NOT NULL,
	"requires_cosign" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "supervision_assignments_supervision_type_check" CHECK ("supervision_assignments"."supervision_type" in ('slpa', 'clinical_fellowship', 'cota', 'pta', 'intern', 'peer_review')),
	CONSTRAINT "supervision_assignments_active_during_check" CHECK (not isempty("supervision_assignments"."active_during")),
	CONSTRAINT "supervision_assignments_no_self_supervision_check" CHECK ("supervision_assignments"."supervisor_id" <> "supervision_assignments"."supervisee_id")
);
--> statement-breakpoint
ALTER TABLE "supervision_assignments" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "therapists" (
	"id" uuid PRIMARY KEY NOT NULL,
	"discipline" text NOT NULL,
	"credential" text NOT NULL,
	"requires_supervision" boolean GENERATED ALWAYS AS (credential in ('SLP-CF', 'SLPA', 'COTA/L', 'PTA')) STORED,
	"npi" text,
	"license_number" text,
	"license_state" char(2),
	"license_expires_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "therapists_npi_key" UNIQUE("npi"),
	CONSTRAINT "therapists_discipline_check" CHECK ("therapists"."discipline" in ('slp', 'ot', 'pt', 'counseling', 'psychology', 'audiology')),
	CONSTRAINT "therapists_credential_check" CHECK ("therapists"."credential" in ('CCC-SLP', 'SLP-CF', 'SLPA', 'OTR/L', 'COTA/L', 'PT', 'PTA', 'LPC', 'LCSW', 'LMFT', 'NCSP', 'CCC-A', 'other')),
	CONSTRAINT "therapists_npi_check" CHECK ("therapists"."npi" ~ '^\d{10}$'),
	CONSTRAINT "therapists_license_state_check" CHECK ("therapists"."license_state" ~ '^[A-Z]{2}$'),
	CONSTRAINT "therapists_license_fields_check" CHECK (("therapists"."license_number" is null) = ("therapists"."license_state" is null))
);
--> statement-breakpoint
ALTER TABLE "therapists" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "caseload_assignments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"therapist_id" uuid NOT NULL,
	"discipline" text NOT NULL,
	"assignment_role" text DEFAULT 'primary' NOT NULL,
	"starts_on" date DEFAULT current_date NOT NULL,
	"ends_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "caseload_assignments_discipline_check" CHECK ("caseload_assignments"."discipline" in ('slp', 'ot', 'pt', 'counseling', 'psychology', 'audiology')),
	CONSTRAINT "caseload_assignments_assignment_role_check" CHECK ("caseload_assignments"."assignment_role" in ('primary', 'secondary', 'consult', 'evaluator')),
	CONSTRAINT "caseload_assignments_ends_after_starts_check" CHECK ("caseload_assignments"."ends_on" is null or "caseload_assignments"."ends_on" >= "caseload_assignments"."starts_on")
);
--> statement-breakpoint
ALTER TABLE "caseload_assignments" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "consents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"guardian_id" uuid,
	"consent_type" text NOT NULL,
	"scope" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"granted_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"revoked_reason" text,
	"signature_method" text NOT NULL,
	"document_id" uuid,
	"recorded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "consents_consent_type_check" CHECK ("consents"."consent_type" in ('evaluation', 'treatment', 'medicaid_billing', 'telehealth', 'release_of_information', 'messaging', 'media')),
	CONSTRAINT "consents_scope_check" CHECK (jsonb_typeof("consents"."scope") = 'object'),
	CONSTRAINT "consents_signature_method_check" CHECK ("consents"."signature_method" in ('wet_ink_scanned', 'e_signature', 'verbal_documented')),
	CONSTRAINT "consents_expires_after_granted_check" CHECK ("consents"."expires_at" is null or "consents"."expires_at" > "consents"."granted_at"),
	CONSTRAINT "consents_revoked_after_granted_check" CHECK ("consents"."revoked_at" is null or "consents"."revoked_at" >= "consents"."granted_at"),
	CONSTRAINT "consents_revocation_fields_check" CHECK (("consents"."revoked_at" is null) = ("consents"."revoked_reason" is null))
);
--> statement-breakpoint
ALTER TABLE "consents" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "service_mandates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"service_plan_id" uuid NOT NULL,
	"discipline" text NOT NULL,
	"session_type_id" uuid,
	"minutes_per_session" smallint NOT NULL,
	"sessions_per_period" smallint NOT NULL,
	"period" text NOT NULL,
	"delivery_setting" text NOT NULL,
	"group_size_max" smallint DEFAULT 1 NOT NULL,
	"effective_during" daterange NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_mandates_discipline_check" CHECK ("service_mandates"."discipline" in ('slp', 'ot', 'pt', 'counseling', 'psychology', 'audiology')),
	CONSTRAINT "service_mandates_minutes_per_session_check" CHECK ("service_mandates"."minutes_per_session" between 5 and 240),
	CONSTRAINT "service_mandates_sessions_per_period_check" CHECK ("service_mandates"."sessions_per_period" between 1 and 31),
	CONSTRAINT "service_mandates_period_check" CHECK ("service_mandates"."period" in ('week', 'month', 'quarter', 'year')),
	CONSTRAINT "service_mandates_delivery_setting_check" CHECK ("service_mandates"."delivery_setting" in ('pull_out', 'push_in', 'consult', 'telehealth')),
	CONSTRAINT "service_mandates_group_size_max_check" CHECK ("service_mandates"."group_size_max" between 1 and 8),
	CONSTRAINT "service_mandates_effective_during_check" CHECK (not isempty("service_mandates"."effective_during"))
);
--> statement-breakpoint
ALTER TABLE "service_mandates" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "service_plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"plan_type" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"meeting_date" date,
	"effective_during" daterange NOT NULL,
	"reevaluation_due_on" date,
	"source_document_id" uuid,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_plans_organization_id_id_key" UNIQUE("organization_id","id"),
	CONSTRAINT "service_plans_plan_type_check" CHECK ("service_plans"."plan_type" in ('iep', '504', 'ifsp', 'plan_of_care')),
	CONSTRAINT "service_plans_status_check" CHECK ("service_plans"."status" in ('draft', 'active', 'superseded', 'expired', 'closed')),
	CONSTRAINT "service_plans_effective_during_check" CHECK (not isempty("service_plans"."effective_during"))
);
--> statement-breakpoint
ALTER TABLE "service_plans" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "calendar_blackouts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"school_id" uuid,
	"therapist_id" uuid,
	"kind" text NOT NULL,
	"during" "tstzrange" NOT NULL,
	"note" text,
	CONSTRAINT "calendar_blackouts_kind_check" CHECK ("calendar_blackouts"."kind" in ('holiday', 'break', 'testing', 'early_release', 'pd_day', 'therapist_leave', 'closure')),
	CONSTRAINT "calendar_blackouts_during_check" CHECK (not isempty("calendar_blackouts"."during"))
);
--> statement-breakpoint
ALTER TABLE "calendar_blackouts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "session_participants" (
	"organization_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"service_mandate_id" uuid,
	"attendance" text DEFAULT 'expected' NOT NULL,
	"minutes_attended" smallint,
	"time_range" "tstzrange" DEFAULT 'empty' NOT NULL,
	"is_active" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "session_participants_pkey" PRIMARY KEY("session_id","student_id"),
	CONSTRAINT "session_participants_attendance_check" CHECK ("session_participants"."attendance" in ('expected', 'present', 'absent_excused', 'absent_unexcused', 'tardy', 'left_early')),
	CONSTRAINT "session_participants_minutes_attended_check" CHECK ("session_participants"."minutes_attended" between 0 and 240)
);
--> statement-breakpoint
ALTER TABLE "session_participants" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "session_series" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"therapist_id" uuid NOT NULL,
	"session_type_id" uuid NOT NULL,
	"school_id" uuid,
	"rrule" text NOT NULL,
	"local_start_time" time NOT NULL,
	"duration_minutes" smallint NOT NULL,
	"timezone" text NOT NULL,
	"active_during" daterange NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "session_series_rrule_check" CHECK ("session_series"."rrule" ~ '^FREQ=(DAILY|WEEKLY|MONTHLY)(\x3B[A-Z]+=[A-Za-z0-9,+-]+)*$'),
	CONSTRAINT "session_series_duration_minutes_check" CHECK ("session_series"."duration_minutes" between 5 and 240),
	CONSTRAINT "session_series_active_during_check" CHECK (not isempty("session_series"."active_during"))
);
--> statement-breakpoint
ALTER TABLE "session_series" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "session_types" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"discipline" text NOT NULL,
	"kind" text NOT NULL,
	"default_duration_minutes" smallint NOT NULL,
	"is_group" boolean DEFAULT false NOT NULL,
	"max_participants" smallint DEFAULT 1 NOT NULL,
	"default_billing_code_id" uuid,
	"is_billable" boolean DEFAULT true NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	CONSTRAINT "session_types_organization_id_code_key" UNIQUE("organization_id","code"),
	CONSTRAINT "session_types_organization_id_id_key" UNIQUE("organization_id","id"),
	CONSTRAINT "session_types_discipline_check" CHECK ("session_types"."discipline" in ('slp', 'ot', 'pt', 'counseling', 'psychology', 'audiology')),
	CONSTRAINT "session_types_kind_check" CHECK ("session_types"."kind" in ('therapy', 'evaluation', 'reevaluation', 'consultation', 'iep_meeting', 'screening')),
	CONSTRAINT "session_types_default_duration_minutes_check" CHECK ("session_types"."default_duration_minutes" between 5 and 240),
	CONSTRAINT "session_types_max_participants_check" CHECK ("session_types"."max_participants" between 1 and 8),
	CONSTRAINT "session_types_group_size_check" CHECK ("session_types"."is_group" or "session_types"."max_participants" = 1)
);
--> statement-breakpoint
ALTER TABLE "session_types" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "therapy_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"therapist_id" uuid NOT NULL,
	"session_type_id" uuid NOT NULL,
	"series_id" uuid,
	"school_id" uuid,
	"location" text,
	"delivery_mode" text DEFAULT 'in_person' NOT NULL,
	"start_time" timestamp with time zone NOT NULL,
	"end_time" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"cancellation_reason" text,
	"cancellation_note" text,
	"cancelled_by" uuid,
	"cancelled_at" timestamp with time zone,
	"makeup_for_session_id" uuid,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "therapy_sessions_organization_id_id_key" UNIQUE("organization_id","id"),
	CONSTRAINT "therapy_sessions_delivery_mode_check" CHECK ("therapy_sessions"."delivery_mode" in ('in_person', 'telehealth')),
	CONSTRAINT "therapy_sessions_status_check" CHECK ("therapy_sessions"."status" in ('scheduled', 'confirmed', 'in_progress', 'completed', 'cancelled', 'no_show')),
	CONSTRAINT "therapy_sessions_cancellation_reason_check" CHECK ("therapy_sessions"."cancellation_reason" in ('student_absent', 'therapist_absent', 'school_closure', 'student_unavailable', 'scheduling_conflict', 'guardian_request', 'weather', 'other')),
	CONSTRAINT "therapy_sessions_end_after_start_check" CHECK ("therapy_sessions"."end_time" > "therapy_sessions"."start_time"),
	CONSTRAINT "therapy_sessions_max_length_check" CHECK ("therapy_sessions"."end_time" - "therapy_sessions"."start_time" <= interval '4 hours'),
	CONSTRAINT "therapy_sessions_cancellation_fields_check" CHECK (("therapy_sessions"."status" = 'cancelled') = ("therapy_sessions"."cancellation_reason" is not null and "therapy_sessions"."cancelled_at" is not null and "therapy_sessions"."cancelled_by" is not null)),
	CONSTRAINT "therapy_sessions_cancellation_note_check" CHECK ("therapy_sessions"."cancellation_reason" is distinct from 'other' or "therapy_sessions"."cancellation_note" is not null)
);
--> statement-breakpoint
ALTER TABLE "therapy_sessions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "session_notes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"author_id" uuid NOT NULL,
	"amends_note_id" uuid,
	"note_format" text DEFAULT 'soap' NOT NULL,
	"subjective" text,
	"objective" text,
	"assessment" text,
	"plan" text,
	"structured" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"billable_minutes" smallint,
	"status" text DEFAULT 'draft' NOT NULL,
	"signed_at" timestamp with time zone,
	"signed_by" uuid,
	"cosigned_at" timestamp with time zone,
	"cosigned_by" uuid,
	"content_hash" text,
	"void_reason" text,
	"visible_to_guardian" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "session_notes_note_format_check" CHECK ("session_notes"."note_format" in ('soap', 'narrative', 'dap', 'evaluation')),
	CONSTRAINT "session_notes_structured_check" CHECK (jsonb_typeof("session_notes"."structured") = 'object'),
	CONSTRAINT "session_notes_billable_minutes_check" CHECK ("session_notes"."billable_minutes" between 0 and 240),
	CONSTRAINT "session_notes_status_check" CHECK ("session_notes"."status" in ('draft', 'pending_cosign', 'signed', 'void')),
	CONSTRAINT "session_notes_signature_fields_check" CHECK ("session_notes"."status" = 'draft' or ("session_notes"."signed_at" is not null and "session_notes"."signed_by" = "session_notes"."author_id" and "session_notes"."content_hash" is not null)),
	CONSTRAINT "session_notes_cosign_fields_check" CHECK (("session_notes"."cosigned_at" is null) = ("session_notes"."cosigned_by" is null)),
	CONSTRAINT "session_notes_cosigner_not_author_check" CHECK ("session_notes"."cosigned_by" is null or "session_notes"."cosigned_by" <> "session_notes"."author_id"),
	CONSTRAINT "session_notes_void_reason_check" CHECK (("session_notes"."status" = 'void') = ("session_notes"."void_reason" is not null))
);
--> statement-breakpoint
ALTER TABLE "session_notes" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "goal_observations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"goal_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"recorded_by" uuid NOT NULL,
	"trials_correct" smallint,
	"trials_total" smallint,
	"value" numeric(8, 2),
	"prompt_level" text,
	"note" text,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "goal_observations_prompt_level_check" CHECK ("goal_observations"."prompt_level" in ('independent', 'gestural', 'verbal', 'visual', 'model', 'partial_physical', 'full_physical')),
	CONSTRAINT "goal_observations_trials_check" CHECK ("goal_observations"."trials_total" is null or ("goal_observations"."trials_total" > 0 and "goal_observations"."trials_correct" between 0 and "goal_observations"."trials_total")),
	CONSTRAINT "goal_observations_value_check" CHECK ("goal_observations"."value" <> 'NaN'),
	CONSTRAINT "goal_observations_measurement_check" CHECK ("goal_observations"."trials_total" is not null or "goal_observations"."value" is not null)
);
--> statement-breakpoint
ALTER TABLE "goal_observations" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "goals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"service_plan_id" uuid,
	"parent_goal_id" uuid,
	"discipline" text NOT NULL,
	"domain" text NOT NULL,
	"goal_text" text NOT NULL,
	"baseline" text,
	"measurement_type" text NOT NULL,
	"target_value" numeric(7, 2),
	"mastery_criterion" text,
	"status" text DEFAULT 'active' NOT NULL,
	"target_date" date,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "goals_id_student_id_key" UNIQUE("id","student_id"),
	CONSTRAINT "goals_discipline_check" CHECK ("goals"."discipline" in ('slp', 'ot', 'pt', 'counseling', 'psychology', 'audiology')),
	CONSTRAINT "goals_domain_check" CHECK ("goals"."domain" in ('articulation', 'expressive_language', 'receptive_language', 'fluency', 'voice', 'pragmatics', 'aac', 'feeding', 'fine_motor', 'visual_motor', 'sensory', 'self_care', 'gross_motor', 'mobility', 'social_emotional', 'behavior', 'other')),
	CONSTRAINT "goals_measurement_type_check" CHECK ("goals"."measurement_type" in ('percent_accuracy', 'frequency', 'duration', 'rubric', 'trials', 'latency')),
	CONSTRAINT "goals_status_check" CHECK ("goals"."status" in ('draft', 'active', 'met', 'discontinued', 'carried_over')),
	CONSTRAINT "goals_target_value_check" CHECK ("goals"."target_value" <> 'NaN' and ("goals"."measurement_type" <> 'percent_accuracy' or "goals"."target_value" between 0 and 100))
);
--> statement-breakpoint
ALTER TABLE "goals" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "progress_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"goal_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"reporting_period" daterange NOT NULL,
	"progress_code" text NOT NULL,
	"summary" text NOT NULL,
	"data_summary" jsonb,
	"author_id" uuid NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"finalized_at" timestamp with time zone,
	"shared_with_guardians_at" timestamp with time zone,
	CONSTRAINT "progress_reports_reporting_period_check" CHECK (not isempty("progress_reports"."reporting_period")),
	CONSTRAINT "progress_reports_data_summary_check" CHECK ("progress_reports"."data_summary" is null or jsonb_typeof("progress_reports"."data_summary") = 'object'),
	CONSTRAINT "progress_reports_progress_code_check" CHECK ("progress_reports"."progress_code" in ('mastered', 'sufficient', 'insufficient', 'not_introduced', 'regression')),
	CONSTRAINT "progress_reports_status_check" CHECK ("progress_reports"."status" in ('draft', 'final', 'shared')),
	CONSTRAINT "progress_reports_finalized_check" CHECK ("progress_reports"."status" = 'draft' or "progress_reports"."finalized_at" is not null),
	CONSTRAINT "progress_reports_shared_check" CHECK (("progress_reports"."status" = 'shared') = ("progress_reports"."shared_with_guardians_at" is not null))
);
--> statement-breakpoint
ALTER TABLE "progress_reports" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "conversation_participants" (
	"organization_id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"participant_role" text DEFAULT 'member' NOT NULL,
	"joined_at" timestamp with time zone DEFAULT now() NOT NULL,
	"left_at" timestamp with time zone,
	"last_read_at" timestamp with time zone,
	"muted_until" timestamp with time zone,
	CONSTRAINT "conversation_participants_pkey" PRIMARY KEY("conversation_id","user_id"),
	CONSTRAINT "conversation_participants_participant_role_check" CHECK ("conversation_participants"."participant_role" in ('owner', 'member', 'read_only')),
	CONSTRAINT "conversation_participants_left_after_joined_check" CHECK ("conversation_participants"."left_at" is null or "conversation_participants"."left_at" >= "conversation_participants"."joined_at")
);
--> statement-breakpoint
ALTER TABLE "conversation_participants" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "conversations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"student_id" uuid,
	"title" text,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_message_at" timestamp with time zone,
	"archived_at" timestamp with time zone,
	CONSTRAINT "conversations_organization_id_id_key" UNIQUE("organization_id","id"),
	CONSTRAINT "conversations_kind_check" CHECK ("conversations"."kind" in ('direct', 'group', 'student_team', 'announcement')),
	CONSTRAINT "conversations_student_team_check" CHECK ("conversations"."kind" <> 'student_team' or "conversations"."student_id" is not null)
);
--> statement-breakpoint
ALTER TABLE "conversations" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"sender_id" uuid NOT NULL,
	"client_message_id" uuid NOT NULL,
	"body" text,
	"attachment_document_id" uuid,
	"reply_to_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"edited_at" timestamp with time zone,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "messages_sender_id_client_message_id_key" UNIQUE("sender_id","client_message_id"),
	CONSTRAINT "messages_body_check" CHECK (char_length("messages"."body") between 1 and 10000),
	CONSTRAINT "messages_content_check" CHECK ("messages"."body" is not null or "messages"."attachment_document_id" is not null or "messages"."deleted_at" is not null)
);
--> statement-breakpoint
ALTER TABLE "messages" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"student_id" uuid,
	"session_id" uuid,
	"conversation_id" uuid,
	"bucket_id" text NOT NULL,
	"storage_path" text NOT NULL,
	"category" text NOT NULL,
	"file_name" text NOT NULL,
	"mime_type" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"sha256" text,
	"visibility" text DEFAULT 'staff' NOT NULL,
	"uploaded_by" uuid NOT NULL,
	"retain_until" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "documents_bucket_id_storage_path_key" UNIQUE("bucket_id","storage_path"),
	CONSTRAINT "documents_organization_id_id_key" UNIQUE("organization_id","id"),
	CONSTRAINT "documents_bucket_id_check" CHECK ("documents"."bucket_id" in ('student-records', 'chat-attachments', 'org-assets')),
	CONSTRAINT "documents_category_check" CHECK ("documents"."category" in ('iep', 'evaluation_report', 'consent_form', 'progress_report', 'session_attachment', 'medical_order', 'chat_attachment', 'org_asset', 'other')),
	CONSTRAINT "documents_size_bytes_check" CHECK ("documents"."size_bytes" between 1 and 52428800),
	CONSTRAINT "documents_checksum_check" CHECK ("documents"."sha256" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "documents_visibility_check" CHECK ("documents"."visibility" in ('staff', 'caseload', 'guardians', 'participants')),
	CONSTRAINT "documents_storage_path_check" CHECK (split_part("documents"."storage_path", '/', 1) = "documents"."organization_id"::text),
	CONSTRAINT "documents_chat_attachment_check" CHECK ("documents"."category" <> 'chat_attachment' or "documents"."conversation_id" is not null)
);
--> statement-breakpoint
ALTER TABLE "documents" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "billing_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid,
	"code_system" text DEFAULT 'CPT' NOT NULL,
	"code" text NOT NULL,
	"description" text NOT NULL,
	"discipline" text,
	"unit_rule" text NOT NULL,
	"min_minutes" smallint,
	"max_minutes" smallint,
	"default_modifiers" text[] DEFAULT '{}'::text[] NOT NULL,
	"effective_during" daterange DEFAULT daterange(current_date, null) NOT NULL,
	CONSTRAINT "billing_codes_organization_id_code_effective_during_key" UNIQUE NULLS NOT DISTINCT("organization_id","code_system","code","effective_during"),
	CONSTRAINT "billing_codes_code_system_check" CHECK ("billing_codes"."code_system" in ('CPT', 'HCPCS', 'STATE')),
	CONSTRAINT "billing_codes_code_check" CHECK ("billing_codes"."code" ~ '^[A-Z0-9]{4,7}$'),
	CONSTRAINT "billing_codes_discipline_check" CHECK ("billing_codes"."discipline" in ('slp', 'ot', 'pt', 'counseling', 'psychology', 'audiology')),
	CONSTRAINT "billing_codes_unit_rule_check" CHECK ("billing_codes"."unit_rule" in ('timed_15min', 'per_session', 'per_evaluation', 'time_range')),
	CONSTRAINT "billing_codes_minutes_range_check" CHECK ("billing_codes"."min_minutes" is null or "billing_codes"."max_minutes" is null or "billing_codes"."min_minutes" <= "billing_codes"."max_minutes"),
	CONSTRAINT "billing_codes_default_modifiers_check" CHECK (cardinality("billing_codes"."default_modifiers") <= 4 and array_position("billing_codes"."default_modifiers", null) is null)
);
--> statement-breakpoint
ALTER TABLE "billing_codes" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "service_charges" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"note_id" uuid NOT NULL,
	"billing_code_id" uuid NOT NULL,
	"unit_rule" text NOT NULL,
	"modifiers" text[] DEFAULT '{}'::text[] NOT NULL,
	"rendering_provider_id" uuid NOT NULL,
	"supervising_provider_id" uuid,
	"service_date" date NOT NULL,
	"billable_minutes" smallint NOT NULL,
	"units" smallint GENERATED ALWAYS AS (case when unit_rule = 'timed_15min' then (billable_minutes + 7) / 15 else 1 end) STORED,
	"payer" text DEFAULT 'medicaid' NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"claim_reference" text,
	"amount_billed" numeric(10, 2),
	"amount_paid" numeric(10, 2),
	"submitted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_charges_unit_rule_check" CHECK ("service_charges"."unit_rule" in ('timed_15min', 'per_session', 'per_evaluation', 'time_range')),
	CONSTRAINT "service_charges_modifiers_check" CHECK (cardinality("service_charges"."modifiers") <= 4 and array_position("service_charges"."modifiers", null) is null),
	CONSTRAINT "service_charges_billable_minutes_check" CHECK ("service_charges"."billable_minutes" between 1 and 480),
	CONSTRAINT "service_charges_payer_check" CHECK ("service_charges"."payer" in ('medicaid', 'private_insurance', 'district', 'self_pay')),
	CONSTRAINT "service_charges_status_check" CHECK ("service_charges"."status" in ('pending', 'ready', 'submitted', 'paid', 'denied', 'void')),
	CONSTRAINT "service_charges_amount_billed_check" CHECK ("service_charges"."amount_billed" >= 0 and "service_charges"."amount_billed" <> 'NaN'),
	CONSTRAINT "service_charges_amount_paid_check" CHECK ("service_charges"."amount_paid" >= 0 and "service_charges"."amount_paid" <> 'NaN'),
	CONSTRAINT "service_charges_units_check" CHECK ("service_charges"."status" in ('pending', 'void') or "service_charges"."units" > 0),
	CONSTRAINT "service_charges_submitted_at_check" CHECK ("service_charges"."status" not in ('submitted', 'paid', 'denied') or "service_charges"."submitted_at" is not null)
);
--> statement-breakpoint
ALTER TABLE "service_charges" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"organization_id" uuid,
	"type" text NOT NULL,
	"title" text NOT NULL,
	"body" text,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"channels" text[] DEFAULT '{in_app}'::text[] NOT NULL,
	"read_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notifications_type_check" CHECK ("notifications"."type" ~ '^[a-z_]+\.[a-z_]+$'),
	CONSTRAINT "notifications_data_check" CHECK (jsonb_typeof("notifications"."data") = 'object'),
	CONSTRAINT "notifications_channels_check" CHECK ("notifications"."channels" <@ array['in_app', 'email', 'sms', 'push']::text[])
);
--> statement-breakpoint
ALTER TABLE "notifications" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "outbox_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "outbox_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"event_id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"subscription_id" uuid,
	"event_type" text NOT NULL,
	"aggregate_type" text NOT NULL,
	"aggregate_id" uuid NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" smallint DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_status_code" smallint,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone,
	CONSTRAINT "outbox_events_event_id_subscription_id_key" UNIQUE NULLS NOT DISTINCT("event_id","subscription_id"),
	CONSTRAINT "outbox_events_event_type_check" CHECK ("outbox_events"."event_type" ~ '^[a-z_]+\.[a-z_]+$'),
	CONSTRAINT "outbox_events_status_check" CHECK ("outbox_events"."status" in ('pending', 'in_flight', 'delivered', 'failed', 'dead')),
	CONSTRAINT "outbox_events_payload_check" CHECK (jsonb_typeof("outbox_events"."payload") = 'object'),
	CONSTRAINT "outbox_events_attempts_check" CHECK ("outbox_events"."attempts" between 0 and 50)
);
--> statement-breakpoint
ALTER TABLE "outbox_events" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "webhook_subscriptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"target_url" text NOT NULL,
	"event_types" text[] NOT NULL,
	"secret_id" uuid NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"failure_count" integer DEFAULT 0 NOT NULL,
	"disabled_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_subscriptions_organization_id_id_key" UNIQUE("organization_id","id"),
	CONSTRAINT "webhook_subscriptions_target_url_check" CHECK ("webhook_subscriptions"."target_url" ~ '^https://'),
	CONSTRAINT "webhook_subscriptions_event_types_check" CHECK (array_to_json("webhook_subscriptions"."event_types")::text ~ '^\["[a-z_]+\.[a-z_]+"(,"[a-z_]+\.[a-z_]+")*\]$')
);
--> statement-breakpoint
ALTER TABLE "webhook_subscriptions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "audit"."audit_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit"."audit_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"organization_id" uuid,
	"actor_id" uuid,
	"actor_role" text,
	"action" text NOT NULL,
	"table_name" text NOT NULL,
	"record_id" uuid,
	"old_data" jsonb,
	"new_data" jsonb,
	"changed_fields" text[],
	"request_id" text,
	CONSTRAINT "audit_log_action_check" CHECK ("audit"."audit_log"."action" in ('insert', 'update', 'delete', 'view', 'export', 'disclose', 'sign', 'cosign', 'login')),
	CONSTRAINT "audit_log_old_data_check" CHECK ("audit"."audit_log"."old_data" is null or jsonb_typeof("audit"."audit_log"."old_data") = 'object'),
	CONSTRAINT "audit_log_new_data_check" CHECK ("audit"."audit_log"."new_data" is null or jsonb_typeof("audit"."audit_log"."new_data") = 'object'),
	CONSTRAINT "audit_log_changed_fields_check" CHECK ("audit"."audit_log"."changed_fields" is null or array_position("audit"."audit_log"."changed_fields", null) is null)
);
--> statement-breakpoint
ALTER TABLE "audit"."audit_log" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "organization_members" ADD CONSTRAINT "organization_members_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_members" ADD CONSTRAINT "organization_members_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "public"."profiles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_members" ADD CONSTRAINT "organization_members_organization_id_school_id_fkey" FOREIGN KEY ("organization_id","school_id") REFERENCES "public"."schools"("organization_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_members" ADD CONSTRAINT "organization_members_invited_by_fkey" FOREIGN KEY ("invited_by") REFERENCES "public"."profiles"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "profiles" ADD CONSTRAINT "profiles_id_fkey" FOREIGN KEY ("id") REFERENCES "auth"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "schools" ADD CONSTRAINT "schools_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guardians" ADD CONSTRAINT "guardians_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guardians" ADD CONSTRAINT "guardians_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "public"."profiles"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "student_guardians" ADD CONSTRAINT "student_guardians_organization_id_student_id_fkey" FOREIGN KEY ("organization_id","student_id") REFERENCES "public"."students"("organization_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "student_guardians" ADD CONSTRAINT "student_guardians_organization_id_guardian_id_fkey" FOREIGN KEY ("organization_id","guardian_id") REFERENCES "public"."guardians"("organization_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "students" ADD CONSTRAINT "students_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "students" ADD CONSTRAINT "students_organization_id_school_id_fkey" FOREIGN KEY ("organization_id","school_id") REFERENCES "public"."schools"("organization_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "students" ADD CONSTRAINT "students_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "public"."profiles"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_assignments" ADD CONSTRAINT "supervision_assignments_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_assignments" ADD CONSTRAINT "supervision_assignments_supervisor_id_fkey" FOREIGN KEY ("supervisor_id") REFERENCES "public"."therapists"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supervision_assignments" ADD CONSTRAINT "supervision_assignments_supervisee_id_fkey" FOREIGN KEY ("supervisee_id") REFERENCES "public"."therapists"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "therapists" ADD CONSTRAINT "therapists_id_fkey" FOREIGN KEY ("id") REFERENCES "public"."profiles"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "caseload_assignments" ADD CONSTRAINT "caseload_assignments_organization_id_student_id_fkey" FOREIGN KEY ("organization_id","student_id") REFERENCES "public"."students"("organization_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "caseload_assignments" ADD CONSTRAINT "caseload_assignments_therapist_id_fkey" FOREIGN KEY ("therapist_id") REFERENCES "public"."therapists"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_organization_id_student_id_fkey" FOREIGN KEY ("organization_id","student_id") REFERENCES "public"."students"("organization_id","id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_organization_id_guardian_id_fkey" FOREIGN KEY ("organization_id","guardian_id") REFERENCES "public"."guardians"("organization_id","id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_document_id_fkey" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_recorded_by_fkey" FOREIGN KEY ("recorded_by") REFERENCES "public"."profiles"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_mandates" ADD CONSTRAINT "service_mandates_organization_id_service_plan_id_fkey" FOREIGN KEY ("organization_id","service_plan_id") REFERENCES "public"."service_plans"("organization_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_mandates" ADD CONSTRAINT "service_mandates_organization_id_session_type_id_fkey" FOREIGN KEY ("organization_id","session_type_id") REFERENCES "public"."session_types"("organization_id","id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_plans" ADD CONSTRAINT "service_plans_organization_id_student_id_fkey" FOREIGN KEY ("organization_id","student_id") REFERENCES "public"."students"("organization_id","id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_plans" ADD CONSTRAINT "service_plans_source_document_id_fkey" FOREIGN KEY ("source_document_id") REFERENCES "public"."documents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_plans" ADD CONSTRAINT "service_plans_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "public"."profiles"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_blackouts" ADD CONSTRAINT "calendar_blackouts_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_blackouts" ADD CONSTRAINT "calendar_blackouts_organization_id_school_id_fkey" FOREIGN KEY ("organization_id","school_id") REFERENCES "public"."schools"("organization_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_blackouts" ADD CONSTRAINT "calendar_blackouts_therapist_id_fkey" FOREIGN KEY ("therapist_id") REFERENCES "public"."therapists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_participants" ADD CONSTRAINT "session_participants_organization_id_session_id_fkey" FOREIGN KEY ("organization_id","session_id") REFERENCES "public"."therapy_sessions"("organization_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_participants" ADD CONSTRAINT "session_participants_organization_id_student_id_fkey" FOREIGN KEY ("organization_id","student_id") REFERENCES "public"."students"("organization_id","id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_participants" ADD CONSTRAINT "session_participants_service_mandate_id_fkey" FOREIGN KEY ("service_mandate_id") REFERENCES "public"."service_mandates"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_series" ADD CONSTRAINT "session_series_therapist_id_fkey" FOREIGN KEY ("therapist_id") REFERENCES "public"."therapists"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_series" ADD CONSTRAINT "session_series_organization_id_session_type_id_fkey" FOREIGN KEY ("organization_id","session_type_id") REFERENCES "public"."session_types"("organization_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_series" ADD CONSTRAINT "session_series_organization_id_school_id_fkey" FOREIGN KEY ("organization_id","school_id") REFERENCES "public"."schools"("organization_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_series" ADD CONSTRAINT "session_series_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "public"."profiles"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_types" ADD CONSTRAINT "session_types_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_types" ADD CONSTRAINT "session_types_default_billing_code_id_fkey" FOREIGN KEY ("default_billing_code_id") REFERENCES "public"."billing_codes"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "therapy_sessions" ADD CONSTRAINT "therapy_sessions_therapist_id_fkey" FOREIGN KEY ("therapist_id") REFERENCES "public"."therapists"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "therapy_sessions" ADD CONSTRAINT "therapy_sessions_organization_id_session_type_id_fkey" FOREIGN KEY ("organization_id","session_type_id") REFERENCES "public"."session_types"("organization_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "therapy_sessions" ADD CONSTRAINT "therapy_sessions_series_id_fkey" FOREIGN KEY ("series_id") REFERENCES "public"."session_series"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "therapy_sessions" ADD CONSTRAINT "therapy_sessions_organization_id_school_id_fkey" FOREIGN KEY ("organization_id","school_id") REFERENCES "public"."schools"("organization_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "therapy_sessions" ADD CONSTRAINT "therapy_sessions_cancelled_by_fkey" FOREIGN KEY ("cancelled_by") REFERENCES "public"."profiles"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "therapy_sessions" ADD CONSTRAINT "therapy_sessions_makeup_for_session_id_fkey" FOREIGN KEY ("makeup_for_session_id") REFERENCES "public"."therapy_sessions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "therapy_sessions" ADD CONSTRAINT "therapy_sessions_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "public"."profiles"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_notes" ADD CONSTRAINT "session_notes_session_id_student_id_fkey" FOREIGN KEY ("session_id","student_id") REFERENCES "public"."session_participants"("session_id","student_id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_notes" ADD CONSTRAINT "session_notes_organization_id_student_id_fkey" FOREIGN KEY ("organization_id","student_id") REFERENCES "public"."students"("organization_id","id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_notes" ADD CONSTRAINT "session_notes_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "public"."therapists"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_notes" ADD CONSTRAINT "session_notes_amends_note_id_fkey" FOREIGN KEY ("amends_note_id") REFERENCES "public"."session_notes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_notes" ADD CONSTRAINT "session_notes_signed_by_fkey" FOREIGN KEY ("signed_by") REFERENCES "public"."therapists"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_notes" ADD CONSTRAINT "session_notes_cosigned_by_fkey" FOREIGN KEY ("cosigned_by") REFERENCES "public"."therapists"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_observations" ADD CONSTRAINT "goal_observations_goal_id_student_id_fkey" FOREIGN KEY ("goal_id","student_id") REFERENCES "public"."goals"("id","student_id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_observations" ADD CONSTRAINT "goal_observations_session_id_student_id_fkey" FOREIGN KEY ("session_id","student_id") REFERENCES "public"."session_participants"("session_id","student_id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_observations" ADD CONSTRAINT "goal_observations_organization_id_student_id_fkey" FOREIGN KEY ("organization_id","student_id") REFERENCES "public"."students"("organization_id","id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_observations" ADD CONSTRAINT "goal_observations_recorded_by_fkey" FOREIGN KEY ("recorded_by") REFERENCES "public"."therapists"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goals" ADD CONSTRAINT "goals_organization_id_student_id_fkey" FOREIGN KEY ("organization_id","student_id") REFERENCES "public"."students"("organization_id","id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goals" ADD CONSTRAINT "goals_organization_id_service_plan_id_fkey" FOREIGN KEY ("organization_id","service_plan_id") REFERENCES "public"."service_plans"("organization_id","id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goals" ADD CONSTRAINT "goals_parent_goal_id_fkey" FOREIGN KEY ("parent_goal_id") REFERENCES "public"."goals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goals" ADD CONSTRAINT "goals_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "public"."profiles"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "progress_reports" ADD CONSTRAINT "progress_reports_goal_id_student_id_fkey" FOREIGN KEY ("goal_id","student_id") REFERENCES "public"."goals"("id","student_id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "progress_reports" ADD CONSTRAINT "progress_reports_organization_id_student_id_fkey" FOREIGN KEY ("organization_id","student_id") REFERENCES "public"."students"("organization_id","id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "progress_reports" ADD CONSTRAINT "progress_reports_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "public"."therapists"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_participants" ADD CONSTRAINT "conversation_participants_organization_id_conversation_id_fkey" FOREIGN KEY ("organization_id","conversation_id") REFERENCES "public"."conversations"("organization_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_participants" ADD CONSTRAINT "conversation_participants_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "public"."profiles"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_organization_id_student_id_fkey" FOREIGN KEY ("organization_id","student_id") REFERENCES "public"."students"("organization_id","id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "public"."profiles"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_conversation_id_sender_id_fkey" FOREIGN KEY ("conversation_id","sender_id") REFERENCES "public"."conversation_participants"("conversation_id","user_id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_organization_id_conversation_id_fkey" FOREIGN KEY ("organization_id","conversation_id") REFERENCES "public"."conversations"("organization_id","id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_attachment_document_id_fkey" FOREIGN KEY ("attachment_document_id") REFERENCES "public"."documents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_reply_to_id_fkey" FOREIGN KEY ("reply_to_id") REFERENCES "public"."messages"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_organization_id_student_id_fkey" FOREIGN KEY ("organization_id","student_id") REFERENCES "public"."students"("organization_id","id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_organization_id_session_id_fkey" FOREIGN KEY ("organization_id","session_id") REFERENCES "public"."therapy_sessions"("organization_id","id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_uploaded_by_fkey" FOREIGN KEY ("uploaded_by") REFERENCES "public"."profiles"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_codes" ADD CONSTRAINT "billing_codes_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_charges" ADD CONSTRAINT "service_charges_session_id_student_id_fkey" FOREIGN KEY ("session_id","student_id") REFERENCES "public"."session_participants"("session_id","student_id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_charges" ADD CONSTRAINT "service_charges_organization_id_student_id_fkey" FOREIGN KEY ("organization_id","student_id") REFERENCES "public"."students"("organization_id","id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_charges" ADD CONSTRAINT "service_charges_note_id_fkey" FOREIGN KEY ("note_id") REFERENCES "public"."session_notes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_charges" ADD CONSTRAINT "service_charges_billing_code_id_fkey" FOREIGN KEY ("billing_code_id") REFERENCES "public"."billing_codes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_charges" ADD CONSTRAINT "service_charges_rendering_provider_id_fkey" FOREIGN KEY ("rendering_provider_id") REFERENCES "public"."therapists"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_charges" ADD CONSTRAINT "service_charges_supervising_provider_id_fkey" FOREIGN KEY ("supervising_provider_id") REFERENCES "public"."therapists"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "public"."profiles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox_events" ADD CONSTRAINT "outbox_events_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox_events" ADD CONSTRAINT "outbox_events_organization_id_subscription_id_fkey" FOREIGN KEY ("organization_id","subscription_id") REFERENCES "public"."webhook_subscriptions"("organization_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_subscriptions" ADD CONSTRAINT "webhook_subscriptions_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_subscriptions" ADD CONSTRAINT "webhook_subscriptions_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "public"."profiles"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "organization_members_user_id_status_role_organization_id_idx" ON "organization_members" USING btree ("user_id","status","role","organization_id");--> statement-breakpoint
CREATE INDEX "organization_members_organization_id_school_id_idx" ON "organization_members" USING btree ("organization_id","school_id");--> statement-breakpoint
CREATE INDEX "organization_members_invited_by_idx" ON "organization_members" USING btree ("invited_by") WHERE "organization_members"."invited_by" is not null;--> statement-breakpoint
CREATE INDEX "guardians_user_id_idx" ON "guardians" USING btree ("user_id") WHERE "guardians"."user_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "student_guardians_one_primary_key" ON "student_guardians" USING btree ("student_id") WHERE "student_guardians"."is_primary";--> statement-breakpoint
CREATE INDEX "student_guardians_organization_id_student_id_idx" ON "student_guardians" USING btree ("organization_id","student_id");--> statement-breakpoint
CREATE INDEX "student_guardians_organization_id_guardian_id_idx" ON "student_guardians" USING btree ("organization_id","guardian_id");--> statement-breakpoint
CREATE INDEX "student_guardians_guardian_id_student_id_idx" ON "student_guardians" USING btree ("guardian_id","student_id") WHERE "student_guardians"."portal_access";--> statement-breakpoint
CREATE INDEX "students_organization_id_last_name_first_name_idx" ON "students" USING btree ("organization_id","last_name","first_name") WHERE "students"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "students_organization_id_school_id_idx" ON "students" USING btree ("organization_id","school_id");--> statement-breakpoint
CREATE INDEX "students_school_id_idx" ON "students" USING btree ("school_id") WHERE "students"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "supervision_assignments_organization_id_idx" ON "supervision_assignments" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "supervision_assignments_supervisor_id_supervisee_id_idx" ON "supervision_assignments" USING btree ("supervisor_id","supervisee_id");--> statement-breakpoint
CREATE INDEX "supervision_assignments_supervisee_id_idx" ON "supervision_assignments" USING btree ("supervisee_id");--> statement-breakpoint
CREATE INDEX "caseload_assignments_organization_id_student_id_idx" ON "caseload_assignments" USING btree ("organization_id","student_id");--> statement-breakpoint
CREATE INDEX "caseload_assignments_therapist_id_current_idx" ON "caseload_assignments" USING btree ("therapist_id","organization_id","starts_on","ends_on","student_id");--> statement-breakpoint
CREATE INDEX "caseload_assignments_student_id_idx" ON "caseload_assignments" USING btree ("student_id");--> statement-breakpoint
CREATE INDEX "consents_organization_id_student_id_idx" ON "consents" USING btree ("organization_id","student_id");--> statement-breakpoint
CREATE INDEX "consents_student_id_consent_type_idx" ON "consents" USING btree ("student_id","consent_type");--> statement-breakpoint
CREATE INDEX "consents_organization_id_guardian_id_idx" ON "consents" USING btree ("organization_id","guardian_id");--> statement-breakpoint
CREATE INDEX "consents_document_id_idx" ON "consents" USING btree ("document_id") WHERE "consents"."document_id" is not null;--> statement-breakpoint
CREATE INDEX "consents_recorded_by_idx" ON "consents" USING btree ("recorded_by");--> statement-breakpoint
CREATE INDEX "service_mandates_organization_id_service_plan_id_idx" ON "service_mandates" USING btree ("organization_id","service_plan_id");--> statement-breakpoint
CREATE INDEX "service_mandates_organization_id_session_type_id_idx" ON "service_mandates" USING btree ("organization_id","session_type_id");--> statement-breakpoint
CREATE INDEX "service_mandates_service_plan_id_idx" ON "service_mandates" USING btree ("service_plan_id");--> statement-breakpoint
CREATE INDEX "service_plans_organization_id_student_id_idx" ON "service_plans" USING btree ("organization_id","student_id");--> statement-breakpoint
CREATE INDEX "service_plans_student_id_idx" ON "service_plans" USING btree ("student_id");--> statement-breakpoint
CREATE INDEX "service_plans_source_document_id_idx" ON "service_plans" USING btree ("source_document_id") WHERE "service_plans"."source_document_id" is not null;--> statement-breakpoint
CREATE INDEX "service_plans_created_by_idx" ON "service_plans" USING btree ("created_by");--> statement-breakpoint
CREATE INDEX "calendar_blackouts_organization_id_during_idx" ON "calendar_blackouts" USING gist ("organization_id","during");--> statement-breakpoint
CREATE INDEX "calendar_blackouts_organization_id_school_id_idx" ON "calendar_blackouts" USING btree ("organization_id","school_id");--> statement-breakpoint
CREATE INDEX "calendar_blackouts_therapist_id_idx" ON "calendar_blackouts" USING btree ("therapist_id") WHERE "calendar_blackouts"."therapist_id" is not null;--> statement-breakpoint
CREATE INDEX "session_participants_organization_id_session_id_idx" ON "session_participants" USING btree ("organization_id","session_id");--> statement-breakpoint
CREATE INDEX "session_participants_organization_id_student_id_idx" ON "session_participants" USING btree ("organization_id","student_id");--> statement-breakpoint
CREATE INDEX "session_participants_student_id_session_id_idx" ON "session_participants" USING btree ("student_id","session_id");--> statement-breakpoint
CREATE INDEX "session_participants_service_mandate_id_idx" ON "session_participants" USING btree ("service_mandate_id") WHERE "session_participants"."service_mandate_id" is not null;--> statement-breakpoint
CREATE INDEX "session_series_organization_id_session_type_id_idx" ON "session_series" USING btree ("organization_id","session_type_id");--> statement-breakpoint
CREATE INDEX "session_series_organization_id_school_id_idx" ON "session_series" USING btree ("organization_id","school_id");--> statement-breakpoint
CREATE INDEX "session_series_therapist_id_idx" ON "session_series" USING btree ("therapist_id");--> statement-breakpoint
CREATE INDEX "session_series_created_by_idx" ON "session_series" USING btree ("created_by");--> statement-breakpoint
CREATE INDEX "session_types_default_billing_code_id_idx" ON "session_types" USING btree ("default_billing_code_id") WHERE "session_types"."default_billing_code_id" is not null;--> statement-breakpoint
CREATE INDEX "therapy_sessions_organization_id_start_time_idx" ON "therapy_sessions" USING btree ("organization_id","start_time");--> statement-breakpoint
CREATE INDEX "therapy_sessions_therapist_id_start_time_idx" ON "therapy_sessions" USING btree ("therapist_id","start_time");--> statement-breakpoint
CREATE INDEX "therapy_sessions_organization_id_session_type_id_idx" ON "therapy_sessions" USING btree ("organization_id","session_type_id");--> statement-breakpoint
CREATE INDEX "therapy_sessions_organization_id_school_id_idx" ON "therapy_sessions" USING btree ("organization_id","school_id");--> statement-breakpoint
CREATE INDEX "therapy_sessions_series_id_idx" ON "therapy_sessions" USING btree ("series_id") WHERE "therapy_sessions"."series_id" is not null;--> statement-breakpoint
CREATE INDEX "therapy_sessions_cancelled_by_idx" ON "therapy_sessions" USING btree ("cancelled_by") WHERE "therapy_sessions"."cancelled_by" is not null;--> statement-breakpoint
CREATE INDEX "therapy_sessions_makeup_for_session_id_idx" ON "therapy_sessions" USING btree ("makeup_for_session_id") WHERE "therapy_sessions"."makeup_for_session_id" is not null;--> statement-breakpoint
CREATE INDEX "therapy_sessions_created_by_idx" ON "therapy_sessions" USING btree ("created_by");--> statement-breakpoint
CREATE UNIQUE INDEX "session_notes_one_original_key" ON "session_notes" USING btree ("session_id","student_id") WHERE "session_notes"."amends_note_id" is null and "session_notes"."status" <> 'void';--> statement-breakpoint
CREATE INDEX "session_notes_session_id_student_id_idx" ON "session_notes" USING btree ("session_id","student_id");--> statement-breakpoint
CREATE INDEX "session_notes_organization_id_student_id_idx" ON "session_notes" USING btree ("organization_id","student_id");--> statement-breakpoint
CREATE INDEX "session_notes_student_id_created_at_idx" ON "session_notes" USING btree ("student_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "session_notes_author_id_status_idx" ON "session_notes" USING btree ("author_id","status");--> statement-breakpoint
CREATE INDEX "session_notes_cosign_queue_idx" ON "session_notes" USING btree ("organization_id","created_at") WHERE "session_notes"."status" = 'pending_cosign';--> statement-breakpoint
CREATE INDEX "session_notes_amends_note_id_idx" ON "session_notes" USING btree ("amends_note_id") WHERE "session_notes"."amends_note_id" is not null;--> statement-breakpoint
CREATE INDEX "session_notes_signed_by_idx" ON "session_notes" USING btree ("signed_by") WHERE "session_notes"."signed_by" is not null;--> statement-breakpoint
CREATE INDEX "session_notes_cosigned_by_idx" ON "session_notes" USING btree ("cosigned_by") WHERE "session_notes"."cosigned_by" is not null;--> statement-breakpoint
CREATE INDEX "goal_observations_goal_id_student_id_recorded_at_idx" ON "goal_observations" USING btree ("goal_id","student_id","recorded_at");--> statement-breakpoint
CREATE INDEX "goal_observations_session_id_student_id_idx" ON "goal_observations" USING btree ("session_id","student_id");--> statement-breakpoint
CREATE INDEX "goal_observations_organization_id_student_id_idx" ON "goal_observations" USING btree ("organization_id","student_id");--> statement-breakpoint
CREATE INDEX "goal_observations_student_id_idx" ON "goal_observations" USING btree ("student_id");--> statement-breakpoint
CREATE INDEX "goal_observations_recorded_by_idx" ON "goal_observations" USING btree ("recorded_by");--> statement-breakpoint
CREATE INDEX "goals_organization_id_student_id_idx" ON "goals" USING btree ("organization_id","student_id");--> statement-breakpoint
CREATE INDEX "goals_student_id_status_idx" ON "goals" USING btree ("student_id","status");--> statement-breakpoint
CREATE INDEX "goals_organization_id_service_plan_id_idx" ON "goals" USING btree ("organization_id","service_plan_id");--> statement-breakpoint
CREATE INDEX "goals_parent_goal_id_idx" ON "goals" USING btree ("parent_goal_id") WHERE "goals"."parent_goal_id" is not null;--> statement-breakpoint
CREATE INDEX "goals_created_by_idx" ON "goals" USING btree ("created_by");--> statement-breakpoint
CREATE INDEX "progress_reports_goal_id_student_id_idx" ON "progress_reports" USING btree ("goal_id","student_id");--> statement-breakpoint
CREATE INDEX "progress_reports_organization_id_student_id_idx" ON "progress_reports" USING btree ("organization_id","student_id");--> statement-breakpoint
CREATE INDEX "progress_reports_student_id_idx" ON "progress_reports" USING btree ("student_id");--> statement-breakpoint
CREATE INDEX "progress_reports_author_id_idx" ON "progress_reports" USING btree ("author_id");--> statement-breakpoint
CREATE INDEX "conversation_participants_organization_id_conversation_id_idx" ON "conversation_participants" USING btree ("organization_id","conversation_id");--> statement-breakpoint
CREATE INDEX "conversation_participants_user_id_conversation_id_idx" ON "conversation_participants" USING btree ("user_id","conversation_id");--> statement-breakpoint
CREATE INDEX "conversations_organization_id_last_message_at_idx" ON "conversations" USING btree ("organization_id","last_message_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "conversations_organization_id_student_id_idx" ON "conversations" USING btree ("organization_id","student_id");--> statement-breakpoint
CREATE INDEX "conversations_created_by_idx" ON "conversations" USING btree ("created_by");--> statement-breakpoint
CREATE INDEX "messages_conversation_id_created_at_idx" ON "messages" USING btree ("conversation_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "messages_conversation_id_sender_id_idx" ON "messages" USING btree ("conversation_id","sender_id");--> statement-breakpoint
CREATE INDEX "messages_organization_id_conversation_id_idx" ON "messages" USING btree ("organization_id","conversation_id");--> statement-breakpoint
CREATE INDEX "messages_attachment_document_id_idx" ON "messages" USING btree ("attachment_document_id") WHERE "messages"."attachment_document_id" is not null;--> statement-breakpoint
CREATE INDEX "messages_reply_to_id_idx" ON "messages" USING btree ("reply_to_id") WHERE "messages"."reply_to_id" is not null;--> statement-breakpoint
CREATE INDEX "documents_organization_id_student_id_idx" ON "documents" USING btree ("organization_id","student_id");--> statement-breakpoint
CREATE INDEX "documents_student_id_category_idx" ON "documents" USING btree ("student_id","category") WHERE "documents"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "documents_organization_id_session_id_idx" ON "documents" USING btree ("organization_id","session_id");--> statement-breakpoint
CREATE INDEX "documents_conversation_id_idx" ON "documents" USING btree ("conversation_id") WHERE "documents"."conversation_id" is not null;--> statement-breakpoint
CREATE INDEX "documents_uploaded_by_idx" ON "documents" USING btree ("uploaded_by");--> statement-breakpoint
CREATE UNIQUE INDEX "service_charges_one_per_code_key" ON "service_charges" USING btree ("session_id","student_id","billing_code_id") WHERE "service_charges"."status" <> 'void';--> statement-breakpoint
CREATE INDEX "service_charges_session_id_student_id_idx" ON "service_charges" USING btree ("session_id","student_id");--> statement-breakpoint
CREATE INDEX "service_charges_organization_id_status_service_date_idx" ON "service_charges" USING btree ("organization_id","status","service_date");--> statement-breakpoint
CREATE INDEX "service_charges_organization_id_student_id_idx" ON "service_charges" USING btree ("organization_id","student_id");--> statement-breakpoint
CREATE INDEX "service_charges_note_id_idx" ON "service_charges" USING btree ("note_id");--> statement-breakpoint
CREATE INDEX "service_charges_billing_code_id_idx" ON "service_charges" USING btree ("billing_code_id");--> statement-breakpoint
CREATE INDEX "service_charges_rendering_provider_id_idx" ON "service_charges" USING btree ("rendering_provider_id");--> statement-breakpoint
CREATE INDEX "service_charges_supervising_provider_id_idx" ON "service_charges" USING btree ("supervising_provider_id") WHERE "service_charges"."supervising_provider_id" is not null;--> statement-breakpoint
CREATE INDEX "notifications_user_id_created_at_idx" ON "notifications" USING btree ("user_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "notifications_organization_id_idx" ON "notifications" USING btree ("organization_id") WHERE "notifications"."organization_id" is not null;--> statement-breakpoint
CREATE INDEX "outbox_events_next_attempt_at_idx" ON "outbox_events" USING btree ("next_attempt_at") WHERE "outbox_events"."status" in ('pending', 'failed', 'in_flight');--> statement-breakpoint
CREATE INDEX "outbox_events_aggregate_order_idx" ON "outbox_events" USING btree ("subscription_id","aggregate_type","aggregate_id","id") WHERE "outbox_events"."status" in ('pending', 'failed', 'in_flight');--> statement-breakpoint
CREATE INDEX "outbox_events_organization_id_subscription_id_idx" ON "outbox_events" USING btree ("organization_id","subscription_id");--> statement-breakpoint
CREATE INDEX "webhook_subscriptions_event_types_idx" ON "webhook_subscriptions" USING gin ("event_types") WHERE "webhook_subscriptions"."active";--> statement-breakpoint
CREATE INDEX "webhook_subscriptions_created_by_idx" ON "webhook_subscriptions" USING btree ("created_by") WHERE "webhook_subscriptions"."created_by" is not null;--> statement-breakpoint
CREATE INDEX "audit_log_organization_id_occurred_at_idx" ON "audit"."audit_log" USING btree ("organization_id","occurred_at");--> statement-breakpoint
CREATE INDEX "audit_log_table_name_record_id_occurred_at_idx" ON "audit"."audit_log" USING btree ("table_name","record_id","occurred_at");--> statement-breakpoint
CREATE POLICY "organization_members_delete_authenticated" ON "organization_members" AS PERMISSIVE FOR DELETE TO "authenticated" USING ("organization_members"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]) and "organization_members"."user_id" <> (select auth.uid()));--> statement-breakpoint
CREATE POLICY "organization_members_insert_authenticated" ON "organization_members" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("organization_members"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]) and "organization_members"."user_id" <> (select auth.uid()));--> statement-breakpoint
CREATE POLICY "organization_members_select_authenticated" ON "organization_members" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("organization_members"."user_id" = (select auth.uid()) or "organization_members"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "organization_members_tenant_isolation" ON "organization_members" AS RESTRICTIVE FOR ALL TO "authenticated" USING ("organization_members"."organization_id" = any ((select app.org_ids())::uuid[])) WITH CHECK ("organization_members"."organization_id" = any ((select app.org_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "organization_members_update_authenticated" ON "organization_members" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ("organization_members"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]) and "organization_members"."user_id" <> (select auth.uid())) WITH CHECK ("organization_members"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]) and "organization_members"."user_id" <> (select auth.uid()));--> statement-breakpoint
CREATE POLICY "organizations_select_authenticated" ON "organizations" AS PERMISSIVE FOR SELECT TO "authenticated" USING (("organizations"."deleted_at" is null and "organizations"."id" = any ((select app.org_ids())::uuid[])) or "organizations"."id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "organizations_tenant_isolation" ON "organizations" AS RESTRICTIVE FOR ALL TO "authenticated" USING ("organizations"."id" = any ((select app.org_ids())::uuid[])) WITH CHECK ("organizations"."id" = any ((select app.org_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "organizations_update_authenticated" ON "organizations" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ("organizations"."id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[])) WITH CHECK ("organizations"."id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "profiles_select_authenticated" ON "profiles" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("profiles"."id" = (select auth.uid()) or "profiles"."id" = any ((select app.conversation_peer_ids())::uuid[]) or "profiles"."id" = any ((select app.member_user_ids('{org_admin,therapist,billing}'::text[]))::uuid[]) or "profiles"."id" = any ((select app.care_team_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "profiles_update_authenticated" ON "profiles" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ("profiles"."id" = (select auth.uid())) WITH CHECK ("profiles"."id" = (select auth.uid()));--> statement-breakpoint
CREATE POLICY "schools_insert_authenticated" ON "schools" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("schools"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "schools_select_authenticated" ON "schools" AS PERMISSIVE FOR SELECT TO "authenticated" USING (("schools"."deleted_at" is null and "schools"."organization_id" = any ((select app.org_ids())::uuid[])) or "schools"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "schools_tenant_isolation" ON "schools" AS RESTRICTIVE FOR ALL TO "authenticated" USING ("schools"."organization_id" = any ((select app.org_ids())::uuid[])) WITH CHECK ("schools"."organization_id" = any ((select app.org_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "schools_update_authenticated" ON "schools" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ("schools"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[])) WITH CHECK ("schools"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "guardians_insert_authenticated" ON "guardians" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("guardians"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "guardians_select_authenticated" ON "guardians" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("guardians"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]) or ("guardians"."deleted_at" is null and "guardians"."user_id" = (select auth.uid())) or ("guardians"."deleted_at" is null and exists (select 1 from "public"."student_guardians" as "sg" where "sg"."guardian_id" = "guardians"."id" and "sg"."student_id" = any ((select app.guardian_student_ids())::uuid[]))) or ("guardians"."deleted_at" is null and exists (select 1 from "public"."student_guardians" as "sg" where "sg"."guardian_id" = "guardians"."id" and "sg"."student_id" = any ((select app.caseload_student_ids())::uuid[]))) or ("guardians"."deleted_at" is null and exists (select 1 from "public"."student_guardians" as "sg" where "sg"."guardian_id" = "guardians"."id" and "sg"."student_id" = any ((select app.own_student_ids())::uuid[]))) or ("guardians"."deleted_at" is null and exists (select 1 from "public"."student_guardians" as "sg" where "sg"."guardian_id" = "guardians"."id" and "sg"."student_id" = any ((select app.school_student_ids())::uuid[]))));--> statement-breakpoint
CREATE POLICY "guardians_tenant_isolation" ON "guardians" AS RESTRICTIVE FOR ALL TO "authenticated" USING ("guardians"."organization_id" = any ((select app.org_ids())::uuid[])) WITH CHECK ("guardians"."organization_id" = any ((select app.org_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "guardians_update_authenticated" ON "guardians" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ("guardians"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[])) WITH CHECK ("guardians"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "student_guardians_delete_authenticated" ON "student_guardians" AS PERMISSIVE FOR DELETE TO "authenticated" USING ("student_guardians"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "student_guardians_insert_authenticated" ON "student_guardians" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("student_guardians"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "student_guardians_select_authenticated" ON "student_guardians" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("student_guardians"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]) or "student_guardians"."student_id" = any ((select app.caseload_student_ids())::uuid[]) or "student_guardians"."student_id" = any ((select app.guardian_student_ids())::uuid[]) or "student_guardians"."student_id" = any ((select app.own_student_ids())::uuid[]) or "student_guardians"."student_id" = any ((select app.school_student_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "student_guardians_tenant_isolation" ON "student_guardians" AS RESTRICTIVE FOR ALL TO "authenticated" USING ("student_guardians"."organization_id" = any ((select app.org_ids())::uuid[])) WITH CHECK ("student_guardians"."organization_id" = any ((select app.org_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "student_guardians_update_authenticated" ON "student_guardians" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ("student_guardians"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[])) WITH CHECK ("student_guardians"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "students_insert_authenticated" ON "students" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("students"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "students_select_authenticated" ON "students" AS PERMISSIVE FOR SELECT TO "authenticated" USING (("students"."deleted_at" is null and "students"."id" = any ((select app.related_student_ids())::uuid[])) or ("students"."deleted_at" is null and "students"."school_id" = any ((select app.staff_school_ids())::uuid[])) or "students"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]) or ("students"."deleted_at" is null and "students"."organization_id" = any ((select app.org_ids('{billing}'::text[]))::uuid[])));--> statement-breakpoint
CREATE POLICY "students_tenant_isolation" ON "students" AS RESTRICTIVE FOR ALL TO "authenticated" USING ("students"."organization_id" = any ((select app.org_ids())::uuid[])) WITH CHECK ("students"."organization_id" = any ((select app.org_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "students_update_authenticated" ON "students" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ("students"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[])) WITH CHECK ("students"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "supervision_assignments_delete_authenticated" ON "supervision_assignments" AS PERMISSIVE FOR DELETE TO "authenticated" USING ("supervision_assignments"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "supervision_assignments_insert_authenticated" ON "supervision_assignments" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("supervision_assignments"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "supervision_assignments_select_authenticated" ON "supervision_assignments" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("supervision_assignments"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]) or "supervision_assignments"."supervisor_id" = (select auth.uid()) or "supervision_assignments"."supervisee_id" = (select auth.uid()) or ("supervision_assignments"."organization_id" = any ((select app.org_ids('{school_staff,guardian}'::text[]))::uuid[]) and "supervision_assignments"."supervisee_id" = any ((select app.care_team_ids())::uuid[])));--> statement-breakpoint
CREATE POLICY "supervision_assignments_tenant_isolation" ON "supervision_assignments" AS RESTRICTIVE FOR ALL TO "authenticated" USING ("supervision_assignments"."organization_id" = any ((select app.org_ids())::uuid[])) WITH CHECK ("supervision_assignments"."organization_id" = any ((select app.org_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "supervision_assignments_update_authenticated" ON "supervision_assignments" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ("supervision_assignments"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[])) WITH CHECK ("supervision_assignments"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "therapists_insert_authenticated" ON "therapists" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("therapists"."id" = any ((select app.member_user_ids('{org_admin}'::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "therapists_select_authenticated" ON "therapists" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("therapists"."id" = (select auth.uid()) or "therapists"."id" = any ((select app.member_user_ids('{org_admin,therapist,school_staff,billing}'::text[]))::uuid[]) or "therapists"."id" = any ((select app.care_team_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "therapists_update_authenticated" ON "therapists" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ("therapists"."id" = any ((select app.member_user_ids('{org_admin}'::text[]))::uuid[])) WITH CHECK ("therapists"."id" = any ((select app.member_user_ids('{org_admin}'::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "caseload_assignments_delete_authenticated" ON "caseload_assignments" AS PERMISSIVE FOR DELETE TO "authenticated" USING ("caseload_assignments"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "caseload_assignments_insert_authenticated" ON "caseload_assignments" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("caseload_assignments"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "caseload_assignments_select_authenticated" ON "caseload_assignments" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("caseload_assignments"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]) or "caseload_assignments"."therapist_id" = (select auth.uid()) or "caseload_assignments"."student_id" = any ((select app.caseload_student_ids())::uuid[]) or "caseload_assignments"."therapist_id" = any ((select app.supervised_therapist_ids())::uuid[]) or "caseload_assignments"."student_id" = any ((select app.guardian_student_ids())::uuid[]) or "caseload_assignments"."student_id" = any ((select app.school_student_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "caseload_assignments_tenant_isolation" ON "caseload_assignments" AS RESTRICTIVE FOR ALL TO "authenticated" USING ("caseload_assignments"."organization_id" = any ((select app.org_ids())::uuid[])) WITH CHECK ("caseload_assignments"."organization_id" = any ((select app.org_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "caseload_assignments_update_authenticated" ON "caseload_assignments" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ("caseload_assignments"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[])) WITH CHECK ("caseload_assignments"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "consents_insert_authenticated" ON "consents" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK (("consents"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]) and "consents"."recorded_by" = (select auth.uid())) or ("consents"."student_id" = any ((select app.assigned_student_ids())::uuid[]) and "consents"."recorded_by" = (select auth.uid())));--> statement-breakpoint
CREATE POLICY "consents_select_authenticated" ON "consents" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("consents"."organization_id" = any ((select app.org_ids('{org_admin,billing}'::text[]))::uuid[]) or "consents"."student_id" = any ((select app.caseload_student_ids())::uuid[]) or "consents"."student_id" = any ((select app.guardian_student_ids())::uuid[]) or "consents"."student_id" = any ((select app.own_adult_student_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "consents_tenant_isolation" ON "consents" AS RESTRICTIVE FOR ALL TO "authenticated" USING ("consents"."organization_id" = any ((select app.org_ids())::uuid[])) WITH CHECK ("consents"."organization_id" = any ((select app.org_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "consents_update_authenticated" ON "consents" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ("consents"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]) or "consents"."student_id" = any ((select app.guardian_student_ids())::uuid[]) or "consents"."student_id" = any ((select app.own_adult_student_ids())::uuid[])) WITH CHECK ("consents"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]) or "consents"."student_id" = any ((select app.guardian_student_ids())::uuid[]) or "consents"."student_id" = any ((select app.own_adult_student_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "service_mandates_delete_authenticated" ON "service_mandates" AS PERMISSIVE FOR DELETE TO "authenticated" USING ("service_mandates"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "service_mandates_insert_authenticated" ON "service_mandates" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("service_mandates"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]) or exists (select 1 from "public"."service_plans" as "p" where "p"."id" = "service_mandates"."service_plan_id" and "p"."student_id" = any ((select app.assigned_student_ids())::uuid[])));--> statement-breakpoint
CREATE POLICY "service_mandates_select_authenticated" ON "service_mandates" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("service_mandates"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]) or exists (select 1 from "public"."service_plans" as "p" where "p"."id" = "service_mandates"."service_plan_id" and "p"."student_id" = any ((select app.caseload_student_ids())::uuid[])) or exists (select 1 from "public"."service_plans" as "p" where "p"."id" = "service_mandates"."service_plan_id" and "p"."student_id" = any ((select app.guardian_student_ids())::uuid[])) or exists (select 1 from "public"."service_plans" as "p" where "p"."id" = "service_mandates"."service_plan_id" and "p"."student_id" = any ((select app.own_student_ids())::uuid[])) or exists (select 1 from "public"."service_plans" as "p" where "p"."id" = "service_mandates"."service_plan_id" and "p"."student_id" = any ((select app.school_student_ids())::uuid[])));--> statement-breakpoint
CREATE POLICY "service_mandates_tenant_isolation" ON "service_mandates" AS RESTRICTIVE FOR ALL TO "authenticated" USING ("service_mandates"."organization_id" = any ((select app.org_ids())::uuid[])) WITH CHECK ("service_mandates"."organization_id" = any ((select app.org_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "service_mandates_update_authenticated" ON "service_mandates" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ("service_mandates"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]) or exists (select 1 from "public"."service_plans" as "p" where "p"."id" = "service_mandates"."service_plan_id" and "p"."student_id" = any ((select app.assigned_student_ids())::uuid[]))) WITH CHECK ("service_mandates"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]) or exists (select 1 from "public"."service_plans" as "p" where "p"."id" = "service_mandates"."service_plan_id" and "p"."student_id" = any ((select app.assigned_student_ids())::uuid[])));--> statement-breakpoint
CREATE POLICY "service_plans_delete_authenticated" ON "service_plans" AS PERMISSIVE FOR DELETE TO "authenticated" USING ("service_plans"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "service_plans_insert_authenticated" ON "service_plans" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("service_plans"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]) or ("service_plans"."student_id" = any ((select app.assigned_student_ids())::uuid[]) and "service_plans"."created_by" = (select auth.uid())));--> statement-breakpoint
CREATE POLICY "service_plans_select_authenticated" ON "service_plans" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("service_plans"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]) or "service_plans"."student_id" = any ((select app.caseload_student_ids())::uuid[]) or "service_plans"."student_id" = any ((select app.guardian_student_ids())::uuid[]) or "service_plans"."student_id" = any ((select app.own_student_ids())::uuid[]) or "service_plans"."student_id" = any ((select app.school_student_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "service_plans_tenant_isolation" ON "service_plans" AS RESTRICTIVE FOR ALL TO "authenticated" USING ("service_plans"."organization_id" = any ((select app.org_ids())::uuid[])) WITH CHECK ("service_plans"."organization_id" = any ((select app.org_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "service_plans_update_authenticated" ON "service_plans" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ("service_plans"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]) or "service_plans"."student_id" = any ((select app.assigned_student_ids())::uuid[])) WITH CHECK ("service_plans"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]) or "service_plans"."student_id" = any ((select app.assigned_student_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "calendar_blackouts_delete_authenticated" ON "calendar_blackouts" AS PERMISSIVE FOR DELETE TO "authenticated" USING ("calendar_blackouts"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "calendar_blackouts_insert_authenticated" ON "calendar_blackouts" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("calendar_blackouts"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]) or ("calendar_blackouts"."therapist_id" = (select auth.uid()) and "calendar_blackouts"."kind" = 'therapist_leave' and "calendar_blackouts"."organization_id" = any ((select app.org_ids('{therapist}'::text[]))::uuid[])));--> statement-breakpoint
CREATE POLICY "calendar_blackouts_select_authenticated" ON "calendar_blackouts" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("calendar_blackouts"."organization_id" = any ((select app.org_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "calendar_blackouts_tenant_isolation" ON "calendar_blackouts" AS RESTRICTIVE FOR ALL TO "authenticated" USING ("calendar_blackouts"."organization_id" = any ((select app.org_ids())::uuid[])) WITH CHECK ("calendar_blackouts"."organization_id" = any ((select app.org_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "calendar_blackouts_update_authenticated" ON "calendar_blackouts" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ("calendar_blackouts"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]) or ("calendar_blackouts"."therapist_id" = (select auth.uid()) and "calendar_blackouts"."kind" = 'therapist_leave' and "calendar_blackouts"."organization_id" = any ((select app.org_ids('{therapist}'::text[]))::uuid[]))) WITH CHECK ("calendar_blackouts"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]) or ("calendar_blackouts"."therapist_id" = (select auth.uid()) and "calendar_blackouts"."kind" = 'therapist_leave' and "calendar_blackouts"."organization_id" = any ((select app.org_ids('{therapist}'::text[]))::uuid[])));--> statement-breakpoint
CREATE POLICY "session_participants_insert_authenticated" ON "session_participants" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("session_participants"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]) or "session_participants"."student_id" = any ((select app.assigned_student_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "session_participants_select_authenticated" ON "session_participants" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("session_participants"."student_id" = any ((select app.related_student_ids())::uuid[]) or "session_participants"."student_id" = any ((select app.school_student_ids())::uuid[]) or "session_participants"."organization_id" = any ((select app.org_ids('{org_admin,billing}'::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "session_participants_tenant_isolation" ON "session_participants" AS RESTRICTIVE FOR ALL TO "authenticated" USING ("session_participants"."organization_id" = any ((select app.org_ids())::uuid[])) WITH CHECK ("session_participants"."organization_id" = any ((select app.org_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "session_participants_update_authenticated" ON "session_participants" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ("session_participants"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]) or "session_participants"."student_id" = any ((select app.assigned_student_ids())::uuid[])) WITH CHECK ("session_participants"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]) or "session_participants"."student_id" = any ((select app.assigned_student_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "session_series_delete_authenticated" ON "session_series" AS PERMISSIVE FOR DELETE TO "authenticated" USING ("session_series"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "session_series_insert_authenticated" ON "session_series" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("session_series"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]) or ("session_series"."therapist_id" = (select auth.uid()) and "session_series"."created_by" = (select auth.uid()) and "session_series"."organization_id" = any ((select app.org_ids('{therapist}'::text[]))::uuid[])));--> statement-breakpoint
CREATE POLICY "session_series_select_authenticated" ON "session_series" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("session_series"."organization_id" = any ((select app.org_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "session_series_tenant_isolation" ON "session_series" AS RESTRICTIVE FOR ALL TO "authenticated" USING ("session_series"."organization_id" = any ((select app.org_ids())::uuid[])) WITH CHECK ("session_series"."organization_id" = any ((select app.org_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "session_series_update_authenticated" ON "session_series" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ("session_series"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]) or ("session_series"."therapist_id" = (select auth.uid()) and "session_series"."organization_id" = any ((select app.org_ids('{therapist}'::text[]))::uuid[]))) WITH CHECK ("session_series"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]) or ("session_series"."therapist_id" = (select auth.uid()) and "session_series"."organization_id" = any ((select app.org_ids('{therapist}'::text[]))::uuid[])));--> statement-breakpoint
CREATE POLICY "session_types_delete_authenticated" ON "session_types" AS PERMISSIVE FOR DELETE TO "authenticated" USING ("session_types"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "session_types_insert_authenticated" ON "session_types" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("session_types"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "session_types_select_authenticated" ON "session_types" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("session_types"."organization_id" = any ((select app.org_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "session_types_tenant_isolation" ON "session_types" AS RESTRICTIVE FOR ALL TO "authenticated" USING ("session_types"."organization_id" = any ((select app.org_ids())::uuid[])) WITH CHECK ("session_types"."organization_id" = any ((select app.org_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "session_types_update_authenticated" ON "session_types" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ("session_types"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[])) WITH CHECK ("session_types"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "therapy_sessions_insert_authenticated" ON "therapy_sessions" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("therapy_sessions"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]) or ("therapy_sessions"."therapist_id" = (select auth.uid()) and "therapy_sessions"."created_by" = (select auth.uid()) and "therapy_sessions"."organization_id" = any ((select app.org_ids('{therapist}'::text[]))::uuid[]) and "therapy_sessions"."deleted_at" is null));--> statement-breakpoint
CREATE POLICY "therapy_sessions_select_authenticated" ON "therapy_sessions" AS PERMISSIVE FOR SELECT TO "authenticated" USING (("therapy_sessions"."deleted_at" is null and "therapy_sessions"."therapist_id" = (select auth.uid())) or ("therapy_sessions"."deleted_at" is null and "therapy_sessions"."id" = any ((select app.related_session_ids())::uuid[])) or ("therapy_sessions"."deleted_at" is null and "therapy_sessions"."therapist_id" = any ((select app.supervised_therapist_ids())::uuid[])) or ("therapy_sessions"."deleted_at" is null and "therapy_sessions"."school_id" = any ((select app.staff_school_ids())::uuid[])) or "therapy_sessions"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]) or ("therapy_sessions"."deleted_at" is null and "therapy_sessions"."organization_id" = any ((select app.org_ids('{billing}'::text[]))::uuid[])));--> statement-breakpoint
CREATE POLICY "therapy_sessions_tenant_isolation" ON "therapy_sessions" AS RESTRICTIVE FOR ALL TO "authenticated" USING ("therapy_sessions"."organization_id" = any ((select app.org_ids())::uuid[])) WITH CHECK ("therapy_sessions"."organization_id" = any ((select app.org_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "therapy_sessions_update_authenticated" ON "therapy_sessions" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ("therapy_sessions"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]) or ("therapy_sessions"."therapist_id" = (select auth.uid()) and "therapy_sessions"."organization_id" = any ((select app.org_ids('{therapist}'::text[]))::uuid[]) and "therapy_sessions"."deleted_at" is null)) WITH CHECK ("therapy_sessions"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]) or ("therapy_sessions"."therapist_id" = (select auth.uid()) and "therapy_sessions"."organization_id" = any ((select app.org_ids('{therapist}'::text[]))::uuid[]) and "therapy_sessions"."deleted_at" is null));--> statement-breakpoint
CREATE POLICY "session_notes_delete_authenticated" ON "session_notes" AS PERMISSIVE FOR DELETE TO "authenticated" USING ("session_notes"."author_id" = (select auth.uid()) and "session_notes"."status" = 'draft');--> statement-breakpoint
CREATE POLICY "session_notes_insert_authenticated" ON "session_notes" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("session_notes"."author_id" = (select auth.uid()) and "session_notes"."status" = 'draft' and "session_notes"."student_id" = any ((select app.assigned_student_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "session_notes_select_authenticated" ON "session_notes" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("session_notes"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]) or "session_notes"."student_id" = any ((select app.caseload_student_ids())::uuid[]) or "session_notes"."author_id" = (select auth.uid()) or ("session_notes"."status" = 'signed' and "session_notes"."visible_to_guardian" = true and "session_notes"."student_id" = any ((select app.guardian_student_ids())::uuid[])));--> statement-breakpoint
CREATE POLICY "session_notes_tenant_isolation" ON "session_notes" AS RESTRICTIVE FOR ALL TO "authenticated" USING ("session_notes"."organization_id" = any ((select app.org_ids())::uuid[])) WITH CHECK ("session_notes"."organization_id" = any ((select app.org_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "session_notes_update_authenticated" ON "session_notes" AS PERMISSIVE FOR UPDATE TO "authenticated" USING (("session_notes"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]) and "session_notes"."status" = 'signed') or ("session_notes"."author_id" = (select auth.uid()) and "session_notes"."status" = 'draft') or ("session_notes"."status" = 'pending_cosign' and "session_notes"."author_id" = any ((select app.supervised_therapist_ids())::uuid[]))) WITH CHECK (("session_notes"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]) and "session_notes"."status" in ('signed', 'void')) or ("session_notes"."author_id" = (select auth.uid()) and "session_notes"."status" in ('draft', 'pending_cosign', 'signed')) or ("session_notes"."status" = 'signed' and "session_notes"."cosigned_by" = (select auth.uid()) and "session_notes"."author_id" = any ((select app.supervised_therapist_ids())::uuid[])));--> statement-breakpoint
CREATE POLICY "goal_observations_insert_authenticated" ON "goal_observations" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("goal_observations"."student_id" = any ((select app.assigned_student_ids())::uuid[]) and "goal_observations"."recorded_by" = (select auth.uid()));--> statement-breakpoint
CREATE POLICY "goal_observations_select_authenticated" ON "goal_observations" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("goal_observations"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]) or "goal_observations"."student_id" = any ((select app.caseload_student_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "goal_observations_tenant_isolation" ON "goal_observations" AS RESTRICTIVE FOR ALL TO "authenticated" USING ("goal_observations"."organization_id" = any ((select app.org_ids())::uuid[])) WITH CHECK ("goal_observations"."organization_id" = any ((select app.org_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "goals_delete_authenticated" ON "goals" AS PERMISSIVE FOR DELETE TO "authenticated" USING ("goals"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "goals_insert_authenticated" ON "goals" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("goals"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]) or ("goals"."student_id" = any ((select app.assigned_student_ids())::uuid[]) and "goals"."created_by" = (select auth.uid())));--> statement-breakpoint
CREATE POLICY "goals_select_authenticated" ON "goals" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("goals"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]) or "goals"."student_id" = any ((select app.caseload_student_ids())::uuid[]) or "goals"."student_id" = any ((select app.guardian_student_ids())::uuid[]) or "goals"."student_id" = any ((select app.own_student_ids())::uuid[]) or "goals"."student_id" = any ((select app.school_student_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "goals_tenant_isolation" ON "goals" AS RESTRICTIVE FOR ALL TO "authenticated" USING ("goals"."organization_id" = any ((select app.org_ids())::uuid[])) WITH CHECK ("goals"."organization_id" = any ((select app.org_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "goals_update_authenticated" ON "goals" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ("goals"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]) or "goals"."student_id" = any ((select app.assigned_student_ids())::uuid[])) WITH CHECK ("goals"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]) or "goals"."student_id" = any ((select app.assigned_student_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "progress_reports_insert_authenticated" ON "progress_reports" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("progress_reports"."author_id" = (select auth.uid()) and "progress_reports"."student_id" = any ((select app.assigned_student_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "progress_reports_select_authenticated" ON "progress_reports" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("progress_reports"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]) or "progress_reports"."student_id" = any ((select app.caseload_student_ids())::uuid[]) or "progress_reports"."author_id" = (select auth.uid()) or ("progress_reports"."status" = 'shared' and "progress_reports"."student_id" = any ((select app.guardian_student_ids())::uuid[])) or ("progress_reports"."status" = 'shared' and "progress_reports"."student_id" = any ((select app.own_student_ids())::uuid[])) or ("progress_reports"."status" = 'shared' and "progress_reports"."student_id" = any ((select app.school_student_ids())::uuid[])));--> statement-breakpoint
CREATE POLICY "progress_reports_tenant_isolation" ON "progress_reports" AS RESTRICTIVE FOR ALL TO "authenticated" USING ("progress_reports"."organization_id" = any ((select app.org_ids())::uuid[])) WITH CHECK ("progress_reports"."organization_id" = any ((select app.org_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "progress_reports_update_authenticated" ON "progress_reports" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ("progress_reports"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]) or "progress_reports"."author_id" = (select auth.uid())) WITH CHECK ("progress_reports"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]) or "progress_reports"."author_id" = (select auth.uid()));--> statement-breakpoint
CREATE POLICY "conversation_participants_insert_authenticated" ON "conversation_participants" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("conversation_participants"."organization_id" = any ((select app.org_ids('{org_admin,therapist,school_staff,guardian}'::text[]))::uuid[]) and exists (select 1 from "public"."conversations" as "c" where "c"."id" = "conversation_participants"."conversation_id" and "c"."created_by" = (select auth.uid())) and "conversation_participants"."user_id" = any ((select app.member_user_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "conversation_participants_select_authenticated" ON "conversation_participants" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("conversation_participants"."conversation_id" = any ((select app.conversation_ids())::uuid[]) or "conversation_participants"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "conversation_participants_tenant_isolation" ON "conversation_participants" AS RESTRICTIVE FOR ALL TO "authenticated" USING ("conversation_participants"."organization_id" = any ((select app.org_ids())::uuid[])) WITH CHECK ("conversation_participants"."organization_id" = any ((select app.org_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "conversation_participants_update_authenticated" ON "conversation_participants" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ("conversation_participants"."user_id" = (select auth.uid())) WITH CHECK ("conversation_participants"."user_id" = (select auth.uid()));--> statement-breakpoint
CREATE POLICY "conversations_insert_authenticated" ON "conversations" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("conversations"."created_by" = (select auth.uid()) and "conversations"."organization_id" = any ((select app.org_ids('{org_admin,therapist,school_staff,guardian}'::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "conversations_select_authenticated" ON "conversations" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("conversations"."id" = any ((select app.conversation_ids())::uuid[]) or "conversations"."created_by" = (select auth.uid()) or "conversations"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "conversations_tenant_isolation" ON "conversations" AS RESTRICTIVE FOR ALL TO "authenticated" USING ("conversations"."organization_id" = any ((select app.org_ids())::uuid[])) WITH CHECK ("conversations"."organization_id" = any ((select app.org_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "conversations_update_authenticated" ON "conversations" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ("conversations"."created_by" = (select auth.uid()) and "conversations"."organization_id" = any ((select app.org_ids('{org_admin,therapist,school_staff,guardian}'::text[]))::uuid[])) WITH CHECK ("conversations"."created_by" = (select auth.uid()) and "conversations"."organization_id" = any ((select app.org_ids('{org_admin,therapist,school_staff,guardian}'::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "messages_insert_authenticated" ON "messages" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("messages"."sender_id" = (select auth.uid()) and "messages"."deleted_at" is null and "messages"."conversation_id" = any ((select app.message_conversation_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "messages_select_authenticated" ON "messages" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("messages"."deleted_at" is null and "messages"."conversation_id" = any ((select app.message_conversation_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "messages_tenant_isolation" ON "messages" AS RESTRICTIVE FOR ALL TO "authenticated" USING ("messages"."organization_id" = any ((select app.org_ids())::uuid[])) WITH CHECK ("messages"."organization_id" = any ((select app.org_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "messages_update_authenticated" ON "messages" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ("messages"."sender_id" = (select auth.uid()) and "messages"."deleted_at" is null and "messages"."conversation_id" = any ((select app.message_conversation_ids())::uuid[])) WITH CHECK ("messages"."sender_id" = (select auth.uid()) and "messages"."deleted_at" is null and "messages"."conversation_id" = any ((select app.message_conversation_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "documents_insert_authenticated" ON "documents" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("documents"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]) or ("documents"."uploaded_by" = (select auth.uid()) and "documents"."student_id" = any ((select app.assigned_student_ids())::uuid[]) and "documents"."deleted_at" is null) or ("documents"."uploaded_by" = (select auth.uid()) and "documents"."category" = 'chat_attachment' and "documents"."visibility" = 'participants' and "documents"."conversation_id" = any ((select app.message_conversation_ids())::uuid[]) and "documents"."student_id" is null and "documents"."session_id" is null and "documents"."deleted_at" is null));--> statement-breakpoint
CREATE POLICY "documents_select_authenticated" ON "documents" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("documents"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]) or ("documents"."deleted_at" is null and "documents"."student_id" = any ((select app.caseload_student_ids())::uuid[])) or ("documents"."deleted_at" is null and "documents"."uploaded_by" = (select auth.uid())) or ("documents"."deleted_at" is null and "documents"."visibility" = 'guardians' and "documents"."student_id" = any ((select app.guardian_student_ids())::uuid[])) or ("documents"."deleted_at" is null and "documents"."visibility" = 'guardians' and "documents"."student_id" = any ((select app.own_student_ids())::uuid[])) or ("documents"."deleted_at" is null and "documents"."visibility" = 'participants' and "documents"."conversation_id" = any ((select app.message_conversation_ids())::uuid[])));--> statement-breakpoint
CREATE POLICY "documents_tenant_isolation" ON "documents" AS RESTRICTIVE FOR ALL TO "authenticated" USING ("documents"."organization_id" = any ((select app.org_ids())::uuid[])) WITH CHECK ("documents"."organization_id" = any ((select app.org_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "documents_update_authenticated" ON "documents" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ("documents"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[])) WITH CHECK ("documents"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "billing_codes_insert_authenticated" ON "billing_codes" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("billing_codes"."organization_id" = any ((select app.org_ids('{billing}'::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "billing_codes_select_authenticated" ON "billing_codes" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("billing_codes"."organization_id" = any ((select app.org_ids('{org_admin,therapist,billing}'::text[]))::uuid[]) or ("billing_codes"."organization_id" is null and (select app.has_role('{org_admin,therapist,billing}'::text[]))));--> statement-breakpoint
CREATE POLICY "billing_codes_tenant_isolation" ON "billing_codes" AS RESTRICTIVE FOR ALL TO "authenticated" USING ("billing_codes"."organization_id" is null or "billing_codes"."organization_id" = any ((select app.org_ids())::uuid[])) WITH CHECK ("billing_codes"."organization_id" is null or "billing_codes"."organization_id" = any ((select app.org_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "billing_codes_update_authenticated" ON "billing_codes" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ("billing_codes"."organization_id" = any ((select app.org_ids('{billing}'::text[]))::uuid[])) WITH CHECK ("billing_codes"."organization_id" = any ((select app.org_ids('{billing}'::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "service_charges_insert_authenticated" ON "service_charges" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("service_charges"."organization_id" = any ((select app.org_ids('{billing}'::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "service_charges_select_authenticated" ON "service_charges" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("service_charges"."organization_id" = any ((select app.org_ids('{org_admin,billing}'::text[]))::uuid[]) or "service_charges"."rendering_provider_id" = (select auth.uid()) or "service_charges"."supervising_provider_id" = (select auth.uid()) or "service_charges"."rendering_provider_id" = any ((select app.supervised_therapist_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "service_charges_tenant_isolation" ON "service_charges" AS RESTRICTIVE FOR ALL TO "authenticated" USING ("service_charges"."organization_id" = any ((select app.org_ids())::uuid[])) WITH CHECK ("service_charges"."organization_id" = any ((select app.org_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "service_charges_update_authenticated" ON "service_charges" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ("service_charges"."organization_id" = any ((select app.org_ids('{billing}'::text[]))::uuid[])) WITH CHECK ("service_charges"."organization_id" = any ((select app.org_ids('{billing}'::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "notifications_select_authenticated" ON "notifications" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("notifications"."user_id" = (select auth.uid()));--> statement-breakpoint
CREATE POLICY "notifications_tenant_isolation" ON "notifications" AS RESTRICTIVE FOR ALL TO "authenticated" USING ("notifications"."organization_id" is null or "notifications"."organization_id" = any ((select app.org_ids())::uuid[])) WITH CHECK ("notifications"."organization_id" is null or "notifications"."organization_id" = any ((select app.org_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "notifications_update_authenticated" ON "notifications" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ("notifications"."user_id" = (select auth.uid())) WITH CHECK ("notifications"."user_id" = (select auth.uid()));--> statement-breakpoint
CREATE POLICY "webhook_subscriptions_delete_authenticated" ON "webhook_subscriptions" AS PERMISSIVE FOR DELETE TO "authenticated" USING ("webhook_subscriptions"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "webhook_subscriptions_insert_authenticated" ON "webhook_subscriptions" AS PERMISSIVE FOR INSERT TO "authenticated" WITH CHECK ("webhook_subscriptions"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "webhook_subscriptions_select_authenticated" ON "webhook_subscriptions" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("webhook_subscriptions"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "webhook_subscriptions_tenant_isolation" ON "webhook_subscriptions" AS RESTRICTIVE FOR ALL TO "authenticated" USING ("webhook_subscriptions"."organization_id" = any ((select app.org_ids())::uuid[])) WITH CHECK ("webhook_subscriptions"."organization_id" = any ((select app.org_ids())::uuid[]));--> statement-breakpoint
CREATE POLICY "webhook_subscriptions_update_authenticated" ON "webhook_subscriptions" AS PERMISSIVE FOR UPDATE TO "authenticated" USING ("webhook_subscriptions"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[])) WITH CHECK ("webhook_subscriptions"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "audit_log_select_authenticated" ON "audit"."audit_log" AS PERMISSIVE FOR SELECT TO "authenticated" USING ("audit"."audit_log"."organization_id" = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]));--> statement-breakpoint
CREATE POLICY "audit_log_tenant_isolation" ON "audit"."audit_log" AS RESTRICTIVE FOR ALL TO "authenticated" USING ("audit"."audit_log"."organization_id" = any ((select app.org_ids())::uuid[])) WITH CHECK ("audit"."audit_log"."organization_id" = any ((select app.org_ids())::uuid[]));