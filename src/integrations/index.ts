/**
 * therapy-db/integrations: live chat over Supabase Realtime, document storage policies, and signed
 * n8n webhooks from a transactional outbox.
 *
 * The delivery worker, the signature helpers and the event schemas use Web APIs only (fetch,
 * crypto.subtle, TextEncoder) and run in Node and in a Supabase Edge Function. The database
 * objects (`integrationObjects`) are migrated with the rest of the schema.
 */
import type { DdlObject } from '../ddl';
import { outboxObjects } from './outbox';
import { realtimeObjects } from './realtime';
import { storageObjects } from './storage';

export * from './events';
export * from './signature';
export * from './delivery';
export { checkWebhookTarget, nonPublicAddress, webhookSecretName, type WebhookTargetCheck, type WebhookTargetOptions } from '../webhooks';
export { webhookResultSchema, recordWebhookResult, type WebhookResult, type RecordWebhookResultOptions, type RecordWebhookResultOutcome } from './results';
export { automationRole, outboxObjects, claimEvents, ackEvent, enqueueEvent } from './outbox';
export { conversationPeersTopic, conversationTopic, notificationsTopic, realtimeTables, realtimeObjects, realtimePolicies } from './realtime';
export {
  documentStoragePath,
  storageBucketDefinitions,
  storageObjects,
  storagePolicies,
  type BucketDefinition,
  type DocumentPathParts,
} from './storage';

/** Every database object of the integrations, in dependency order (migrated after the policies). */
export const integrationObjects: readonly DdlObject[] = [...outboxObjects, ...realtimeObjects, ...storageObjects];
