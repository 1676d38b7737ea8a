import type postgres from 'postgres';
import { alreadyVerifiedClaims, enterRequestContext, enterServiceRole, type JwtClaims } from '../rls';

export type { JwtClaims };

export interface UserIdentity {
  /** The user's id (`auth.users.id`), returned by `auth.uid()`. */
  readonly sub: string;
  /** Extra claims merged into `request.jwt.claims`. */
  readonly claims?: Readonly<Record<string, unknown>>;
}

/** Thrown inside the transaction to roll it back after `fn` returns; never escapes. */
class Rollback {
  constructor(readonly value: unknown) {}
}

/**
 * Runs `fn` in a transaction that is always rolled back (as the connecting role, RLS as that role
 * sees it), and returns what `fn` returned: tests write freely and leave no trace.
 */
export async function rolledBack<T>(sql: postgres.Sql, fn: (tx: postgres.TransactionSql) => Promise<T>): Promise<T> {
  try {
    await sql.begin(async (tx) => {
      throw new Rollback(await fn(tx));
    });
  } catch (error) {
    if (error instanceof Rollback) return error.value as T;
    throw error;
  }
  throw new Error('unreachable: the transaction always rolls back');
}

/**
 * Runs `fn` as a signed-in user, the way Supabase's API runs a request: in a transaction with
 * `role authenticated` and the JWT claims set (by therapy-db/rls, as server code does), so RLS applies
 * and `auth.uid()` returns `sub`. The test is the token's issuer, so its claims count as verified.
 * The transaction is always rolled back, so tests leave no trace. `fn`'s result is returned.
 */
export function asUser<T>(sql: postgres.Sql, user: UserIdentity, fn: (tx: postgres.TransactionSql) => Promise<T>): Promise<T> {
  const claims = alreadyVerifiedClaims({ ...user.claims, sub: user.sub, role: 'authenticated' });
  return rolledBack(sql, async (tx) => {
    await enterRequestContext(tx, claims);
    return fn(tx);
  });
}

/** Runs `fn` as an anonymous API request (`role anon`), rolled back afterwards. */
export function asAnon<T>(sql: postgres.Sql, fn: (tx: postgres.TransactionSql) => Promise<T>): Promise<T> {
  const claims = alreadyVerifiedClaims({ role: 'anon' });
  return rolledBack(sql, async (tx) => {
    await enterRequestContext(tx, claims);
    return fn(tx);
  });
}

/** Runs `fn` as the server (`role service_role`, which bypasses RLS), rolled back afterwards. */
export function asServiceRole<T>(sql: postgres.Sql, fn: (tx: postgres.TransactionSql) => Promise<T>): Promise<T> {
  return rolledBack(sql, async (tx) => {
    await enterServiceRole(tx);
    return fn(tx);
  });
}
