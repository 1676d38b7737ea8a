import type { DdlObject } from './ddl';
import { assertUniqueKeys } from './ddl';
import { integrationObjects } from './integrations';
import { accessSetObjects, policyObjects } from './policies';
import { schemaObjects } from './schema';

/**
 * Every database object drizzle-kit cannot express, in dependency order: the schema's (extensions,
 * schemas, functions, triggers, exclusion constraints, comments) and the policies' (RLS helpers,
 * grants). `npm run db:generate` migrates exactly this list.
 */
export const databaseObjects: readonly DdlObject[] = [...schemaObjects, ...policyObjects, ...accessSetObjects, ...integrationObjects];
assertUniqueKeys(databaseObjects);
