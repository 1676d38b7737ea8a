/**
 * A subscription signs only with its own organisation's secrets: Supabase Vault secrets named
 * `webhooks/<organization id>/<label>`. Vault names are unique and only the database owner (server
 * code, the dashboard) creates them, so the name is the organisation's claim on the secret; the
 * database checks it (`webhook_subscriptions_secret_id_scope`) and `secretsFromVault` checks it again.
 */
export const webhookSecretNamePrefix = 'webhooks/';

/** `webhooks/<organization id>/<label>`: the Vault name of an organisation's webhook signing secret. */
export function webhookSecretName(organizationId: string, label: string): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(organizationId)) {
    throw new TypeError(`webhookSecretName: organizationId must be a lower-case uuid (got ${JSON.stringify(organizationId)})`);
  }
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(label)) throw new TypeError(`webhookSecretName: label must be 1–100 of A–Z a–z 0–9 . _ - (got ${JSON.stringify(label)})`);
  return `${webhookSecretNamePrefix}${organizationId}/${label}`;
}
