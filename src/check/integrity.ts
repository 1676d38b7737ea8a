import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BaseMigrations } from './git';
import type { Check, Finding } from './model';
import { readJournalTags } from '../migrate';

export interface IntegrityContext {
  readonly migrationsFolder: string;
  /** The migrations at `--base`; without it only the journal's consistency is checked. */
  readonly base?: BaseMigrations;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** 1-based number of the first line where two texts differ. */
function firstDifferentLine(before: string, after: string): number {
  const a = before.split('\n');
  const b = after.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return Math.min(i + 1, Math.max(b.length, 1));
}

/**
 * Integrity: the journal and the SQL files agree, and no migration committed at `--base` was
 * edited, removed or moved in the journal. (A database migrated before records each file's sha256;
 * an edited file would never run there, so the databases would silently differ.)
 */
export const integrityCheck: Check<IntegrityContext> = {
  id: 'integrity',
  title: 'no committed migration was edited or removed',
  async run({ migrationsFolder, base }) {
    const findings: Finding[] = [];
    const journalPath = join(migrationsFolder, 'meta', '_journal.json');
    const tags = readJournalTags(migrationsFolder);
    if (!tags) {
      return { findings: [{ message: `no drizzle-kit journal at ${journalPath}`, file: journalPath }], checked: migrationsFolder };
    }
    const sqlFiles = new Set(readdirSync(migrationsFolder).filter((f) => f.endsWith('.sql')));
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
    if (!base) {
      return { findings, checked: `journal and files of ${tags.length} migrations (no --base: edits to committed migrations not checked)` };
    }
    const where = `${base.ref} (${base.commit.slice(0, 12)})`;
    const restore = (name: string): string =>
      `restore it with \`git checkout ${base.ref} -- ${base.folder === '' ? '' : `${base.folder}/`}${name}\` and put the change in a new migration (\`npm run db:generate -- --name <change>\`)`;
    for (const [name, before] of base.files) {
      const path = join(migrationsFolder, name);
      if (!existsSync(path)) {
        findings.push({ message: `${name} was committed at ${where} and has been removed`, object: name.slice(0, -4), file: path, fix: restore(name) });
        continue;
      }
      const now = readFileSync(path, 'utf8');
      if (now !== before) {
        findings.push({
          message: `${name} was committed at ${where} and has been edited (sha256 ${sha256(before).slice(0, 12)} → ${sha256(now).slice(0, 12)}); databases that applied it will not run the change`,
          object: name.slice(0, -4),
          file: path,
          line: firstDifferentLine(before, now),
          fix: restore(name),
        });
      }
    }
    base.tags.forEach((tag, index) => {
      if (tags[index] !== tag) {
        findings.push({
          message: tags.includes(tag)
            ? `${tag} moved in the journal (position ${index} at ${where}, now ${tags.indexOf(tag)}): new migrations go after the committed ones`
            : `${tag} was in the journal at ${where} and has been removed from it`,
          object: tag,
          file: journalPath,
          fix: `restore meta/_journal.json from ${base.ref} and add new migrations after its last entry`,
        });
      }
    });
    const added = tags.length - base.tags.filter((t) => tags.includes(t)).length;
    return {
      findings,
      checked: `${tags.length} migrations: ${base.files.size} committed at ${where}, ${added} new`,
    };
  },
};
