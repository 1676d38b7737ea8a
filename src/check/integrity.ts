import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Baseline } from './baseline';
import type { Check, Finding } from './model';
import { migrationFolderFormat, readMigrationTags, sha256Hex, SUPABASE_MIGRATION_FILE } from '../migrate';

export interface IntegrityContext {
  readonly migrationsFolder: string;
  /** The migrations at `--base`. */
  readonly base?: Baseline;
  /** The released migrations (`releases.json`). Without either, only the journal's consistency is checked. */
  readonly released?: Baseline;
}

/** 1-based number of the first line where two texts differ. */
function firstDifferentLine(before: string, after: string): number {
  const a = before.split('\n');
  const b = after.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return Math.min(i + 1, Math.max(b.length, 1));
}

/** The files of `baseline` edited, removed or moved in the journal since. */
function frozenFindings(migrationsFolder: string, tags: readonly string[], baseline: Baseline): Finding[] {
  const findings: Finding[] = [];
  const journalPath = join(migrationsFolder, 'meta', '_journal.json');
  const was = baseline.frozen;
  for (const [name, hash] of baseline.hashes) {
    const path = join(migrationsFolder, name);
    const restore = baseline.restore(name);
    if (!existsSync(path)) {
      findings.push({ message: `${name} was ${was} and has been removed`, object: name.slice(0, -4), file: path, fix: restore });
      continue;
    }
    const now = readFileSync(path, 'utf8');
    const nowHash = sha256Hex(now);
    if (nowHash !== hash) {
      const before = baseline.texts?.get(name);
      findings.push({
        message: `${name} was ${was} and has been edited (sha256 ${hash.slice(0, 12)} → ${nowHash.slice(0, 12)}); databases that applied it will not run the change`,
        object: name.slice(0, -4),
        file: path,
        ...(before === undefined ? {} : { line: firstDifferentLine(before, now) }),
        fix: restore,
      });
    }
  }
  baseline.tags.forEach((tag, index) => {
    if (tags[index] !== tag) {
      findings.push({
        message: tags.includes(tag)
          ? `${tag} moved in the journal (position ${index} when ${was}, now ${tags.indexOf(tag)}): new migrations go after the frozen ones`
          : `${tag} was ${was} and has been removed from the journal`,
        object: tag,
        file: journalPath,
        fix: `restore meta/_journal.json's first ${baseline.tags.length} entries as in ${baseline.label} and add new migrations after them`,
      });
    }
  });
  return findings;
}

/** A drizzle-kit folder: the journal and the SQL files agree. */
function journalFindings(migrationsFolder: string, journalPath: string, tags: readonly string[], sqlFiles: ReadonlySet<string>): Finding[] {
  const findings: Finding[] = [];
  for (const tag of tags) {
    if (!sqlFiles.has(`${tag}.sql`)) {
      findings.push({
        message: `the journal lists ${tag} but ${tag}.sql does not exist`,
        object: tag,
        file: journalPath,
        fix: `restore ${tag}.sql, or regenerate the migration`,
      });
    }
  }
  for (const file of sqlFiles) {
    if (!tags.includes(file.slice(0, -'.sql'.length))) {
      findings.push({
        message: `${file} is not in the journal, so no database will ever apply it`,
        object: file.slice(0, -4),
        file: join(migrationsFolder, file),
        fix: 'create migrations with `npm run db:generate` (or `drizzle-kit generate --custom`), which records them in meta/_journal.json',
      });
    }
  }
  return findings;
}

/**
 * A Supabase folder (no journal): every SQL file is named `<version>_<name>.sql` (the Supabase CLI
 * skips any other with a warning) and no two share a version (the CLI's ledger key).
 */
function supabaseFolderFindings(migrationsFolder: string, sqlFiles: ReadonlySet<string>): Finding[] {
  const findings: Finding[] = [];
  const versions = new Map<string, string>();
  for (const file of [...sqlFiles].sort()) {
    const match = SUPABASE_MIGRATION_FILE.exec(file);
    if (!match) {
      findings.push({
        message: `${file} is not named <version>_<name>.sql, so neither the Supabase CLI nor therapy-db applies it`,
        object: file.slice(0, -4),
        file: join(migrationsFolder, file),
        fix: 'create migrations with `supabase migration new <name>`, which names them <timestamp>_<name>.sql',
      });
      continue;
    }
    const other = versions.get(match[1]!);
    if (other !== undefined) {
      findings.push({
        message: `${file} has the version ${match[1]} of ${other}: the Supabase CLI records one migration per version`,
        object: file.slice(0, -4),
        file: join(migrationsFolder, file),
        fix: 'give the newer migration a later version (its file name prefix)',
      });
    }
    versions.set(match[1]!, file);
  }
  return findings;
}

/**
 * Integrity: the journal and the SQL files agree, and no released migration (`releases.json`) or
 * migration committed at `--base` was edited, removed or moved in the journal. (A database migrated
 * before records each file's sha256; an edited file would never run there, so the databases would
 * silently differ.)
 */
export const integrityCheck: Check<IntegrityContext> = {
  id: 'integrity',
  title: 'no released or committed migration was edited or removed',
  async run({ migrationsFolder, base, released }) {
    const findings: Finding[] = [];
    const journalPath = join(migrationsFolder, 'meta', '_journal.json');
    const format = migrationFolderFormat(migrationsFolder);
    const tags = readMigrationTags(migrationsFolder);
    if (!tags) {
      return { findings: [{ message: `no drizzle-kit journal at ${journalPath} and no Supabase migration file`, file: journalPath }], checked: migrationsFolder };
    }
    const sqlFiles = new Set(readdirSync(migrationsFolder).filter((f) => f.endsWith('.sql')));
    if (format === 'supabase') findings.push(...supabaseFolderFindings(migrationsFolder, sqlFiles));
    else findings.push(...journalFindings(migrationsFolder, journalPath, tags, sqlFiles));
    const baselines = [released, base].filter((b): b is Baseline => b !== undefined);
    if (baselines.length === 0) {
      return { findings, checked: `journal and files of ${tags.length} migrations (nothing released, no --base: edits to committed migrations not checked)` };
    }
    for (const baseline of baselines) findings.push(...frozenFindings(migrationsFolder, tags, baseline));
    const newest = base ?? released!;
    const added = tags.filter((t) => !newest.tags.includes(t)).length;
    return {
      findings,
      checked: `${tags.length} migrations: ${baselines.map((b) => `${b.tags.length} ${b.frozen}`).join(', ')}; ${added} new`,
    };
  },
};
