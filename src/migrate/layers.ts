import { resolve } from 'node:path';
import { defaultMigrationsFolder } from '../paths';
import { migrationFolderFormat, readMigrations, type MigrationFile, type MigrationFolderFormat } from './journal';

/**
 * One migrations folder, or several applied in order: the layers of an app built on therapy-db
 * (the package's `drizzle/`, then the app's own folder, drizzle-kit or Supabase format).
 */
export type MigrationsFolders = string | readonly string[];

/** One layer's migrations, in the order they apply. */
export interface MigrationLayer {
  /** Absolute path. */
  readonly folder: string;
  readonly format: MigrationFolderFormat;
  readonly migrations: readonly MigrationFile[];
}

/** The layers cannot be applied together: a folder that is not a migrations folder, a tag two layers share. */
export class MigrationLayerError extends Error {
  override readonly name = 'MigrationLayerError';
}

/** The folders of a `migrationsFolder` option as absolute paths; the package's own `drizzle/` when none is given. */
export function migrationFolders(option: MigrationsFolders | undefined): string[] {
  const folders = option === undefined ? [defaultMigrationsFolder()] : typeof option === 'string' ? [option] : [...option];
  if (folders.length === 0) throw new MigrationLayerError('no migrations folder given');
  const absolute = folders.map((folder) => resolve(folder));
  const repeated = absolute.find((folder, index) => absolute.indexOf(folder) !== index);
  if (repeated) throw new MigrationLayerError(`${repeated} is given twice as a migrations folder`);
  return absolute;
}

/**
 * Reads every layer. The ledger (`therapy_db.schema_migrations`) records a migration by its tag, so a
 * tag may appear in one layer only: a repeated one is refused before anything is applied.
 */
export function readMigrationLayers(option: MigrationsFolders | undefined): MigrationLayer[] {
  const layers = migrationFolders(option).map((folder) => {
    const format = migrationFolderFormat(folder);
    if (!format) {
      throw new MigrationLayerError(
        `${folder} is not a migrations folder: no drizzle-kit journal (meta/_journal.json) and no Supabase migration (<version>_<name>.sql)`,
      );
    }
    return { folder, format, migrations: readMigrations(folder) };
  });
  const owner = new Map<string, string>();
  for (const layer of layers) {
    for (const { tag } of layer.migrations) {
      const first = owner.get(tag);
      if (first !== undefined) {
        throw new MigrationLayerError(
          `migration ${tag} is in ${first} and in ${layer.folder}: the ledger records migrations by tag, so give the later layer's migration another name`,
        );
      }
      owner.set(tag, layer.folder);
    }
  }
  return layers;
}
