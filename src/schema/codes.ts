/**
 * Every code list of the schema, as plain `as const` arrays. The tables turn each list into a named
 * `CHECK (column in (...))` and the Zod validators into `z.enum(list)`, so the database and the API
 * accept exactly the same values. Extending a list is a migration (the CHECK changes), not an enum
 * rewrite.
 *
 * This module is pure data (no drizzle import) so that client code can use it too.
 */

// ------------------------------------------------------------------ identity & organisation
export const orgTypes = ['school_district', 'charter_school', 'private_school', 'clinic', 'contract_agency'] as const;
export type OrgType = (typeof orgTypes)[number];

export const memberRoles = ['org_admin', 'therapist', 'school_staff', 'guardian', 'student', 'billing'] as const;
export type MemberRole = (typeof memberRoles)[number];

// declined and left are the member's own decisions (organization_members_protect_own): an invitation
// declined, an organisation left. Like invited and suspended, they count for nothing.
export const memberStatuses = ['invited', 'active', 'suspended', 'declined', 'left'] as const;
export type MemberStatus = (typeof memberStatuses)[number];

/**
 * The IANA time zones a school or an organisation of this platform may be in: those of the United
 * States and its territories (the canonical zones of the IANA database, as PostgreSQL and every
 * browser know them), and `UTC`. `at time zone` must understand the value wherever it is used, so
 * the list is closed; another zone is a schema change.
 */
export const timeZones = [
  'America/New_York', 'America/Detroit', 'America/Kentucky/Louisville', 'America/Kentucky/Monticello',
  'America/Indiana/Indianapolis', 'America/Indiana/Vincennes', 'America/Indiana/Winamac', 'America/Indiana/Marengo',
  'America/Indiana/Petersburg', 'America/Indiana/Vevay', 'America/Chicago', 'America/Indiana/Tell_City',
  'America/Indiana/Knox', 'America/Menominee', 'America/North_Dakota/Center', 'America/North_Dakota/New_Salem',
  'America/North_Dakota/Beulah', 'America/Denver', 'America/Boise', 'America/Phoenix', 'America/Los_Angeles',
  'America/Anchorage', 'America/Juneau', 'America/Sitka', 'America/Metlakatla', 'America/Yakutat', 'America/Nome',
  'America/Adak', 'Pacific/Honolulu', 'America/Puerto_Rico', 'America/St_Thomas', 'Pacific/Guam', 'Pacific/Saipan',
  'Pacific/Pago_Pago', 'UTC',
] as const;
export type TimeZone = (typeof timeZones)[number];

/**
 * The characters trimmed before a name is judged blank or measured: Unicode's White_Space (tab,
 * line feed, vertical tab, form feed, carriage return, space, next line, no-break space, ogham
 * space mark, the en quad to hair space, line and paragraph separators, narrow no-break space,
 * medium mathematical space, ideographic space). PostgreSQL's `btrim(x)` alone trims spaces only.
 */
export const whitespace = [
  '\u0009', '\u000a', '\u000b', '\u000c', '\u000d', '\u0020', '\u0085', '\u00a0', '\u1680',
  '\u2000', '\u2001', '\u2002', '\u2003', '\u2004', '\u2005', '\u2006', '\u2007', '\u2008', '\u2009', '\u200a',
  '\u2028', '\u2029', '\u202f', '\u205f', '\u3000',
] as const;

/**
 * An e-mail address as the database stores it (profiles.email, guardians.email): the HTML
 * standard's valid e-mail address (what `<input type=email>` accepts) with a dot in the domain, in
 * ASCII, at most 254 characters. Written with explicit classes so it means the same to
 * PostgreSQL's regular expressions and to JavaScript's.
 */
export const emailPattern =
  "^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$";
export const emailMaxLength = 254;

// ------------------------------------------------------------------ people
export const disciplines = ['slp', 'ot', 'pt', 'counseling', 'psychology', 'audiology'] as const;
export type Discipline = (typeof disciplines)[number];

export const credentials = [
  'CCC-SLP', 'SLP-CF', 'SLPA', 'OTR/L', 'COTA/L', 'PT', 'PTA', 'LPC', 'LCSW', 'LMFT', 'NCSP', 'CCC-A', 'other',
] as const;
export type Credential = (typeof credentials)[number];

/** Credentials that may only practise under supervision (drives `therapists.requires_supervision`). */
export const supervisedCredentials = ['SLP-CF', 'SLPA', 'COTA/L', 'PTA'] as const satisfies readonly Credential[];
export type SupervisedCredential = (typeof supervisedCredentials)[number];

export const gradeLevels = ['PK', 'K', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', 'post'] as const;
export type GradeLevel = (typeof gradeLevels)[number];

export const eligibilities = ['iep', '504', 'ifsp', 'rti', 'private_referral', 'none'] as const;
export type Eligibility = (typeof eligibilities)[number];

export const studentStatuses = ['referred', 'active', 'exited', 'transferred'] as const;
export type StudentStatus = (typeof studentStatuses)[number];

export const preferredContacts = ['app', 'email', 'sms', 'phone'] as const;
export type PreferredContact = (typeof preferredContacts)[number];

export const guardianRelationships = [
  'mother', 'father', 'parent', 'grandparent', 'foster_parent', 'legal_guardian', 'educational_surrogate', 'other',
] as const;
export type GuardianRelationship = (typeof guardianRelationships)[number];

export const supervisionTypes = ['slpa', 'clinical_fellowship', 'cota', 'pta', 'intern', 'peer_review'] as const;
export type SupervisionType = (typeof supervisionTypes)[number];

// ------------------------------------------------------------------ caseload, plans, consent
export const assignmentRoles = ['primary', 'secondary', 'consult', 'evaluator'] as const;
export type AssignmentRole = (typeof assignmentRoles)[number];

export const planTypes = ['iep', '504', 'ifsp', 'plan_of_care'] as const;
export type PlanType = (typeof planTypes)[number];

export const planStatuses = ['draft', 'active', 'superseded', 'expired', 'closed'] as const;
export type PlanStatus = (typeof planStatuses)[number];

export const mandatePeriods = ['week', 'month', 'quarter', 'year'] as const;
export type MandatePeriod = (typeof mandatePeriods)[number];

export const deliverySettings = ['pull_out', 'push_in', 'consult', 'telehealth'] as const;
export type DeliverySetting = (typeof deliverySettings)[number];

export const consentTypes = [
  'evaluation', 'treatment', 'medicaid_billing', 'telehealth', 'release_of_information', 'messaging', 'media',
] as const;
export type ConsentType = (typeof consentTypes)[number];

export const signatureMethods = ['wet_ink_scanned', 'e_signature', 'verbal_documented'] as const;
export type SignatureMethod = (typeof signatureMethods)[number];

// ------------------------------------------------------------------ scheduling
export const sessionKinds = ['therapy', 'evaluation', 'reevaluation', 'consultation', 'iep_meeting', 'screening'] as const;
export type SessionKind = (typeof sessionKinds)[number];

export const deliveryModes = ['in_person', 'telehealth'] as const;
export type DeliveryMode = (typeof deliveryModes)[number];

export const sessionStatuses = ['scheduled', 'confirmed', 'in_progress', 'completed', 'cancelled', 'no_show'] as const;
export type SessionStatus = (typeof sessionStatuses)[number];

/**
 * Statuses in which a session occupies the therapist's and the students' time: the exclusion
 * constraints (no overlap) and `session_participants.is_active` use this list.
 */
export const activeSessionStatuses = ['scheduled', 'confirmed', 'in_progress', 'completed'] as const satisfies readonly SessionStatus[];
export type ActiveSessionStatus = (typeof activeSessionStatuses)[number];

export const cancellationReasons = [
  'student_absent', 'therapist_absent', 'school_closure', 'student_unavailable', 'scheduling_conflict',
  'guardian_request', 'weather', 'other',
] as const;
export type CancellationReason = (typeof cancellationReasons)[number];

export const attendanceCodes = ['expected', 'present', 'absent_excused', 'absent_unexcused', 'tardy', 'left_early'] as const;
export type Attendance = (typeof attendanceCodes)[number];

/** Attendance of a student who received the service: what a charge may bill. */
export const attendedCodes = ['present', 'tardy', 'left_early'] as const satisfies readonly Attendance[];

/** Attendance of a student who was not there. */
export const absentCodes = ['absent_excused', 'absent_unexcused'] as const satisfies readonly Attendance[];

export const blackoutKinds = ['holiday', 'break', 'testing', 'early_release', 'pd_day', 'therapist_leave', 'closure'] as const;
export type BlackoutKind = (typeof blackoutKinds)[number];

// ------------------------------------------------------------------ documentation, goals, progress
export const noteFormats = ['soap', 'narrative', 'dap', 'evaluation'] as const;
export type NoteFormat = (typeof noteFormats)[number];

export const noteStatuses = ['draft', 'pending_cosign', 'signed', 'void'] as const;
export type NoteStatus = (typeof noteStatuses)[number];

export const goalDomains = [
  'articulation', 'expressive_language', 'receptive_language', 'fluency', 'voice', 'pragmatics', 'aac', 'feeding',
  'fine_motor', 'visual_motor', 'sensory', 'self_care', 'gross_motor', 'mobility', 'social_emotional', 'behavior', 'other',
] as const;
export type GoalDomain = (typeof goalDomains)[number];

export const measurementTypes = ['percent_accuracy', 'frequency', 'duration', 'rubric', 'trials', 'latency'] as const;
export type MeasurementType = (typeof measurementTypes)[number];

export const goalStatuses = ['draft', 'active', 'met', 'discontinued', 'carried_over'] as const;
export type GoalStatus = (typeof goalStatuses)[number];

export const promptLevels = ['independent', 'gestural', 'verbal', 'visual', 'model', 'partial_physical', 'full_physical'] as const;
export type PromptLevel = (typeof promptLevels)[number];

export const progressCodes = ['mastered', 'sufficient', 'insufficient', 'not_introduced', 'regression'] as const;
export type ProgressCode = (typeof progressCodes)[number];

export const reportStatuses = ['draft', 'final', 'shared'] as const;
export type ReportStatus = (typeof reportStatuses)[number];

// ------------------------------------------------------------------ chat
export const conversationKinds = ['direct', 'group', 'student_team', 'announcement'] as const;
export type ConversationKind = (typeof conversationKinds)[number];

export const participantRoles = ['owner', 'member', 'read_only'] as const;
export type ParticipantRole = (typeof participantRoles)[number];

// ------------------------------------------------------------------ files
export const storageBuckets = ['student-records', 'chat-attachments', 'org-assets'] as const;
export type StorageBucket = (typeof storageBuckets)[number];

export const documentCategories = [
  'iep', 'evaluation_report', 'consent_form', 'progress_report', 'session_attachment', 'medical_order',
  'chat_attachment', 'org_asset', 'other',
] as const;
export type DocumentCategory = (typeof documentCategories)[number];

export const documentVisibilities = ['staff', 'caseload', 'guardians', 'participants'] as const;
export type DocumentVisibility = (typeof documentVisibilities)[number];

/** Largest object the storage buckets accept (50 MiB), mirrored by `documents.size_bytes`. */
export const maxDocumentBytes = 52_428_800;

/**
 * The bucket each category of document lives in: chat attachments in `chat-attachments`, the
 * organisation's assets in the public `org-assets`, every student record in `student-records`.
 * Tying the bucket to the category keeps a chat attachment (which any participant may upload) out
 * of the public bucket.
 */
export function bucketOfCategory(category: DocumentCategory): StorageBucket {
  return category === 'chat_attachment' ? 'chat-attachments' : category === 'org_asset' ? 'org-assets' : 'student-records';
}

// ------------------------------------------------------------------ billing
export const codeSystems = ['CPT', 'HCPCS', 'STATE'] as const;
export type CodeSystem = (typeof codeSystems)[number];

export const unitRules = ['timed_15min', 'per_session', 'per_evaluation', 'time_range'] as const;
export type UnitRule = (typeof unitRules)[number];

export const payers = ['medicaid', 'private_insurance', 'district', 'self_pay'] as const;
export type Payer = (typeof payers)[number];

export const chargeStatuses = ['pending', 'ready', 'submitted', 'paid', 'denied', 'void'] as const;
export type ChargeStatus = (typeof chargeStatuses)[number];

// ------------------------------------------------------------------ notifications, integrations, audit
export const notificationChannels = ['in_app', 'email', 'sms', 'push'] as const;
export type NotificationChannel = (typeof notificationChannels)[number];

export const outboxStatuses = ['pending', 'in_flight', 'delivered', 'failed', 'dead'] as const;
export type OutboxStatus = (typeof outboxStatuses)[number];

/** What a receiver (an n8n workflow's callback) reports after processing a delivered event. */
export const webhookResultStatuses = ['succeeded', 'failed'] as const;
export type WebhookResultStatus = (typeof webhookResultStatuses)[number];

export const auditActions = ['insert', 'update', 'delete', 'view', 'export', 'disclose', 'sign', 'cosign', 'login'] as const;
export type AuditAction = (typeof auditActions)[number];
