import { basename } from 'node:path';
import type { Logger } from '../../log';
import { migrate } from '../../migrate';
import { isNewMigration, type Baseline } from '../baseline';
import { lockName } from '../locks';
import type { ParsedMigration } from '../migrations';
import type { Check, Finding } from '../model';
import type { ScratchDatabase } from '../scratch-database';
import { traceMigration, TraceError, type MigrationTrace, type StatementTrace } from './trace';

export interface TraceOptions {
  /** Seed scale of the database the migrations are traced on (default 0.01: one small organisation). */
  readonly scale?: number;
  /** ACCESS EXCLUSIVE held longer than this on a table with rows is a finding (default 1000 ms). */
  readonly lockThresholdMs?: number;
}

export const DEFAULT_TRACE_SCALE = 0.01;
export const DEFAULT_LOCK_THRESHOLD_MS = 1000;

export interface TraceContext extends TraceOptions {
  /** Every migration of every layer, in the order they apply. */
  readonly migrations: readonly ParsedMigration[];
  /** The layers, for the runner. */
  readonly folders: readonly string[];
  /** What production has; the migrations after it are traced. Without it the check is skipped. */
  readonly base?: Baseline;
  readonly open: () => Promise<ScratchDatabase>;
  readonly log: Logger;
}

const ms = (value: number): string => (value >= 10 ? `${Math.round(value)} ms` : `${value.toFixed(1)} ms`);
const rows = (n: number): string => `${n} row${n === 1 ? '' : 's'}`;

/** One line per statement that touched an existing table: what it locked, for how long, what it rewrote and read. */
function describe(trace: MigrationTrace): string[] {
  const lines = [`${basename(trace.file)} (${trace.noTransaction ? 'no transaction' : 'one transaction'}, ${trace.statements.length} statements, ${ms(trace.durationMs)})`];
  let quiet = 0;
  for (const s of trace.statements) {
    const parts = [
      ...s.locks.map((l) => `${lockName(l.mode)} on ${l.table} (${rows(l.rows)}) held ${ms(l.heldMs)}${l.observed ? '' : ' (as documented)'}`),
      ...(s.rewrites.length > 0 ? [`rewrote ${s.rewrites.map((r) => r.relation).join(', ')}`] : []),
      ...s.scans.map((x) => `read ${rows(x.rowsRead)} of ${x.table} under ${lockName(x.mode)}${s.allowed.includes('scan-under-lock') ? ' (allowed by its marker)' : ''}`),
    ];
    if (parts.length === 0) {
      quiet++;
      continue;
    }
    lines.push(`  :${s.line} ${s.text} — ${ms(s.durationMs)}; ${parts.join('; ')}`);
  }
  if (quiet > 0) lines.push(`  ${quiet} other statement(s) took no lock on a table that existed before`);
  return lines;
}

function findingsOf(trace: MigrationTrace, thresholdMs: number): Finding[] {
  const out: Finding[] = [];
  const file = basename(trace.file);
  const at = (s: StatementTrace) => ({ file: trace.file, line: s.line });
  for (const s of trace.statements) {
    const rewritten = new Set<string>();
    for (const table of new Set(s.rewrites.filter((r) => r.rows > 0).map((r) => r.table))) {
      rewritten.add(table);
      const relations = s.rewrites.filter((r) => r.table === table).map((r) => r.relation);
      const lock = s.locks.find((l) => l.table === table);
      out.push({
        rule: 'rewrite',
        object: table,
        ...at(s),
        message: `${file}:${s.line} rewrote ${table} (${rows(s.rewrites.find((r) => r.table === table)!.rows)}; ${relations.join(', ')})${lock ? ` under ${lockName(lock.mode)} held ${ms(lock.heldMs)}` : ''}: \`${s.text}\`. On a large table nobody reads or writes it until the copy is done.`,
        fix: 'change the table without rewriting it: add a column without a volatile default (set the default afterwards, backfill in batches), change a type by adding a new column; see the safety lint rule with the same statement',
      });
    }
    // A scan the migration declares unavoidable (an allow marker with its reason) is reported, not a finding.
    for (const scan of s.scans.filter((x) => !rewritten.has(x.table) && !s.allowed.includes('scan-under-lock'))) {
      out.push({
        rule: 'scan-under-lock',
        object: scan.table,
        ...at(s),
        message: `${file}:${s.line} read ${rows(scan.rowsRead)} of ${scan.table} while holding ${lockName(scan.mode)}, which blocks its writes for as long as the scan takes (proportional to the table): \`${s.text}\``,
        fix: 'validate without the lock: add the constraint NOT VALID and validate it in a later migration, build indexes concurrently (`npm run db:generate` writes both)',
      });
    }
    for (const lock of s.locks.filter((l) => l.mode === 'AccessExclusiveLock' && l.rows > 0 && l.heldMs > thresholdMs)) {
      out.push({
        rule: 'long-lock',
        object: lock.table,
        ...at(s),
        message: `${file}:${s.line} holds ACCESS EXCLUSIVE on ${lock.table} (${rows(lock.rows)}) for ${ms(lock.heldMs)}${trace.noTransaction ? '' : ', until the migration commits'} (threshold ${ms(thresholdMs)}): no query reads or writes the table meanwhile`,
        fix: 'take the lock last and briefly: move slow work out of the transaction that holds it (a separate migration), or split the migration',
      });
    }
  }
  return out;
}

/**
 * The lock and rewrite trace: each migration added since the baseline is applied statement by
 * statement to a scratch database at the baseline, seeded by the project's seed, and every lock it
 * takes on a table that existed before (mode, how long held), every rewrite (a relation's file
 * changed) and every scan under a lock that blocks writes is reported. A rewrite or such a scan of
 * a table with rows, or ACCESS EXCLUSIVE held beyond the threshold, is a finding, whatever the
 * lexer lint saw.
 */
export const traceCheck: Check<TraceContext> = {
  id: 'trace',
  title: 'new migrations traced on a seeded database: locks, rewrites, scans',
  async run({ migrations, folders, base, open, log, scale = DEFAULT_TRACE_SCALE, lockThresholdMs = DEFAULT_LOCK_THRESHOLD_MS }) {
    if (!base) return { skipped: 'nothing released (no releases.json) and no --base: nothing to trace against' };
    const first = migrations.findIndex((m) => isNewMigration(base, m.tag));
    if (first === -1) return { findings: [], checked: `no migration added since ${base.label}` };
    const fresh = migrations.slice(first);
    const scratch = await open();
    try {
      const to = migrations[first - 1]?.tag;
      log(`trace: migrating ${scratch.label} to ${to ?? 'nothing'} (${base.label})…`);
      if (to) await migrate({ client: scratch.sql, migrationsFolder: folders, to, log: (line) => log(`trace: ${line}`) });
      const [{ present } = { present: false }] = await scratch.sql<{ present: boolean }[]>`select to_regclass('public.organizations') is not null as present`;
      let seeded = 'nothing seeded (the baseline has no tables)';
      if (present) {
        const { makePlan, seed } = await import('../../seed');
        log(`trace: seeding at scale ${scale}…`);
        const result = await seed({ database: scratch.database, plan: makePlan({ scale }), progress: false, log: (line) => log(`trace: ${line}`) });
        seeded = `seeded at scale ${scale} (${result.totalRows} rows)`;
      }
      const traces: MigrationTrace[] = [];
      const findings: Finding[] = [];
      for (const migration of fresh) {
        log(`trace: ${migration.tag}…`);
        try {
          traces.push(await traceMigration(scratch.sql, migration));
        } catch (error) {
          if (!(error instanceof TraceError)) throw error;
          findings.push({
            rule: 'apply',
            object: migration.tag,
            file: error.file,
            line: error.line,
            message: `${error.message}: the migration does not apply to the seeded database at ${base.label}`,
            fix: 'a migration must apply to a database with rows: backfill before adding a constraint, give new NOT NULL columns a default',
          });
          break;
        }
      }
      for (const trace of traces) findings.push(...findingsOf(trace, lockThresholdMs));
      return {
        findings,
        checked: `${traces.length} migration(s) added since ${base.label} on ${scratch.label}, ${seeded}`,
        details: traces.flatMap(describe),
      };
    } finally {
      await scratch.close();
    }
  },
};
