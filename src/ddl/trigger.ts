import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig } from 'drizzle-orm/pg-core';
import type { DbFunction } from './function';
import { ddlObject, type DdlObject } from './object';
import { columnName, quoteIdent, tableName } from './names';

export type TriggerEvent = 'insert' | 'update' | 'delete' | 'truncate' | { readonly updateOf: readonly PgColumn[] };

export interface TriggerDefinition<T extends PgTable> {
  /** Trigger name, unique per table, e.g. `therapy_sessions_status_transition`. */
  readonly name: string;
  readonly table: T;
  readonly timing: 'before' | 'after' | 'instead of';
  readonly events: readonly TriggerEvent[];
  readonly forEach?: 'row' | 'statement';
  readonly function: DbFunction;
  /** Optional `when (...)` condition, written against `old` and `new`. */
  readonly when?: string;
  /** A deferrable constraint trigger (runs at commit, sees rows written later in the transaction). */
  readonly deferred?: boolean;
  /** Arguments the function reads from `TG_ARGV`, as SQL string literals (`quoteLiteral`). */
  readonly arguments?: readonly string[];
  /**
   * Transition tables of an `after … for each statement` trigger: the rows before (`old`) and after
   * (`new`) the statement, under these names. Not allowed with `update of` column lists.
   */
  readonly referencing?: { readonly old?: string; readonly new?: string };
  /**
   * Fire in every `session_replication_role`, `replica` included (`enable always`): for triggers
   * that keep derived data, which a write with the ordinary triggers off must not leave stale.
   */
  readonly always?: boolean;
}

export interface DbTrigger extends DdlObject {
  readonly kind: 'trigger';
  readonly name: string;
}

function renderEvent(event: TriggerEvent): string {
  return typeof event === 'string' ? event : `update of ${event.updateOf.map(columnName).join(', ')}`;
}

/** Declares a trigger on a Drizzle table, executing a declared function. */
export function defineTrigger<T extends PgTable>(definition: TriggerDefinition<T>): DbTrigger {
  if (definition.function.definition.returns !== 'trigger') {
    throw new Error(`trigger ${definition.name}: function ${definition.function.signature} does not return trigger`);
  }
  const table = tableName(definition.table);
  const name = quoteIdent(definition.name);
  const referencing = definition.referencing;
  if (referencing && (definition.timing !== 'after' || definition.events.some((e) => typeof e !== 'string'))) {
    throw new Error(`trigger ${definition.name}: transition tables need an after trigger without column lists`);
  }
  const transitionTables = referencing
    ? [`referencing ${[...(referencing.old ? [`old table as ${quoteIdent(referencing.old)}`] : []), ...(referencing.new ? [`new table as ${quoteIdent(referencing.new)}`] : [])].join(' ')}`]
    : [];
  const create = [
    `create ${definition.deferred ? 'constraint ' : ''}trigger ${name}`,
    `${definition.timing} ${definition.events.map(renderEvent).join(' or ')} on ${table}`,
    ...(definition.deferred ? ['deferrable initially deferred'] : []),
    ...transitionTables,
    `for each ${definition.forEach ?? 'row'}`,
    ...(definition.when ? [`when (${definition.when})`] : []),
    `execute function ${definition.function.qualifiedName}(${(definition.arguments ?? []).join(', ')})`,
  ].join('\n');
  return Object.freeze({
    ...ddlObject({
      kind: 'trigger',
      key: `trigger ${definition.name} on ${getTableConfig(definition.table).schema ?? 'public'}.${getTableConfig(definition.table).name}`,
      phase: 'post',
      create: [create, ...(definition.always ? [`alter table ${table} enable always trigger ${name}`] : [])],
      drop: [`drop trigger if exists ${name} on ${table}`],
      onChange: 'recreate',
    }),
    kind: 'trigger' as const,
    name: definition.name,
  });
}
