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
  const create = [
    `create ${definition.deferred ? 'constraint ' : ''}trigger ${name}`,
    `${definition.timing} ${definition.events.map(renderEvent).join(' or ')} on ${table}`,
    ...(definition.deferred ? ['deferrable initially deferred'] : []),
    `for each ${definition.forEach ?? 'row'}`,
    ...(definition.when ? [`when (${definition.when})`] : []),
    `execute function ${definition.function.qualifiedName}(${(definition.arguments ?? []).join(', ')})`,
  ].join('\n');
  return Object.freeze({
    ...ddlObject({
      kind: 'trigger',
      key: `trigger ${definition.name} on ${getTableConfig(definition.table).schema ?? 'public'}.${getTableConfig(definition.table).name}`,
      phase: 'post',
      create: [create],
      drop: [`drop trigger if exists ${name} on ${table}`],
      onChange: 'recreate',
    }),
    kind: 'trigger' as const,
    name: definition.name,
  });
}
