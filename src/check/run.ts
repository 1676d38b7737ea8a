import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { silentLogger, type Logger } from '../log';
import { readReleaseManifest, ReleaseManifestError } from '../migrate';
import { defaultMigrationsFolder } from '../paths';
import { catalogueChecks, DEFAULT_API_ROLES, DEFAULT_EXPOSED_SCHEMAS, DEFAULT_PLATFORM_SCHEMAS, type CatalogueContext } from './catalogue';
import { driftCheck, packageDriftSource, type DriftSource } from './drift';
import { releasedBaseline, type Baseline } from './baseline';
import { readBaseMigrations } from './git';
import { integrityCheck } from './integrity';
import { buildLocator, noLocator, type Locator } from './locate';
import { readParsedMigrations, type ParsedMigration } from './migrations';
import { CheckUsageError, failedResult, runCheck, skippedResult, type CheckId, type CheckResult } from './model';
import { replayCheck } from './replay';
import { safetyCheck } from './safety';
import { openScratchDatabase, type ScratchDatabase } from './scratch-database';

export interface CheckOptions {
  /** The drizzle-kit migrations folder; default: the migrations shipped with therapy-db (`drizzle/`). */
  readonly migrationsFolder?: string;
  /**
   * A git ref (`origin/main` for a pull request): integrity compares the migrations committed there,
   * safety lints the ones added since. Without it, the release manifest (`releases.json` beside the
   * migrations) is the baseline; with neither, integrity checks the journal only and safety is skipped.
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
  readonly migrationsFolder: string;
  readonly base?: { readonly ref: string; readonly commit: string };
  /** The release manifest's last release and how many migrations it froze, when there is one. */
  readonly released?: { readonly release: string; readonly migrations: number };
}

/**
 * The CI migration checks: drift, integrity, replay, the catalogue checks on the replayed
 * database, and the safety lint of new migrations. Never throws for a failing check (see
 * `CheckReport`); throws `CheckUsageError` for a bad `base` or migrations folder.
 */
export async function runChecks(options: CheckOptions = {}): Promise<CheckReport> {
  const log = options.log ?? silentLogger;
  const packageFolder = resolve(defaultMigrationsFolder());
  const migrationsFolder = resolve(options.migrationsFolder ?? packageFolder);
  if (!existsSync(join(migrationsFolder, 'meta', '_journal.json'))) {
    throw new CheckUsageError(`${migrationsFolder} is not a drizzle-kit migrations folder (no meta/_journal.json)`);
  }
  const base = options.base === undefined ? undefined : readBaseMigrations(migrationsFolder, options.base);
  let manifest;
  try {
    manifest = readReleaseManifest(migrationsFolder);
  } catch (error) {
    if (error instanceof ReleaseManifestError) throw new CheckUsageError(error.message);
    throw error;
  }
  const released: Baseline | undefined = manifest ? releasedBaseline(manifest) : undefined;
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

  // 1. Drift.
  const drift = options.drift ?? migrationsFolder === packageFolder;
  const noDrift =
    options.drift === false
      ? 'not requested (drift: false)'
      : "the migrations folder is not therapy-db's own: pass drift: { imports, objects } to compare it with a source";
  await step(driftCheck, async () =>
    drift === false ? skippedResult(driftCheck, noDrift) : runCheck(driftCheck, { migrationsFolder, source: drift === true ? packageDriftSource : async () => drift }),
  );

  // 2. Integrity.
  await step(integrityCheck, () => runCheck(integrityCheck, { migrationsFolder, ...(base ? { base } : {}), ...(released ? { released } : {}) }));

  // Parsed once for the locator and the safety lint; a file that cannot be read fails both.
  let migrations: ParsedMigration[] | undefined;
  let parseError: string | undefined;
  try {
    migrations = readParsedMigrations(migrationsFolder);
  } catch (error) {
    parseError = (error as Error).message;
  }
  const locate: Locator = migrations ? buildLocator(migrations) : noLocator;

  // 3. Replay, then 4. the catalogue checks on the replayed database.
  const catalogueOptions = {
    exposedSchemas: options.exposedSchemas ?? DEFAULT_EXPOSED_SCHEMAS,
    apiRoles: options.apiRoles ?? DEFAULT_API_ROLES,
    platformSchemas: options.platformSchemas ?? DEFAULT_PLATFORM_SCHEMAS,
    locate,
  };
  const wantsDatabase = !skip.has('replay') || catalogueChecks.some((c) => !skip.has(c.id));
  if (!wantsDatabase) {
    results.push(skippedResult(replayCheck, 'skipped by option'));
    for (const check of catalogueChecks) results.push(skippedResult(check, 'skipped by option'));
  } else {
    log('check: replay…');
    results.push(...(await replayAndInspect({ url: options.url, migrationsFolder, skip, log, catalogue: catalogueOptions })));
  }

  // 5. Safety lint of the migrations added since base (a pull request's target), else since the last release.
  const lintBase = base ?? released;
  await step(safetyCheck, async () =>
    migrations || !lintBase
      ? runCheck(safetyCheck, { migrations: migrations ?? [], ...(lintBase ? { base: lintBase } : {}) })
      : failedResult(safetyCheck, 'the migrations could not be read', parseError ?? 'unreadable'),
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
    ...(base ? { base: { ref: base.ref, commit: base.commit } } : {}),
    ...(manifest?.migrations.length ? { released: { release: manifest.migrations.at(-1)!.release, migrations: manifest.migrations.length } } : {}),
  };
}

/**
 * 3. and 4.: replays the migrations into a scratch database, then runs the catalogue checks on it
 * (skipped when the replay fails). The scratch database is closed (and dropped) in every case.
 */
async function replayAndInspect(options: {
  readonly url: string | undefined;
  readonly migrationsFolder: string;
  readonly skip: ReadonlySet<CheckId>;
  readonly log: Logger;
  readonly catalogue: Omit<CatalogueContext, 'sql'>;
}): Promise<CheckResult[]> {
  const noDatabase = 'the replay failed, so there is no database to inspect';
  let scratch: ScratchDatabase;
  try {
    scratch = await openScratchDatabase({ ...(options.url ? { url: options.url } : {}), log: options.log });
  } catch (error) {
    return [failedResult(replayCheck, 'no database to replay on', (error as Error).message), ...catalogueChecks.map((c) => skippedResult(c, noDatabase))];
  }
  try {
    // Reported even when skipped by option: the catalogue checks need it.
    const replay = await runCheck(replayCheck, { sql: scratch.sql, label: scratch.label, migrationsFolder: options.migrationsFolder, log: options.log });
    const results = [replay];
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
