import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { migrate, MigrationFileError, readJournalTags, type MigrateResult } from '../src/migrate';
import { createTestDatabase, type TestDatabase } from './support/database';

/**
 * The runner against the files an operator actually meets: a `commit;` in a transactional file, a
 * damaged journal, empty and binary files, a journal that lost an entry, another migrator holding
 * the lock. Each is refused (or reported) before anything runs, naming the file and, where one line
 * is at fault, the line.
 */
const folders: string[] = [];

/** A throwaway migrations folder in drizzle-kit's layout. */
function migrationsFolder(files: Record<string, string | Buffer>, journal?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'therapy-db-faults-'));
  folders.push(dir);
  mkdirSync(join(dir, 'meta'));
  // Each folder is its own history: its own hour of journal timestamps, so the Supabase ledger
  // (keyed by timestamp) never sees two folders' different migrations under one version.
  const hour = 1_700_000_000_000 + folders.length * 3_600_000;
  const entries = Object.keys(files).map((tag, idx) => ({ idx, version: '7', when: hour + idx * 1_000, tag, breakpoints: true }));
  writeFileSync(join(dir, 'meta', '_journal.json'), journal ?? JSON.stringify({ version: '7', dialect: 'postgresql', entries }));
  for (const [tag, sql] of Object.entries(files)) writeFileSync(join(dir, `${tag}.sql`), sql);
  return dir;
}

const BREAK = '\n--> statement-breakpoint\n';

describe('migrate refuses what it cannot apply safely, before anything runs', () => {
  let db: TestDatabase;
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);

  beforeAll(async () => {
    db = await createTestDatabase({ migrated: false });
  });
  afterAll(async () => {
    await db.close();
    for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  });

  const failure = (promise: Promise<MigrateResult>) => promise.then(() => undefined, (error: unknown) => error as MigrationFileError);
  const exists = async (table: string) => (await db.sql`select to_regclass(${table}) is not null as found`)[0]!.found as boolean;
  const recorded = async (tag: string) => (await db.sql`select 1 from therapy_db.schema_migrations where tag = ${tag}`).length === 1;

  it('commit; inside a transactional migration is refused with its line; no statement of any pending file runs', async () => {
    const dir = migrationsFolder({
      '0000_before': 'create table public.faults_before (id int primary key);',
      '0001_commits': `create table public.faults_committed (id int primary key);${BREAK}commit;${BREAK}insert into public.no_such_table values (1);`,
    });
    const error = await failure(migrate({ client: db.sql, migrationsFolder: dir, log }));
    expect(error).toBeInstanceOf(MigrationFileError);
    expect(error).toMatchObject({ file: '0001_commits.sql', line: 3 });
    expect(error!.message).toMatch(/^0001_commits\.sql:3: COMMIT would end the transaction the file runs in: .*Remove it .*"-- therapy-db: no-transaction"/);
    expect(await exists('public.faults_committed')).toBe(false);
    expect(await exists('public.faults_before')).toBe(false);
    expect(await recorded('0000_before')).toBe(false);
  });

  it('every statement that ends or starts a transaction is found, also several in one chunk (a Supabase-style file)', async () => {
    const cases: [string, string, number][] = [
      ['create table public.faults_a (id int);\nbegin;\ninsert into public.faults_a values (1);\nend;', 'BEGIN', 2],
      ['create table public.faults_a (id int);\n\nROLLBACK;', 'ROLLBACK', 3],
      ['start transaction isolation level serializable;', 'START TRANSACTION', 1],
      ["/* a comment */ select 1;\nprepare transaction 'x';", 'PREPARE TRANSACTION', 2],
      ['select 1; abort;', 'ABORT', 1],
      ['select 1;\n  Commit Work;', 'COMMIT', 2],
    ];
    for (const [sql, control, line] of cases) {
      const error = await failure(migrate({ client: db.sql, migrationsFolder: migrationsFolder({ '0000_control': sql }), log }));
      expect(error?.message, sql).toMatch(new RegExp(`^0000_control\\.sql:${line}: ${control} would end`));
    }
  });

  it('but not the words inside strings, comments, function bodies, begin atomic bodies or savepoints, nor in a no-transaction file', async () => {
    const dir = migrationsFolder({
      '0000_words': [
        "create table public.faults_words (id int primary key, note text default 'commit; rollback;');",
        '-- commit; is only a comment here\n/* rollback; */ select 1;',
        'create function public.faults_plpgsql() returns int language plpgsql as $$ begin return 1; end $$;',
        'create function public.faults_atomic() returns int language sql begin atomic select 1; select case when true then 2 end; end;',
        'savepoint s1;\ninsert into public.faults_words values (1);\nrollback to savepoint s1;\nrelease savepoint s1;',
        'savepoint s2;\nrollback work to s2;',
      ].join(BREAK),
      '0001_explicit': '-- therapy-db: no-transaction\nbegin;\ninsert into public.faults_words values (2);\ncommit;',
    });
    const result = await migrate({ client: db.sql, migrationsFolder: dir, log });
    expect(result.applied).toEqual(['0000_words', '0001_explicit']);
    expect(await db.sql`select id from public.faults_words order by id`).toEqual([{ id: 2 }]);
    // The body kept both statements (a begin atomic function returns its last one's result).
    expect((await db.sql`select public.faults_atomic() as v`)[0]?.v).toBe(2);
  });

  it('a truncated journal names the file and says it is not JSON', async () => {
    const dir = migrationsFolder({ '0000_x': 'select 1;' }, '{"version":"7","dialect":"postgresql","entries":[{"idx":0,');
    const error = await failure(migrate({ client: db.sql, migrationsFolder: dir, log }));
    expect(error).toBeInstanceOf(MigrationFileError);
    expect(error!.file).toBe(join(dir, 'meta', '_journal.json'));
    expect(error!.message).toMatch(/meta\/_journal\.json: not valid JSON \(.*JSON.*\); restore it from version control or regenerate it$/);
  });

  it('a journal of the wrong shape names the file and the entry', () => {
    const shape = (journal: string) => {
      try {
        readJournalTags(migrationsFolder({ '0000_x': 'select 1;' }, journal));
        return 'accepted';
      } catch (error) {
        return (error as Error).message.replace(/^.*_journal\.json: /, '');
      }
    };
    expect(shape('{"entries": {}}')).toBe(`expected drizzle-kit's journal, an object whose "entries" is an array of { "idx", "tag", … }`);
    expect(shape('[]')).toMatch(/^expected drizzle-kit's journal/);
    expect(shape('null')).toMatch(/^expected drizzle-kit's journal/);
    expect(shape('{"entries": [{"idx": 0, "tag": "../../etc/passwd"}]}')).toBe('entries[0] needs a whole-number "idx" and a "tag" naming a file of this folder (got {"idx":0,"tag":"../../etc/passwd"})');
    expect(shape('{"entries": [{"tag": "0000_x"}]}')).toMatch(/^entries\[0\] needs a whole-number "idx"/);
    expect(shape('{"entries": [{"idx": 0, "tag": "0000_x"}, {"idx": 1, "tag": "0000_x"}]}')).toBe('0000_x is listed twice');
    expect(shape('{"entries": [{"idx": 1, "tag": "b"}, {"idx": 0, "tag": "a"}]}')).toBe('accepted');
  });

  it('an empty migration (or one of comments only) is refused, not recorded as applied', async () => {
    for (const sql of ['', '\n\n', `-- TODO: write this${BREAK}/* later */`]) {
      const error = await failure(migrate({ client: db.sql, migrationsFolder: migrationsFolder({ '0000_empty': sql }), log }));
      expect(error?.message).toMatch(/^0000_empty\.sql: has no statements: write its SQL, or remove it from the journal/);
      expect(await recorded('0000_empty')).toBe(false);
    }
  });

  it('NUL bytes and non-UTF-8 text are refused with the file and line, not a cryptic 08P01', async () => {
    const nul = await failure(migrate({ client: db.sql, migrationsFolder: migrationsFolder({ '0000_nul': 'select 1;\nselect 2;\nselect \u0000;' }), log }));
    expect(nul?.message).toBe('0000_nul.sql:3: contains a NUL byte: a migration is UTF-8 text (is this a UTF-16 or binary file?)');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('select 1;', 'utf16le')]);
    const wide = await failure(migrate({ client: db.sql, migrationsFolder: migrationsFolder({ '0000_utf16': utf16 }), log }));
    expect(wide?.message).toMatch(/^0000_utf16\.sql:1: contains a NUL byte/);
    const latin1 = await failure(migrate({ client: db.sql, migrationsFolder: migrationsFolder({ '0000_latin1': Buffer.from("select 'caf\xe9';", 'latin1') }), log }));
    expect(latin1?.message).toBe('0000_latin1.sql: is not valid UTF-8 text: save it as UTF-8');
  });

  it('a database with more applied than the journal lists says so, and a file the journal does not list is reported', async () => {
    const files = { '0000_one': 'create table public.faults_one (id int);', '0001_two': 'create table public.faults_two (id int);' };
    const full = migrationsFolder(files);
    expect((await migrate({ client: db.sql, migrationsFolder: full, log })).applied).toEqual(['0000_one', '0001_two']);
    // The same folder whose journal lost its last entry (the file is still there).
    const lost = migrationsFolder(files, JSON.stringify({ version: '7', dialect: 'postgresql', entries: [{ idx: 0, version: '7', when: 1, tag: '0000_one', breakpoints: true }] }));
    lines.length = 0;
    const result = await migrate({ client: db.sql, migrationsFolder: lost, log });
    expect(result).toMatchObject({ applied: [], alreadyApplied: ['0000_one'], unknownApplied: expect.arrayContaining(['0001_two']) });
    expect(lines).toContainEqual(expect.stringMatching(/^warning: the database has \d+ applied migrations? that the migrations folder does not list \(.*0001_two.*\): it was migrated by a newer version, or the journal lost/));
    expect(lines).toContainEqual(`warning: 0001_two.sql is in ${lost} but not in meta/_journal.json, so it is never applied; generate migrations with \`npm run db:generate\` (or drizzle-kit), which lists them`);
    expect(lines.at(-1)).toMatch(/^migrations: up to date \(1 applied before; the database also has \d+ migrations? not listed here\)$/);
  });
});

const onServer = inject('testBackend').kind === 'server';
if (!onServer) console.log('migrate.faults: "a migrator waiting for the lock says who holds it" skipped on embedded PGlite (single connection: nobody else can hold the lock); runs on PostgreSQL');

describe.skipIf(!onServer)('the migration lock (PostgreSQL)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.close();
  });

  it('a migrator waiting for the lock says who holds it after a second, and when it gets it', async () => {
    const holder = await db.sql.reserve();
    const lines: string[] = [];
    try {
      await holder`set application_name = 'faults-lock-holder'`;
      const [{ pid }] = (await holder`select pg_backend_pid() as pid, pg_advisory_lock(hashtext('therapy-db:migrate'))`) as unknown as [{ pid: number }];
      const run = migrate({ client: db.sql, log: (line) => lines.push(line) });
      await new Promise((resolve) => setTimeout(resolve, 1_600));
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^migrate: waiting for the migration lock, held by pid ${pid} \\(application faults-lock-holder, user \\w+, .*for \\d+ s, idle.*\\): another migrate is running$`)));
      await holder`select pg_advisory_unlock(hashtext('therapy-db:migrate'))`;
      const result = await run;
      expect(result.applied).toEqual([]);
      expect(lines).toContainEqual(expect.stringMatching(/^migrate: got the migration lock after 1\.\d s$/));
    } finally {
      holder.release();
    }
  });

  it('a migrate of another database on the same server neither blocks this one nor is named as the holder', async () => {
    const other = await createTestDatabase({ migrated: false });
    const holder = await other.sql.reserve();
    const lines: string[] = [];
    try {
      await holder`select pg_advisory_lock(hashtext('therapy-db:migrate'))`;
      const result = await migrate({ client: db.sql, log: (line) => lines.push(line) });
      expect(result.applied).toEqual([]);
      expect(lines.filter((line) => line.includes('migration lock'))).toEqual([]);
    } finally {
      holder.release();
      await other.close();
    }
  });
});
