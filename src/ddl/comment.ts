import type { PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { ddlObject, type DdlObject } from './object';
import { quoteIdent, quoteLiteral, tableName } from './names';

export interface TableDocs<T extends PgTable> {
  /** What the table holds and why it exists. */
  readonly table: string;
  /** Column docs, keyed by the Drizzle property name (a wrong key is a type error). */
  readonly columns?: { readonly [K in keyof T['_']['columns']]?: string };
}

/**
 * Documents a table and its columns. The text lands in SQL as `COMMENT ON`, so it shows in
 * Supabase Studio, psql `\d+` and generated API docs. Returns one object per comment so changing
 * one column's doc migrates only that comment.
 */
export function documentTable<T extends PgTable>(table: T, docs: TableDocs<T>): DdlObject[] {
  const config = getTableConfig(table);
  const qualified = tableName(table);
  const plain = `${config.schema ?? 'public'}.${config.name}`;
  const objects: DdlObject[] = [
    ddlObject({
      kind: 'comment',
      key: `comment on table ${plain}`,
      phase: 'post',
      create: [`comment on table ${qualified} is ${quoteLiteral(docs.table)}`],
      drop: [`comment on table ${qualified} is null`],
      onChange: 'replace',
    }),
  ];
  const columns = table as unknown as Record<string, { name: string } | undefined>;
  for (const [property, text] of Object.entries(docs.columns ?? {})) {
    if (typeof text !== 'string') continue;
    const column = columns[property];
    if (!column || !config.columns.some((c) => c.name === column.name)) {
      throw new Error(`documentTable(${plain}): no column ${property}`);
    }
    const target = `${qualified}.${quoteIdent(column.name)}`;
    objects.push(
      ddlObject({
        kind: 'comment',
        key: `comment on column ${plain}.${column.name}`,
        phase: 'post',
        create: [`comment on column ${target} is ${quoteLiteral(text)}`],
        drop: [`comment on column ${target} is null`],
        onChange: 'replace',
      }),
    );
  }
  return objects;
}
