import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/log';
import { defaultMigrationsFolder, migrate, readJournalTags, readReleaseManifest } from '../src/migrate';
import { timeZones } from '../src/schema/codes';
import { makePlan, seed } from '../src/seed';
import { createTestDatabase, type TestDatabase } from './support/database';

/** Every row of every table, by primary key: the md5 of the row's text over the columns the table has now. */
type Contents = Map<string, { columns: readonly string[]; rows: Map<string, string> }>;

/** The tables the seed fills (the library's schemas and the auth users). */
const SCHEMAS = ['public', 'audit', 'auth'];

async function contents(sql: postgres.Sql, columnsOf?: Contents): Promise<Contents> {
  const tables = await sql<{ name: string; columns: string[]; key: string[] }[]>`
    select format('%I.%I', n.nspname, c.relname) as name,
           array(select quote_ident(a.attname) from pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped order by a.attnum) as columns,
           array(select quote_ident(a.attname) from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
                  where i.indrelid = c.oid and i.indisprimary order by a.attnum) as key
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where c.relkind in ('r', 'p') and n.nspname = any(${SCHEMAS})
     order by 1`;
  const out: Contents = new Map();
  for (const table of tables) {
    // After the upgrade, only the columns the release had: a column added since is not a change to a row.
    const columns = columnsOf?.get(table.name)?.columns ?? table.columns;
    const key = table.key.length > 0 ? table.key : columns;
    const rows = await sql.unsafe<{ key: string; hash: string }[]>(
      `select (${key.join(', ')})::text as key, md5((${columns.join(', ')})::text) as hash from ${table.name}`,
    );
    out.set(table.name, { columns, rows: new Map(rows.map((r) => [r.key, r.hash])) });
  }
  return out;
}

/** Per table: rows before, rows after, and the rows lost, changed and added. */
function compare(before: Contents, after: Contents) {
  return [...before].map(([table, { rows }]) => {
    const now = after.get(table)?.rows ?? new Map<string, string>();
    let lost = 0;
    let changed = 0;
    for (const [key, hash] of rows) {
      const current = now.get(key);
      if (current === undefined) lost++;
      else if (current !== hash) changed++;
    }
    return { table, before: rows.size, after: now.size, lost, changed, added: [...now.keys()].filter((k) => !rows.has(k)).length };
  });
}

/**
 * The upgrade proof: a database at release 0.1.0 (the released migrations only, as an app that
 * pinned 0.1.0 has it), seeded, then upgraded to the head by `migrate()` as an app upgrading the
 * package does. Every row is still there and unchanged, and every constraint the upgrade added is
 * validated against those rows.
 */
describe('upgrade 0.1.0 → head keeps every row', () => {
  let db: TestDatabase;
  let released: string[];
  let before: Contents;
  let upgraded: readonly string[];

  beforeAll(async () => {
    const manifest = readReleaseManifest(defaultMigrationsFolder())!;
    released = manifest.migrations.filter((m) => m.release === '0.1.0').map((m) => m.tag);
    db = await createTestDatabase({ migrated: false });
    const at010 = await migrate({ client: db.sql, to: released.at(-1)!, log: silentLogger });
    expect(at010.applied).toEqual(released);
    await seed({ database: db, plan: makePlan({ scale: 0.01 }), progress: false });
    before = await contents(db.sql);
    upgraded = (await migrate({ client: db.sql, log: silentLogger })).applied;
  }, 300_000);

  afterAll(async () => {
    await db?.close();
  });

  it('applies every migration after the release, and only those', () => {
    expect(upgraded).toEqual(readJournalTags(defaultMigrationsFolder())!.slice(released.length));
    expect(upgraded.length).toBeGreaterThan(0);
  });

  it('loses and changes no row of any table (row counts and a content hash per row)', async () => {
    const after = await contents(db.sql, before);
    const report = compare(before, after);
    const seeded = report.filter((r) => r.before > 0);
    expect(seeded.length).toBeGreaterThan(20);
    // The one kind of row an upgrade adds: the audit log's record of a backfill (the mandates'
    // student_id, copied from their plans by 0047), one per mandate, naming that column alone.
    expect(report.filter((r) => r.lost > 0 || r.changed > 0 || (r.added > 0 && r.table !== 'audit.audit_log'))).toEqual([]);
    const audited = await db.sql<{ table_name: string; action: string; actor_id: string | null; changed_fields: string[]; n: number }[]>`
      select table_name, action, actor_id, changed_fields, count(*)::int as n from audit.audit_log group by 1, 2, 3, 4`;
    const [mandates] = await db.sql<{ n: number }[]>`select count(*)::int as n from public.service_mandates`;
    expect(audited).toEqual([{ table_name: 'service_mandates', action: 'update', actor_id: null, changed_fields: ['student_id'], n: mandates!.n }]);
    expect(report.find((r) => r.table === 'audit.audit_log')).toMatchObject({ before: 0, added: mandates!.n });
    expect(report.reduce((n, r) => n + r.before, 0)).toBeGreaterThan(10_000);
  });

  it("backfills every mandate's student from its plan (0047), before the keys that need it are validated", async () => {
    const [row] = await db.sql<{ mandates: number; ofTheirPlansStudent: number }[]>`
      select count(*)::int as mandates, count(*) filter (where m.student_id = p.student_id)::int as "ofTheirPlansStudent"
        from public.service_mandates m join public.service_plans p on p.id = m.service_plan_id`;
    expect(row!.mandates).toBeGreaterThan(0);
    expect(row!.ofTheirPlansStudent).toBe(row!.mandates);
  });

  it('leaves no constraint NOT VALID and no index invalid: the new rules were validated against the seeded rows', async () => {
    const notValid = await db.sql`select conrelid::regclass::text as table, conname from pg_constraint where not convalidated`;
    expect(notValid).toEqual([]);
    const invalid = await db.sql`select indexrelid::regclass::text as index from pg_index where not indisvalid`;
    expect(invalid).toEqual([]);
    const validated = await db.sql<{ conname: string }[]>`
      select conname from pg_constraint
       where conname in ('profiles_email_check', 'guardians_email_check', 'organizations_timezone_check', 'schools_timezone_check',
                         'session_series_timezone_check', 'students_first_name_check', 'guardians_last_name_check')
       order by 1`;
    expect(validated).toHaveLength(7);
  });

  it('enforces the rules added since 0.1.0 on new rows: e-mail, time zone, names blank but for whitespace', async () => {
    const [guardian] = await db.sql<{ id: string }[]>`select id from public.guardians limit 1`;
    const [organization] = await db.sql<{ id: string }[]>`select id from public.organizations limit 1`;
    const [student] = await db.sql<{ id: string }[]>`select id from public.students limit 1`;
    await expect(db.sql`update public.guardians set email = 'ana@example' where id = ${guardian!.id}`).rejects.toMatchObject({ code: '23514', constraint_name: 'guardians_email_check' });
    await expect(db.sql`update public.organizations set timezone = 'Europe/Paris' where id = ${organization!.id}`).rejects.toMatchObject({ code: '23514', constraint_name: 'organizations_timezone_check' });
    await expect(db.sql`update public.students set first_name = ${'\t\u00a0'} where id = ${student!.id}`).rejects.toMatchObject({ code: '23514', constraint_name: 'students_first_name_check' });
    await db.sql`update public.students set first_name = ${'\tAna\u00a0'} where id = ${student!.id}`;
  });

  it('would see a lost or changed row (the comparison is not vacuous)', async () => {
    await db.sql`update public.schools set name = name || ' Annex' where id = (select id from public.schools order by id limit 1)`;
    await db.sql`delete from public.calendar_blackouts where id = (select id from public.calendar_blackouts order by id limit 1)`;
    const report = compare(before, await contents(db.sql, before));
    const touched = Object.fromEntries(report.filter((r) => r.lost > 0 || r.changed > 0).map((r) => [r.table, [r.lost, r.changed]]));
    // (and the student renamed by the test before)
    expect(touched).toEqual({ 'public.calendar_blackouts': [1, 0], 'public.schools': [0, 1], 'public.students': [0, 1] });
  });

  it('accepts only time zones PostgreSQL knows', async () => {
    const unknown = await db.sql<{ name: string }[]>`select unnest(${timeZones as unknown as string[]}::text[]) as name except select name from pg_timezone_names`;
    expect(unknown).toEqual([]);
  });
});
