import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import type { Connection } from '../src/db';
import type { Logger } from '../src/log';
import { silentLogger } from '../src/log';
import { asServiceRole, asUser } from '../src/testing';
import { estimateHelperMs, measureHelperCosts, type HelperCost } from './helper-costs';
import { hotPaths as allHotPaths, personaIdentity, type HotPath, type HotPathCase } from './hot-paths';
import {
  executedHelpers,
  explainGeneric,
  explainHelpers,
  explainJson,
  explainNestedOn,
  explainText,
  helperEvaluations,
  planShape,
  preparedPlanUse,
  seqScans,
  tableSizes,
  type HelperEvaluation,
  type SeqScanFinding,
} from './plans';
import { summarize, type Summary } from './stats';
import { timeQuery } from './timing';

export interface BenchOptions {
  /** `url` lets the benchmark open a second connection to explain procedural helpers (servers only). */
  readonly database: Pick<Connection, 'sql' | 'backend'> & { readonly url?: string };
  /** The data set's anchor (Monday of "this week"). */
  readonly anchor: Date;
  /** Timed iterations per hot path and variant (after `warmup`). */
  readonly iterations?: number;
  readonly warmup?: number;
  /** Personas (and parameters) per hot path, cycled through the iterations. */
  readonly personas?: number;
  /** Only these hot paths (by name). */
  readonly only?: readonly string[];
  /**
   * The statement modes timed, interleaved in one run: `prepared` (named prepared statements,
   * planned once per connection, then Postgres' plan cache — what PostgREST and postgres.js do on
   * a direct connection) and `unnamed` (parsed and planned at every execution — behind a
   * transaction pooler). Default both, prepared first.
   */
  readonly modes?: readonly StatementMode[];
  /** Where to write the EXPLAIN files (`<hot path>.rls.txt`, `.explicit.txt`); nothing written when absent. */
  readonly planDir?: string;
  /**
   * Iterations of the per-helper cost measurement (`./helper-costs`), run after the hot paths for
   * every helper call their plans evaluated. Default: a third of `iterations`; 0 skips it.
   */
  readonly helperCostIterations?: number;
  readonly targets?: Partial<Targets>;
  readonly log?: Logger;
}

export interface Targets {
  /** RLS p50 / explicit p50 must not exceed this. */
  readonly maxRatio: number;
  /** RLS p50 in milliseconds must not exceed this. */
  readonly maxP50Ms: number;
  /** A Seq Scan on a table with more rows than this fails the plan check. */
  readonly seqScanRows: number;
}

export const defaultTargets: Targets = { maxRatio: 1.3, maxP50Ms: 5, seqScanRows: 10_000 };

/** How a statement reaches the server: a named prepared statement, or an unnamed one planned every time. */
export type StatementMode = 'prepared' | 'unnamed';
export const statementModes: readonly StatementMode[] = ['prepared', 'unnamed'];

export interface VariantResult extends Summary {
  readonly samples: readonly number[];
}

/** One hot path in one statement mode. */
export interface ModeResult {
  readonly mode: StatementMode;
  readonly rls: VariantResult;
  readonly explicit: VariantResult;
  /** rls.p50 / explicit.p50. */
  readonly ratio: number;
  /** rls.p95 / explicit.p95. */
  readonly ratioP95: number;
  /** What RLS adds: rls.p50 − explicit.p50 (ms). */
  readonly overheadMs: number;
  /**
   * Prepared mode: how often the plan cache ran the RLS statement with a generic and with a custom
   * plan on the timing connection (pg_prepared_statements), warm-up included.
   */
  readonly rlsPlanUse?: { readonly generic: number; readonly custom: number };
}

export interface HotPathResult {
  readonly name: string;
  readonly title: string;
  readonly persona: string;
  readonly personas: number;
  /** Rows each persona got (RLS and explicit agree on every one when `identical`). */
  readonly rowsPerPersona: readonly number[];
  readonly identical: boolean;
  readonly mismatches: readonly string[];
  /** The timings, one entry per statement mode, in the order of `BenchRun.modes`. */
  readonly modes: readonly ModeResult[];
  /** The RLS statement's custom plan (planned with the parameter values), in one line. */
  readonly customPlanShape: string;
  /** The RLS statement's generic plan (what a prepared statement may settle on), in one line; null without prepared mode. */
  readonly genericPlanShape: string | null;
  /** Seq Scans on large tables in the RLS plans (custom and generic) or in the bodies of the helpers they executed. */
  readonly seqScans: readonly SeqScanFinding[];
  readonly explicitSeqScans: readonly SeqScanFinding[];
  /** The app.* helpers the RLS plan executed for the first persona. */
  readonly helpers: readonly string[];
  /** The helper initPlans the RLS plan evaluated for the first persona, by call. */
  readonly helperEvaluations: readonly HelperEvaluation[];
  /** What those evaluations cost by the helper cost measurement (ms), when it ran. */
  readonly helperEstimateMs: number | undefined;
  readonly rlsExecutionMs: number;
  readonly explicitExecutionMs: number;
  readonly planFiles: { readonly rls: string; readonly explicit: string } | null;
  readonly sql: { readonly rls: string; readonly explicit: string };
}

export interface Violation {
  readonly hotPath: string;
  readonly kind: 'mismatch' | 'empty' | 'seq_scan' | 'ratio' | 'p50' | 'no_persona';
  /** The statement mode a ratio or p50 violation was measured in. */
  readonly mode?: StatementMode;
  readonly message: string;
}

export interface BenchRun {
  readonly hotPaths: readonly HotPathResult[];
  readonly violations: readonly Violation[];
  readonly targets: Targets;
  readonly iterations: number;
  readonly warmup: number;
  /** The statement modes timed, interleaved. */
  readonly modes: readonly StatementMode[];
  readonly tableRows: Readonly<Record<string, number>>;
  /** One evaluation of each helper call the hot paths evaluated (empty when not measured). */
  readonly helperCosts: readonly HelperCost[];
}

type Variant = 'rls' | 'explicit';

const claimsUser = (c: HotPathCase) => personaIdentity(c.userId);

/** Runs `query` in the variant's context (persona through RLS, or the service role); returns rows and ms. */
async function timed(sql: postgres.Sql, variant: Variant, path: HotPath, c: HotPathCase, prepare = false): Promise<{ rows: unknown[]; ms: number }> {
  return variant === 'rls'
    ? asUser(sql, claimsUser(c), (tx) => timeQuery(tx, path.rls, c.rlsParams, prepare))
    : asServiceRole(sql, (tx) => timeQuery(tx, path.explicit, c.explicitParams, prepare));
}

/** What the parity check compares: the ordered rows, as JSON (bigints as text). */
export function rowsKey(rows: readonly unknown[]): string {
  return JSON.stringify(rows, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
}

/** Plans for the first persona: text for the docs, JSON for the checks, helper bodies included. */
async function capturePlans(
  database: BenchOptions['database'],
  path: HotPath,
  c: HotPathCase,
  sizes: ReadonlyMap<string, number>,
  threshold: number,
  generic: boolean,
): Promise<{
  rlsText: string;
  explicitText: string;
  seqScans: SeqScanFinding[];
  explicitSeqScans: SeqScanFinding[];
  helpers: string[];
  evaluations: HelperEvaluation[];
  rlsMs: number;
  explicitMs: number;
  customShape: string;
  genericShape: string | null;
}> {
  const { sql } = database;
  const rls = await asUser(sql, claimsUser(c), async (tx) => ({
    text: await explainText(tx, path.rls, c.rlsParams),
    json: await explainJson(tx, path.rls, c.rlsParams),
  }));
  const explicit = await asServiceRole(sql, async (tx) => ({
    text: await explainText(tx, path.explicit, c.explicitParams),
    json: await explainJson(tx, path.explicit, c.explicitParams),
  }));
  // Prepared statements may run the generic plan: capture and check it too.
  const rlsGeneric = generic ? await asUser(sql, claimsUser(c), (tx) => explainGeneric(tx, path.rls, c.rlsParams)) : null;
  const explicitGeneric = generic ? await asServiceRole(sql, (tx) => explainGeneric(tx, path.explicit, c.explicitParams)) : null;
  const genericHeader = '\n-- generic plan (plan_cache_mode = force_generic_plan), which a prepared statement may settle on\n';
  const helpers = [...new Set([...executedHelpers(rls.json.Plan), ...(rlsGeneric ? executedHelpers(rlsGeneric.json.Plan) : [])])].sort();
  // Helper bodies run as their owner with the persona's claims: the session user, claims set locally.
  const claims = JSON.stringify({ sub: c.userId, role: 'authenticated' });
  // A procedural helper's statements are explained through auto_explain on a connection of their
  // own; the embedded database serves one connection, so only servers do it.
  const nested = database.backend === 'postgres' && database.url ? explainNestedOn(database.url, claims) : undefined;
  const helperPlans = await sql.begin(async (tx) => {
    await tx`select set_config('request.jwt.claims', ${claims}, true)`;
    return explainHelpers(tx, helpers, nested);
  });
  const found = [
    ...seqScans(rls.json.Plan, sizes, threshold, 'query'),
    ...(rlsGeneric ? seqScans(rlsGeneric.json.Plan, sizes, threshold, 'query (generic plan)') : []),
    ...helperPlans.flatMap((h) => h.json.flatMap((plan) => seqScans(plan.Plan, sizes, threshold, `app.${h.name}()`))),
  ];
  const helperText = helperPlans
    .map((h) => `\n-- helper app.${h.name}() — SECURITY DEFINER body, run as its owner with this persona's claims` +
      `${h.calls.length > 0 ? ` (calls ${h.calls.map((n) => `app.${n}()`).join(', ')})` : ''}\n${h.text}\n`)
    .join('');
  return {
    rlsText: `${rls.text}\n${rlsGeneric ? `${genericHeader}${rlsGeneric.text}\n` : ''}${helperText}`,
    explicitText: `${explicit.text}\n${explicitGeneric ? `${genericHeader}${explicitGeneric.text}\n` : ''}`,
    seqScans: found,
    explicitSeqScans: [
      ...seqScans(explicit.json.Plan, sizes, threshold, 'query'),
      ...(explicitGeneric ? seqScans(explicitGeneric.json.Plan, sizes, threshold, 'query (generic plan)') : []),
    ],
    helpers: helperPlans.map((h) => h.name),
    evaluations: helperEvaluations(rls.json.Plan),
    rlsMs: rls.json['Execution Time'],
    explicitMs: explicit.json['Execution Time'],
    customShape: planShape(rls.json.Plan),
    genericShape: rlsGeneric ? planShape(rlsGeneric.json.Plan) : null,
  };
}

function planFile(path: HotPath, variant: Variant, c: HotPathCase, params: readonly unknown[], body: string, query: string): string {
  const who = variant === 'rls' ? `${path.persona} through RLS: role authenticated, request.jwt.claims.sub = ${c.userId}` : 'service_role (RLS bypassed), explicit WHERE';
  return `-- ${path.title}\n-- ${variant === 'rls' ? 'RLS' : 'explicit'}: ${who}\n-- parameters: ${JSON.stringify(params)}\n` +
    `${query.trim().split('\n').map((l) => `--   ${l}`).join('\n')}\n\n${body}\n`;
}

/**
 * The benchmark: for each hot path, personas are picked from the data, both variants must return
 * identical rows for every persona, plans are captured and checked, then RLS and explicit runs
 * are interleaved (alternating which goes first, cycling personas) and summarised.
 */
export async function runBench(options: BenchOptions): Promise<BenchRun> {
  const { sql } = options.database;
  const log = options.log ?? silentLogger;
  const modes = options.modes && options.modes.length > 0 ? [...new Set(options.modes)] : statementModes;
  const iterations = options.iterations ?? 200;
  const warmup = options.warmup ?? 20;
  const targets: Targets = { ...defaultTargets, ...options.targets };
  const paths = options.only && options.only.length > 0 ? allHotPaths.filter((p) => options.only!.includes(p.name)) : allHotPaths;
  const sizes = await tableSizes(sql);
  const violations: Violation[] = [];
  if (options.planDir) mkdirSync(options.planDir, { recursive: true });

  type Samples = Record<StatementMode, Record<Variant, number[]>>;
  interface State { path: HotPath; cases: HotPathCase[]; rows: number[]; mismatches: string[]; samples: Samples; plans: Awaited<ReturnType<typeof capturePlans>> | null; files: HotPathResult['planFiles'] }
  const states: State[] = [];
  for (const path of paths) {
    const cases = await path.cases(sql, { anchor: options.anchor }, options.personas ?? 5);
    const samples: Samples = { prepared: { rls: [], explicit: [] }, unnamed: { rls: [], explicit: [] } };
    const state: State = { path, cases, rows: [], mismatches: [], samples, plans: null, files: null };
    states.push(state);
    if (cases.length === 0) {
      violations.push({ hotPath: path.name, kind: 'no_persona', message: `${path.name}: the data set has no persona for this hot path` });
      continue;
    }
    for (const c of cases) {
      const rls = await timed(sql, 'rls', path, c);
      const explicit = await timed(sql, 'explicit', path, c);
      state.rows.push(rls.rows.length);
      if (rowsKey(rls.rows) !== rowsKey(explicit.rows)) {
        state.mismatches.push(`${c.label}: RLS returned ${rls.rows.length} rows, explicit ${explicit.rows.length}, and they differ`);
      } else if (rls.rows.length === 0) {
        state.mismatches.push(`${c.label}: both variants returned no rows`);
      }
    }
    for (const m of state.mismatches) {
      violations.push({ hotPath: path.name, kind: m.includes('no rows') ? 'empty' : 'mismatch', message: `${path.name}: ${m}` });
    }
    log(`bench: ${path.name}: ${cases.length} personas, rows ${state.rows.join('/')}, ${state.mismatches.length === 0 ? 'identical' : 'DIFFERENT'}`);
  }

  const runnable = states.filter((s) => s.cases.length > 0);
  const total = warmup + iterations;
  // Every timed statement on one connection, so its prepared statements and their plan-cache
  // counters (pg_prepared_statements) are the ones measured; the embedded database has one anyway.
  const separate = options.database.backend === 'postgres' && options.database.url !== undefined;
  const timing = separate ? postgres(options.database.url!, { max: 1, onnotice: () => {} }) : sql;
  const planUse = new Map<string, { generic: number; custom: number }>();
  try {
    for (let i = 0; i < total; i++) {
      for (const state of runnable) {
        const c = state.cases[i % state.cases.length]!;
        // Alternate which mode and which variant goes first, so neither always runs on a warmer cache.
        const modeOrder = i % 2 === 0 ? modes : [...modes].reverse();
        const variantOrder: Variant[] = Math.floor(i / 2) % 2 === 0 ? ['rls', 'explicit'] : ['explicit', 'rls'];
        for (const mode of modeOrder) {
          for (const variant of variantOrder) {
            const { ms } = await timed(timing, variant, state.path, c, mode === 'prepared');
            if (i >= warmup) state.samples[mode][variant].push(ms);
          }
        }
      }
      if ((i + 1) % Math.max(1, Math.floor(total / 10)) === 0) log(`bench: iteration ${i + 1}/${total}`);
    }
    if (modes.includes('prepared') && total > 0) {
      for (const [statement, use] of await preparedPlanUse(timing, runnable.map((s) => s.path.rls))) planUse.set(statement, use);
    }
  } finally {
    if (separate) await timing.end({ timeout: 5 });
  }

  // Plans last, on warm caches: the saved EXPLAIN timings then resemble the measured ones.
  for (const state of runnable) {
    const path = state.path;
    const first = state.cases[0]!;
    const plans = await capturePlans(options.database, path, first, sizes, targets.seqScanRows, modes.includes('prepared'));
    state.plans = plans;
    if (options.planDir) {
      const rlsFile = join(options.planDir, `${path.name}.rls.txt`);
      const explicitFile = join(options.planDir, `${path.name}.explicit.txt`);
      writeFileSync(rlsFile, planFile(path, 'rls', first, first.rlsParams, plans.rlsText, path.rls));
      writeFileSync(explicitFile, planFile(path, 'explicit', first, first.explicitParams, plans.explicitText, path.explicit));
      state.files = { rls: rlsFile, explicit: explicitFile };
    }
    for (const s of plans.seqScans) {
      violations.push({
        hotPath: path.name,
        kind: 'seq_scan',
        message: `${path.name}: Seq Scan on ${s.table} (${Math.round(s.tableRows).toLocaleString('en-US')} rows) in ${s.source}${s.loops === 0 ? ' (planned, not executed for this persona)' : ''}`,
      });
    }
    log(`bench: ${path.name}: plans captured; helpers executed: ${plans.helpers.map((h) => `app.${h}`).join(', ') || 'none'}`);
  }

  const costIterations = options.helperCostIterations ?? Math.ceil(iterations / 3);
  const requests = new Map<string, { call: string; userId: string }>();
  for (const state of runnable) {
    for (const e of state.plans?.evaluations ?? []) {
      if (!requests.has(e.call)) requests.set(e.call, { call: e.call, userId: state.cases[0]!.userId });
    }
  }
  let helperCosts: HelperCost[] = [];
  if (costIterations > 0 && requests.size > 0) {
    log(`bench: helper costs: ${requests.size} calls × ${costIterations} iterations`);
    helperCosts = await measureHelperCosts(sql, [...requests.values()], {
      iterations: costIterations,
      warmup: Math.min(warmup, costIterations),
      prepare: modes[0] === 'prepared',
    });
  }

  const results: HotPathResult[] = states.map((state) => {
    const modeResults = modes.map((mode): ModeResult => {
      const samples = state.samples[mode];
      const rls = { ...summarize(samples.rls), samples: samples.rls };
      const explicit = { ...summarize(samples.explicit), samples: samples.explicit };
      const use = mode === 'prepared' ? planUse.get(state.path.rls) : undefined;
      return {
        mode,
        rls,
        explicit,
        ratio: rls.p50 / explicit.p50,
        ratioP95: rls.p95 / explicit.p95,
        overheadMs: rls.p50 - explicit.p50,
        ...(use ? { rlsPlanUse: use } : {}),
      };
    });
    const result: HotPathResult = {
      name: state.path.name,
      title: state.path.title,
      persona: state.path.persona,
      personas: state.cases.length,
      rowsPerPersona: state.rows,
      identical: state.cases.length > 0 && state.mismatches.length === 0,
      mismatches: state.mismatches,
      modes: modeResults,
      customPlanShape: state.plans?.customShape ?? '',
      genericPlanShape: state.plans?.genericShape ?? null,
      seqScans: state.plans?.seqScans ?? [],
      explicitSeqScans: state.plans?.explicitSeqScans ?? [],
      helpers: state.plans?.helpers ?? [],
      helperEvaluations: state.plans?.evaluations ?? [],
      helperEstimateMs: helperCosts.length > 0 ? estimateHelperMs(state.plans?.evaluations ?? [], helperCosts) : undefined,
      rlsExecutionMs: state.plans?.rlsMs ?? Number.NaN,
      explicitExecutionMs: state.plans?.explicitMs ?? Number.NaN,
      planFiles: state.files,
      sql: { rls: state.path.rls.trim(), explicit: state.path.explicit.trim() },
    };
    if (state.cases.length > 0 && iterations > 0) {
      for (const m of modeResults) {
        if (m.ratio > targets.maxRatio) {
          violations.push({ hotPath: result.name, kind: 'ratio', mode: m.mode, message: `${result.name} (${m.mode}): RLS/explicit p50 ratio ${m.ratio.toFixed(2)} > ${targets.maxRatio}` });
        }
        if (m.rls.p50 > targets.maxP50Ms) {
          violations.push({ hotPath: result.name, kind: 'p50', mode: m.mode, message: `${result.name} (${m.mode}): RLS p50 ${m.rls.p50.toFixed(2)} ms > ${targets.maxP50Ms} ms` });
        }
      }
    }
    return result;
  });
  return {
    hotPaths: results,
    violations,
    targets,
    iterations,
    warmup,
    modes,
    helperCosts,
    tableRows: Object.fromEntries([...sizes.entries()].filter(([name]) => name.startsWith('public.') || name === 'audit.audit_log').sort()),
  };
}
