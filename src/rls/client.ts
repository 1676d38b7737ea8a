import { sql as drizzleSql, type ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgTransaction, PgTransactionConfig } from 'drizzle-orm/pg-core';
import { drizzle, type PostgresJsDatabase, type PostgresJsQueryResultHKT } from 'drizzle-orm/postgres-js';
import type postgres from 'postgres';
import * as packageSchema from '../schema';
import type { VerifiedClaims } from './claims';
import { enterRequestContext, requestContext, requestContextStatement } from './context';
import { jwtVerifier, type JwtVerifier, type JwtVerifierOptions } from './verify';

/** The package's tables and relations, as Drizzle's `schema`. */
export type PackageSchema = typeof packageSchema;

/** The Drizzle transaction a callback gets: typed by the schema (the package's by default). */
export type RlsTransaction<TSchema extends Record<string, unknown> = PackageSchema> = PgTransaction<
  PostgresJsQueryResultHKT,
  TSchema,
  ExtractTablesWithRelations<TSchema>
>;

/** Who a transaction runs as: a JWT to verify first, or claims already verified. */
export type RequestIdentity = string | null | undefined | VerifiedClaims;

export interface Rls<TSchema extends Record<string, unknown> = PackageSchema> {
  /** The Drizzle database the transactions run on (as the connecting role: no RLS). */
  readonly db: PostgresJsDatabase<TSchema>;
  /** Verifies a token (no query runs); throws `JwtRejectedError`. */
  verify(token: string | null | undefined): Promise<VerifiedClaims>;
  /**
   * Runs `fn` in a Drizzle transaction as the request's user: verifies the token first (a refused
   * token runs no query), then `set local role` and `request.jwt.claims`, so every policy applies;
   * commits when `fn` resolves, rolls back when it throws.
   */
  transaction<T>(identity: RequestIdentity, fn: (tx: RlsTransaction<TSchema>) => Promise<T>, config?: PgTransactionConfig): Promise<T>;
  /** The same with a postgres.js transaction, for raw SQL. */
  sqlTransaction<T>(identity: RequestIdentity, fn: (tx: postgres.TransactionSql) => Promise<T>): Promise<T>;
}

interface RlsOptionsBase {
  /** How tokens are verified: a `jwtVerifier(...)` or its options. Without it only verified claims are accepted. */
  readonly jwt?: JwtVerifier | JwtVerifierOptions;
}

export interface RlsSqlOptions extends RlsOptionsBase {
  /** A postgres.js client; the transactions get the package's schema. */
  readonly sql: postgres.Sql;
}

export interface RlsDrizzleOptions<TSchema extends Record<string, unknown>> extends RlsOptionsBase {
  /** A Drizzle postgres-js database (e.g. with your tables added to the package's schema). */
  readonly db: PostgresJsDatabase<TSchema> & { readonly $client: postgres.Sql };
}

/**
 * Server code as the request's user, so the policies this package ships apply to it:
 *
 * ```ts
 * const rls = createRls({ sql, jwt: { jwks: `${SUPABASE_URL}/auth/v1/.well-known/jwks.json` } });
 * const session = await rls.transaction(bearerToken(request), (tx) => tx.insert(therapySessions).values(row).returning());
 * ```
 */
export function createRls(options: RlsSqlOptions): Rls<PackageSchema>;
export function createRls<TSchema extends Record<string, unknown>>(options: RlsDrizzleOptions<TSchema>): Rls<TSchema>;
export function createRls(options: RlsSqlOptions | RlsDrizzleOptions<Record<string, unknown>>): Rls<Record<string, unknown>> {
  const db = 'db' in options ? options.db : drizzle(options.sql, { schema: packageSchema });
  const sql = db.$client;
  const verifier = options.jwt === undefined ? undefined : typeof options.jwt === 'function' ? options.jwt : jwtVerifier(options.jwt);

  const verify = async (token: string | null | undefined): Promise<VerifiedClaims> => {
    if (!verifier) throw new TypeError('createRls: no `jwt` option, so tokens cannot be verified; pass `jwt` or verified claims');
    return verifier(token);
  };
  const claimsOf = async (identity: RequestIdentity): Promise<VerifiedClaims> => {
    if (typeof identity !== 'object' || identity === null) return verify(identity);
    requestContext(identity); // refuses claims that are not VerifiedClaims, and roles a request cannot take
    return identity;
  };

  return {
    db,
    verify,
    async transaction(identity, fn, config) {
      const claims = await claimsOf(identity);
      const { role, claimsJson } = requestContext(claims);
      return db.transaction(async (tx) => {
        await tx.execute(requestContextStatement(drizzleSql, role, claimsJson));
        return fn(tx);
      }, config);
    },
    async sqlTransaction(identity, fn) {
      const claims = await claimsOf(identity);
      return sql.begin(async (tx) => {
        await enterRequestContext(tx, claims);
        return fn(tx);
      }) as Promise<Awaited<ReturnType<typeof fn>>>;
    },
  };
}
