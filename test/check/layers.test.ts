/**
 * Migration layers (issue 15): an app's migrations applied after the package's, into one database.
 * The package layer here is a small drizzle-kit folder; the app layer a Supabase-format folder
 * (`<version>_<name>.sql`, no journal) whose tables reference the package's.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChecks } from '../../src/check';
import { migrate, MigrationLayerError, readMigrationLayers } from '../../src/migrate';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { sqlFile, tempDir, writeMigrations } from './support';

const tmp = tempDir('layers');
afterAll(() => tmp.remove());

/** The "package": a table with RLS and a policy-free revoke, as therapy-db's migrations leave it. */
const packageLayer = join(tmp.dir, 'package');
writeMigrations(packageLayer, [
  {
    tag: '0000_widgets',
    sql: sqlFile(
      'CREATE TABLE "widgets" ("id" uuid PRIMARY KEY NOT NULL, "organization_id" uuid NOT NULL)',
      'ALTER TABLE "widgets" ENABLE ROW LEVEL SECURITY',
      'CREATE UNIQUE INDEX "widgets_org_id_key" ON "widgets" ("organization_id", "id")',
      'REVOKE ALL ON "widgets" FROM anon, authenticated',
    ),
  },
]);

/** A Supabase CLI folder: plain SQL files, several statements each, applied in file-name order. */
function supabaseFolder(name: string, files: Record<string, string>): string {
  const dir = join(tmp.dir, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, sql] of Object.entries(files)) writeFileSync(join(dir, file), sql);
  return dir;
}

const gadgets = `-- an app table that points into the package's, tenant-consistently
create table public.gadgets (
  id uuid primary key,
  organization_id uuid not null,
  widget_id uuid not null,
  constraint gadgets_widget_fkey foreign key (organization_id, widget_id) references public.widgets (organization_id, id)
);
create index gadgets_widget_idx on public.gadgets (organization_id, widget_id);
alter table public.gadgets enable row level security;
revoke all on public.gadgets from anon, authenticated;
`;
const appLayer = supabaseFolder('app', { '20260105093000_gadgets.sql': gadgets });

describe('migrate: layers applied in order into one database', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: false });
  });
  afterAll(async () => db.close());

  it("applies the package's migrations, then the app's Supabase-format ones; a second run applies nothing", async () => {
    const first = await migrate({ client: db.sql, migrationsFolder: [packageLayer, appLayer] });
    expect(first.applied).toEqual(['0000_widgets', '20260105093000_gadgets']);
    const [row] = await db.sql`select to_regclass('public.gadgets') is not null as gadgets, to_regclass('public.gadgets_widget_idx') is not null as indexed`;
    expect(row).toEqual({ gadgets: true, indexed: true });
    const second = await migrate({ client: db.sql, migrationsFolder: [packageLayer, appLayer] });
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toEqual(['0000_widgets', '20260105093000_gadgets']);
  });

  it('refuses two layers sharing a tag before touching the database', () => {
    const clash = join(tmp.dir, 'clash');
    writeMigrations(clash, [{ tag: '0000_widgets', sql: sqlFile('select 1') }]);
    expect(() => readMigrationLayers([packageLayer, clash])).toThrow(MigrationLayerError);
    expect(() => readMigrationLayers([packageLayer, clash])).toThrow(/migration 0000_widgets is in .*package and in .*clash/);
  });

  it('refuses a folder that is neither drizzle-kit nor Supabase format', () => {
    const empty = supabaseFolder('empty', { 'notes.txt': 'not a migration' });
    expect(() => readMigrationLayers([packageLayer, empty])).toThrow(/is not a migrations folder/);
  });
});

describe('check over layers', () => {
  it('replays both layers and inspects the union: the app layer alone does not apply', async () => {
    const both = await runChecks({ migrationsFolder: [packageLayer, appLayer] });
    const status = Object.fromEntries(both.results.map((r) => [r.id, r.status]));
    expect(status).toMatchObject({ drift: 'skipped', integrity: 'passed', replay: 'passed', 'rls-enabled': 'passed', 'foreign-keys-indexed': 'passed', safety: 'passed' });
    expect(both.migrationsFolders).toEqual([packageLayer, appLayer]);
    expect(both.results.find((r) => r.id === 'replay')!.summary).toMatch(/^2 migrations applied/);
    // Without a baseline, every file of the app layer is new (the package's tables exist in production).
    expect(both.results.find((r) => r.id === 'safety')!.summary).toContain('1 migration(s) added since the 1 migration(s) of the 1 layer(s) below: 20260105093000_gadgets');

    const alone = await runChecks({ migrationsFolder: appLayer });
    const replay = alone.results.find((r) => r.id === 'replay')!;
    expect(replay.status).toBe('failed');
    expect(replay.findings[0]).toMatchObject({ file: join(appLayer, '20260105093000_gadgets.sql') });
    expect(replay.findings[0]!.message).toMatch(/SQLSTATE 42P01.*relation "public.widgets" does not exist/);
  });

  it("a Supabase file runs as one query: a failure is located by Postgres' error position", async () => {
    const broken = supabaseFolder('broken', {
      '20260105093000_gadgets.sql': gadgets,
      '20260106120000_report.sql': `create view public.gadget_counts with (security_invoker = true) as
  select organization_id, count(*) from public.gadgets group by 1;
select * from public.gizmos;
`,
    });
    const report = await runChecks({ migrationsFolder: [packageLayer, broken] });
    const replay = report.results.find((r) => r.id === 'replay')!;
    expect(replay.status).toBe('failed');
    expect(replay.findings[0]).toMatchObject({ file: join(broken, '20260106120000_report.sql'), line: 3 });
  });

  it("catalogue findings and the safety lint point into the app layer's files", async () => {
    const careless = supabaseFolder('careless', {
      '20260105093000_gadgets.sql': gadgets,
      // No RLS on a new table, and an index built on the package's table under a write lock.
      '20260106120000_sprockets.sql': `create table public.sprockets (id uuid primary key);\ncreate index widgets_org_idx on public.widgets (organization_id);\n`,
    });
    const report = await runChecks({ migrationsFolder: [packageLayer, careless] });
    const result = (id: string) => report.results.find((r) => r.id === id)!;
    expect(result('rls-enabled').status).toBe('failed');
    expect(result('rls-enabled').findings[0]).toMatchObject({ object: 'public.sprockets', file: join(careless, '20260106120000_sprockets.sql'), line: 1 });
    expect(result('safety').status).toBe('failed');
    const sprockets = join(careless, '20260106120000_sprockets.sql');
    expect(result('safety').findings.map((f) => [f.rule, f.file, f.line])).toEqual([
      ['lock-timeout', sprockets, 2],
      ['create-index', sprockets, 2],
    ]);
  });

  it('integrity: a Supabase folder file the CLI would skip is a finding', async () => {
    const misnamed = supabaseFolder('misnamed', { '20260105093000_gadgets.sql': gadgets, 'gadgets_fix.sql': 'select 1;' });
    const report = await runChecks({ migrationsFolder: [packageLayer, misnamed], skip: ['replay'] });
    const integrity = report.results.find((r) => r.id === 'integrity')!;
    expect(integrity.status).toBe('failed');
    expect(integrity.findings.map((f) => f.message)).toEqual([
      'gadgets_fix.sql is not named <version>_<name>.sql, so neither the Supabase CLI nor therapy-db applies it',
    ]);
  });
});
