import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { sha256Hex, SUPABASE_MIGRATION_FILE } from '../migrate';
import type { Baseline } from './baseline';
import { CheckUsageError } from './model';

/** The migrations folder as committed at a git ref (`--base`). */
export interface BaseMigrations extends Baseline {
  /** The ref as given, e.g. `origin/main`. */
  readonly ref: string;
  /** The commit it resolves to. */
  readonly commit: string;
  /** The migrations folder relative to the repository root, `/`-separated (`''` for the root). */
  readonly folder: string;
  /** The journal's tags at the base, in journal order; empty when nothing was committed there. */
  readonly tags: readonly string[];
  /** The SQL files at the base by file name (`0003_x.sql`), including any the journal misses. */
  readonly files: ReadonlyMap<string, string>;
}

function git(cwd: string, args: readonly string[]): string {
  return execFileSync('git', [...args], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
}

function tryGit(cwd: string, args: readonly string[]): string | undefined {
  try {
    return git(cwd, args);
  } catch {
    return undefined;
  }
}

/**
 * Reads the migrations folder as it was at `ref` with `git ls-tree` and `git show`; the working
 * tree is not touched. Throws `CheckUsageError` when the folder is not in a git work tree or the
 * ref does not name a commit.
 */
export function readBaseMigrations(migrationsFolder: string, ref: string): BaseMigrations {
  const folder = realpathSync(migrationsFolder);
  const top = tryGit(folder, ['rev-parse', '--show-toplevel'])?.trim();
  if (!top) throw new CheckUsageError(`--base ${ref}: ${migrationsFolder} is not inside a git work tree`);
  const commit = tryGit(folder, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`])?.trim();
  if (!commit) throw new CheckUsageError(`--base ${ref}: not a commit in ${top} (fetch it first, e.g. \`git fetch origin main\`)`);
  const inRepo = relative(realpathSync(top), folder).split(sep).join('/');
  const prefix = inRepo === '' ? '' : `${inRepo}/`;
  const listing = tryGit(top, ['ls-tree', '--name-only', commit, '--', prefix === '' ? '.' : prefix]) ?? '';
  const files = new Map<string, string>();
  for (const path of listing.split('\n').filter((p) => p.endsWith('.sql'))) {
    const name = path.slice(prefix.length);
    files.set(name, git(top, ['show', `${commit}:${path}`]));
  }
  const journal = tryGit(top, ['show', `${commit}:${prefix}meta/_journal.json`]);
  let tags: string[] = [];
  if (journal !== undefined) {
    const parsed = JSON.parse(journal) as { entries?: readonly { idx: number; tag: string }[] };
    tags = [...(parsed.entries ?? [])].sort((a, b) => a.idx - b.idx).map((e) => e.tag);
  } else {
    // A Supabase folder: its migrations in file-name order.
    tags = [...files.keys()].filter((name) => SUPABASE_MIGRATION_FILE.test(name)).sort().map((name) => name.slice(0, -'.sql'.length));
  }
  return {
    ref,
    commit,
    folder: inRepo,
    tags,
    files,
    label: `${ref} (${commit.slice(0, 12)})`,
    frozen: `committed at ${ref} (${commit.slice(0, 12)})`,
    hashes: new Map([...files].map(([name, text]) => [name, sha256Hex(text)])),
    texts: files,
    restore: (name) =>
      `restore it with \`git checkout ${ref} -- ${prefix}${name}\` and put the change in a new migration (\`npm run db:generate -- --name <change>\`)`,
  };
}
