#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { formatDbError, isDbError } from '../errors';
import { stderrLogger } from '../log';

const USAGE = `therapy-db <command> [options]

Commands:
  demo                     boot an embedded database in memory, migrate, seed two demo organisations
                           and print what each persona can see
  migrate [--url URL] [--migrations DIR]...
                           apply the migrations (DATABASE_URL, or the embedded database in
                           ./.therapy-db when neither is given); layers in order with
                           --migrations therapy-db --migrations ./migrations (see below); keeps
                           the Supabase CLI's ledger in step unless --no-supabase-ledger
                           (docs/supabase.md)
  shim [--url URL]         apply only the Supabase platform shim (roles, auth, storage, realtime) to
                           a plain PostgreSQL, e.g. before \`supabase db push --db-url\` onto it
  export supabase [--dir DIR] [--dry-run]
                           write the migrations into a Supabase project as
                           DIR/migrations/<timestamp>_<tag>.sql (default DIR: supabase); a file
                           that differs is reported (exit 1), never overwritten
  export pgtap [--dir DIR] [--dry-run]
                           write the access-matrix tests as pgTAP files for pg_prove and
                           \`supabase test db\` (default DIR: supabase/tests/database)
  deliver --once|--watch   deliver outbox events to their webhook subscriptions (signed POSTs);
                           --once: everything due now, then exit; --watch: until SIGINT/SIGTERM,
                           which stop after the current round (a second one exits at once)
                           [--batch-size N]        events per round, 1 to 1000 (default 20)
                           [--interval SECONDS]    pause when idle, --watch (default 5)
                           [--timeout SECONDS]     per request (default 10)
                           [--lease SECONDS]       claim duration, at least the timeout + 5
                                                   and at most 3600 (default 120)
                           [--signature SCHEME]    both (default), standard-webhooks (webhook-*
                                                   headers) or therapy-db (X-Webhook-* headers)
                           [--secrets FILE]        JSON {"<subscription id>": "<secret>"}; else
                           THERAPY_DB_WEBHOOK_SECRET_<SUBSCRIPTION_ID> (upper case, - as _)
  generate [--name NAME]   (development) write the migrations the TypeScript source needs since the
                           last ones into drizzle/ (nothing when they match)
  release [--version V]    (development) freeze every unreleased migration as release V (default:
                           package.json's version) in drizzle/releases.json
  check [--url URL] [--base REF] [--json] [--migrations DIR]...
                           the CI migration checks: drift, integrity, replay, sql-drift, catalogue,
                           safety
    [--trace [--scale N] [--lock-threshold MS]]
                           also trace each new migration on a seeded scratch database: locks per
                           statement (mode, held how long), rewrites, scans under lock (seed scale
                           N, default 0.01; ACCESS EXCLUSIVE longer than MS, default 1000, fails)
                           (exit 1 when one fails; see docs/ci.md)
  docs [--check]           (development) regenerate docs/access-matrix.md (from the policies) and
                           docs/schema.md (entity-relationship diagrams, from the tables)
                           (--check: only report whether they are up to date; exit 1 when not)

Options:
  --url URL        a PostgreSQL connection URL (default: DATABASE_URL)
  --data-dir DIR   embedded database directory (default: ./.therapy-db)
  --migrations DIR a migrations folder (drizzle-kit, or Supabase's <version>_<name>.sql); repeat it
                   for layers applied in order: the package's (\`therapy-db\` names the migrations
                   it ships), then the app's. Default: the package's migrations only
  -h, --help       show this help

Exit status: 0 success, 1 failure (a failed check, a database error), 2 usage error.
`;

export class UsageError extends Error {}

/** `--migrations` values as folders: `therapy-db` names the migrations the package ships. */
async function migrationLayers(values: readonly string[]): Promise<string[]> {
  const { defaultMigrationsFolder } = await import('../migrate');
  return values.map((value) => (value === 'therapy-db' ? defaultMigrationsFolder() : value));
}

async function run(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      'data-dir': { type: 'string' },
      name: { type: 'string' },
      base: { type: 'string' },
      json: { type: 'boolean' },
      once: { type: 'boolean' },
      watch: { type: 'boolean' },
      'batch-size': { type: 'string' },
      interval: { type: 'string' },
      lease: { type: 'string' },
      timeout: { type: 'string' },
      signature: { type: 'string' },
      secrets: { type: 'string' },
      check: { type: 'boolean' },
      version: { type: 'string' },
      migrations: { type: 'string', multiple: true },
      trace: { type: 'boolean' },
      scale: { type: 'string' },
      'lock-threshold': { type: 'string' },
      dir: { type: 'string' },
      'dry-run': { type: 'boolean' },
      'no-supabase-ledger': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...rest] = positionals;
  // `export` names what it exports (`export supabase`, `export pgtap`); no other command takes an argument.
  const [target, extra] = command === 'export' ? [rest[0], rest.slice(1)] : [undefined, rest];
  if (values.help || !command) {
    process.stdout.write(USAGE);
    return command || values.help ? 0 : 2;
  }
  if (extra.length > 0) throw new UsageError(`unexpected argument${extra.length > 1 ? 's' : ''} after ${command}${target ? ` ${target}` : ''}: ${extra.join(' ')}`);
  const url = values.url ?? process.env.DATABASE_URL;
  const dataDir = values['data-dir'] ?? './.therapy-db';
  const migrationsFolder = values.migrations ? await migrationLayers(values.migrations) : undefined;
  switch (command) {
    case 'migrate': {
      const { migrate } = await import('../migrate');
      const folders = migrationsFolder ? { migrationsFolder } : {};
      const supabaseLedger = !values['no-supabase-ledger'];
      if (url) {
        await migrate({ url, supabaseLedger, log: stderrLogger, ...folders });
      } else {
        const { connect } = await import('../db');
        const database = await connect({ dataDir, log: stderrLogger });
        try {
          await migrate({ client: database.sql, supabaseLedger, log: stderrLogger, ...folders });
        } finally {
          await database.close();
        }
      }
      return 0;
    }
    case 'shim': {
      if (!url) throw new UsageError('shim needs --url or DATABASE_URL (a plain PostgreSQL to stand in for Supabase)');
      const [{ connect }, { applySupabaseShim }] = await Promise.all([import('../db'), import('../platform')]);
      const database = await connect({ url, max: 1, log: stderrLogger });
      try {
        const { created } = await applySupabaseShim(database.sql, stderrLogger);
        if (created.length === 0) stderrLogger('supabase shim: nothing to create (the platform is there)');
      } finally {
        await database.close();
      }
      return 0;
    }
    case 'export': {
      const { exportCommand } = await import('./export');
      return exportCommand({ what: target, ...(values.dir ? { dir: values.dir } : {}), dryRun: values['dry-run'] ?? false, log: stderrLogger, usageError: (m) => new UsageError(m) });
    }
    case 'demo': {
      const { runDemo } = await import('./demo');
      await runDemo({ log: stderrLogger });
      return 0;
    }
    case 'deliver': {
      const { deliverCommand } = await import('./deliver');
      return deliverCommand({ values, url, dataDir, log: stderrLogger, usageError: (m) => new UsageError(m) });
    }
    case 'generate': {
      const { generateFromSource } = await import('./generate-source');
      await generateFromSource({ name: values.name ?? 'change', log: stderrLogger });
      return 0;
    }
    case 'release': {
      const { releaseCommand } = await import('./release');
      releaseCommand({ ...(values.version ? { version: values.version } : {}), log: stderrLogger });
      return 0;
    }
    case 'docs': {
      const { writeGeneratedDocs } = await import('./docs');
      return writeGeneratedDocs({ log: stderrLogger, check: values.check ?? false }) ? 0 : 1;
    }
    case 'check': {
      const { runCheckCommand } = await import('./check');
      const number = (name: string, value: string | undefined): number | undefined => {
        if (value === undefined) return undefined;
        const n = Number(value);
        if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} must be a positive number, got "${value}"`);
        return n;
      };
      if ((values.scale !== undefined || values['lock-threshold'] !== undefined) && !values.trace) throw new UsageError('--scale and --lock-threshold go with --trace');
      const scale = number('scale', values.scale);
      const lockThresholdMs = number('lock-threshold', values['lock-threshold']);
      return runCheckCommand({
        ...(values.trace ? { trace: { ...(scale ? { scale } : {}), ...(lockThresholdMs ? { lockThresholdMs } : {}) } } : {}),
        ...(url ? { url } : {}),
        ...(values.base ? { base: values.base } : {}),
        ...(migrationsFolder ? { migrationsFolder } : {}),
        json: values.json ?? false,
      });
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // parseArgs reports an unknown option, a missing or ambiguous value (`--base` at the end,
    // `--interval -1`) and a value given to a flag with ERR_PARSE_ARGS_* codes: all usage errors. A
    // folder that is not a migrations folder, or layers sharing a tag, is a usage error too.
    if (
      error instanceof UsageError ||
      (error as Error).name === 'MigrationLayerError' ||
      String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS_')
    ) {
      process.stderr.write(`therapy-db: ${(error as Error).message}\n\n${USAGE}`);
      process.exit(2);
    }
    // Database errors carry their SQLSTATE and constraint; everything else its message.
    process.stderr.write(`therapy-db: ${isDbError(error) && !error.message.includes('SQLSTATE') ? formatDbError(error) : ((error as Error).message ?? String(error))}\n`);
    process.exit(1);
  },
);
