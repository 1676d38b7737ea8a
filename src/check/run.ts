import { relative, resolve } from 'node:path';
import { silentLogger, type Logger } from '../log';
import { migrationFolderFormat, migrationFolders, MigrationLayerError, readReleaseManifest, ReleaseManifestError, type MigrationsFolders, type ReleaseManifest } from '../migrate';
import { defaultMigrationsFolder } from '../paths';
import { catalogueChecks, DEFAULT_API_ROLES, DEFAULT_EXPOSED_SCHEMAS, DEFAULT_PLATFORM_SCHEMAS, type CatalogueContext } from './catalogue';
import { driftCheck, packageDriftSource, type DriftSource } from './drift';
import { layeredBaseline, releasedBaseline, type Baseline } from './baseline';
import { readBaseMigrations } from './git';
import { integrityCheck, type IntegrityContext } from './integrity';
import { buildLocator, noLocator, type Locator } from './locate';
import { readParsedMigrations, type ParsedMigration } from './migrations';
import { CheckUsageError, eachLayer, failedResult, runCheck, skippedResult, type CheckId, type CheckResult } from './model';
import { replayCheck } from './replay';
import { safetyCheck } from './safety';
import { openScratchDatabase, type ScratchDatabase } from './scratch-database';
import { sqlDriftCheck } from './sql-drift';
import { traceCheck, type TraceOptions } from './trace';

export interface CheckOptions {
  /**
   * The migrations folder (drizzle-kit or Supabase format), or the layers of an app in the order they
   * apply: `[<therapy-db's drizzle/>, './migrations']`. Replay applies every layer into one database
   * and the catalogue checks inspect the union; drift, `base` and the safety lint concern the last
   * layer (the one being changed), whose lower layers count as deployed. Default: the migrations
   * shipped with therapy-db (`drizzle/`).
   */
  readonly migrationsFolder?: MigrationsFolders;
  /**
   * A git ref (`origin/main` for a pull request): integrity compares the last layer's migrations
   * committed there, safety lints the ones added since. Without it, the release manifest
   * (`releases.json` beside the migrations) is the baseline. With neither, integrity checks the
   * journal only, and safety lints every migration of the last layer when there are layers below it
   * (their tables exist in production) and is skipped otherwise.
   */
  readonly base?: string;
  /** A server to replay on, in a scratch database `therapy_db_check_<random>` dropped afterwards; default: embedded PGlite. */
  readonly url?: string;
  /**
   * The drift check. `true` compares therapy-db's own source with its migrations (the default when
   * `migrationsFolder` is the package's); a `DriftSource` compares another source; `false` skips it (apps).
   */
  readonly drift?: boolean | DriftSource;
  /** Schemas the API exposes (default `public`, `audit`). */
  readonly exposedSchemas?: readonly string[];
  /** Roles API clients act as (default `anon`, `authenticated`). */
  readonly apiRoles?: readonly string[];
  /** Platform schemas the structural checks skip (default: Supabase's). */
  readonly platformSchemas?: readonly string[];
  /**
   * The lock and rewrite trace (`--trace`): each new migration applied statement by statement to a
   * scratch database at the baseline, seeded by the project's seed (`scale`, default 0.01). Off by
   * default: it seeds a database.
   */
  readonly trace?: boolean | TraceOptions;
  /** Checks not to run (reported as skipped). */
  readonly skip?: readonly CheckId[];
  /** Progress lines (default: none; the CLI writes them to stderr). */
  readonly log?: Logger;
}

export interface CheckReport {
  /** Every check in report order, with its status. */
  readonly results: readonly CheckResult[];
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  /** No check failed. */
  readonly ok: boolean;
  /** The last layer: the folder the report is about. */
  readonly migrationsFolder: string;
  /** Every layer, in the order they apply, when there are several. */
  readonly migrationsFolders?: readonly string[];
  readonly base?: { readonly ref: string; readonly commit: string };
  /** The release manifest's last release and how many migrations it froze, when there is one. */
  readonly released?: { readonly release: string; readonly migrations: number };
}

/**
 * The CI migration checks: drift, integrity, replay, drift against the SQL (`sql-drift`), the catalogue checks on the replayed
 * database, and the safety lint of new migrations. Never throws for a failing check (see
 * `CheckReport`); throws `CheckUsageError` for a bad `base` or migrations folder.
 */
export async function runChecks(options: CheckOptions = {}): Promise<CheckReport> {
  const log = options.log ?? silentLogger;
  const packageFolder = resolve(defaultMigrationsFolder());
  let folders: string[];
  try {
    folders = migrationFolders(options.migrationsFolder);
  } catch (error) {
    if (error instanceof MigrationLayerError) throw new CheckUsageError(error.message);
    throw error;
  }
  for (const folder of folders) {
    if (!migrationFolderFormat(folder)) {
      throw new CheckUsageError(`${folder} is not a migrations folder (no drizzle-kit meta/_journal.json, no Supabase <version>_<name>.sql file)`);
    }
  }
  // The layer being changed; the ones below it are deployed as they are.
  const migrationsFolder = folders.at(-1)!;
  const lowerFolders = folders.slice(0, -1);
  const base = options.base === undefined ? undefined : readBaseMigrations(migrationsFolder, options.base);
  const releasedOf = (folder: string): Baseline | undefined => {
    const manifest = readManifest(folder);
    return manifest ? releasedBaseline(manifest) : undefined;
  };
  const manifest = readManifest(migrationsFolder);
  const released = releasedOf(migrationsFolder);
  const skip = new Set(options.skip ?? []);
  const results: CheckResult[] = [];
  const step = async (check: { readonly id: CheckId; readonly title: string }, run: () => Promise<CheckResult>): Promise<void> => {
    if (skip.has(check.id)) {
      results.push(skippedResult(check, 'skipped by option'));
      return;
    }
    log(`check: ${check.id}…`);
    results.push(await run());
  };

  // 1. Drift (of the last layer).
  const drift = options.drift ?? (folders.length === 1 && migrationsFolder === packageFolder);
  const driftSource = drift === false ? undefined : drift === true ? packageDriftSource : async () => drift;
  const noDrift =
    options.drift === false
      ? 'not requested (drift: false)'
      : "the migrations folder is not therapy-db's own: pass drift: { imports, objects } to compare it with a source";
  await step(driftCheck, async () =>
    driftSource ? runCheck(driftCheck, { migrationsFolder, source: driftSource }) : skippedResult(driftCheck, noDrift),
  );

  // 2. Integrity of every layer: each against its release manifest, the last also against --base.
  const integrityContexts: IntegrityContext[] = folders.map((folder) => {
    const layerReleased = folder === migrationsFolder ? released : releasedOf(folder);
    return { migrationsFolder: folder, ...(folder === migrationsFolder && base ? { base } : {}), ...(layerReleased ? { released: layerReleased } : {}) };
  });
  await step(integrityCheck, () => runCheck(eachLayer(integrityCheck, (c) => relative(process.cwd(), c.migrationsFolder) || '.'), integrityContexts));

  // Parsed once for the locator and the safety lint; a file that cannot be read fails both.
  let layers: ParsedMigration[][] | undefined;
  let parseError: string | undefined;
  try {
    layers = folders.map((folder) => readParsedMigrations(folder));
  } catch (error) {
    parseError = (error as Error).message;
  }
  const migrations = layers?.flat();
  const locate: Locator = migrations ? buildLocator(migrations) : noLocator;

  // 3. Replay, then 4. the catalogue checks on the replayed database.
  const catalogueOptions = {
    exposedSchemas: options.exposedSchemas ?? DEFAULT_EXPOSED_SCHEMAS,
    apiRoles: options.apiRoles ?? DEFAULT_API_ROLES,
    platformSchemas: options.platformSchemas ?? DEFAULT_PLATFORM_SCHEMAS,
    locate,
  };
  const wantsDatabase = [replayCheck, ...catalogueChecks].some((c) => !skip.has(c.id)) || (!skip.has(sqlDriftCheck.id) && driftSource !== undefined);
  if (!wantsDatabase) {
    results.push(skippedResult(replayCheck, 'skipped by option'));
    results.push(skippedResult(sqlDriftCheck, skip.has(sqlDriftCheck.id) ? 'skipped by option' : noDrift));
    for (const check of catalogueChecks) results.push(skippedResult(check, 'skipped by option'));
  } else {
    log('check: replay…');
    results.push(
      ...(await replayAndInspect({ url: options.url, migrationsFolders: folders, skip, log, catalogue: catalogueOptions, source: driftSource, noSource: noDrift })),
    );
  }

  // 5. Safety lint of the last layer's migrations added since base (a pull request's target), else
  // since its last release; the layers below it are deployed, so with layers every file of the last
  // one is new when it has neither.
  const topBaseline = base ?? released;
  const lintBase = lowerFolders.length > 0 && layers ? layeredBaseline(layers.slice(0, -1), topBaseline) : topBaseline;
  await step(safetyCheck, async () =>
    migrations || !lintBase
      ? runCheck(safetyCheck, { migrations: migrations ?? [], ...(lintBase ? { base: lintBase } : {}) })
      : failedResult(safetyCheck, 'the migrations could not be read', parseError ?? 'unreadable'),
  );

  // 6. The trace of the same migrations, on request.
  const trace = options.trace === true ? {} : options.trace || undefined;
  await step(traceCheck, async () =>
    !trace
      ? skippedResult(traceCheck, 'not requested (--trace)')
      : migrations
        ? runCheck(traceCheck, {
            ...trace,
            migrations,
            folders,
            ...(lintBase ? { base: lintBase } : {}),
            open: () => openScratchDatabase({ ...(options.url ? { url: options.url } : {}), log }),
            log,
          })
        : failedResult(traceCheck, 'the migrations could not be read', parseError ?? 'unreadable'),
  );

  const count = (status: CheckResult['status']): number => results.filter((r) => r.status === status).length;
  const failed = count('failed');
  return {
    results,
    passed: count('passed'),
    failed,
    skipped: count('skipped'),
    ok: failed === 0,
    migrationsFolder,
    ...(folders.length > 1 ? { migrationsFolders: folders } : {}),
    ...(base ? { base: { ref: base.ref, commit: base.commit } } : {}),
    ...(manifest?.migrations.length ? { released: { release: manifest.migrations.at(-1)!.release, migrations: manifest.migrations.length } } : {}),
  };
}

/** A folder's release manifest; a malformed one is a usage error. */
function readManifest(folder: string): ReleaseManifest | undefined {
  try {
    return readReleaseManifest(folder);
  } catch (error) {
    if (error instanceof ReleaseManifestError) throw new CheckUsageError(error.message);
    throw error;
  }
}

/**
 * 3. and 4.: replays the migrations into a scratch database, compares it with the database the
 * TypeScript builds (`sql-drift`), then runs the catalogue checks on it (all skipped when the replay
 * fails). The scratch databases are closed (and dropped) in every case.
 */
async function replayAndInspect(options: {
  readonly url: string | undefined;
  readonly migrationsFolders: readonly string[];
  readonly skip: ReadonlySet<CheckId>;
  readonly log: Logger;
  readonly catalogue: Omit<CatalogueContext, 'sql'>;
  /** The TypeScript source for `sql-drift`; undefined: skipped with `noSource`. */
  readonly source: (() => Promise<DriftSource>) | undefined;
  readonly noSource: string;
}): Promise<CheckResult[]> {
  const noDatabase = 'the replay failed, so there is no database to inspect';
  const open = () => openScratchDatabase({ ...(options.url ? { url: options.url } : {}), log: options.log });
  let scratch: ScratchDatabase;
  try {
    scratch = await open();
  } catch (error) {
    return [
      failedResult(replayCheck, 'no database to replay on', (error as Error).message),
      ...[sqlDriftCheck, ...catalogueChecks].map((c) => skippedResult(c, noDatabase)),
    ];
  }
  try {
    // Reported even when skipped by option: the catalogue checks need it.
    const replay = await runCheck(replayCheck, { sql: scratch.sql, label: scratch.label, migrationsFolders: options.migrationsFolders, log: options.log });
    const results = [replay];
    if (options.skip.has(sqlDriftCheck.id)) results.push(skippedResult(sqlDriftCheck, 'skipped by option'));
    else if (replay.status !== 'passed') results.push(skippedResult(sqlDriftCheck, noDatabase));
    else if (!options.source) results.push(skippedResult(sqlDriftCheck, options.noSource));
    else {
      options.log(`check: ${sqlDriftCheck.id}…`);
      const context = { sql: scratch.sql, lowerLayers: options.migrationsFolders.slice(0, -1), openScratch: open, source: options.source, locate: options.catalogue.locate, log: options.log };
      results.push(await runCheck(sqlDriftCheck, context));
    }
    const context: CatalogueContext = { sql: scratch.sql, ...options.catalogue };
    for (const check of catalogueChecks) {
      if (options.skip.has(check.id)) results.push(skippedResult(check, 'skipped by option'));
      else if (replay.status !== 'passed') results.push(skippedResult(check, noDatabase));
      else {
        options.log(`check: ${check.id}…`);
        results.push(await runCheck(check, context));
      }
    }
    return results;
  } finally {
    await scratch.close();
  }
}
