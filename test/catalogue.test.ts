import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allTables, qualifiedName } from '../src/schema';
import { databaseObjects } from '../src/objects';
import type { DbConstraint, DbTrigger } from '../src/ddl';
import { rolledBack } from './invariants/helpers';
import { createTestDatabase, type TestDatabase } from './support/database';
import type postgres from 'postgres';

type Sql = postgres.Sql | postgres.TransactionSql;

/**
 * Foreign keys of public and audit whose columns do not lead any index. An index serves a key when
 * the key's columns are its leading columns (in any order); a partial index only when its predicate
 * is `<column> is not null`, which every referencing row satisfies.
 */
const unindexedForeignKeys = (sql: Sql) => sql<{ fk: string }[]>`
      select c.conrelid::regclass::text || '.' || c.conname as fk
        from pg_constraint c join pg_namespace n on n.oid = c.connamespace
       where c.contype = 'f' and n.nspname in ('public', 'audit')
         and not exists (
           select 1 from pg_index i
            where i.indrelid = c.conrelid
              and i.indnkeyatts >= cardinality(c.conkey)
              and (select array_agg(k order by k) from unnest((i.indkey::int2[])[0:cardinality(c.conkey) - 1]) k)
                = (select array_agg(k order by k) from unnest(c.conkey) k)
              and (i.indpred is null or pg_get_expr(i.indpred, i.indrelid) ~ '^\\(*[a-z_]+ IS NOT NULL\\)*$'))
       order by 1`;

/** SECURITY DEFINER functions of app and public, with their settings and whether anon may execute them. */
const securityDefiners = (sql: Sql) => sql<{ fn: string; config: string[] | null; anon: boolean }[]>`
      select p.oid::regprocedure::text as fn, p.proconfig as config, has_function_privilege('anon', p.oid, 'execute') as anon
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where p.prosecdef and n.nspname in ('app', 'public')
       order by 1`;

/**
 * What a migrated database's catalogue must say, whatever produced it: the domain's tables and no
 * others, RLS everywhere, every foreign key led by an index, and every SECURITY DEFINER function
 * pinned to an empty search path and closed to anon.
 */
describe('the catalogue of a migrated database', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('holds exactly the 32 domain tables in public and audit, each with row level security enabled', async () => {
    // Supabase's own schemas (auth, storage, realtime, extensions; the shim here) and therapy_db are not ours.
    const tables = await db.sql<{ name: string; rls: boolean }[]>`
      select n.nspname || '.' || c.relname as name, c.relrowsecurity as rls
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname in ('public', 'audit') and c.relkind in ('r', 'p')
       order by 1`;
    const expected = allTables.map(qualifiedName).sort();
    expect(expected).toHaveLength(32);
    expect(tables.map((t) => t.name)).toEqual(expected);
    expect(tables.filter((t) => !t.rls).map((t) => t.name)).toEqual([]);
  });

  it('has no foreign key whose columns do not lead some index', async () => {
    const unindexed = await unindexedForeignKeys(db.sql);
    expect(unindexed.map((r) => r.fk)).toEqual([]);
  });

  it('pins every SECURITY DEFINER function in app and public to search_path="" and keeps it from anon', async () => {
    const definers = await securityDefiners(db.sql);
    expect(definers.length).toBeGreaterThan(0);
    expect(definers.filter((f) => !(f.config ?? []).includes('search_path=""')).map((f) => f.fn)).toEqual([]);
    expect(definers.filter((f) => f.anon).map((f) => f.fn)).toEqual([]);
  });

  it('holds every declared exclusion constraint and trigger', async () => {
    const constraints = databaseObjects.filter((o): o is DbConstraint => o.kind === 'constraint').map((o) => o.name).sort();
    const triggers = databaseObjects.filter((o): o is DbTrigger => o.kind === 'trigger').map((o) => o.name).sort();
    const present = await db.sql<{ constraints: string[]; triggers: string[] }[]>`
      select (select coalesce(array_agg(conname::text order by conname), '{}') from pg_constraint where contype = 'x') as constraints,
             (select coalesce(array_agg(tgname::text order by tgname), '{}') from pg_trigger where not tgisinternal) as triggers`;
    expect(present[0]!.constraints).toEqual(expect.arrayContaining(constraints));
    expect(present[0]!.triggers).toEqual(expect.arrayContaining(triggers));
    expect(constraints.length).toBeGreaterThanOrEqual(6);
  });

  it('the index check finds a foreign key once its index is gone (it is not vacuous)', async () => {
    const found = await rolledBack(db.sql, async (tx) => {
      await tx`drop index public.consents_recorded_by_idx`;
      return unindexedForeignKeys(tx);
    });
    expect(found.map((r) => r.fk)).toEqual(['consents.consents_recorded_by_fkey']);
  });

  it('the SECURITY DEFINER check finds a definer function without a pinned search path, or open to anon', async () => {
    const found = await rolledBack(db.sql, async (tx) => {
      await tx`create function public.probe_unpinned() returns int language sql security definer as 'select 1'`;
      await tx`create function app.probe_open() returns int language sql security definer set search_path = '' as 'select 1'`;
      await tx`grant execute on function app.probe_open() to anon`;
      return securityDefiners(tx);
    });
    expect(found.filter((f) => !(f.config ?? []).includes('search_path=""')).map((f) => f.fn)).toEqual(['probe_unpinned()']);
    expect(found.filter((f) => f.anon).map((f) => f.fn)).toEqual(expect.arrayContaining(['app.probe_open()', 'probe_unpinned()']));
  });
});
