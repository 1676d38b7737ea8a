import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readJournalTags, sha256Hex } from './journal';

/**
 * The release manifest, `releases.json` beside the migrations: every migration that has shipped in a
 * release, with the sha256 of its text and the release that first shipped it. It ships in the
 * package, so an installed copy knows what is frozen without git. From a release on, those files are
 * never edited (`therapy-db check`'s integrity) and every file after them is new (its safety lint).
 */
export interface ReleasedMigration {
  /** drizzle-kit's tag: the file name without `.sql`. */
  readonly tag: string;
  /** sha256 (hex) of the file's text, as `therapy_db.schema_migrations.hash` records it. */
  readonly sha256: string;
  /** The package version that first shipped it, e.g. `0.1.0`. */
  readonly release: string;
}

export interface ReleaseManifest {
  readonly format: 1;
  /** In journal order; always a prefix of the journal. */
  readonly migrations: readonly ReleasedMigration[];
}

export const RELEASE_MANIFEST = 'releases.json';

export class ReleaseManifestError extends Error {
  override readonly name = 'ReleaseManifestError';
}

/** The manifest of a migrations folder; undefined when nothing has been released from it. */
export function readReleaseManifest(folder: string): ReleaseManifest | undefined {
  const path = join(folder, RELEASE_MANIFEST);
  if (!existsSync(path)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ReleaseManifestError(`${path}: not valid JSON (${(error as Error).message})`);
  }
  const migrations = (parsed as { migrations?: unknown } | null)?.migrations;
  if ((parsed as { format?: unknown } | null)?.format !== 1 || !Array.isArray(migrations)) {
    throw new ReleaseManifestError(`${path}: expected {"format": 1, "migrations": [{ "tag", "sha256", "release" }, …]}`);
  }
  migrations.forEach((entry: unknown, index) => {
    const e = entry as Partial<ReleasedMigration> | null;
    if (typeof e?.tag !== 'string' || typeof e.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(e.sha256) || typeof e.release !== 'string') {
      throw new ReleaseManifestError(`${path}: migrations[${index}] needs a tag, a 64-hex-digit sha256 and a release`);
    }
  });
  return { format: 1, migrations: migrations as ReleasedMigration[] };
}

const SEMVER = /^(\d+)\.(\d+)\.(\d+)(?:-[0-9A-Za-z.-]+)?$/;

function compareVersions(a: string, b: string): number {
  const pa = SEMVER.exec(a)!.slice(1, 4).map(Number);
  const pb = SEMVER.exec(b)!.slice(1, 4).map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i]! - pb[i]!;
  return 0;
}

/**
 * Freezes every migration of the journal not yet released as release `version`: returns the new
 * manifest (and writes it unless `dryRun`). Refuses a version that is not newer than the last
 * release, a journal that no longer starts with the released migrations, a released file whose text
 * changed, and a release with nothing new in it.
 */
export function releaseMigrations(options: { readonly folder: string; readonly version: string; readonly dryRun?: boolean }): {
  readonly manifest: ReleaseManifest;
  readonly added: readonly ReleasedMigration[];
} {
  const { folder, version } = options;
  if (!SEMVER.test(version)) throw new ReleaseManifestError(`release version "${version}" is not a semantic version (e.g. 0.2.0)`);
  const tags = readJournalTags(folder);
  if (!tags) throw new ReleaseManifestError(`${folder} has no meta/_journal.json`);
  const current = readReleaseManifest(folder) ?? { format: 1 as const, migrations: [] };
  const last = current.migrations.at(-1)?.release;
  if (last !== undefined && compareVersions(version, last) <= 0) {
    throw new ReleaseManifestError(`release ${version} is not newer than the last release, ${last}`);
  }
  current.migrations.forEach((released, index) => {
    if (tags[index] !== released.tag) {
      throw new ReleaseManifestError(`the journal no longer starts with the released migrations: position ${index} is ${tags[index] ?? 'missing'}, released ${released.tag}`);
    }
    const now = sha256Hex(readFileSync(join(folder, `${released.tag}.sql`), 'utf8'));
    if (now !== released.sha256) throw new ReleaseManifestError(`${released.tag}.sql was edited after release ${released.release}`);
  });
  const added = tags.slice(current.migrations.length).map((tag) => ({
    tag,
    sha256: sha256Hex(readFileSync(join(folder, `${tag}.sql`), 'utf8')),
    release: version,
  }));
  if (added.length === 0) throw new ReleaseManifestError(`nothing to release: every migration in the journal was released (last: ${last})`);
  const manifest: ReleaseManifest = { format: 1, migrations: [...current.migrations, ...added] };
  if (!options.dryRun) writeFileSync(join(folder, RELEASE_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return { manifest, added };
}
