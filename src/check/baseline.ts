import type { ReleaseManifest } from '../migrate';
import type { ParsedMigration } from './migrations';

/**
 * The migrations production already has: every file in it is frozen (integrity) and every file
 * after it is new (the safety lint). Either a git ref (`--base`, for a pull request) or the release
 * manifest shipped beside the migrations (`releases.json`).
 */
export interface Baseline {
  /** How the report names it: `main (0123456789ab)`, `release 0.1.0`. */
  readonly label: string;
  /** What happened to its files, for messages: `committed at main (0123456789ab)`, `released in 0.1.0`. */
  readonly frozen: string;
  /** The journal's tags there, in order. */
  readonly tags: readonly string[];
  /** sha256 (hex) of each SQL file there, by file name (`0003_x.sql`). */
  readonly hashes: ReadonlyMap<string, string>;
  /** The text of each SQL file there, when known (git): for the first changed line. */
  readonly texts?: ReadonlyMap<string, string>;
  /** How to restore an edited or removed file. */
  readonly restore: (fileName: string) => string;
}

/** The release manifest of `folder` as a baseline. */
export function releasedBaseline(manifest: ReleaseManifest): Baseline {
  const last = manifest.migrations.at(-1)?.release ?? 'none';
  return {
    label: `release ${last}`,
    frozen: `released (releases.json, last release ${last})`,
    tags: manifest.migrations.map((m) => m.tag),
    hashes: new Map(manifest.migrations.map((m) => [`${m.tag}.sql`, m.sha256])),
    restore: (name) => {
      const entry = manifest.migrations.find((m) => `${m.tag}.sql` === name);
      return `restore ${name} as released in ${entry?.release ?? last} (sha256 ${entry?.sha256.slice(0, 12) ?? '?'}…, e.g. from git history or the published package's drizzle/) and put the change in a new migration (\`npm run db:generate -- --name <change>\`)`;
    },
  };
}

/**
 * The baseline of the last of several migration layers for the safety lint: every migration of the
 * layers below counts as deployed, then the last layer's own baseline (`--base` or its release
 * manifest) when it has one; without it, each of its files is new.
 */
export function layeredBaseline(lower: readonly (readonly ParsedMigration[])[], top: Baseline | undefined): Baseline {
  const below = lower.flat();
  const layers = `${below.length} migration(s) of the ${lower.length} layer(s) below`;
  return {
    label: top ? `${top.label}, after the ${layers}` : `the ${layers}`,
    frozen: top ? top.frozen : `deployed (${layers})`,
    tags: [...below.map((m) => m.tag), ...(top?.tags ?? [])],
    hashes: new Map([...below.map((m): [string, string] => [`${m.tag}.sql`, m.hash]), ...(top?.hashes ?? [])]),
    ...(top?.texts ? { texts: top.texts } : {}),
    restore: top ? top.restore : (name) => `restore ${name} as deployed`,
  };
}

/** A migration the baseline does not have: the safety lint and the trace judge it. */
export function isNewMigration(base: Baseline, tag: string): boolean {
  return !base.hashes.has(`${tag}.sql`) && !base.tags.includes(tag);
}
