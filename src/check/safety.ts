import { basename } from 'node:path';
import { readAllowMarkers } from './allow-marker';
import { isNewMigration, type Baseline } from './baseline';
import type { ParsedMigration } from './migrations';
import type { Check, Finding } from './model';
import { NO_TRANSACTION_MARKER } from '../migrate';
import { sameName } from './sql/names';
import { fileState, refreshesAccessSets, statementViolations, type SafetyViolation } from './safety-rules';

/** The directive written some way the runner does not read (indented, in a block comment, …). */
const LOOSE_NO_TRANSACTION = /therapy-db\s*:\s*no-transaction/i;

export interface SafetyContext {
  /** Every migration in journal order. */
  readonly migrations: readonly ParsedMigration[];
  /**
   * What production has (`--base`, else the release manifest): the files not present there are
   * linted. Without it the check is skipped.
   */
  readonly base?: Baseline;
}

interface Position {
  readonly file: number;
  readonly statement: number;
}

const before = (a: Position, b: Position): boolean => a.file < b.file || (a.file === b.file && a.statement < b.statement);

/**
 * A change that leaves the access sets stale is repaired by a later statement of the same file:
 * `app.refresh_access_sets()` recomputes them all, and a dropped trigger created again misses no
 * write (the file runs in one transaction, which holds the table from the drop to the create).
 */
function repaired(violation: SafetyViolation, later: readonly ParsedMigration['statements'][number][]): boolean {
  const dropped = violation.droppedTrigger;
  return later.some(
    (s) => refreshesAccessSets(s) || (dropped !== undefined && s.what.kind === 'create-trigger' && s.what.trigger === dropped.name && sameName(s.what.table, dropped.table)),
  );
}

/**
 * The safety lint of the migrations added since `--base`: statements that lock or destroy
 * production data (see `statementViolations`), each allowed only by a marker with a reason.
 */
export const safetyCheck: Check<SafetyContext> = {
  id: 'safety',
  title: 'new migrations neither lock nor destroy production data',
  async run({ migrations, base }) {
    if (!base) return { skipped: 'nothing released (no releases.json) and no --base: pass --base <git ref> (e.g. origin/main) to lint the migrations added since it' };
    const isNew = (m: ParsedMigration): boolean => isNewMigration(base, m.tag);
    const fresh = migrations.filter(isNew);
    const findings: Finding[] = [];
    const policies = migrations.flatMap((m, file) =>
      m.statements.flatMap((s, statement) => (s.what.kind === 'create-policy' ? [{ what: s.what, at: { file, statement }, isNew: isNew(m) }] : [])),
    );
    /** A drop is replaced by a later policy of a new migration on the table: same name, or same command as the dropped one. */
    const replaced = (v: SafetyViolation, at: Position): boolean => {
      const dropped = v.droppedPolicy!;
      const original = policies.filter((p) => before(p.at, at) && sameName(p.what.table, dropped.table) && p.what.policy === dropped.name).at(-1);
      return policies.some(
        (p) =>
          p.isNew &&
          before(at, p.at) &&
          sameName(p.what.table, dropped.table) &&
          (p.what.policy === dropped.name || (original !== undefined && p.what.command === original.what.command)),
      );
    };
    migrations.forEach((migration, fileIndex) => {
      if (!isNew(migration)) return;
      const noTransaction = NO_TRANSACTION_MARKER.test(migration.sql);
      if (!noTransaction && LOOSE_NO_TRANSACTION.test(migration.sql)) {
        const line = migration.sql.slice(0, migration.sql.search(LOOSE_NO_TRANSACTION)).split('\n').length;
        findings.push({
          rule: 'no-transaction',
          message: `${basename(migration.file)}: mentions \`therapy-db: no-transaction\` but not as the runner reads it, so the file runs in a transaction`,
          object: migration.tag,
          file: migration.file,
          line,
          fix: 'write the marker as a line of its own, at its start: `-- therapy-db: no-transaction`',
        });
      }
      const state = fileState(noTransaction);
      migration.statements.forEach((statement, statementIndex) => {
        const markers = readAllowMarkers(statement.comments);
        for (const marker of markers) {
          if (marker.problem) {
            findings.push({
              rule: 'allow-marker',
              message: `allow marker before statement ${statement.index}: ${marker.problem}`,
              object: migration.tag,
              file: migration.file,
              line: marker.line,
              fix: 'say why the statement is safe: `(reason: …)`; a marker without a valid reason allows nothing',
            });
          }
        }
        const later = migration.statements.slice(statementIndex + 1);
        for (const violation of statementViolations(statement, state)) {
          if (violation.rule === 'drop-policy' && replaced(violation, { file: fileIndex, statement: statementIndex })) continue;
          if (violation.rule === 'stale-access-sets' && repaired(violation, later)) continue;
          if (markers.some((m) => !m.problem && m.rules.includes(violation.rule))) continue;
          findings.push({
            rule: violation.rule,
            message: `${basename(migration.file)}: ${violation.message}`,
            object: violation.object,
            file: migration.file,
            line: violation.line,
            fix: violation.fix,
          });
        }
      });
    });
    const names = fresh.map((m) => m.tag);
    return {
      findings,
      checked: fresh.length === 0 ? `no migration added since ${base.label}` : `${fresh.length} migration(s) added since ${base.label}: ${names.join(', ')}`,
    };
  },
};
