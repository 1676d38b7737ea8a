import type postgres from 'postgres';
import { webhookSecretName, webhookSecretNamePrefix } from '../../webhooks';
import type { SecretSource } from './secrets';

export interface CreateWebhookSecretOptions {
  readonly organizationId: string;
  /** Names the secret within the organisation (`webhooks/<organization id>/<label>`), e.g. `n8n`. */
  readonly label: string;
  /** The signing secret; default 32 random bytes as `whsec_<base64>` (the Standard Webhooks form). */
  readonly secret?: string;
  readonly description?: string;
}

/** 32 random bytes, `whsec_<base64>`. */
function randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `whsec_${btoa(String.fromCharCode(...bytes))}`;
}

/**
 * Stores an organisation's webhook signing secret in Supabase Vault (`vault.create_secret`), named
 * `webhooks/<organization id>/<label>`, and returns its id — the `secret_id` a subscription of that
 * organisation (and only of that one) may use — with the secret. Server code: needs a connection
 * that may call `vault.create_secret` (the database owner; API roles cannot).
 */
export async function createWebhookSecret(sql: postgres.Sql | postgres.TransactionSql, options: CreateWebhookSecretOptions): Promise<{ secretId: string; secret: string }> {
  const secret = options.secret ?? randomSecret();
  const name = webhookSecretName(options.organizationId, options.label);
  const [row] = await sql<{ id: string }[]>`select vault.create_secret(${secret}, ${name}, ${options.description ?? 'therapy-db webhook signing secret'}) as id`;
  return { secretId: row!.id, secret };
}

/**
 * Secrets from Supabase Vault (`vault.decrypted_secrets`), for `deliverWebhooks({ secretFor })`:
 * the secret whose id is the subscription's `secret_id` and whose name is one of the subscription's
 * organisation's (`webhooks/<organization id>/…`) — checked again here, so a row that somehow names
 * another organisation's secret is never signed with it. Needs a connection that may read the view.
 */
export function secretsFromVault(sql: postgres.Sql): SecretSource {
  return async ({ secretId, organizationId }) => {
    const [row] = await sql<{ decrypted_secret: string | null }[]>`
      select decrypted_secret from vault.decrypted_secrets
       where id = ${secretId} and starts_with(name, ${`${webhookSecretNamePrefix}${organizationId}/`})`;
    return row?.decrypted_secret ?? null;
  };
}
