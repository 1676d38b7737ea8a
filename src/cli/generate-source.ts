import { join } from 'node:path';
import type { Logger } from '../log';
import { databaseObjects } from '../objects';
import { packageRoot } from '../paths';
import { writeSupabaseTypes, writeValidatorColumns } from '../typegen';
import { generateMigrations as generate } from '../generate/app';

/** `therapy-db generate` / `npm run db:generate` in this repository. */
export async function generateFromSource(options: { name: string; log: Logger }): Promise<void> {
  const root = packageRoot();
  process.chdir(root);
  const imports = { ...(await import('../schema')), ...(await import('../policies')) };
  await generate({
    imports,
    migrationsFolder: join(root, 'drizzle'),
    objects: databaseObjects,
    name: options.name,
    drizzleConfig: join(root, 'drizzle.config.ts'),
    log: options.log,
  });
  // The supabase-js types follow the same source; written only when they changed.
  writeSupabaseTypes(root, options.log);
  // So do the tables as the validators read them (one table's schemas bundle without the others).
  writeValidatorColumns(root, options.log);
}
