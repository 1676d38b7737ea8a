import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import { quoteIdent, statement, type DdlObject } from '../ddl';
import { POLICY_ROLES } from './dsl';

/**
 * No API role holds a privilege on a sequence. Supabase's default privileges grant `anon` and
 * `authenticated` USAGE, SELECT and UPDATE on every new sequence in `public`: `setval` as anon
 * would move `outbox_events_id_seq` under the outbox's feet. Identity columns need no privilege
 * on their sequence (Postgres does not check it for `generated … as identity`), so clients lose
 * nothing; `service_role` keeps Supabase's grant.
 */

/** `schema.sequence` of each identity column, as drizzle-kit names it (`<table>_<column>_seq`). */
export function identitySequences(tables: readonly PgTable[]): readonly string[] {
  const names: string[] = [];
  for (const table of tables) {
    const config = getTableConfig(table);
    for (const column of config.columns) {
      const identity = (column as { generatedIdentity?: { sequenceName?: string } }).generatedIdentity;
      if (identity === undefined) continue;
      names.push(`${config.schema ?? 'public'}.${identity.sequenceName ?? `${config.name}_${column.name}_seq`}`);
    }
  }
  return names.sort();
}

/** One revoke per identity sequence, re-applied (idempotent) when the list changes. */
export function sequenceGrants(tables: readonly PgTable[]): DdlObject[] {
  return identitySequences(tables).map((name) => {
    const [schema, sequence] = name.split('.') as [string, string];
    const qualified = `${quoteIdent(schema)}.${quoteIdent(sequence)}`;
    return statement({
      kind: 'grant',
      key: `grants on sequence ${name}`,
      phase: 'post',
      create: [`revoke all on sequence ${qualified} from ${POLICY_ROLES.join(', ')}`],
      // Nothing to restore: the platform's defaults are not re-granted.
      drop: [],
      onChange: 'replace',
    });
  });
}
