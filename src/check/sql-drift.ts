import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type postgres from 'postgres';
import type { Logger } from '../log';
import { migrate } from '../migrate';
import { isMissingModule, type DriftSource } from './drift';
import { compareInventories, readInventory, type InventoryDifference } from './inventory';
import { at, type Locator } from './locate';
import type { Check, Finding } from './model';
import type { ScratchDatabase } from './scratch-database';
import { writeSourceMigrations } from './source-migrations';

export interface SqlDriftContext {
  /** The database the migrations were replayed into. */
  readonly sql: postgres.Sql;
  /** The layers below the one the source describes (an app's: therapy-db's migrations), applied first. */
  readonly lowerLayers: readonly string[];
  /** Opens a second, empty database for what the TypeScript builds. */
  readonly openScratch: () => Promise<ScratchDatabase>;
  /** The TypeScript source; loading it may fail where drizzle-kit is not installed (the check is skipped). */
  readonly source: () => Promise<DriftSource>;
  readonly locate: Locator;
  readonly log: Logger;
}

const shorten = (text: string, max = 160): string => {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
};

/** A value for a message; for two multi-line values (function bodies), the first line where they differ. */
function sides(a: string, b: string): [string, string] {
  if (a.includes('\n') && b.includes('\n')) {
    const left = a.split('\n');
    const right = b.split('\n');
    const line = left.findIndex((l, i) => l !== right[i]);
    const n = line === -1 ? Math.min(left.length, right.length) : line;
    return [`line ${n + 1}: ${shorten(left[n] ?? '(end)')}`, `line ${n + 1}: ${shorten(right[n] ?? '(end)')}`];
  }
  return [a === '' ? '(none)' : shorten(a), b === '' ? '(none)' : shorten(b)];
}

/** `text not null default now()`: an object's attributes in a few words. */
const summary = (attributes: Readonly<Record<string, string>>): string =>
  shorten(
    Object.entries(attributes)
      .filter(([, v]) => v !== '')
      .map(([k, v]) => (k === 'definition' || k === 'type' || k === 'nullability' ? v : `${k} ${v}`))
      .join(', '),
  );

/** Where the migrations create the object (for `column public.t.c`: its table), when the locator knows. */
function locateDifference(locate: Locator, key: string): ReturnType<typeof at> {
  const [kind, ...rest] = key.split(' ');
  const name = rest.join(' ').replace(/"/g, '');
  if (kind === 'column') return at(locate(`table ${name.split('.').slice(0, 2).join('.')}`));
  if (kind === 'table' || kind === 'index' || kind === 'view') return at(locate(`${kind} ${name}`));
  return {};
}

function toFinding(difference: InventoryDifference, locate: Locator): Finding {
  const { key, left: migrations, right: source } = difference;
  const object = key.replace(/^(column|table|index|view|sequence|constraint|policy|function|trigger|type|schema|extension|publication|materialized view) /, '');
  const fix =
    'a migration must build what the TypeScript declares: if a migration was edited by hand, restore it from git and add the change as a new one (`npm run db:generate -- --name <change>`); if the source changed, generate the migration it needs';
  let message: string;
  if (!migrations) message = `${key}: the TypeScript declares it (${summary(source!)}); the migrations do not create it`;
  else if (!source) message = `${key}: the migrations create it (${summary(migrations)}); the TypeScript does not declare it`;
  else {
    message = `${key}: ${difference.attributes
      .map((name) => {
        const [m, s] = sides(migrations[name] ?? '', source[name] ?? '');
        return `${name} in the migrations: ${m}; in the TypeScript: ${s}`;
      })
      .join(' — ')}`;
  }
  return { message, object, fix, ...locateDifference(locate, key) };
}

/**
 * Drift against the SQL: the migrations replayed build the same database as the TypeScript source
 * generated from scratch (on top of the lower layers, for an app), object by object (tables, columns, constraints, indexes, policies,
 * grants, functions, triggers, types, publications, comments). A migration edited by hand, a
 * snapshot out of step with its SQL, or a migration that does more than the source says all show
 * up here, each naming the object and both sides.
 */
export const sqlDriftCheck: Check<SqlDriftContext> = {
  id: 'sql-drift',
  title: 'the migrations build the database the TypeScript declares',
  async run({ sql, lowerLayers, openScratch, source, locate, log }) {
    let declared: DriftSource;
    const folder = mkdtempSync(join(tmpdir(), 'therapy-db-source-'));
    try {
      try {
        declared = await source();
        log('sql-drift: generating the TypeScript source from an empty snapshot…');
        await writeSourceMigrations(declared, folder);
      } catch (error) {
        if (isMissingModule(error, 'drizzle-kit')) {
          return { skipped: 'drizzle-kit is not installed (a development dependency of therapy-db): drift against the SQL is for the repository that owns the source' };
        }
        throw error;
      }
      const scratch = await openScratch();
      let built;
      try {
        log(`sql-drift: building it in ${scratch.label}…`);
        await migrate({ client: scratch.sql, migrationsFolder: [...lowerLayers, folder], log: () => {} });
        built = await readInventory(scratch.sql);
      } finally {
        await scratch.close();
      }
      const replayed = await readInventory(sql);
      const differences = compareInventories(replayed, built);
      return {
        findings: differences.map((d) => toFinding(d, locate)),
        checked: `${replayed.size} objects of the replayed migrations against the TypeScript built from scratch`,
      };
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  },
};
