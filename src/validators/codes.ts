import * as z from 'zod';
import { fieldLabel, type IssueLike } from './label';

/**
 * A code list column (`CHECK (x in (...))`), from the same `as const` array the CHECK is built from
 * (`src/schema/codes.ts`), so a value is valid here exactly when the database accepts it.
 */
export function codeList<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, {
    error: (issue: IssueLike) =>
      issue.input === undefined || issue.input === null
        ? `${fieldLabel(issue.path)} is required`
        : `${fieldLabel(issue.path)} must be one of: ${values.join(', ')}`,
  });
}
