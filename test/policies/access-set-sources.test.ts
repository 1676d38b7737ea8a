import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessSetRules, accessSetSources, countingMemberships } from '../../src/policies/access-sets';
import { createTestDatabase, type TestDatabase } from '../support/database';

/**
 * The access sets are recomputed only when a column listed for its table in `accessSetSources`
 * changes (src/policies/access-sets.ts). A rule that reads any other column would go stale when that
 * column changes: a removed therapist, a suspended member or a deactivated account would keep
 * reading. So every column the rules read must be listed, and every table they read must be a
 * source. What a rule reads is asked of PostgreSQL itself: each rule becomes a view, and the
 * view's dependencies (pg_depend) name every column of every table it reads.
 */

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db?.close();
});

/**
 * The public columns `rule` reads, as `table.column`: a view depends on each column it reads. (A
 * table read without any of its columns, as in `exists (select 1 from t)`, leaves no dependency and
 * would not be caught; no rule reads one that way.)
 */
async function columnsRead(rule: string): Promise<string[]> {
  const rollback = new Error('rollback');
  let read: string[] = [];
  await db.sql
    .begin(async (tx) => {
      await tx.unsafe(`create temporary view access_set_rule as ${rule}`);
      const rows = await tx<{ used: string }[]>`
        select distinct c.relname || coalesce('.' || a.attname, '') as used
          from pg_catalog.pg_rewrite r
          join pg_catalog.pg_depend d on d.classid = 'pg_catalog.pg_rewrite'::regclass and d.objid = r.oid
                                     and d.refclassid = 'pg_catalog.pg_class'::regclass
          join pg_catalog.pg_class c on c.oid = d.refobjid
          join pg_catalog.pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
          left join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum = d.refobjsubid and d.refobjsubid > 0
         where r.ev_class = 'pg_temp.access_set_rule'::regclass
         order by 1`;
      read = rows.map((r) => r.used);
      throw rollback;
    })
    .catch((error: unknown) => {
      if (error !== rollback) throw error;
    });
  return read;
}

/** What `rule` reads that a change does not recompute, as sentences a failure prints. */
async function unlisted(name: string, rule: string): Promise<string[]> {
  const listed = new Map(accessSetSources.map((s) => [s.table.replace(/^public\./, ''), new Set(s.columns)]));
  return (await columnsRead(rule)).flatMap((used) => {
    const [table, column] = used.split('.') as [string, string];
    const columns = listed.get(table);
    if (!columns) return [`${name} reads public.${table}, which is not a source of the access sets`];
    return columns.has(column) ? [] : [`${name} reads public.${table}.${column}, which accessSetSources does not list`];
  });
}

describe('every column the access-set rules read recomputes the sets when it changes', () => {
  // One column each rule is known to read: the catalogue query finds what it must.
  const known: Record<keyof typeof accessSetRules, string> = {
    access_memberships: 'profiles.deactivated_at',
    access_students: 'caseload_assignments.ends_on',
    access_conversations: 'conversation_participants.left_at',
    access_soft_deleted: 'therapy_sessions.deleted_at',
  };
  for (const [name, rule] of Object.entries(accessSetRules) as [keyof typeof accessSetRules, string][]) {
    it(`app.${name}: every public column its rule reads is listed for its table`, async () => {
      expect(await columnsRead(rule)).toContain(known[name]);
      expect(await unlisted(name, rule)).toEqual([]);
    });
  }

  it('every source table is read by a rule (a trigger on a table no rule reads would recompute for nothing)', async () => {
    const read = new Set<string>();
    for (const rule of Object.values(accessSetRules)) for (const used of await columnsRead(rule)) read.add(`public.${used.split('.')[0]}`);
    expect([...read].sort()).toEqual(accessSetSources.map((s) => s.table).sort());
  });

  it('a rule that reads an unlisted column is named, with the table and the column (the check bites)', async () => {
    const rule = `${countingMemberships('true')}\n   and m.invited_by is not null`;
    expect(await unlisted('access_memberships', rule)).toEqual(['access_memberships reads public.organization_members.invited_by, which accessSetSources does not list']);
  });

  it('a rule that reads a table that is not a source is named', async () => {
    const rule = `${countingMemberships('true')}\n   and exists (select 1 from public.session_types t where t.organization_id = m.organization_id)`;
    expect(await unlisted('access_memberships', rule)).toEqual(['access_memberships reads public.session_types, which is not a source of the access sets']);
  });
});
