import { ddlObject, type DdlObject, type DdlPhase } from './object';
import { quoteIdent } from './names';

/** `create extension if not exists <name> with schema <schema>`. */
export function extension(name: string, schema = 'extensions'): DdlObject {
  return ddlObject({
    kind: 'extension',
    key: `extension ${name}`,
    phase: 'pre',
    create: [`create extension if not exists ${quoteIdent(name)} with schema ${quoteIdent(schema)}`],
    drop: [`drop extension if exists ${quoteIdent(name)}`],
    onChange: 'recreate',
  });
}

/** A schema the drizzle tables do not create (e.g. `app` for private helpers). */
export function schema(name: string, options: { comment?: string; usage?: readonly string[] } = {}): DdlObject {
  return ddlObject({
    kind: 'schema',
    key: `schema ${name}`,
    phase: 'pre',
    create: [
      `create schema if not exists ${quoteIdent(name)}`,
      `revoke all on schema ${quoteIdent(name)} from public`,
      ...(options.usage?.length ? [`grant usage on schema ${quoteIdent(name)} to ${options.usage.map(quoteIdent).join(', ')}`] : []),
      ...(options.comment ? [`comment on schema ${quoteIdent(name)} is $comment$${options.comment}$comment$`] : []),
    ],
    drop: [`drop schema if exists ${quoteIdent(name)}`],
    onChange: 'replace',
  });
}

export interface StatementDefinition {
  readonly kind?: 'grant' | 'publication' | 'statement';
  readonly key: string;
  readonly phase?: DdlPhase;
  readonly create: readonly string[];
  readonly drop: readonly string[];
  readonly onChange?: 'replace' | 'recreate';
}

/** Any other DDL, declared with both directions so that removing it migrates too. */
export function statement(definition: StatementDefinition): DdlObject {
  return ddlObject({
    kind: definition.kind ?? 'statement',
    key: definition.key,
    phase: definition.phase ?? 'post',
    create: definition.create,
    drop: definition.drop,
    onChange: definition.onChange ?? 'recreate',
  });
}
