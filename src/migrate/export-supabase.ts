import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../log';
import { silentLogger } from '../log';
import { defaultMigrationsFolder } from '../paths';
import { readMigrations } from './journal';
import { supabaseMigrationNames } from './supabase-ledger';

export interface ExportSupabaseOptions {
  /** The Supabase project folder (the one holding `config.toml`); default `supabase`. */
  readonly dir?: string;
  /** Defaults to the migrations shipped in the package (`drizzle/`). */
  readonly migrationsFolder?: string;
  /** Report what would be written, write nothing. */
  readonly dryRun?: boolean;
  readonly log?: Logger;
}

/** Why a migration was not written. */
export interface ExportConflict {
  readonly tag: string;
  /** The file in `supabase/migrations` that is in the way. */
  readonly file: string;
  readonly reason: 'edited' | 'renamed';
}

export interface ExportSupabaseResult {
  /** `supabase/migrations`, where the files are. */
  readonly folder: string;
  /** File names written by this run. */
  readonly written: readonly string[];
  /** File names already there, byte for byte. */
  readonly unchanged: readonly string[];
  /** Files of the package that are there but differ, or are there under another version: left alone. */
  readonly conflicts: readonly ExportConflict[];
}

/**
 * Writes the package's migrations into a Supabase project as `supabase/migrations/<version>_<tag>.sql`,
 * byte for byte, the version fixed by the journal (`supabaseMigrationNames`), so `supabase db push`,
 * `supabase migration list` and `supabase test db` see them as the project's own. Idempotent: a file
 * already there with the same text is left as it is. A file that differs (the team edited it) or the
 * same migration under another version (renamed by hand) is reported in `conflicts` and never
 * overwritten: an applied migration that changes silently is how two databases drift apart.
 */
export function exportSupabaseMigrations(options: ExportSupabaseOptions = {}): ExportSupabaseResult {
  const log = options.log ?? silentLogger;
  const source = options.migrationsFolder ?? defaultMigrationsFolder();
  const folder = join(options.dir ?? 'supabase', 'migrations');
  const migrations = new Map(readMigrations(source).map((m) => [m.tag, m]));
  const existing = existsSync(folder) ? readdirSync(folder).filter((f) => f.endsWith('.sql')) : [];
  const written: string[] = [];
  const unchanged: string[] = [];
  const conflicts: ExportConflict[] = [];
  for (const name of supabaseMigrationNames(source)) {
    const migration = migrations.get(name.tag)!;
    const path = join(folder, name.fileName);
    if (existing.includes(name.fileName)) {
      if (readFileSync(path, 'utf8') === migration.sql) {
        unchanged.push(name.fileName);
      } else {
        conflicts.push({ tag: name.tag, file: path, reason: 'edited' });
        log(`${path} differs from the package's ${name.tag}.sql (edited?): left as it is`);
      }
      continue;
    }
    // The CLI's file name pattern: digits, an underscore, the name.
    const renamed = existing.find((f) => f.endsWith(`_${name.tag}.sql`) && /^\d+_/.test(f) && f.slice(0, f.indexOf('_')) !== name.version);
    if (renamed !== undefined) {
      conflicts.push({ tag: name.tag, file: join(folder, renamed), reason: 'renamed' });
      log(`${join(folder, renamed)} is the package's ${name.tag} under another version (${name.fileName} expected): not written twice`);
      continue;
    }
    if (!options.dryRun) {
      mkdirSync(folder, { recursive: true });
      writeFileSync(path, migration.sql);
    }
    written.push(name.fileName);
    log(`${options.dryRun ? 'would write' : 'wrote'} ${path}`);
  }
  log(
    `supabase migrations: ${written.length} ${options.dryRun ? 'to write' : 'written'}, ${unchanged.length} unchanged` +
      (conflicts.length > 0 ? `, ${conflicts.length} left alone because they differ from the package (see above)` : ''),
  );
  return { folder, written, unchanged, conflicts };
}
