import type { WebhookSecret } from '../signature';
import type { SecretRequest } from './worker';

/** Where `deliverWebhooks` gets a subscription's HMAC secret. */
export type SecretSource = (subscription: SecretRequest) => WebhookSecret | null | undefined | Promise<WebhookSecret | null | undefined>;

/**
 * The environment variable holding a subscription's secret:
 * `THERAPY_DB_WEBHOOK_SECRET_<subscription id, upper case, "-" as "_">`, e.g.
 * `THERAPY_DB_WEBHOOK_SECRET_0F8FAD5B_D9CB_469F_A165_70867728950E`.
 */
export function secretEnvName(subscriptionId: string): string {
  return `THERAPY_DB_WEBHOOK_SECRET_${subscriptionId.toUpperCase().replace(/-/g, '_')}`;
}

/** Secrets from environment variables named by `secretEnvName` (the id's own spelling is accepted too). */
export function secretsFromEnv(env: Readonly<Record<string, string | undefined>>): SecretSource {
  return ({ subscriptionId }) => env[secretEnvName(subscriptionId)] ?? env[`THERAPY_DB_WEBHOOK_SECRET_${subscriptionId}`] ?? null;
}

/**
 * Secrets from a map keyed by subscription id or by `secret_id` (e.g. the parsed JSON file of
 * `therapy-db deliver --secrets FILE`: `{ "<subscription id>": "<secret>" }`).
 */
export function secretsFromMap(map: Readonly<Record<string, string>>): SecretSource {
  const lower = new Map(Object.entries(map).map(([k, v]) => [k.toLowerCase(), v]));
  return ({ subscriptionId, secretId }) => lower.get(subscriptionId.toLowerCase()) ?? lower.get(secretId.toLowerCase()) ?? null;
}

/** The first source that knows the secret. */
export function firstSecret(...sources: readonly SecretSource[]): SecretSource {
  return async (subscription) => {
    for (const source of sources) {
      const secret = await source(subscription);
      if (secret !== null && secret !== undefined && secret.length > 0) return secret;
    }
    return null;
  };
}
