import type { DdlObject } from '../ddl';
import { databaseFoundation } from './database';
import { schemaDocs } from './docs';
import { schemaRules } from './rules';

export * from './tables';
export * from './codes';
export { allTables, qualifiedName } from './catalog';
export { auditedTables, checkTherapistAvailability, findConflicts } from './rules';

/** The schema's database objects drizzle-kit cannot express, in dependency order. */
export const schemaObjects: readonly DdlObject[] = [...databaseFoundation, ...schemaRules, ...schemaDocs];
