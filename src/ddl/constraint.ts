import type { PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { ddlObject, type DdlObject } from './object';
import { quoteIdent, tableName } from './names';

export interface ExclusionDefinition {
  /** Constraint name, `<table>_<what>_excl`; it is what a 23P01 error names. */
  readonly name: string;
  readonly using?: 'gist';
  /**
   * The `element with operator` list, written with `columnName()` for columns so a renamed column
   * is a type error: `` `${columnName(t.therapistId)} with =, tstzrange(...) with &&` ``.
   */
  readonly elements: string;
  /** Partial constraint predicate. */
  readonly where?: string;
  readonly deferrable?: boolean;
  /**
   * Why building the constraint on a table that already holds rows may block its writes: PostgreSQL
   * builds an exclusion constraint's index under ACCESS EXCLUSIVE, with no concurrent alternative.
   * Written as the allow marker (`-- therapy-db: allow scan-under-lock (reason: …)`) the trace of
   * `therapy-db check --trace` reads; without it, adding the constraint to an existing table is a finding.
   */
  readonly lockedBuild?: string;
}

export interface DbConstraint extends DdlObject {
  readonly kind: 'constraint';
  readonly name: string;
}

/**
 * Declares an exclusion constraint (drizzle-orm's pg-core has no `exclude()`), e.g. no two active
 * sessions of one therapist overlap in time.
 */
export function exclusionConstraint(table: PgTable, definition: ExclusionDefinition): DbConstraint {
  const qualified = tableName(table);
  const name = quoteIdent(definition.name);
  const config = getTableConfig(table);
  const sql = [
    ...(definition.lockedBuild ? [`-- therapy-db: allow scan-under-lock (reason: ${definition.lockedBuild.replace(/[()\n]/g, ' ')})`] : []),
    `alter table ${qualified} add constraint ${name}`,
    `exclude using ${definition.using ?? 'gist'} (${definition.elements})`,
    ...(definition.where ? [`where (${definition.where})`] : []),
    ...(definition.deferrable ? ['deferrable initially immediate'] : []),
  ].join('\n');
  return Object.freeze({
    ...ddlObject({
      kind: 'constraint',
      key: `constraint ${definition.name} on ${config.schema ?? 'public'}.${config.name}`,
      phase: 'post',
      create: [sql],
      drop: [`alter table ${qualified} drop constraint if exists ${name}`],
      onChange: 'recreate',
    }),
    kind: 'constraint' as const,
    name: definition.name,
  });
}
