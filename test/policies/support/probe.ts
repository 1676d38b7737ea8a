import { randomUUID } from 'node:crypto';
import { asAnon, asUser } from '../../../src/testing';
import type { Persona } from '../../../src/policies';
import type { Probe } from '../../../src/probes';
import { selectSql } from '../../../src/rows';
import type { Tx } from './world';

export { qualified } from '../../../src/rows';

/**
 * Runs the probes of src/probes as a persona, each in a savepoint that is rolled back, so one
 * transaction per persona probes every table and operation. A probe's setup is written as the
 * database owner (role reset, no JWT claims) inside the same savepoint.
 */

/** Rows named by the test suite's probes: random, so a run never depends on another's leftovers. */
export const newId = (): string => randomUUID();

/** What happened: rows returned / affected, or the error. `seed-error` is a bug in the test data. */
export type Outcome =
  | { readonly kind: 'ok'; readonly rows: number }
  | { readonly kind: 'error'; readonly code: string; readonly message: string }
  | { readonly kind: 'seed-error'; readonly message: string };

class Done {
  constructor(readonly outcome: Outcome) {}
}

function errorOf(error: unknown): { code: string; message: string } {
  const e = error as { code?: unknown; message?: unknown };
  return { code: typeof e.code === 'string' ? e.code : 'unknown', message: typeof e.message === 'string' ? e.message : String(error) };
}

/** Runs `fn` as the database owner without a JWT, inside the persona's transaction, then switches back. */
export async function asOwner<T>(tx: Tx, fn: () => Promise<T>): Promise<T> {
  const [saved] = await tx<{ role: string; claims: string | null }[]>`
    select current_setting('role') as role, current_setting('request.jwt.claims', true) as claims`;
  await tx`select set_config('role', 'none', true), set_config('request.jwt.claims', '', true)`;
  try {
    return await fn();
  } finally {
    await tx`select set_config('role', ${saved!.role}, true), set_config('request.jwt.claims', ${saved!.claims ?? ''}, true)`;
  }
}

/** Runs `setup` (as owner), then `run` as the persona; everything rolled back. */
export async function attempt(tx: Tx, run: (sp: Tx) => Promise<number>, setup: readonly string[] = []): Promise<Outcome> {
  try {
    await tx.savepoint(async (sp) => {
      if (setup.length > 0) {
        try {
          await asOwner(sp, async () => {
            for (const statement of setup) await sp.unsafe(statement);
          });
        } catch (error) {
          throw new Done({ kind: 'seed-error', message: errorOf(error).message });
        }
      }
      let outcome: Outcome;
      try {
        outcome = { kind: 'ok', rows: await run(sp) };
      } catch (error) {
        outcome = { kind: 'error', ...errorOf(error) };
      }
      throw new Done(outcome);
    });
  } catch (error) {
    if (error instanceof Done) return error.outcome;
    throw error;
  }
  throw new Error('unreachable: the savepoint always rolls back');
}

/** Runs one probe (its setup, then its action as the transaction's persona): rows read or written, or the error. */
export const runProbe = (tx: Tx, probe: Probe): Promise<Outcome> => attempt(tx, async (sp) => (await sp.unsafe(probe.action)).count, probe.setup);

/** Counts the rows of `table` the persona sees (optionally only those matching `filter`, a condition with `$n` parameters). */
export const probeSelect = (tx: Tx, table: string, filter?: { sql: string; params: readonly string[] }): Promise<Outcome> =>
  attempt(tx, async (sp) => (await sp.unsafe(selectSql(table, filter?.sql), [...(filter?.params ?? [])])).count);

/** Runs `fn` in one rolled-back transaction as the persona's user, or as anon for `null`. */
export function asPersona<T>(sql: Parameters<typeof asUser>[0], userId: string | null, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return userId === null ? asAnon(sql, fn) : asUser(sql, { sub: userId }, fn);
}

/** Whether an outcome is a refusal: permission denied or an RLS violation (SQLSTATE 42501). */
export const isRefusal = (o: Outcome): boolean => o.kind === 'error' && o.code === '42501';
/** Whether a member-reference rule refused the row (23503 `<table>_<column>_member`): it runs before the policies' check. */
export const isNotMember = (o: Outcome): boolean => o.kind === 'error' && o.code === '23503' && /_member\)$/.test(o.message);
/** Whether a reference the writer may not read was answered as missing (23503 naming its `…_fkey` rule): it runs before the policies' check. */
export const isMissingReference = (o: Outcome): boolean => o.kind === 'error' && o.code === '23503' && /_fkey\)$/.test(o.message);
/** Whether nothing was read or written: refused, or zero rows. */
export const isNothing = (o: Outcome): boolean => isRefusal(o) || (o.kind === 'ok' && o.rows === 0);

export function describeOutcome(o: Outcome): string {
  switch (o.kind) {
    case 'ok':
      return `${o.rows} row(s)`;
    case 'error':
      return `error ${o.code}: ${o.message}`;
    case 'seed-error':
      return `the test's seed rows failed: ${o.message}`;
  }
}

export type { Persona };

/** What is wrong with a probe's outcome, or undefined when it is what the matrix expects. */
export function problemWith(probe: Probe, o: Outcome): string | undefined {
  const context = `${probe.id}: expected ${probe.expect}${probe.because.length > 0 ? ` (${probe.because.join('; ')})` : ''}, got ${describeOutcome(o)}`;
  if (o.kind === 'seed-error') return context;
  switch (probe.expect) {
    case 'refused':
      return isRefusal(o) ? undefined : context;
    case 'nothing':
      return isNothing(o) ? undefined : context;
    case 'refused-or-not-member':
      return isRefusal(o) || isNotMember(o) ? undefined : context;
    case 'refused-or-missing-reference':
      return isRefusal(o) || isMissingReference(o) ? undefined : context;
    case 'one-row':
      return o.kind === 'ok' && o.rows === 1 ? undefined : context;
    case 'rows':
      return o.kind === 'ok' && o.rows > 0 ? undefined : context;
    case 'allowed-no-rows':
      return o.kind === 'ok' && o.rows === 0 ? undefined : `${context}; listed in NO_FIXTURE_ROW (src/probes/plan.ts): remove it from the list`;
  }
}
