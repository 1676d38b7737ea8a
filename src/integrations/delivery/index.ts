export {
  defaultBatchSize,
  defaultLeaseSeconds,
  defaultTimeoutMs,
  deliverWebhooks,
  drainWebhooks,
  envelopeBody,
  minimumLeaseSeconds,
  webhookTargetRefusal,
  type DeliverWebhooksOptions,
  type DeliveryOutcome,
  type DeliveryReport,
  type DeliveryResult,
  type DrainReport,
  type FetchLike,
  type SecretRequest,
} from './worker';
export {
  postgresDeliveryStore,
  supabaseDeliveryStore,
  type AckResult,
  type ClaimedEvent,
  type DeliveryAck,
  type DeliveryStore,
  type SupabaseRpcClient,
} from './store';
export { firstSecret, secretEnvName, secretsFromEnv, secretsFromMap, type SecretSource } from './secrets';
export { createWebhookSecret, secretsFromVault, type CreateWebhookSecretOptions } from './vault';
export { isConnectionError, watchWebhooks, type WatchReport, type WatchWebhooksOptions } from './watch';
export { outboxDelivery } from './policy';
