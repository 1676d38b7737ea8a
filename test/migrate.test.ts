import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { migrate, MigrationError, readMigrations, defaultMigrationsFolder } from '../src/migrate';
import { createTestDatabase, type TestDatabase } from './support/database';

const quiet = () => {};

/** Generation times for the throwaway journals: each migration a second after the last, as if generated one by one. */
let clock = 1_700_000_000_000;

/** A throwaway migrations folder in drizzle-kit's layout. */
function migrationsFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'therapy-db-migrations-'));
  mkdirSync(join(dir, 'meta'));
  const entries = Object.keys(files).map((tag, idx) => ({ idx, version: '7', when: (clock += 1000), tag, breakpoints: true }));
  writeFileSync(join(dir, 'meta', '_journal.json'), JSON.stringify({ version: '7', dialect: 'postgresql', entries }));
  for (const [tag, sql] of Object.entries(files)) writeFileSync(join(dir, `${tag}.sql`), sql);
  return dir;
}

describe('migrate', () => {
  let fresh: TestDatabase;
  let folders: string[] = [];
  beforeAll(async () => {
    fresh = await createTestDatabase({ migrated: false });
  });
  afterAll(async () => {
    await fresh.close();
    for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  });

  it('applies every shipped migration to an empty database, then a second run is a no-op', async () => {
    const lines: string[] = [];
    const first = await migrate({ client: fresh.sql, log: (l) => lines.push(l) });
    const all = readMigrations(defaultMigrationsFolder()).map((m) => m.tag);
    expect(first.applied).toEqual(all);
    expect(lines.some((l) => /^applied \d{4}_\w+\.sql in \d+ ms$/.test(l))).toBe(true);
    expect(lines).toContain('database lacks the Supabase platform (auth schema): applying the local shim first');

    const second = await migrate({ client: fresh.sql, log: quiet });
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toEqual(all);
    expect(second.shimCreated).toEqual([]);
  });

  it('a broken migration fails with its file, statement and SQLSTATE and leaves the database as it was', async () => {
    const dir = migrationsFolder({
      '0000_good': 'create table public.migrate_probe_good (id int primary key);',
      '0001_broken':
        'create table public.migrate_probe_partial (id int primary key);\n--> statement-breakpoint\ninsert into public.no_such_table values (1);',
    });
    folders.push(dir);
    const error = await migrate({ client: fresh.sql, migrationsFolder: dir, log: quiet }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    const failure = error as MigrationError;
    expect(failure.file).toBe('0001_broken.sql');
    expect(failure.statementNumber).toBe(2);
    expect(failure.sqlState).toBe('42P01');
    expect(failure.message).toMatch(/0001_broken\.sql failed at statement 2 \(SQLSTATE 42P01\)/);

    const [state] = await fresh.sql`select
      to_regclass('public.migrate_probe_good') is not null as good,
      to_regclass('public.migrate_probe_partial') is not null as partial,
      (select array_agg(tag order by tag) from therapy_db.schema_migrations where tag like '000%\\_good' or tag like '000%\\_broken') as recorded`;
    expect(state).toEqual({ good: true, partial: false, recorded: ['0000_good'] });
  });

  it('a file marked no-transaction runs statements Postgres refuses in a transaction, once', async () => {
    const dir = migrationsFolder({
      '0000_table': 'create table public.migrate_probe_big (id int primary key, note text);',
      '0001_concurrent_index':
        '-- therapy-db: no-transaction (an index built without locking writes)\ncreate index concurrently if not exists migrate_probe_big_note_idx on public.migrate_probe_big (note);',
    });
    folders.push(dir);
    const first = await migrate({ client: fresh.sql, migrationsFolder: dir, log: quiet });
    expect(first.applied).toEqual(['0000_table', '0001_concurrent_index']);
    const [row] = await fresh.sql`select to_regclass('public.migrate_probe_big_note_idx') is not null as indexed`;
    expect(row?.indexed).toBe(true);
    expect((await migrate({ client: fresh.sql, migrationsFolder: dir, log: quiet })).applied).toEqual([]);
  });

  it('runs against an already migrated copy without applying anything', async () => {
    const copy = await createTestDatabase();
    try {
      const result = await migrate({ client: copy.sql, log: quiet });
      expect(result.applied).toEqual([]);
    } finally {
      await copy.close();
    }
  });

  it('is silent without a logger: a library writes nothing to stdout or stderr unless given one', async () => {
    const dir = migrationsFolder({ '0000_silent': 'create table public.migrate_probe_silent (id int primary key);' });
    folders.push(dir);
    const stderr = vi.spyOn(process.stderr, 'write');
    const stdout = vi.spyOn(process.stdout, 'write');
    try {
      const result = await migrate({ client: fresh.sql, migrationsFolder: dir });
      expect(result.applied).toEqual(['0000_silent']);
      expect(stderr).not.toHaveBeenCalled();
      expect(stdout).not.toHaveBeenCalled();
    } finally {
      stderr.mockRestore();
      stdout.mockRestore();
    }
  });
});
