import type { DdlObject } from '../ddl';
import { rlsHelpers } from './helpers';

/** The policies' database objects drizzle-kit cannot express: RLS helpers (prelude) and grants. */
export const policyObjects: readonly DdlObject[] = [...rlsHelpers];
