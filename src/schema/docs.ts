import { commentObjects, tableDocs, type DdlObject, type TableDocumentation } from '../ddl';
import { auditLog } from './audit';
import { billingCodes, serviceCharges } from './billing';
import { caseloadAssignments, consents, serviceMandates, servicePlans } from './caseload';
import { conversationParticipants, conversations, messages } from './chat';
import { sessionNotes } from './documentation';
import { documents } from './files';
import { goalObservations, goals, progressReports } from './goals';
import { organizationMembers, organizations, profiles, schools } from './identity';
import { outboxEvents, webhookSubscriptions } from './integrations';
import { notifications } from './notifications';
import { guardians, studentGuardians, students, supervisionAssignments, therapists } from './people';
import { calendarBlackouts, sessionParticipants, sessionSeries, sessionTypes, therapySessions } from './scheduling';

/**
 * Table and column comments (`COMMENT ON`), shown in Supabase Studio, `\d+` and generated API docs.
 * Columns whose name says it all are left out.
 */
const TENANT = 'The owning organisation (tenant); composite FKs keep every reference inside it.';

/** Every table's documentation, as data: compiled to `COMMENT ON` below and to docs/schema.md. */
export const tableDocumentation: readonly TableDocumentation[] = [
  // ---------------------------------------------------------------- identity & organisation
  tableDocs(organizations, {
    table: 'Tenant: a school district, charter or private school, clinic or contract agency. Every tenant row carries its id.',
    columns: {
      slug: 'URL-safe unique handle: lowercase letters, digits and hyphens, 2..63 characters.',
      orgType: 'Kind of organisation: school_district, charter_school, private_school, clinic or contract_agency.',
      stateCode: 'Two-letter US state code (billing and licensure rules depend on it).',
      timezone: 'IANA time zone used to show and schedule sessions when a school has none of its own.',
      npi: 'Organisation NPI (10 digits), the billing provider on claims.',
      medicaidProviderId: 'State Medicaid provider id of the organisation.',
      settings: 'Organisation preferences as a JSON object.',
      deletedAt: 'Soft delete: set when the organisation is retired; null while live.',
    },
  }),
  tableDocs(schools, {
    table: 'A campus of an organisation. Students, staff memberships, sessions and blackouts may belong to one.',
    columns: {
      organizationId: TENANT,
      ncesSchoolId: 'Federal NCES school id (12 digits).',
      address: 'Postal address as a JSON object.',
      timezone: 'IANA time zone of the campus; null means the organisation\'s.',
      deletedAt: 'Soft delete: set when the campus is closed; null while live.',
    },
  }),
  tableDocs(profiles, {
    table: 'One row per Supabase auth user (id = auth.users.id): name and contact details. Users may update only display_name, phone, avatar_path and locale.',
    columns: {
      id: 'The auth.users id, so profiles.id = auth.uid(); deleting the auth user deletes the profile.',
      phone: 'E.164 phone number, e.g. +15551234567.',
      avatarPath: 'Storage path of the avatar image.',
      locale: 'BCP 47 language tag for the user interface.',
      isPlatformAdmin: 'Platform operator flag; users can never set it themselves. Grants no access to clinical tables.',
      deactivatedAt: 'Set when the account is deactivated; the RLS helpers then ignore it.',
    },
  }),
  tableDocs(organizationMembers, {
    table: 'A user\'s app role in an organisation. RLS reads these rows through the app.org_ids() helper; nobody changes their own membership beyond accepting or declining their invitation and leaving.',
    columns: {
      organizationId: TENANT,
      role: 'App role: org_admin, therapist, school_staff, guardian, student or billing. One row per role.',
      schoolId: 'The campus of a school_staff member (required for that role).',
      status: 'invited, active, suspended, declined (the invited user said no) or left (the member left); only active memberships grant access. Only the member declines or leaves; who declined or left comes back through a new invitation.',
      invitedBy: 'Who invited the member; null if unknown or deleted.',
    },
  }),

  // ---------------------------------------------------------------- people
  tableDocs(therapists, {
    table: 'Clinical details of a user who treats students. id is the profile id, so therapist_id = auth.uid().',
    columns: {
      id: 'The profile (and auth user) id of the therapist.',
      discipline: 'slp, ot, pt, counseling, psychology or audiology.',
      credential: 'Professional credential, e.g. CCC-SLP, SLPA, OTR/L, COTA/L, PT, PTA.',
      requiresSupervision: 'Generated: true for credentials that may only practise under supervision (SLP-CF, SLPA, COTA/L, PTA).',
      npi: 'Individual NPI (10 digits), the rendering provider on claims; unique.',
      licenseNumber: 'State licence number; set together with license_state.',
      licenseState: 'Two-letter state of the licence; set together with license_number.',
    },
  }),
  tableDocs(students, {
    table: 'A student receiving services. Soft-deleted (deleted_at), never removed, because records must be retained.',
    columns: {
      organizationId: TENANT,
      schoolId: 'The student\'s campus; school staff see the students of their school.',
      userId: 'Login of a student who uses the app themselves; null for most students.',
      localStudentId: 'The district\'s own student number; unique per organisation.',
      gradeLevel: 'PK, K, 1..12 or post (post-secondary transition).',
      eligibility: 'Basis for services: iep, 504, ifsp, rti, private_referral or none.',
      status: 'referred, active, exited or transferred.',
      deletedAt: 'Soft delete: hidden from every policy once set.',
    },
  }),
  tableDocs(guardians, {
    table: 'A parent or guardian; with a login (user_id) they use the family portal.',
    columns: {
      organizationId: TENANT,
      userId: 'Portal login of the guardian; null when they have none.',
      preferredContact: 'How to reach the guardian: app, email, sms or phone.',
      deletedAt: 'Soft delete: set when the guardian is removed; null while live.',
    },
  }),
  tableDocs(studentGuardians, {
    table: 'Which guardians belong to which student, and what they may do.',
    columns: {
      organizationId: 'The organisation of both the student and the guardian (composite FKs to each).',
      relationship: 'The guardian\'s relationship to the student.',
      isPrimary: 'The primary contact; at most one per student (partial unique index).',
      hasEducationalRights: 'Holds educational decision rights (e.g. may sign the IEP).',
      portalAccess: 'May see the student in the family portal; turned off e.g. by a court order.',
    },
  }),
  tableDocs(supervisionAssignments, {
    table: 'A supervisor therapist oversees a supervisee (SLPA, clinical fellow, COTA, PTA, intern) for a period; no overlapping duplicates.',
    columns: {
      organizationId: TENANT,
      supervisionType: 'slpa, clinical_fellowship, cota, pta, intern or peer_review.',
      activeDuring: 'Dates the supervision is in force (daterange, never empty).',
      requiresCosign: 'Whether the supervisee\'s notes need the supervisor\'s co-signature.',
    },
  }),

  // ---------------------------------------------------------------- caseload, plans, consent
  tableDocs(caseloadAssignments, {
    table: 'Which therapist serves which student, in which discipline and role, between which dates. It decides what a therapist may see.',
    columns: {
      organizationId: TENANT,
      assignmentRole: 'primary, secondary, consult or evaluator; one primary per student and discipline at a time.',
      startsOn: 'First day of the assignment (inclusive).',
      endsOn: 'Last day of the assignment (inclusive); null while open-ended. Access ends after it.',
    },
  }),
  tableDocs(servicePlans, {
    table: 'An IEP, 504 plan, IFSP or plan of care. At most one active plan of each type per student at a time.',
    columns: {
      organizationId: TENANT,
      planType: 'iep, 504, ifsp or plan_of_care.',
      status: 'draft, active, superseded, expired or closed.',
      effectiveDuring: 'Dates the plan is in force (daterange, never empty).',
      reevaluationDueOn: 'When the student\'s reevaluation is due.',
      sourceDocumentId: 'The signed plan document in storage.',
    },
  }),
  tableDocs(serviceMandates, {
    table: 'Service a plan requires: so many minutes per session, so many sessions per period, in a setting and group size.',
    columns: {
      organizationId: TENANT,
      studentId: "The plan's student, copied from the plan by the database (service_mandates_student_of_plan): a session participant counts only towards a mandate of its own student.",
      sessionTypeId: 'The session type that fulfils the mandate, if fixed.',
      period: 'The period sessions_per_period counts over: week, month, quarter or year.',
      deliverySetting: 'pull_out, push_in, consult or telehealth.',
      groupSizeMax: 'Largest group the student may be served in (1 = individual).',
      effectiveDuring: 'Dates the mandate is in force (daterange, never empty).',
    },
  }),
  tableDocs(consents, {
    table: 'A consent given for a student by a guardian or by the adult student. Append-only except revocation.',
    columns: {
      organizationId: TENANT,
      guardianId: 'The consenting guardian; null when an adult student consents for themselves.',
      consentType: 'evaluation, treatment, medicaid_billing, telehealth, release_of_information, messaging or media.',
      scope: 'Details of what is covered (e.g. recipients of a release) as a JSON object.',
      grantedAt: 'When the consent takes effect.',
      expiresAt: 'When the consent lapses; null if it does not.',
      revokedAt: 'When the consent was revoked; set together with revoked_reason.',
      revokedReason: 'Why the consent was revoked; set together with revoked_at.',
      signatureMethod: 'wet_ink_scanned, e_signature or verbal_documented.',
      documentId: 'The signed consent form in storage.',
      recordedBy: 'Who entered the consent.',
    },
  }),

  // ---------------------------------------------------------------- scheduling
  tableDocs(sessionTypes, {
    table: 'The organisation\'s catalogue of session kinds with their default duration, group size and billing code.',
    columns: {
      organizationId: TENANT,
      code: 'Short code of the type, unique per organisation.',
      kind: 'therapy, evaluation, reevaluation, consultation, iep_meeting or screening.',
      maxParticipants: 'Most students per session (1..8); 1 unless is_group.',
      defaultBillingCodeId: 'Billing code proposed for charges of this type.',
      active: 'Offered for new sessions; retired types stay for history.',
    },
  }),
  tableDocs(sessionSeries, {
    table: 'A recurring slot from which sessions are generated.',
    columns: {
      organizationId: TENANT,
      rrule: 'RFC 5545 recurrence rule without DTSTART, e.g. FREQ=WEEKLY;BYDAY=MO,WE.',
      localStartTime: 'Wall-clock start time in the series\' time zone (stays put across DST changes).',
      timezone: 'IANA time zone of local_start_time.',
      activeDuring: 'Dates the series generates sessions (daterange, never empty).',
    },
  }),
  tableDocs(therapySessions, {
    table: 'An appointment of one therapist with one or more students. Active sessions of a therapist never overlap; status changes follow a state machine. Soft-deleted.',
    columns: {
      organizationId: TENANT,
      seriesId: 'The recurring series the session came from, if any.',
      deliveryMode: 'in_person or telehealth.',
      startTime: 'Start of the session (inclusive).',
      endTime: 'End of the session (exclusive); after start_time, at most 4 hours later.',
      status: 'scheduled, confirmed, in_progress, completed, cancelled or no_show; changes follow the allowed transitions.',
      cancellationReason: 'Why the session was cancelled; set exactly when status = cancelled.',
      cancellationNote: 'Free-text explanation; required when the reason is other.',
      cancelledBy: 'Who cancelled; set exactly when status = cancelled.',
      cancelledAt: 'When it was cancelled; set exactly when status = cancelled.',
      makeupForSessionId: 'The missed session this one makes up for.',
      deletedAt: 'Soft delete: hidden from policies and ignored by the overlap rule once set.',
    },
  }),
  tableDocs(sessionParticipants, {
    table: 'The students of a session, with attendance. A student is never in two overlapping active sessions.',
    columns: {
      organizationId: TENANT,
      serviceMandateId: 'The mandate the session counts towards.',
      attendance: 'expected, present, absent_excused, absent_unexcused, tardy or left_early.',
      minutesAttended: 'Minutes the student actually attended.',
      timeRange: 'Copy of the session\'s [start_time, end_time), maintained by trigger for the no-double-booking rule; do not write.',
      isActive: 'Copy of whether the session is active (not cancelled, no-show or deleted), maintained by trigger; do not write.',
    },
  }),
  tableDocs(calendarBlackouts, {
    table: 'Holidays, breaks, closures and therapist leave, for the whole organisation, one school or one therapist.',
    columns: {
      organizationId: TENANT,
      schoolId: 'The school closed; null for the whole organisation.',
      therapistId: 'The therapist on leave; null for a school or organisation blackout.',
      kind: 'holiday, break, testing, early_release, pd_day, therapist_leave or closure.',
      during: 'When the blackout applies (tstzrange, never empty).',
    },
  }),

  // ---------------------------------------------------------------- documentation
  tableDocs(sessionNotes, {
    table: 'The clinical note of one student in one session. draft -> pending_cosign -> signed, or void; signed notes are immutable and changed only by amendments.',
    columns: {
      organizationId: TENANT,
      sessionId: 'The session; with student_id it references the participant row.',
      studentId: 'The student; with session_id it references the participant row.',
      authorId: 'The therapist who wrote the note; keeps read access after leaving the caseload.',
      amendsNoteId: 'The note this one amends; null for an original note (one original per student and session).',
      noteFormat: 'soap, narrative, dap or evaluation.',
      structured: 'Format-specific structured content as a JSON object.',
      billableMinutes: 'Minutes documented as billable.',
      status: 'draft, pending_cosign, signed or void.',
      signedAt: 'When the author signed; stamped by trigger.',
      signedBy: 'Who signed: always the author; stamped by trigger.',
      cosignedAt: 'When the supervisor co-signed; stamped by trigger.',
      cosignedBy: 'The supervising therapist who co-signed; never the author.',
      contentHash: 'SHA-256 (hex) of the signed content, stamped at signing, to prove it has not changed.',
      voidReason: 'Why a signed note was voided; set exactly when status = void.',
      visibleToGuardian: 'Whether guardians with portal access may read the signed note.',
    },
  }),

  // ---------------------------------------------------------------- goals, progress
  tableDocs(goals, {
    table: 'An IEP goal, or a short-term objective under one, with how progress is measured.',
    columns: {
      organizationId: TENANT,
      servicePlanId: 'The plan the goal belongs to.',
      parentGoalId: 'The goal this objective belongs to; null for a goal.',
      domain: 'Skill area, e.g. articulation, fluency, fine_motor, social_emotional.',
      measurementType: 'percent_accuracy, frequency, duration, rubric, trials or latency.',
      targetValue: 'Target in the measurement\'s unit; 0..100 for percent_accuracy.',
      masteryCriterion: 'When the goal counts as met, e.g. 80% over 3 consecutive sessions.',
      status: 'draft, active, met, discontinued or carried_over.',
    },
  }),
  tableDocs(goalObservations, {
    table: 'One data point on a goal, taken in a session the student attended.',
    columns: {
      organizationId: TENANT,
      trialsCorrect: 'Correct trials, 0..trials_total.',
      trialsTotal: 'Trials attempted (> 0); null when a value is recorded instead.',
      value: 'Measured value (frequency, seconds, rubric score...) when not counted in trials.',
      promptLevel: 'Support needed: independent, gestural, verbal, visual, model, partial_physical or full_physical.',
    },
  }),
  tableDocs(progressReports, {
    table: 'Progress on one goal over one reporting period; the periods of a goal never overlap.',
    columns: {
      organizationId: TENANT,
      reportingPeriod: 'The dates reported on (daterange, never empty).',
      progressCode: 'mastered, sufficient, insufficient, not_introduced or regression.',
      dataSummary: 'Aggregated observation data behind the report, as JSON.',
      status: 'draft, final or shared.',
      finalizedAt: 'When the report was finalised; required once not draft.',
      sharedWithGuardiansAt: 'When the report was shared with guardians; set exactly when status = shared.',
    },
  }),

  // ---------------------------------------------------------------- chat
  tableDocs(conversations, {
    table: 'A chat thread: direct, group, a student\'s care team or an announcement channel.',
    columns: {
      organizationId: TENANT,
      kind: 'direct, group, student_team (requires student_id) or announcement.',
      studentId: 'The student a student_team conversation is about.',
      lastMessageAt: 'Time of the latest message, for ordering the inbox.',
      archivedAt: 'When the conversation was archived; null while open.',
    },
  }),
  tableDocs(conversationParticipants, {
    table: 'Who is in a conversation. Only current participants (left_at is null) can read and send.',
    columns: {
      organizationId: TENANT,
      participantRole: 'owner, member or read_only.',
      leftAt: 'When the user left; null while a participant.',
      lastReadAt: 'Read marker for unread counts.',
      mutedUntil: 'Notifications muted until this time.',
    },
  }),
  tableDocs(messages, {
    table: 'A chat message. The sender must be a participant of the conversation (composite FK).',
    columns: {
      organizationId: TENANT,
      senderId: 'The sending user; with conversation_id it references the participant row.',
      clientMessageId: 'Id chosen by the client; unique per sender so a retried send is not stored twice.',
      body: 'Message text, 1..10000 characters; null for an attachment-only or deleted message.',
      attachmentDocumentId: 'Attached file (documents row in the chat-attachments bucket).',
      replyToId: 'The message this one replies to.',
      editedAt: 'When the body was last edited.',
      deletedAt: 'Soft delete: the message shows as deleted.',
    },
  }),

  // ---------------------------------------------------------------- files
  tableDocs(documents, {
    table: 'Metadata of every Storage object. The row is inserted before the upload; the storage.objects policies defer to it.',
    columns: {
      organizationId: TENANT,
      sessionId: 'The session the document belongs to, if any.',
      conversationId: 'The conversation of a chat attachment.',
      bucketId: 'Storage bucket: student-records, chat-attachments or org-assets.',
      storagePath: 'Object path inside the bucket; starts with the organisation id. Unique per bucket.',
      category: 'Kind of document, e.g. iep, evaluation_report, consent_form, chat_attachment.',
      sizeBytes: 'Object size in bytes, at most 50 MiB.',
      sha256: 'SHA-256 of the object (lowercase hex), for integrity checks.',
      visibility: 'Who besides staff may read it: staff, caseload, guardians or participants.',
      retainUntil: 'Keep the document at least until this date (records retention).',
      deletedAt: 'Soft delete: hidden once set; the object itself is never changed.',
    },
  }),

  // ---------------------------------------------------------------- billing
  tableDocs(billingCodes, {
    table: 'CPT, HCPCS and state billing codes with their unit rule. Rows without organisation are the global catalogue; an organisation may override one.',
    columns: {
      organizationId: 'The organisation overriding the code; null for the global catalogue.',
      codeSystem: 'CPT, HCPCS or STATE.',
      code: 'The code, e.g. 92507, 97110 (4..7 uppercase letters or digits).',
      unitRule: 'How units are counted: timed_15min (8-minute rule), per_session, per_evaluation or time_range.',
      minMinutes: 'Fewest minutes the code may be billed for.',
      maxMinutes: 'Most minutes the code may be billed for.',
      defaultModifiers: 'Modifiers added by default (at most 4), e.g. GN, GO, GP.',
      effectiveDuring: 'Dates the code is valid (daterange; defaults to from today on).',
    },
  }),
  tableDocs(serviceCharges, {
    table: 'A billable line for one participant of a session, backed by the signed note.',
    columns: {
      organizationId: TENANT,
      sessionId: 'The session; with student_id it references the participant row.',
      noteId: 'The signed note that documents the service.',
      unitRule: 'Unit rule copied from the billing code when the charge is created.',
      modifiers: 'Claim modifiers, at most 4.',
      renderingProviderId: 'The therapist who delivered the service.',
      supervisingProviderId: 'The supervising therapist, for services by supervised staff.',
      billableMinutes: 'Minutes billed, 1..480.',
      units: 'Generated: billed units. timed_15min: (minutes + 7) / 15, so 8 min -> 1, 23 -> 2, 38 -> 3, 53 -> 4; otherwise 1.',
      payer: 'medicaid, private_insurance, district or self_pay.',
      status: 'pending, ready, submitted, paid, denied or void.',
      claimReference: 'The payer\'s or clearinghouse\'s claim number.',
      submittedAt: 'When the claim was submitted; required once submitted, paid or denied.',
    },
  }),

  // ---------------------------------------------------------------- notifications, integrations, audit
  tableDocs(notifications, {
    table: 'A notification for one user. data holds ids only; clients fetch the records through RLS.',
    columns: {
      organizationId: 'The organisation the notification is about, if any.',
      type: 'Event type, domain.event, e.g. session.cancelled.',
      data: 'Ids of the records concerned, as JSON; never clinical text.',
      channels: 'Where it is delivered: in_app, email, sms, push.',
      readAt: 'When the user read it; null while unread.',
    },
  }),
  tableDocs(webhookSubscriptions, {
    table: 'An organisation\'s webhook endpoint (e.g. n8n) and the event types it receives.',
    columns: {
      organizationId: TENANT,
      targetUrl: 'HTTPS endpoint the events are POSTed to.',
      eventTypes: 'Event types delivered, e.g. {session.created,note.signed}; never empty.',
      secretId: 'Supabase Vault secret holding the HMAC signing key; the key itself is never stored in this table.',
      active: 'Whether events are delivered.',
      failureCount: 'Consecutive failed deliveries.',
      disabledAt: 'When delivery was switched off (e.g. after repeated failures).',
    },
  }),
  tableDocs(outboxEvents, {
    table: 'Transactional outbox: one row per event and subscription, written in the business transaction, delivered by a worker.',
    columns: {
      id: 'Delivery order.',
      eventId: 'Event id sent as X-Webhook-Id; with subscription_id it is the idempotency key.',
      organizationId: TENANT,
      subscriptionId: 'The endpoint to deliver to.',
      eventType: 'Event type, domain.event, e.g. session.created.',
      aggregateType: 'Kind of record the event is about, e.g. therapy_session.',
      aggregateId: 'Id of the record the event is about.',
      payload: 'The envelope {id, type, version, occurred_at, organization_id, actor_id, data}; ids and scheduling facts only.',
      status: 'pending, in_flight, delivered, failed (will retry) or dead (gave up).',
      attempts: 'Delivery attempts so far.',
      nextAttemptAt: 'Earliest time of the next attempt (exponential backoff).',
      lastStatusCode: 'HTTP status of the last attempt.',
      lastError: 'Error of the last failed attempt.',
      result: 'What the receiver reported after processing the event (an n8n workflow\'s signed callback): {status: succeeded|failed, detail, execution_id, callback_id}.',
      resultReportedAt: 'When the receiver\'s result was recorded (server time).',
    },
  }),
  tableDocs(auditLog, {
    table: 'Append-only audit trail, written only by SECURITY DEFINER triggers and functions. Nobody may update or delete it.',
    columns: {
      organizationId: 'The organisation of the record; no FK, the trail outlives it.',
      actorId: 'auth.uid() of the acting user; null for service and system actions.',
      actorRole: 'The database role the change ran as (authenticated, service_role, a login role), read from the session, never from a JWT claim.',
      actorMemberRoles: "The actor's active member roles in the record's organisation when the change was made, read from organization_members (null without an actor or an organisation).",
      action: 'insert, update, delete, view, export, disclose, sign, cosign or login.',
      tableName: 'Table of the record acted on.',
      recordId: 'Id of the record acted on.',
      oldData: 'Row before the change.',
      newData: 'Row after the change.',
      changedFields: 'Columns an update changed.',
      requestId: 'Request id from the API gateway, to correlate with logs.',
    },
  }),
];

export const schemaDocs: readonly DdlObject[] = tableDocumentation.flatMap(commentObjects);
