import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../log';
import { databaseObjects } from '../objects';
import { allTables, tableDocumentation } from '../schema';
import { renderSupabaseTypes } from './supabase-types';

/** Where the package's supabase-js types live (committed; exported as `therapy-db/supabase`). */
export const SUPABASE_TYPES_PATH = join('src', 'supabase', 'database.ts');

/** This package's `Database` type as text, from its tables, objects and documentation. */
export const supabaseTypesText = (): string =>
  renderSupabaseTypes({ tables: allTables, objects: databaseObjects, documentation: tableDocumentation, generatedBy: 'npm run db:generate' });

/** Writes `src/supabase/database.ts` under `root` when it differs; returns whether it did. */
export function writeSupabaseTypes(root: string, log: Logger): boolean {
  const path = join(root, SUPABASE_TYPES_PATH);
  const text = supabaseTypesText();
  if (existsSync(path) && readFileSync(path, 'utf8') === text) return false;
  writeFileSync(path, text);
  log(`wrote ${SUPABASE_TYPES_PATH} (the supabase-js Database type)`);
  return true;
}
