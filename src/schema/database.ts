import { extension, schema, type DdlObject } from '../ddl';

/**
 * What the tables stand on: extensions live in `extensions` (as on Supabase), private helpers in
 * `app`, which the Supabase API does not expose. The `audit` schema is created by drizzle-kit
 * with its table.
 */
export const databaseFoundation: readonly DdlObject[] = [
  extension('btree_gist'),
  extension('pgcrypto'),
  schema('app', {
    comment: 'Private helpers: RLS helper functions, trigger functions. Not exposed through the API.',
    usage: ['authenticated', 'service_role'],
  }),
];
