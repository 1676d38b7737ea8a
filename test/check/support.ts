import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface MigrationSpec {
  readonly tag: string;
  readonly sql: string;
}

/** Writes a drizzle-kit migrations folder: `meta/_journal.json` and one `<tag>.sql` per migration. */
export function writeMigrations(folder: string, migrations: readonly MigrationSpec[]): void {
  mkdirSync(join(folder, 'meta'), { recursive: true });
  const entries = migrations.map((m, idx) => ({ idx, version: '7', when: 1_700_000_000_000 + idx, tag: m.tag, breakpoints: true }));
  writeFileSync(join(folder, 'meta', '_journal.json'), `${JSON.stringify({ version: '7', dialect: 'postgresql', entries }, null, 2)}\n`);
  for (const m of migrations) writeFileSync(join(folder, `${m.tag}.sql`), m.sql);
}

/** A directory under the OS temp dir, removed by the returned function. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `therapy-db-check-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A throwaway git repository with a `drizzle/` migrations folder. */
export function gitRepo(): { dir: string; folder: string; commit: (message: string) => string; remove: () => void } {
  const { dir, remove } = tempDir('git');
  const git = (...args: string[]): string =>
    execFileSync('git', args, {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' },
    });
  git('init', '-q', '-b', 'main');
  git('config', 'commit.gpgsign', 'false');
  return {
    dir,
    folder: join(dir, 'drizzle'),
    commit: (message) => {
      git('add', '-A');
      git('commit', '-q', '-m', message);
      return git('rev-parse', 'HEAD').trim();
    },
    remove,
  };
}

/** drizzle-kit's separator, as it writes it at the end of a statement's line. */
export const BP = '--> statement-breakpoint';

/** Joins statements the way drizzle-kit writes a migration. */
export function sqlFile(...statements: readonly string[]): string {
  return `${statements.map((s) => `${s.trim()};`).join(`${BP}\n`)}\n`;
}
