import type { DdlObject } from '../../ddl';

/** Database rules (exclusion constraints, trigger functions and triggers, query functions), per area. */
export const schemaRules: readonly DdlObject[] = [];
