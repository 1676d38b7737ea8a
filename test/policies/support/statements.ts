import { expect } from 'vitest';
import { asOwner, attempt, describeOutcome, isNotMember, isRefusal, type Outcome } from './probe';
import type { Tx } from './world';

/**
 * What the attack tests say to the database, as the signed-in user of a transaction: counting what
 * they see, trying a statement (in a savepoint, rolled back), switching users (a second API request
 * in the same transaction), and the two verdicts.
 */

/** Rows of a query as the current user of `tx`. */
export async function count(tx: Tx, sql: string, params: readonly unknown[] = []): Promise<number> {
  const [row] = await tx.unsafe<{ n: number }[]>(`select count(*)::int as n from (${sql}) q`, params as string[]);
  return row?.n ?? 0;
}

/** Runs a statement in a savepoint (rolled back) and reports rows affected or the error. */
export const tryStatement = (tx: Tx, sql: string, params: readonly unknown[] = []): Promise<Outcome> =>
  attempt(tx, async (sp) => (await sp.unsafe(sql, params as string[])).count);

/** Switches the signed-in user inside the transaction (as a second API request would). */
export async function signInAs(tx: Tx, userId: string): Promise<void> {
  await tx`select set_config('request.jwt.claims', ${JSON.stringify({ sub: userId, role: 'authenticated' })}, true)`;
}

/** Runs statements as the database owner (no RLS, no JWT) inside the user's transaction. */
export async function asOwnerDo(tx: Tx, ...statements: readonly (readonly [string, readonly unknown[]] | string)[]): Promise<void> {
  await asOwner(tx, async () => {
    for (const statement of statements) {
      const [text, params] = typeof statement === 'string' ? [statement, []] : statement;
      await tx.unsafe(text, params as string[]);
    }
  });
}

/** Refused: permission denied or an RLS violation (SQLSTATE 42501). */
export const refused = (o: Outcome) => expect(o.kind === 'error' && o.code === '42501', describeOutcome(o)).toBe(true);
/** Succeeded, touching exactly `rows` rows. */
export const affected = (o: Outcome, rows: number) => expect(o, describeOutcome(o)).toEqual({ kind: 'ok', rows });

/**
 * Writes rows as the database owner with triggers and foreign-key checks off
 * (`session_replication_role = replica`): rows as they may exist from before a write-time rule, or
 * written by privileged code. The read side must be right regardless.
 */
export async function plant(tx: Tx, ...statements: readonly (readonly [string, readonly unknown[]] | string)[]): Promise<void> {
  await asOwner(tx, async () => {
    await tx`set local session_replication_role = replica`;
    try {
      for (const statement of statements) {
        const [text, params] = typeof statement === 'string' ? [statement, []] : statement;
        await tx.unsafe(text, params as string[]);
      }
    } finally {
      await tx`set local session_replication_role = origin`;
    }
  });
}

/**
 * Refused by row level security (42501), or by the integrity half's member-reference rule, which
 * runs before the policies' check and refuses a row naming a user who is no (longer an) active
 * member of its organisation in that role (23503 `<table>_<column>_member`). Either way nothing is
 * written.
 */
export const refusedOrNotMember = (o: Outcome) => expect(isRefusal(o) || isNotMember(o), describeOutcome(o)).toBe(true);
