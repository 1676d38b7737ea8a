import { z } from 'zod';
import {
  cancellationReasons,
  chargeStatuses,
  consentTypes,
  deliveryModes,
  documentCategories,
  documentVisibilities,
  noteStatuses,
  payers,
  progressCodes,
  sessionStatuses,
  storageBuckets,
} from '../schema/codes';

/**
 * The webhook events the database emits through the transactional outbox, and the Zod schemas of
 * their payloads. Browser- and Edge-safe: this module imports only Zod and the schema's code lists.
 *
 * Every delivery body is an envelope `{ id, type, version, occurred_at, organization_id, actor_id,
 * data }`. `data` carries ids and scheduling facts only — never note text, message bodies, file
 * names or free-text reasons — so a webhook receiver holds no clinical content; it fetches what it
 * needs through the API, under RLS.
 */

export const webhookEventTypes = [
  'session.created',
  'session.confirmed',
  'session.rescheduled',
  'session.cancelled',
  'session.completed',
  'session.no_show',
  'note.signed',
  'note.cosign_requested',
  'note.cosigned',
  'note.amended',
  'message.created',
  'consent.granted',
  'consent.revoked',
  'document.uploaded',
  'charge.ready',
  'progress_report.shared',
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

/** The envelope version the triggers write (`version`). */
export const webhookEventVersion = 1;

const id = z.uuid();
/** Timestamps are written by the database in UTC: `2025-03-04T16:00:00.000000Z`. */
const timestamp = z.iso.datetime();
const date = z.iso.date();

// ------------------------------------------------------------------ sessions
export const sessionEventDataSchema = z.object({
  session_id: id,
  therapist_id: id,
  session_type_id: id,
  series_id: id.nullable(),
  school_id: id.nullable(),
  makeup_for_session_id: id.nullable(),
  status: z.enum(sessionStatuses),
  /** The status before this change; null for `session.created`. */
  previous_status: z.enum(sessionStatuses).nullable(),
  start_time: timestamp,
  end_time: timestamp,
  /** The time before a `session.rescheduled`; null otherwise. */
  previous_start_time: timestamp.nullable(),
  previous_end_time: timestamp.nullable(),
  delivery_mode: z.enum(deliveryModes),
  /** The coded reason of a cancellation (never the free-text note). */
  cancellation_reason: z.enum(cancellationReasons).nullable(),
  /** The students in the session when the transaction committed. */
  student_ids: z.array(id),
});
export type SessionEventData = z.infer<typeof sessionEventDataSchema>;

// ------------------------------------------------------------------ notes
export const noteEventDataSchema = z.object({
  note_id: id,
  session_id: id,
  student_id: id,
  author_id: id,
  status: z.enum(noteStatuses),
  /** The note this one amends (`note.amended`, and any event of an amendment). */
  amends_note_id: id.nullable(),
  signed_at: timestamp.nullable(),
  signed_by: id.nullable(),
  cosigned_at: timestamp.nullable(),
  cosigned_by: id.nullable(),
  /** Therapists who actively supervise the author (who can co-sign). */
  supervisor_ids: z.array(id),
});
export type NoteEventData = z.infer<typeof noteEventDataSchema>;

// ------------------------------------------------------------------ chat
export const messageEventDataSchema = z.object({
  message_id: id,
  conversation_id: id,
  sender_id: id,
  reply_to_id: id.nullable(),
  attachment_document_id: id.nullable(),
  created_at: timestamp,
});
export type MessageEventData = z.infer<typeof messageEventDataSchema>;

// ------------------------------------------------------------------ consent
export const consentEventDataSchema = z.object({
  consent_id: id,
  student_id: id,
  guardian_id: id.nullable(),
  consent_type: z.enum(consentTypes),
  granted_at: timestamp,
  expires_at: timestamp.nullable(),
  /** Set for `consent.revoked` (the reason text is not included). */
  revoked_at: timestamp.nullable(),
});
export type ConsentEventData = z.infer<typeof consentEventDataSchema>;

// ------------------------------------------------------------------ documents
export const documentEventDataSchema = z.object({
  document_id: id,
  bucket_id: z.enum(storageBuckets),
  /** `{organization_id}/students/{student_id}/{category}/{document_id}.{ext}` and the like: ids only. */
  storage_path: z.string(),
  category: z.enum(documentCategories),
  student_id: id.nullable(),
  session_id: id.nullable(),
  conversation_id: id.nullable(),
  mime_type: z.string(),
  size_bytes: z.number().int().positive(),
  visibility: z.enum(documentVisibilities),
  uploaded_by: id,
});
export type DocumentEventData = z.infer<typeof documentEventDataSchema>;

// ------------------------------------------------------------------ billing
export const chargeEventDataSchema = z.object({
  charge_id: id,
  session_id: id,
  student_id: id,
  note_id: id,
  billing_code_id: id,
  service_date: date,
  billable_minutes: z.number().int(),
  units: z.number().int(),
  payer: z.enum(payers),
  status: z.enum(chargeStatuses),
  rendering_provider_id: id,
  supervising_provider_id: id.nullable(),
});
export type ChargeEventData = z.infer<typeof chargeEventDataSchema>;

// ------------------------------------------------------------------ progress reports
export const progressReportEventDataSchema = z.object({
  progress_report_id: id,
  goal_id: id,
  student_id: id,
  author_id: id,
  progress_code: z.enum(progressCodes),
  /** The reporting period, `[period_start, period_end)`. */
  period_start: date.nullable(),
  period_end: date.nullable(),
  shared_with_guardians_at: timestamp.nullable(),
});
export type ProgressReportEventData = z.infer<typeof progressReportEventDataSchema>;

// ------------------------------------------------------------------ the catalogue
export interface WebhookEventDefinition {
  readonly type: WebhookEventType;
  /** `aggregate_type` of the outbox row; events of one aggregate are delivered in creation order. */
  readonly aggregate: 'therapy_session' | 'session_note' | 'conversation' | 'consent' | 'document' | 'service_charge' | 'progress_report';
  /** When the database emits it. */
  readonly when: string;
  readonly data: z.ZodType;
}

const session = (type: WebhookEventType, when: string): WebhookEventDefinition => ({ type, aggregate: 'therapy_session', when, data: sessionEventDataSchema });
const note = (type: WebhookEventType, when: string): WebhookEventDefinition => ({ type, aggregate: 'session_note', when, data: noteEventDataSchema });

/** Every event: its aggregate, when it is emitted and its `data` schema. */
export const webhookEventCatalogue: Readonly<Record<WebhookEventType, WebhookEventDefinition>> = {
  'session.created': session('session.created', 'a therapy session is inserted (at commit, with the participants added in the same transaction)'),
  'session.confirmed': session('session.confirmed', 'a session moves to confirmed'),
  'session.rescheduled': session('session.rescheduled', 'start_time or end_time of a session changes'),
  'session.cancelled': session('session.cancelled', 'a session moves to cancelled'),
  'session.completed': session('session.completed', 'a session moves to completed'),
  'session.no_show': session('session.no_show', 'a session moves to no_show'),
  'note.signed': note('note.signed', 'a draft note is signed by its author and needs no co-signature'),
  'note.cosign_requested': note('note.cosign_requested', 'a draft note is signed by a supervised author and awaits co-signature'),
  'note.cosigned': note('note.cosigned', 'a supervisor co-signs a note (pending_cosign → signed)'),
  'note.amended': note('note.amended', 'a note that amends another (amends_note_id) is signed'),
  'message.created': { type: 'message.created', aggregate: 'conversation', when: 'a chat message is inserted', data: messageEventDataSchema },
  'consent.granted': { type: 'consent.granted', aggregate: 'consent', when: 'a consent is recorded', data: consentEventDataSchema },
  'consent.revoked': { type: 'consent.revoked', aggregate: 'consent', when: 'a consent is revoked (revoked_at set)', data: consentEventDataSchema },
  'document.uploaded': {
    type: 'document.uploaded', aggregate: 'document',
    when: 'the Storage object of a documents row is uploaded (insert into storage.objects)', data: documentEventDataSchema,
  },
  'charge.ready': { type: 'charge.ready', aggregate: 'service_charge', when: 'a service charge becomes ready (inserted ready, or updated to ready)', data: chargeEventDataSchema },
  'progress_report.shared': {
    type: 'progress_report.shared', aggregate: 'progress_report',
    when: 'a progress report is shared with guardians (status shared or shared_with_guardians_at set)', data: progressReportEventDataSchema,
  },
};

const envelope = <T extends WebhookEventType, D extends z.ZodType>(type: T, data: D) =>
  z.object({
    id,
    type: z.literal(type),
    version: z.literal(webhookEventVersion),
    occurred_at: timestamp,
    organization_id: id,
    /** `auth.uid()` of the user whose transaction emitted the event; null for server and automation writes. */
    actor_id: id.nullable(),
    data,
  });

export const sessionCreatedEventSchema = envelope('session.created', sessionEventDataSchema);
export const sessionConfirmedEventSchema = envelope('session.confirmed', sessionEventDataSchema);
export const sessionRescheduledEventSchema = envelope('session.rescheduled', sessionEventDataSchema);
export const sessionCancelledEventSchema = envelope('session.cancelled', sessionEventDataSchema);
export const sessionCompletedEventSchema = envelope('session.completed', sessionEventDataSchema);
export const sessionNoShowEventSchema = envelope('session.no_show', sessionEventDataSchema);
export const noteSignedEventSchema = envelope('note.signed', noteEventDataSchema);
export const noteCosignRequestedEventSchema = envelope('note.cosign_requested', noteEventDataSchema);
export const noteCosignedEventSchema = envelope('note.cosigned', noteEventDataSchema);
export const noteAmendedEventSchema = envelope('note.amended', noteEventDataSchema);
export const messageCreatedEventSchema = envelope('message.created', messageEventDataSchema);
export const consentGrantedEventSchema = envelope('consent.granted', consentEventDataSchema);
export const consentRevokedEventSchema = envelope('consent.revoked', consentEventDataSchema);
export const documentUploadedEventSchema = envelope('document.uploaded', documentEventDataSchema);
export const chargeReadyEventSchema = envelope('charge.ready', chargeEventDataSchema);
export const progressReportSharedEventSchema = envelope('progress_report.shared', progressReportEventDataSchema);

/** Any delivered event, discriminated by `type`. */
export const webhookEventSchema = z.discriminatedUnion('type', [
  sessionCreatedEventSchema,
  sessionConfirmedEventSchema,
  sessionRescheduledEventSchema,
  sessionCancelledEventSchema,
  sessionCompletedEventSchema,
  sessionNoShowEventSchema,
  noteSignedEventSchema,
  noteCosignRequestedEventSchema,
  noteCosignedEventSchema,
  noteAmendedEventSchema,
  messageCreatedEventSchema,
  consentGrantedEventSchema,
  consentRevokedEventSchema,
  documentUploadedEventSchema,
  chargeReadyEventSchema,
  progressReportSharedEventSchema,
]);
export type WebhookEvent = z.infer<typeof webhookEventSchema>;

/** The envelope of any event, `data` unchecked: for receivers that accept types they do not know yet. */
export const webhookEnvelopeSchema = z.object({
  id,
  type: z.string().regex(/^[a-z_]+\.[a-z_]+$/),
  version: z.number().int().positive(),
  occurred_at: timestamp,
  organization_id: id,
  actor_id: id.nullable(),
  data: z.record(z.string(), z.unknown()),
});
export type WebhookEnvelope = z.infer<typeof webhookEnvelopeSchema>;

/** True when `type` is one of the events this version of the database emits. */
export function isWebhookEventType(type: string): type is WebhookEventType {
  return (webhookEventTypes as readonly string[]).includes(type);
}
