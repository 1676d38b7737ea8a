export {
  defaultBatchSize,
  defaultLeaseSeconds,
  defaultTimeoutMs,
  deliverWebhooks,
  drainWebhooks,
  envelopeBody,
  minimumLeaseSeconds,
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
export { isConnectionError, watchWebhooks, type WatchReport, type WatchWebhooksOptions } from './watch';
export { outboxDelivery } from './policy';
