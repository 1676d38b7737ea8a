import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { applySupabaseShim, defaultMigrationsFolder, exportSupabaseMigrations, migrate, readMigrations, supabaseMigrationNames } from '../../src/migrate';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { cliDbUrl, supabaseCli } from './support';

/**
 * One ledger story with the real Supabase CLI: `supabase db push` then `therapy-db migrate` applies
 * nothing, and the reverse order applies nothing on the second tool either. The CLI talks to the
 * embedded database over its wire-protocol socket just as to a server.
 */

const quiet = () => {};
const tags = readMigrations(defaultMigrationsFolder()).map((m) => m.tag);
const names = supabaseMigrationNames(defaultMigrationsFolder());

describe('the two migration ledgers: supabase_migrations.schema_migrations ↔ therapy_db.schema_migrations', () => {
  let project: string;
  let db: TestDatabase | undefined;
  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), 'therapy-db-ledger-'));
    exportSupabaseMigrations({ dir: join(project, 'supabase'), log: quiet });
  });
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  const ledgers = async (database: TestDatabase) => {
    const [row] = await database.sql<{ ours: string[]; theirs: { version: string; name: string }[] }[]>`
      select (select array_agg(tag order by tag) from therapy_db.schema_migrations) as ours,
             (select json_agg(json_build_object('version', version, 'name', name) order by version) from supabase_migrations.schema_migrations) as theirs`;
    return row!;
  };

  it('supabase db push, then therapy-db migrate: migrate applies 0 files and records the 3 in its own ledger', async () => {
    db = await createTestDatabase({ migrated: false });
    await applySupabaseShim(db.sql);
    const push = await supabaseCli(['db', 'push', '--db-url', cliDbUrl(db.url), '--yes'], project);
    expect(`${push.stdout}${push.stderr}`).toContain(`Applying migration ${names.at(-1)!.fileName}`);

    const lines: string[] = [];
    const result = await migrate({ client: db.sql, log: (l) => lines.push(l) });
    expect(result.applied).toEqual([]);
    expect(result.adoptedFromSupabase).toEqual(tags);
    expect(lines).toContain(`recorded ${tags[0]}.sql: the Supabase CLI applied it (version ${names[0]!.version})`);
    expect(lines.at(-1)).toBe(`migrations: up to date (${tags.length} applied before; ${tags.length} of them applied by supabase db push)`);
    expect(await ledgers(db)).toEqual({ ours: [...tags].sort(), theirs: names.map((n) => ({ version: n.version, name: n.tag })) });

    const again = await migrate({ client: db.sql, log: quiet });
    expect(again).toMatchObject({ applied: [], adoptedFromSupabase: [] });
  });

  it('therapy-db migrate, then supabase db push: the CLI finds the remote database up to date', async () => {
    db = await createTestDatabase({ migrated: false });
    const result = await migrate({ client: db.sql, log: quiet });
    expect(result.applied).toEqual(tags);
    expect(await ledgers(db)).toEqual({ ours: [...tags].sort(), theirs: names.map((n) => ({ version: n.version, name: n.tag })) });

    const push = await supabaseCli(['db', 'push', '--db-url', cliDbUrl(db.url), '--yes'], project);
    expect(`${push.stdout}${push.stderr}`).toContain('Remote database is up to date.');
    expect(`${push.stdout}${push.stderr}`).not.toContain('Applying migration');
    const list = await supabaseCli(['migration', 'list', '--db-url', cliDbUrl(db.url)], project);
    for (const name of names) expect(list.stdout).toMatch(new RegExp(`\`${name.version}\` \\| \`${name.version}\``));
  });

  it("a database migrated before the CLI's ledger was kept gets it filled in on the next migrate", async () => {
    db = await createTestDatabase({ migrated: false });
    await migrate({ client: db.sql, supabaseLedger: false, log: quiet });
    expect(await db.sql`select pg_catalog.to_regclass('supabase_migrations.schema_migrations') as ledger`).toEqual([{ ledger: null }]);
    const result = await migrate({ client: db.sql, log: quiet });
    expect(result).toMatchObject({ applied: [], adoptedFromSupabase: [] });
    expect((await ledgers(db)).theirs).toEqual(names.map((n) => ({ version: n.version, name: n.tag })));
  });

  it("refuses to guess when the CLI's ledger has another migration under one of the package's versions", async () => {
    db = await createTestDatabase({ migrated: false });
    await db.sql.unsafe(`create schema supabase_migrations;
      create table supabase_migrations.schema_migrations (version text primary key, statements text[], name text);
      insert into supabase_migrations.schema_migrations (version, name) values ('${names[0]!.version}', 'team_migration');`);
    const error = await migrate({ client: db.sql, log: quiet }).catch((e: unknown) => e as Error);
    expect((error as Error).message).toMatch(new RegExp(`lists version ${names[0]!.version} as "team_migration", but that version is ${tags[0]}`));
  });

  it("a supabase/migrations layer holding the exported files and the team's own: each migration applied once, both ledgers agree", async () => {
    db = await createTestDatabase({ migrated: false });
    const folder = join(project, 'supabase', 'migrations');
    const own = join(folder, '20991231000000_team_table.sql');
    writeFileSync(own, 'create table public.team_table (id int primary key);\n');
    try {
      const lines: string[] = [];
      const result = await migrate({ client: db.sql, migrationsFolder: [defaultMigrationsFolder(), folder], log: (l) => lines.push(l) });
      expect(result.applied).toEqual([...tags, '20991231000000_team_table']);
      expect(lines).toContain(`${names[0]!.fileName.slice(0, -4)}.sql is the exported copy of ${tags[0]}.sql: applied once`);
      expect((await ledgers(db)).theirs).toEqual([...names.map((n) => ({ version: n.version, name: n.tag })), { version: '20991231000000', name: 'team_table' }]);
      const push = await supabaseCli(['db', 'push', '--db-url', cliDbUrl(db.url), '--yes'], project);
      expect(`${push.stdout}${push.stderr}`).toContain('Remote database is up to date.');
    } finally {
      rmSync(own);
    }
  });
});
