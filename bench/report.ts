import type { SeedResult } from '../src/seed';
import type { Environment, MigrationTiming, TestSuiteTiming } from './environment';
import type { BenchRun, StatementMode } from './run';
import { ms } from './stats';

export interface BenchReport {
  readonly startedAt: string;
  readonly scale: number;
  readonly seed: string;
  readonly anchor: string;
  readonly environment: Environment;
  /** The seed that produced the data set (possibly an earlier run of `npm run seed`). */
  readonly dataset: SeedResult;
  /** Whether this bench run seeded the data set itself. */
  readonly seededNow: boolean;
  readonly migrations: readonly MigrationTiming[];
  readonly testSuite: TestSuiteTiming | null;
  /** A what-if experiment the run was made under (see bench/experiments.ts), or null. */
  readonly experiment: string | null;
  readonly run: BenchRun;
}

const n = (value: number) => Math.round(value).toLocaleString('en-US');

/** The report as Markdown: the results table first, then the context needed to trust it. */
export function renderMarkdown(report: BenchReport): string {
  const { run, environment: env, dataset } = report;
  const out: string[] = [];
  out.push(`### ${env.backend === 'postgres' ? env.postgres.split(' on ')[0] : `PGlite (${env.postgres.split(' on ')[0]})`}, scale ${report.scale}` +
    `${report.experiment ? ` — experiment \`${report.experiment}\`` : ''}`);
  out.push('');
  if (report.experiment) {
    out.push(`**What-if run** (\`--experiment ${report.experiment}\`): the database was modified for this run and restored afterwards; ` +
      'these are not the schema\'s numbers.');
    out.push('');
  }
  const modeText: Record<StatementMode, string> = {
    prepared: '**prepared statements** (named; planned once per connection, then the plan cache — as PostgREST and postgres.js run on a direct connection)',
    unnamed: '**unnamed statements** (parsed and planned at every execution — as behind a transaction pooler)',
  };
  out.push(`Run ${report.startedAt}; ${run.iterations} timed iterations per mode and variant (after ${run.warmup} warm-up), ` +
    `modes and RLS/explicit interleaved on one connection; times are client-side round trips of the query alone (ms).`);
  for (const mode of run.modes) {
    out.push('');
    out.push(`#### ${modeText[mode]}`);
    out.push('');
    out.push('| hot path | persona | personas | rows | RLS p50 | RLS p95 | explicit p50 | explicit p95 | ratio p50 | ratio p95 | RLS − explicit p50 |' +
      `${mode === 'prepared' ? ' RLS plans used (generic / custom) |' : ''} same rows |`);
    out.push(`|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|${mode === 'prepared' ? '---:|' : ''}:---:|`);
    for (const h of run.hotPaths) {
      const m = h.modes.find((x) => x.mode === mode)!;
      const rows = h.rowsPerPersona.length > 0 ? `${Math.min(...h.rowsPerPersona)}–${Math.max(...h.rowsPerPersona)}` : '–';
      const use = mode === 'prepared' ? ` ${m.rlsPlanUse ? `${n(m.rlsPlanUse.generic)} / ${n(m.rlsPlanUse.custom)}` : '–'} |` : '';
      out.push(`| \`${h.name}\` | ${h.persona} | ${h.personas} | ${rows} | ${ms(m.rls.p50)} | ${ms(m.rls.p95)} | ${ms(m.explicit.p50)} | ${ms(m.explicit.p95)} | ` +
        `**${ms(m.ratio)}** | ${ms(m.ratioP95)} | ${ms(m.overheadMs)} |${use} ${h.identical ? 'yes' : '**no**'} |`);
    }
  }
  out.push('');
  out.push(`Plans of the RLS statements (first persona; Seq Scans on tables over ${n(run.targets.seqScanRows)} rows checked in both, and in the helper bodies they run):`);
  out.push('');
  out.push('| hot path | custom plan | generic plan | Seq Scans |');
  out.push('|---|---|---|---|');
  for (const h of run.hotPaths) {
    const scans = h.seqScans.length === 0 ? 'none' : h.seqScans.map((s) => `${s.table} (${s.source})`).join(', ');
    const generic = h.genericPlanShape === null ? '–' : h.genericPlanShape === h.customPlanShape ? 'same shape' : `\`${h.genericPlanShape}\``;
    out.push(`| \`${h.name}\` | \`${h.customPlanShape}\` | ${generic} | ${scans} |`);
  }
  out.push('');
  out.push(`Targets, in every mode: ratio p50 ≤ ${run.targets.maxRatio}, RLS p50 ≤ ${run.targets.maxP50Ms} ms, no Seq Scan on a table over ` +
    `${n(run.targets.seqScanRows)} rows (RLS plans, custom and generic, including the bodies of the helpers they execute).`);
  out.push('');
  if (run.violations.length === 0) out.push('**All targets met.**');
  else {
    out.push(`**${run.violations.length} target violation${run.violations.length === 1 ? '' : 's'}:**`);
    out.push('');
    for (const v of run.violations) out.push(`- ${v.kind}: ${v.message}`);
  }
  out.push('');
  out.push(...renderHelperSection(run));
  out.push('');
  out.push(`Machine: ${env.cores} × ${env.cpuModel}, ${env.memoryGiB} GiB RAM, Node ${env.node}, ${env.platform}; ${env.postgres}; ` +
    `settings ${Object.entries(env.settings).map(([k, v]) => `${k}=${v}`).join(', ')}; load average ${env.loadAverage} at start (shared machine).`);
  out.push('');
  const main = ['therapy_sessions', 'session_participants', 'messages', 'session_notes', 'goal_observations', 'service_charges', 'students',
    'caseload_assignments'];
  out.push(`Data set: seed "${report.seed}", anchor ${report.anchor}; ` +
    main.map((t) => `${t} ${n(dataset.rows[t] ?? 0)}`).join(', ') + ` (${n(dataset.totalRows)} rows in all, as generated).`);
  out.push('');
  out.push(`Seed (${report.seededNow ? 'this run' : 'an earlier `npm run seed`'}, ${dataset.backend}, ${dataset.jobs} job${dataset.jobs === 1 ? '' : 's'}): ` +
    `${n(dataset.totalRows)} rows in ${(dataset.loadMs / 1000).toFixed(1)} s = **${n(dataset.rowsPerSecond)} rows/s** ` +
    `(COPY with every check, unique and exclusion constraint and every validating trigger on` +
    `${dataset.deferredForeignKeys > 0 ? `; ${dataset.deferredForeignKeys} foreign keys re-added and validated after the load in ${(dataset.validateMs / 1000).toFixed(1)} s, included` : ''}` +
    `${(dataset.pausedTriggers ?? []).length > 0 ? `; ${dataset.pausedTriggers.length} side-effect triggers (audit, broadcast, outbox) paused` : ''}), ` +
    `then vacuum analyze ${(dataset.vacuumMs / 1000).toFixed(1)} s.`);
  out.push('');
  for (const m of report.migrations) {
    out.push(`Migrations from empty on ${m.backend === 'pglite' ? 'PGlite (in memory)' : 'PostgreSQL (scratch database)'}: ` +
      `median **${n(m.medianMs)} ms** over ${m.runsMs.length} run${m.runsMs.length === 1 ? '' : 's'} (${m.runsMs.map(n).join(', ')} ms; ${m.migrations} files, shim included).`);
  }
  if (report.testSuite) {
    out.push('');
    out.push(`Test suite: \`${report.testSuite.command}\` on ${report.testSuite.database}: **${(report.testSuite.wallMs / 1000).toFixed(1)} s** wall ` +
      `(exit code ${report.testSuite.exitCode}).`);
  }
  out.push('');
  return out.join('\n');
}

/**
 * Where the RLS time goes: each hot path's difference of medians next to the helper initPlans its
 * plan evaluated, and what one evaluation of each helper costs (`./helper-costs`).
 */
function renderHelperSection(run: BenchRun): string[] {
  const out: string[] = [];
  out.push('Where the RLS time goes (first persona; a helper shared by the policies of several tables is evaluated once per table):');
  out.push('');
  out.push(`| hot path | ${run.modes.map((m) => `RLS − explicit p50, ${m}`).join(' | ')} | helper evaluations | ≈ their cost | helpers executed, nested calls included |`);
  out.push(`|---|${run.modes.map(() => '---:|').join('')}---|---:|---|`);
  for (const h of run.hotPaths) {
    const evaluations = h.helperEvaluations.map((e) => `${e.count} × \`${e.call}\``).join(', ') || 'none';
    const estimate = h.helperEstimateMs === undefined ? '–' : ms(h.helperEstimateMs);
    out.push(`| \`${h.name}\` | ${h.modes.map((m) => ms(m.overheadMs)).join(' | ')} | ${evaluations} | ${estimate} | ${h.helpers.map((x) => `app.${x}`).join(', ') || 'none'} |`);
  }
  if (run.helperCosts.length > 0) {
    out.push('');
    out.push('One evaluation of each helper (as a persona of a hot path that evaluated it; differences of medians of interleaved ' +
      'statements, so a few microseconds of noise):');
    out.push('');
    out.push('| helper call | first PL/pgSQL call of the transaction | each further evaluation in the statement |');
    out.push('|---|---:|---:|');
    for (const c of run.helperCosts) out.push(`| \`${c.call}\` | ${ms(c.firstMs)} | ${ms(c.repeatMs)} |`);
  }
  return out;
}

/** The JSON written next to the Markdown (samples dropped: summaries only). */
export function toJson(report: BenchReport): string {
  return JSON.stringify(
    report,
    (key, value: unknown) => (key === 'samples' ? undefined : typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 1000) / 1000 : value),
    2,
  );
}
