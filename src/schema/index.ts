import type { DdlObject } from '../ddl';
import { databaseFoundation } from './database';
import { schemaAreas } from './areas';
import { schemaDocs, tableDocumentation } from './docs';
import { schemaDocument } from './document';
import { schemaRules } from './rules';

export * from './tables';
export * from './codes';
export { allTables, qualifiedName } from './catalog';
export { schemaAreas, type SchemaArea } from './areas';
export { tableDocumentation } from './docs';
export { SCHEMA_DOCUMENT_PATH, schemaDocument } from './document';
export { auditedTables, checkTherapistAvailability, findConflicts } from './rules';

/** The schema's database objects drizzle-kit cannot express, in dependency order. */
export const schemaObjects: readonly DdlObject[] = [...databaseFoundation, ...schemaRules, ...schemaDocs];

/** docs/schema.md of this schema: the diagrams of every area with every table's documentation. */
export const schemaDocumentText = (): string => schemaDocument(schemaAreas, tableDocumentation);
