import postgres from 'postgres';
import { createRls, type Rls } from 'therapy-db/rls';
import { requiredEnv } from './env.ts';

let client: postgres.Sql | undefined;
let rlsClient: Rls | undefined;

/**
 * One postgres.js pool per function instance, made on first use. `prepare: false` because Supabase's
 * pooler (Supavisor, transaction mode) cannot keep prepared statements; a small pool because an
 * instance serves few requests at once and the database has few connections.
 */
export function sql(): postgres.Sql {
  client ??= postgres(requiredEnv('SUPABASE_DB_URL'), {
    prepare: false,
    max: Number(Deno.env.get('DB_POOL_MAX') ?? 5),
    idle_timeout: 20,
    connection: { application_name: `edge-function:${Deno.env.get('FUNCTION_NAME') ?? 'therapy-db'}` },
    onnotice: () => {},
  });
  return client;
}

/**
 * Transactions as the request's user. Tokens are verified against the project's signing keys (its
 * JWKS, fetched once and cached) and, while a project still has it, the legacy HS256 secret.
 */
export function rls(): Rls {
  const legacySecret = Deno.env.get('LEGACY_JWT_SECRET');
  rlsClient ??= createRls({
    sql: sql(),
    jwt: {
      jwks: `${requiredEnv('SUPABASE_URL')}/auth/v1/.well-known/jwks.json`,
      ...(legacySecret ? { secret: legacySecret } : {}),
    },
  });
  return rlsClient;
}
