import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { EmbeddedPGlite } from '../db';
import { getTableColumns } from 'drizzle-orm';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import type postgres from 'postgres';
import { quoteIdent, tableName as qualifiedTableName } from '../ddl';

/**
 * Bulk loading with `COPY … FROM STDIN` (text format), the fastest way rows get into PostgreSQL.
 * Every row still goes through the table's constraints and triggers (exclusion constraints, foreign
 * keys, the participant consent check, audit): COPY skips only the SQL parser.
 *
 * Column names come from the Drizzle table definitions (the library's schema), and rows are typed as
 * the table's `$inferInsert`, so a renamed column breaks the generator at compile time.
 */

/** Where COPY data goes: a server over the wire protocol, or the embedded PGlite. */
export interface CopySink {
  copy(target: string, columns: readonly string[], data: string): Promise<void>;
}

/** COPY FROM STDIN through postgres.js (`sql\`copy … from stdin\`.writable()`), on `sql`'s connection. */
export function serverSink(sql: postgres.Sql | postgres.TransactionSql): CopySink {
  return {
    async copy(target, columns, data) {
      const writable = await sql.unsafe(`copy ${target} (${columns.map(quoteIdent).join(', ')}) from stdin`).writable();
      await pipeline(Readable.from(chunks(data, 1 << 20)), writable);
    },
  };
}

/**
 * PGlite's wire-protocol server does not implement the CopyIn sub-protocol, so COPY goes to the
 * PGlite instance directly (`from '/dev/blob'`). PGlite is a single session: the COPY runs inside
 * whatever transaction the postgres.js connection has open, exactly like a COPY FROM STDIN would.
 */
export function pgliteSink(pglite: EmbeddedPGlite): CopySink {
  return {
    async copy(target, columns, data) {
      await pglite.query(`copy ${target} (${columns.map(quoteIdent).join(', ')}) from '/dev/blob'`, [], {
        blob: new Blob([data]),
      });
    },
  };
}

function* chunks(text: string, size: number): Generator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

export function tableName(table: PgTable): string {
  const config = getTableConfig(table);
  return config.schema && config.schema !== 'public' ? `${config.schema}.${config.name}` : config.name;
}

// COPY text format: backslash, newline, carriage return and tab are escaped; NULL is \N.
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const NEEDS_ESCAPE = /[\\\n\r\t]/;
const ESCAPE_ALL = /[\\\n\r\t]/g;

function escapeText(value: string): string {
  return NEEDS_ESCAPE.test(value) ? value.replace(ESCAPE_ALL, (c) => ESCAPES[c]!) : value;
}

function arrayLiteral(values: readonly unknown[]): string {
  return `{${values
    .map((v) => (v === null || v === undefined ? 'NULL' : `"${String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`))
    .join(',')}}`;
}

/** One value in COPY text format. */
export function copyValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  switch (typeof value) {
    case 'string':
      return escapeText(value);
    case 'number':
    case 'bigint':
      return String(value);
    case 'boolean':
      return value ? 't' : 'f';
    default:
      if (value instanceof Date) return value.toISOString();
      if (Array.isArray(value)) return escapeText(arrayLiteral(value));
      return escapeText(JSON.stringify(value));
  }
}

/** Maps a table's TypeScript keys to its column names, refusing generated columns. */
function columnNames(table: PgTable, keys: readonly string[]): string[] {
  const columns = getTableColumns(table) as Record<string, { name: string; generated?: unknown; generatedIdentity?: unknown }>;
  return keys.map((key) => {
    const column = columns[key];
    if (!column) throw new Error(`${tableName(table)}: no column for key "${key}"`);
    if (column.generated || column.generatedIdentity) throw new Error(`${tableName(table)}.${column.name} is generated; do not write it`);
    return column.name;
  });
}

/**
 * Rows of one table as COPY text: the keys of the first row, in order, for every row. With
 * `present` (the table's columns in the target database), keys whose column the database does not
 * have are left out: an older schema (a release being upgraded from) lacks columns added since.
 */
export function encodeRows<T extends PgTable>(
  table: T,
  rows: readonly T['$inferInsert'][],
  present?: ReadonlySet<string>,
): { columns: string[]; data: string; omitted: string[] } {
  const first = rows[0] as Record<string, unknown> | undefined;
  if (!first) return { columns: [], data: '', omitted: [] };
  const all = Object.keys(first);
  const names = columnNames(table, all);
  const keep = all.map((_, k) => !present || present.has(names[k]!));
  const keys = all.filter((_, k) => keep[k]);
  const columns = names.filter((_, k) => keep[k]);
  const omitted = names.filter((_, k) => !keep[k]);
  const lines: string[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as Record<string, unknown>;
    let line = '';
    for (let k = 0; k < keys.length; k++) {
      if (k > 0) line += '\t';
      line += copyValue(row[keys[k]!]);
    }
    lines[i] = line;
  }
  return { columns, data: `${lines.join('\n')}\n`, omitted };
}

/** How many rows a COPY statement carries at most (bounds memory and the after-trigger queue). */
export const COPY_BATCH_ROWS = 25_000;

/**
 * Copies `rows` into `table` in batches; returns the row count and the columns left out because
 * the database lacks them (see `encodeRows`).
 */
export async function copyRows<T extends PgTable>(
  sink: CopySink,
  table: T,
  rows: readonly T['$inferInsert'][],
  present?: ReadonlySet<string>,
): Promise<{ rows: number; omitted: string[] }> {
  const target = qualifiedTableName(table);
  const omitted = new Set<string>();
  for (let i = 0; i < rows.length; i += COPY_BATCH_ROWS) {
    const encoded = encodeRows(table, rows.slice(i, i + COPY_BATCH_ROWS), present);
    for (const column of encoded.omitted) omitted.add(column);
    if (encoded.columns.length > 0) await sink.copy(target, encoded.columns, encoded.data);
  }
  return { rows: rows.length, omitted: [...omitted] };
}
