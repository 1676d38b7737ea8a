import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultMigrationsFolder, exportSupabaseMigrations, readJournalEntries, readMigrations, supabaseMigrationNames } from '../../src/migrate';
import { embeddedPassOnly } from '../support/backend';

// Files only: the export reads the migrations folder and writes supabase/migrations, no database.
const embeddedOnly = embeddedPassOnly('supabase/export.test.ts');

const quiet = () => {};
const temps: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** Every file under `dir` with its text. */
function tree(dir: string): Record<string, string> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  return Object.fromEntries(files.map((e) => join(e.parentPath, e.name)).sort().map((f) => [f, readFileSync(f, 'utf8')]));
}

describe.skipIf(embeddedOnly)('supabase migration names', () => {
  it("are the journal's generation time in UTC seconds, then the tag", () => {
    const names = supabaseMigrationNames(defaultMigrationsFolder());
    const entries = readJournalEntries(defaultMigrationsFolder())!;
    expect(names.map((n) => n.tag)).toEqual(entries.map((e) => e.tag));
    for (const [i, name] of names.entries()) {
      expect(name.version).toMatch(/^\d{14}$/);
      expect(name.fileName).toBe(`${name.version}_${name.tag}.sql`);
      // the version is the journal's second (or a later one when two share a second)
      expect(name.version >= new Date(Math.floor(entries[i]!.when / 1000) * 1000).toISOString().replace(/\D/g, '').slice(0, 14)).toBe(true);
    }
    expect(names[0]!.fileName).toBe('20261126061502_0000_init_prelude.sql');
  });

  it('always increase in journal order, even for migrations generated within one second', () => {
    const dir = tempDir('therapy-db-journal-');
    mkdirSync(join(dir, 'meta'));
    const when = Date.UTC(2027, 0, 31, 23, 59, 59, 100);
    const entries = ['0000_a', '0001_b', '0002_c', '0003_d'].map((tag, idx) => ({ idx, version: '7', when: idx === 3 ? when - 5_000 : when + idx, tag, breakpoints: true }));
    writeFileSync(join(dir, 'meta', '_journal.json'), JSON.stringify({ version: '7', dialect: 'postgresql', entries }));
    expect(supabaseMigrationNames(dir).map((n) => n.version)).toEqual(['20270131235959', '20270201000000', '20270201000001', '20270201000002']);
  });
});

describe.skipIf(embeddedOnly)('therapy-db export supabase', () => {
  it('writes every migration byte for byte; a second run writes nothing and leaves an identical tree', () => {
    const project = tempDir('therapy-db-supabase-project-');
    const first = exportSupabaseMigrations({ dir: join(project, 'supabase'), log: quiet });
    const migrations = readMigrations(defaultMigrationsFolder());
    expect(first.written).toEqual(supabaseMigrationNames(defaultMigrationsFolder()).map((n) => n.fileName));
    expect(first.conflicts).toEqual([]);
    for (const [i, file] of first.written.entries()) {
      expect(readFileSync(join(project, 'supabase', 'migrations', file), 'utf8')).toBe(migrations[i]!.sql);
    }
    const before = tree(project);
    const second = exportSupabaseMigrations({ dir: join(project, 'supabase'), log: quiet });
    expect(second).toMatchObject({ written: [], unchanged: first.written, conflicts: [] });
    expect(tree(project)).toEqual(before);
  });

  it("keeps the team's own migrations and reports (never overwrites) a package migration the team edited", () => {
    const project = tempDir('therapy-db-supabase-project-');
    const dir = join(project, 'supabase');
    const { written } = exportSupabaseMigrations({ dir, log: quiet });
    const edited = join(dir, 'migrations', written[1]!);
    writeFileSync(edited, `${readFileSync(edited, 'utf8')}\n-- our tweak\n`);
    writeFileSync(join(dir, 'migrations', '20270101000000_our_table.sql'), 'create table public.ours (id int);\n');
    rmSync(join(dir, 'migrations', written[2]!));
    const lines: string[] = [];
    const result = exportSupabaseMigrations({ dir, log: (l) => lines.push(l) });
    expect(result.written).toEqual([written[2]]);
    expect(result.unchanged).toEqual(written.filter((_, i) => i !== 1 && i !== 2));
    expect(result.conflicts).toEqual([{ tag: written[1]!.slice(15, -4), file: edited, reason: 'edited' }]);
    expect(readFileSync(edited, 'utf8')).toMatch(/-- our tweak\n$/);
    expect(readFileSync(join(dir, 'migrations', '20270101000000_our_table.sql'), 'utf8')).toBe('create table public.ours (id int);\n');
    expect(lines.join('\n')).toMatch(/differs from the package's 0001_init\.sql \(edited\?\): left as it is/);
  });

  it('does not write a migration twice when the team renamed it by hand', () => {
    const project = tempDir('therapy-db-supabase-project-');
    const dir = join(project, 'supabase');
    mkdirSync(join(dir, 'migrations'), { recursive: true });
    const [prelude] = readMigrations(defaultMigrationsFolder());
    writeFileSync(join(dir, 'migrations', `20250101000000_${prelude!.tag}.sql`), prelude!.sql);
    const result = exportSupabaseMigrations({ dir, log: quiet });
    expect(result.conflicts).toEqual([{ tag: prelude!.tag, file: join(dir, 'migrations', `20250101000000_${prelude!.tag}.sql`), reason: 'renamed' }]);
    expect(result.written).not.toContain(supabaseMigrationNames(defaultMigrationsFolder())[0]!.fileName);
  });

  it('--dry-run reports without writing', () => {
    const project = tempDir('therapy-db-supabase-project-');
    const result = exportSupabaseMigrations({ dir: join(project, 'supabase'), dryRun: true, log: quiet });
    expect(result.written.length).toBeGreaterThan(0);
    expect(readdirSync(project)).toEqual([]);
  });
});

describe.skipIf(embeddedOnly)('the CLI: therapy-db export supabase', () => {
  const cli = (args: string[], cwd: string) =>
    spawnSync(process.execPath, [join(__dirname, '..', '..', 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(__dirname, '..', '..', 'src', 'cli', 'main.ts'), ...args], { cwd, encoding: 'utf8' });

  it('writes into ./supabase by default, exits 0 when the tree matches and 1 when a file was edited', () => {
    const project = tempDir('therapy-db-supabase-cli-');
    const first = cli(['export', 'supabase'], project);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/supabase migrations: \d+ written, 0 unchanged/);
    const [file] = readdirSync(join(project, 'supabase', 'migrations')).sort();
    writeFileSync(join(project, 'supabase', 'migrations', file!), '-- edited\n');
    const second = cli(['export', 'supabase', '--dir', 'supabase'], project);
    expect(second.status).toBe(1);
    expect(second.stderr).toMatch(/left alone because they differ from the package/);
    expect(readFileSync(join(project, 'supabase', 'migrations', file!), 'utf8')).toBe('-- edited\n');
    const usage = cli(['export', 'nowhere'], project);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/unknown export target "nowhere"/);
    const extra = cli(['export', 'supabase', 'now'], project);
    expect(extra.status).toBe(2);
    expect(extra.stderr).toMatch(/unexpected argument after export supabase: now/);
  });
});
