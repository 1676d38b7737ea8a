#!/usr/bin/env node
/**
 * `npm run bench [-- --scale n --url URL]`: Row Level Security at district scale. Seeds the database
 * when it is empty, then runs every hot path as its persona through RLS and as the service role with
 * an explicit WHERE, interleaved; writes EXPLAIN (ANALYZE, BUFFERS) of every query and the results
 * under docs/bench/<backend>-scale<n>/; exits 1 when a target is missed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatDbError, isDbError } from '../src/errors';
import { stderrLogger } from '../src/log';
import { DEFAULT_BENCH_DATA_DIR, makePlan, openBenchDatabase, parseAnchor, readDataset, seed, type SeedResult } from '../src/seed';
import { describeEnvironment, timeMigrationsPglite, timeMigrationsServer, timeTestSuite, type MigrationTiming } from './environment';
import { renderMarkdown, toJson, type BenchReport } from './report';
import { defaultTargets, runBench, statementModes, type StatementMode } from './run';
import { experiments, withExperiments, type Experiment } from './experiments';
import { hotPaths } from './hot-paths';

const USAGE = `npm run bench -- [options]

Options:
  --scale N            data set scale (default: the seeded database's, else 1); seeds an empty database
  --url URL            a PostgreSQL database (default: DATABASE_URL, else the embedded database)
  --data-dir DIR       embedded database directory (default: ${DEFAULT_BENCH_DATA_DIR})
  --fresh              recreate the database and seed it again
  --iterations N       timed iterations per hot path and variant (default 200)
  --warmup N           untimed iterations first (default 20)
  --personas N         personas per hot path, cycled (default 5)
  --helper-cost-iterations N
                       iterations of the per-helper cost measurement (default: a third of
                       --iterations; 0 skips it)
  --modes M[,M]        statement modes timed, interleaved in one run (default prepared,unnamed):
                       prepared (named prepared statements and the plan cache, as PostgREST and
                       postgres.js run) and unnamed (planned at every execution, as behind a
                       transaction pooler); a target missed in any mode fails the run
  --only a,b           only these hot paths (${hotPaths.map((h) => h.name).join(', ')})
  --out DIR            where plans and results go (default docs/bench); written to DIR/<backend>-scale<n>/
  --max-ratio X        target RLS/explicit p50 ratio (default ${defaultTargets.maxRatio})
  --max-p50-ms X       target RLS p50 in ms (default ${defaultTargets.maxP50Ms})
  --seq-scan-rows N    a Seq Scan on a larger table fails (default ${defaultTargets.seqScanRows})
  --migrate-runs N     migration-from-empty timings per backend (default 1; 0 to skip)
  --with-test-time     also run \`npm test\` once and record its wall time
  --experiment A[,B]   run the hot paths on a temporarily modified database, restored afterwards:
                       no-tenant-guard (without the restrictive tenant policies); results go to
                       <out>/<backend>-scale<n>-<A>[-<B>]/
  --no-fail            exit 0 even when a target is missed
  --seed TEXT, --anchor DATE, --jobs N, --migrations DIR   passed to the seed (see npm run seed -- --help)
  -h, --help           this help
`;

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      scale: { type: 'string' },
      url: { type: 'string' },
      'data-dir': { type: 'string' },
      fresh: { type: 'boolean', default: false },
      iterations: { type: 'string', default: '200' },
      warmup: { type: 'string', default: '20' },
      personas: { type: 'string', default: '5' },
      'helper-cost-iterations': { type: 'string' },
      only: { type: 'string' },
      modes: { type: 'string', default: 'prepared,unnamed' },
      out: { type: 'string', default: 'docs/bench' },
      'max-ratio': { type: 'string' },
      'max-p50-ms': { type: 'string' },
      'seq-scan-rows': { type: 'string' },
      'migrate-runs': { type: 'string', default: '1' },
      'with-test-time': { type: 'boolean', default: false },
      'no-fail': { type: 'boolean', default: false },
      experiment: { type: 'string' },
      seed: { type: 'string' },
      anchor: { type: 'string' },
      jobs: { type: 'string' },
      migrations: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const chosen = (values.experiment ?? '').split(',').map((s) => s.trim()).filter(Boolean) as Experiment[];
  for (const e of chosen) {
    if (!experiments.includes(e)) throw new Error(`unknown --experiment "${e}" (known: ${experiments.join(', ')})`);
  }
  const modes = values.modes.split(',').map((s) => s.trim()).filter(Boolean) as StatementMode[];
  for (const m of modes) {
    if (!statementModes.includes(m)) throw new Error(`unknown --modes "${m}" (known: ${statementModes.join(', ')})`);
  }
  const suffix = `${modes.length === 1 ? `-${modes[0]}` : ''}${chosen.map((e) => `-${e}`).join('')}`;
  const log = stderrLogger;
  const startedAt = new Date().toISOString();
  const url = values.url ?? process.env.DATABASE_URL;
  const { database } = await openBenchDatabase({
    ...(url ? { url } : {}),
    ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
    fresh: values.fresh,
    ...(values.migrations ? { migrationsFolder: values.migrations } : {}),
    log,
  });
  let report: BenchReport;
  try {
    const existing = await readDataset(database.sql);
    const requestedScale = values.scale !== undefined ? Number(values.scale) : undefined;
    let dataset: SeedResult;
    let seededNow = false;
    if (existing) {
      if (requestedScale !== undefined && requestedScale !== existing.scale) {
        throw new Error(`the database holds a scale ${existing.scale} data set; pass --fresh to reseed it at scale ${requestedScale}`);
      }
      if ((values.seed && values.seed !== existing.seed) || (values.anchor && values.anchor !== existing.anchor)) {
        throw new Error(`the database holds seed "${existing.seed}", anchor ${existing.anchor}; pass --fresh to reseed`);
      }
      log(`bench: using the seeded data set (scale ${existing.scale}, seed "${existing.seed}", anchor ${existing.anchor})`);
      dataset = existing.result;
    } else {
      const plan = makePlan({
        scale: requestedScale ?? 1,
        ...(values.seed ? { seed: values.seed } : {}),
        ...(values.anchor ? { anchor: values.anchor } : {}),
      });
      dataset = await seed({ database, plan, ...(values.jobs ? { jobs: Number(values.jobs) } : {}), log });
      seededNow = true;
    }
    const environment = await describeEnvironment(database);
    const planDir = join(values.out, `${database.backend}-scale${dataset.scale}${suffix}`);
    const bench = () => runBench({
      database,
      anchor: parseAnchor(dataset.anchor),
      iterations: Number(values.iterations),
      warmup: Number(values.warmup),
      personas: Number(values.personas),
      modes,
      ...(values['helper-cost-iterations'] !== undefined ? { helperCostIterations: Number(values['helper-cost-iterations']) } : {}),
      ...(values.only ? { only: values.only.split(',').map((s) => s.trim()) } : {}),
      planDir,
      targets: {
        ...(values['max-ratio'] ? { maxRatio: Number(values['max-ratio']) } : {}),
        ...(values['max-p50-ms'] ? { maxP50Ms: Number(values['max-p50-ms']) } : {}),
        ...(values['seq-scan-rows'] ? { seqScanRows: Number(values['seq-scan-rows']) } : {}),
      },
      log,
    });
    const run = await withExperiments(database.sql, chosen, log, bench);
    // Migration timings after the hot paths: creating and dropping scratch databases leaves the
    // server busy (checkpoints, file removal) for a while, which must not disturb the measurements.
    const migrateRuns = Number(values['migrate-runs']);
    const migrations: MigrationTiming[] = [];
    if (migrateRuns > 0) {
      log('bench: timing migrations from empty…');
      migrations.push(await timeMigrationsPglite(migrateRuns, values.migrations));
      if (database.backend === 'postgres') migrations.push(await timeMigrationsServer(database.url, migrateRuns, values.migrations));
    }
    report = {
      startedAt,
      scale: dataset.scale,
      seed: dataset.seed,
      anchor: dataset.anchor,
      environment,
      dataset,
      seededNow,
      migrations,
      testSuite: null,
      experiment: chosen.length > 0 ? chosen.join(',') : null,
      run,
    };
    mkdirSync(planDir, { recursive: true });
  } finally {
    await database.close();
  }
  if (values['with-test-time']) {
    log('bench: running npm test once for its wall time…');
    report = { ...report, testSuite: await timeTestSuite() };
  }
  const planDir = join(values.out, `${report.environment.backend}-scale${report.scale}${suffix}`);
  const markdown = renderMarkdown(report);
  writeFileSync(join(planDir, 'results.md'), markdown);
  writeFileSync(join(planDir, 'results.json'), `${toJson(report)}\n`);
  process.stdout.write(`${markdown}\nPlans and results: ${planDir}/\n`);
  return report.run.violations.length > 0 && !values['no-fail'] ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench: ${isDbError(error) ? formatDbError(error) : ((error as Error).message ?? String(error))}\n`);
    if (process.env.DEBUG) console.error(error);
    process.exit(1);
  },
);
