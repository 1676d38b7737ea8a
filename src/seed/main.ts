#!/usr/bin/env node
/**
 * `npm run seed -- --scale <n> [--url URL] [--fresh]`: generate a deterministic, district-scale data
 * set into a migrated database (the embedded one in ./.therapy-db-bench when no URL is given).
 */
import { parseArgs } from 'node:util';
import { formatDbError, isDbError } from '../errors';
import { stderrLogger } from '../log';
import { DEFAULT_BENCH_DATA_DIR, openBenchDatabase } from './database';
import { DEFAULT_ANCHOR, DEFAULT_SEED, makePlan } from './plan';
import { formatCount } from './progress';
import { seed } from './seed';

const USAGE = `npm run seed -- [options]

Generates a realistic data set (organisations, staff, students, caseloads, consents, a 20-week
calendar of sessions, notes, goals, charges, chat) with a seeded PRNG: the same options give the
same rows. Loads with COPY, with every constraint and trigger of the schema on.

Options:
  --scale N        1 = 10 organisations, 200 therapists, 5,000 students, ~100,000 sessions,
                   300,000 messages; N multiplies (default 1; 0.01 is one small organisation)
  --url URL        a PostgreSQL database (default: DATABASE_URL, else the embedded database)
  --data-dir DIR   embedded database directory (default: ${DEFAULT_BENCH_DATA_DIR})
  --fresh          start from an empty database (drop + create it, or delete the data dir)
  --seed TEXT      PRNG seed (default: ${DEFAULT_SEED})
  --anchor DATE    the Monday of "this week" (default: ${DEFAULT_ANCHOR}); 16 weeks of history
                   before it, 4 weeks of schedule from it
  --jobs N         organisations loaded in parallel on a server (default 2)
  --side-effects   keep the audit, realtime-broadcast and outbox triggers firing during the load
                   (default: paused for the load, every validating trigger and constraint stays on)
  --row-by-row-fks check foreign keys row by row during the load (default: drop them for the load
                   and re-add them after it, which validates every row in one set-based pass)
  --no-vacuum      skip vacuum (analyze) at the end
  --migrations DIR apply the migrations in DIR instead of the package's drizzle/
  -h, --help       this help
`;

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      scale: { type: 'string', default: '1' },
      url: { type: 'string' },
      'data-dir': { type: 'string' },
      fresh: { type: 'boolean', default: false },
      seed: { type: 'string' },
      anchor: { type: 'string' },
      jobs: { type: 'string' },
      'no-vacuum': { type: 'boolean', default: false },
      'side-effects': { type: 'boolean', default: false },
      'row-by-row-fks': { type: 'boolean', default: false },
      migrations: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const plan = makePlan({
    scale: Number(values.scale),
    ...(values.seed ? { seed: values.seed } : {}),
    ...(values.anchor ? { anchor: values.anchor } : {}),
  });
  const log = stderrLogger;
  const { database, migrateMs, migrationsApplied } = await openBenchDatabase({
    ...(values.url ? { url: values.url } : {}),
    ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
    fresh: values.fresh,
    ...(values.migrations ? { migrationsFolder: values.migrations } : {}),
    log,
  });
  try {
    if (migrationsApplied > 0) log(`migrate: ${migrationsApplied} migrations in ${migrateMs} ms`);
    const result = await seed({
      database,
      plan,
      ...(values.jobs ? { jobs: Number(values.jobs) } : {}),
      vacuum: !values['no-vacuum'],
      sideEffects: values['side-effects'],
      rowByRowForeignKeys: values['row-by-row-fks'],
      log,
    });
    const width = Math.max(...Object.keys(result.rows).map((k) => k.length));
    const lines = Object.entries(result.rows).map(([table, n]) => `  ${table.padEnd(width)}  ${formatCount(n).padStart(11)}`);
    process.stdout.write(
      `Seeded scale ${result.scale} on ${result.backend} (seed "${result.seed}", anchor ${result.anchor}):\n${lines.join('\n')}\n` +
        `  ${'total'.padEnd(width)}  ${formatCount(result.totalRows).padStart(11)} rows in ${(result.loadMs / 1000).toFixed(1)} s ` +
        `= ${formatCount(result.rowsPerSecond)} rows/s\n` +
        `  (${result.deferredForeignKeys > 0 ? `${result.deferredForeignKeys} foreign keys validated after the load in ${(result.validateMs / 1000).toFixed(1)} s, included; ` : ''}` +
        `${result.pausedTriggers.length > 0 ? `${result.pausedTriggers.length} side-effect triggers paused` : `${formatCount(result.triggerRows)} audit rows written by triggers`}; ` +
        `vacuum analyze ${(result.vacuumMs / 1000).toFixed(1)} s)\n`,
    );
    return 0;
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`seed: ${isDbError(error) ? formatDbError(error) : ((error as Error).message ?? String(error))}\n`);
    if (process.env.DEBUG) console.error(error);
    process.exit(1);
  },
);
