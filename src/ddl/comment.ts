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

/** A table's documentation as plain data: compiled to `COMMENT ON` (`documentTable`) and to docs/schema.md. */
export interface TableDocumentation {
  readonly table: PgTable;
  /** What the table holds and why it exists. */
  readonly summary: string;
  /** Column docs by SQL column name. */
  readonly columns: ReadonlyMap<string, string>;
}

/** Declares a table's documentation (`docs.columns` keyed by Drizzle property; a wrong key is a type error). */
export function tableDocs<T extends PgTable>(table: T, docs: TableDocs<T>): TableDocumentation {
  const config = getTableConfig(table);
  const plain = `${config.schema ?? 'public'}.${config.name}`;
  const byProperty = table as unknown as Record<string, { name: string } | undefined>;
  const columns = new Map<string, string>();
  for (const [property, text] of Object.entries(docs.columns ?? {})) {
    if (typeof text !== 'string') continue;
    const column = byProperty[property];
    if (!column || !config.columns.some((c) => c.name === column.name)) {
      throw new Error(`tableDocs(${plain}): no column ${property}`);
    }
    columns.set(column.name, text);
  }
  return Object.freeze({ table, summary: docs.table, columns });
}

/**
 * Documents a table and its columns. The text lands in SQL as `COMMENT ON`, so it shows in
 * Supabase Studio, psql `\d+` and generated API docs. Returns one object per comment so changing
 * one column's doc migrates only that comment.
 */
export function documentTable<T extends PgTable>(table: T, docs: TableDocs<T>): DdlObject[] {
  return commentObjects(tableDocs(table, docs));
}

/** The `COMMENT ON` objects of a table's documentation. */
export function commentObjects(documentation: TableDocumentation): DdlObject[] {
  const { table } = documentation;
  const config = getTableConfig(table);
  const qualified = tableName(table);
  const plain = `${config.schema ?? 'public'}.${config.name}`;
  const objects: DdlObject[] = [
    ddlObject({
      kind: 'comment',
      key: `comment on table ${plain}`,
      phase: 'post',
      create: [`comment on table ${qualified} is ${quoteLiteral(documentation.summary)}`],
      drop: [`comment on table ${qualified} is null`],
      onChange: 'replace',
    }),
  ];
  for (const [name, text] of documentation.columns) {
    const target = `${qualified}.${quoteIdent(name)}`;
    objects.push(
      ddlObject({
        kind: 'comment',
        key: `comment on column ${plain}.${name}`,
        phase: 'post',
        create: [`comment on column ${target} is ${quoteLiteral(text)}`],
        drop: [`comment on column ${target} is null`],
        onChange: 'replace',
      }),
    );
  }
  return objects;
}
