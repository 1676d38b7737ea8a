import { asAnon, asUser } from '../../../src/testing';
import type { Operation, Persona } from '../../../src/policies';
import { writeSpecs, type Row, type Seed, type SeedSql, type WriteContext } from './writes';
import type { Tx } from './world';

/**
 * Runs reads and writes as a persona, each in a savepoint that is rolled back, so one transaction
 * per persona probes every table and operation. Seeds are written as the database owner (role
 * reset, no JWT claims) inside the same savepoint.
 */

/** What happened: rows returned / affected, or the error. `seed-error` is a bug in the test data. */
export type Outcome =
  | { readonly kind: 'ok'; readonly rows: number }
  | { readonly kind: 'error'; readonly code: string; readonly message: string }
  | { readonly kind: 'seed-error'; readonly message: string };

class Done {
  constructor(readonly outcome: Outcome) {}
}

/** `"public"."therapy_sessions"`, `"audit"."audit_log"` from the matrix's table name. */
export function qualified(table: string): string {
  const [schema, name] = table.includes('.') ? (table.split('.') as [string, string]) : ['public', table];
  return `"${schema}"."${name}"`;
}

const quote = (column: string) => `"${column.replace(/"/g, '""')}"`;

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

export async function insertRow(tx: Tx, table: string, row: Row): Promise<number> {
  const columns = Object.keys(row);
  const result = await tx.unsafe(
    `insert into ${qualified(table)} (${columns.map(quote).join(', ')}) values (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
    Object.values(row) as (string | null)[],
  );
  return result.count;
}

function where(key: Row, offset: number): { sql: string; params: (string | null)[] } {
  const columns = Object.keys(key);
  return { sql: columns.map((c, i) => `${quote(c)} = $${offset + i + 1}`).join(' and '), params: Object.values(key) as (string | null)[] };
}

export async function updateRows(tx: Tx, table: string, key: Row, set: Row): Promise<number> {
  const columns = Object.keys(set);
  const w = where(key, columns.length);
  const result = await tx.unsafe(`update ${qualified(table)} set ${columns.map((c, i) => `${quote(c)} = $${i + 1}`).join(', ')} where ${w.sql}`, [
    ...(Object.values(set) as (string | null)[]),
    ...w.params,
  ]);
  return result.count;
}

export async function deleteRows(tx: Tx, table: string, key: Row): Promise<number> {
  const w = where(key, 0);
  const result = await tx.unsafe(`delete from ${qualified(table)} where ${w.sql}`, w.params);
  return result.count;
}

/** Seeds (as owner), then `run` as the persona; everything rolled back. */
export async function attempt(tx: Tx, run: (sp: Tx) => Promise<number>, seeds: readonly Seed[] = [], after: readonly SeedSql[] = []): Promise<Outcome> {
  try {
    await tx.savepoint(async (sp) => {
      if (seeds.length > 0 || after.length > 0) {
        try {
          await asOwner(sp, async () => {
            for (const seed of seeds) await insertRow(sp, seed.table, seed.row);
            for (const statement of after) await sp.unsafe(statement.sql, [...statement.params]);
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

/** Counts the rows of `table` the persona sees (optionally only those matching `filter`). */
export function probeSelect(tx: Tx, table: string, filter?: { sql: string; params: readonly unknown[] }): Promise<Outcome> {
  return attempt(tx, async (sp) => {
    const [row] = await sp.unsafe<{ n: number }[]>(
      `select count(*)::int as n from ${qualified(table)}${filter === undefined ? '' : ` where ${filter.sql}`}`,
      (filter?.params ?? []) as string[],
    );
    return row?.n ?? 0;
  });
}

/** The representative write of `table` for the context. */
export function probeWrite(tx: Tx, table: string, operation: Exclude<Operation, 'select'>, context: WriteContext): Promise<Outcome> {
  const spec = writeSpecs[table];
  if (spec === undefined) throw new Error(`no representative writes for ${table} in test/policies/support/writes.ts`);
  switch (operation) {
    case 'insert': {
      const w = spec.insert(context);
      return attempt(tx, (sp) => insertRow(sp, table, w.row), w.seed);
    }
    case 'update': {
      const w = spec.update(context);
      return attempt(tx, (sp) => updateRows(sp, table, w.key, w.set), w.seed, w.after);
    }
    case 'delete': {
      const w = spec.delete(context);
      return attempt(tx, (sp) => deleteRows(sp, table, w.key), w.seed);
    }
  }
}

/** Runs `fn` in one rolled-back transaction as the persona's user, or as anon for `null`. */
export function asPersona<T>(sql: Parameters<typeof asUser>[0], userId: string | null, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return userId === null ? asAnon(sql, fn) : asUser(sql, { sub: userId }, fn);
}

/** Whether an outcome is a refusal: permission denied or an RLS violation (SQLSTATE 42501). */
export const isRefusal = (o: Outcome): boolean => o.kind === 'error' && o.code === '42501';
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
