import { getTableConfig, type PgColumn, type PgTable } from 'drizzle-orm/pg-core';
import type { DbFunction, DdlObject, FunctionArgument, TableDocumentation } from '../ddl';

/**
 * The supabase-js `Database` type, compiled from the TypeScript schema instead of introspected from a
 * database: the shape `supabase gen types typescript` emits (Tables with Row / Insert / Update /
 * Relationships, Views, Functions, Enums, CompositeTypes, and the `Tables<…>` helpers), so
 * `createClient<Database>()` types every query. Narrower where the schema knows more than the
 * catalogue: a code-list column (`text` with a check constraint) is the union of its codes, not
 * `string`, and every table carries its documentation.
 */

export interface SupabaseTypesInput {
  /** The Drizzle tables; those of `schema` become `Tables`. */
  readonly tables: readonly PgTable[];
  /** The database objects; the functions of `schema` that an API role may execute become `Functions`. */
  readonly objects: readonly DdlObject[];
  readonly documentation?: readonly TableDocumentation[];
  /** The exposed schema; default `public`. */
  readonly schema?: string;
  /** Who to credit in the header, e.g. `npm run db:generate`. */
  readonly generatedBy: string;
}

/** The Postgres roles supabase-js requests run as: functions one of them may execute are RPCs. */
const API_ROLES = ['anon', 'authenticated', 'service_role'];

/** A Postgres type name (as written in DDL or by Drizzle) → the TypeScript type postgres-meta gives it. */
export function pgTypeToTs(sqlType: string): string {
  const type = sqlType.trim().toLowerCase();
  if (type.endsWith('[]')) return `${wrap(pgTypeToTs(type.slice(0, -2)))}[]`;
  const base = type.replace(/\(.*\)$/, '').trim();
  if (base === 'boolean' || base === 'bool') return 'boolean';
  if (/^(smallint|integer|int|int2|int4|int8|bigint|real|double precision|float4|float8|numeric|decimal|smallserial|serial|bigserial)$/.test(base)) return 'number';
  if (/^(text|uuid|date|citext|bytea|interval|char|character|bpchar|varchar|character varying|time|timetz|timestamp|timestamptz|time with(out)? time zone|timestamp with(out)? time zone)$/.test(base)) return 'string';
  if (base === 'json' || base === 'jsonb') return 'Json';
  // PostgREST sends ranges in their text form ('[2026-01-01,2026-06-30)'); postgres-meta says unknown.
  if (/^(daterange|tstzrange|tsrange|int4range|int8range|numrange)$/.test(base)) return 'string';
  if (base === 'void') return 'undefined';
  return 'unknown';
}

const wrap = (ts: string) => (/[ |]/.test(ts) ? `(${ts})` : ts);
const key = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name));
const union = (values: readonly string[]) => values.map((v) => JSON.stringify(v)).join(' | ');

/** The column's TypeScript type, without null: the code list's union when it has one. */
function columnType(column: PgColumn): string {
  const codes = column.enumValues as readonly string[] | undefined;
  const elementCodes = (column as unknown as { baseColumn?: PgColumn }).baseColumn?.enumValues as readonly string[] | undefined;
  if (codes && codes.length > 0) return union(codes);
  if (column.getSQLType().endsWith('[]') && elementCodes && elementCodes.length > 0) return `(${union(elementCodes)})[]`;
  return pgTypeToTs(column.getSQLType());
}

interface ColumnFacts {
  readonly name: string;
  readonly type: string;
  readonly nullable: boolean;
  /** Written by the database only (generated, or identity always): never in Insert / Update. */
  readonly readOnly: boolean;
  /** Insert may omit it: nullable, a default, an identity. */
  readonly optionalOnInsert: boolean;
}

function columnFacts(column: PgColumn): ColumnFacts {
  const identity = (column as unknown as { generatedIdentity?: { type: 'always' | 'byDefault' } }).generatedIdentity;
  const generated = (column as unknown as { generated?: unknown }).generated !== undefined;
  return {
    name: column.name,
    type: columnType(column),
    nullable: !column.notNull,
    readOnly: generated || identity?.type === 'always',
    optionalOnInsert: !column.notNull || column.hasDefault || identity !== undefined,
  };
}

const docComment = (text: string | undefined, indent: string) => (text ? `${indent}/** ${text.replace(/\*\//g, '*\\/')} */\n` : '');

function field(c: ColumnFacts, optional: boolean, indent: string): string {
  // \`Json\` includes null: a not-null JSON column is narrowed, as postgres-meta does.
  const type = c.nullable ? `${c.type} | null` : c.type === 'Json' ? 'NonNullable<Json>' : c.type;
  return `${indent}${key(c.name)}${optional ? '?' : ''}: ${type}`;
}

function renderTable(table: PgTable, docs: TableDocumentation | undefined, tablesInSchema: ReadonlySet<string>, schema: string): string {
  const config = getTableConfig(table);
  // Column documentation stays in the schema (and COMMENT ON); the type carries the table's, to stay small.
  const columns = [...config.columns].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map(columnFacts);
  const i = ' '.repeat(10);
  const row = columns.map((c) => field(c, false, i)).join('\n');
  const insert = columns.map((c) => (c.readOnly ? `${i}${key(c.name)}?: never` : field(c, c.optionalOnInsert, i))).join('\n');
  // A relationship is one-to-one when its columns are the table's primary key or a unique key.
  const uniqueSets = [
    ...config.primaryKeys.map((pk) => pk.columns.map((c) => c.name)),
    ...config.uniqueConstraints.map((u) => u.columns.map((c) => c.name)),
    ...config.columns.filter((c) => c.primary || c.isUnique).map((c) => [c.name]),
  ].map((names) => [...names].sort().join(','));
  const relationships = config.foreignKeys
    .map((fk) => {
      const ref = fk.reference();
      const target = getTableConfig(ref.foreignTable);
      return {
        name: fk.getName(),
        columns: ref.columns.map((c) => c.name),
        oneToOne: uniqueSets.includes(ref.columns.map((c) => c.name).sort().join(',')),
        schema: target.schema ?? 'public',
        relation: target.name,
        referencedColumns: ref.foreignColumns.map((c) => c.name),
      };
    })
    // PostgREST embeds only within the exposed schema (as postgres-meta lists them).
    .filter((r) => r.schema === schema && tablesInSchema.has(r.relation))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const rel = relationships
    .map(
      (r) => `          {
            foreignKeyName: ${JSON.stringify(r.name)}
            columns: ${JSON.stringify(r.columns)}
            isOneToOne: ${r.oneToOne}
            referencedRelation: ${JSON.stringify(r.relation)}
            referencedColumns: ${JSON.stringify(r.referencedColumns)}
          },`,
    )
    .join('\n');
  return `${docComment(docs?.summary, '      ')}      ${key(config.name)}: {
        Row: {
${row}
        }
        Insert: {
${insert}
        }
        Update: UpdateOf<Database[${JSON.stringify(schema)}]["Tables"][${JSON.stringify(config.name)}]["Insert"]>
        Relationships: [${rel ? `\n${rel}\n        ` : ''}]
      }`;
}

/** `table (kind text, id uuid)` → its columns; undefined for any other return type. */
function tableReturnColumns(returns: string): { name: string; type: string }[] | undefined {
  const match = /^table\s*\(([\s\S]*)\)$/i.exec(returns.trim());
  if (!match) return undefined;
  return match[1]!.split(',').map((part) => {
    const [name, ...type] = part.trim().split(/\s+/);
    return { name: name!, type: type.join(' ') };
  });
}

function renderFunction(fn: DbFunction): string {
  const { definition } = fn;
  const args = [...(definition.args ?? [])].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const argField = (a: FunctionArgument) => `${key(a.name)}${a.default !== undefined ? '?' : ''}: ${pgTypeToTs(a.type)}`;
  const argsType = args.length === 0 ? 'Record<PropertyKey, never>' : `{\n${args.map((a) => `          ${argField(a)}`).join('\n')}\n        }`;
  const table = tableReturnColumns(definition.returns);
  const setof = /^setof\s+(.+)$/i.exec(definition.returns.trim());
  let returns: string;
  if (table) {
    const cols = [...table].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    returns = `{\n${cols.map((c) => `          ${key(c.name)}: ${pgTypeToTs(c.type)}`).join('\n')}\n        }[]`;
  } else if (setof) {
    returns = `${wrap(pgTypeToTs(setof[1]!))}[]`;
  } else {
    returns = pgTypeToTs(definition.returns);
  }
  return `${docComment(definition.comment, '      ')}      ${key(definition.name)}: {
        Args: ${argsType}
        Returns: ${returns}
      }`;
}

const empty = '{\n      [_ in never]: never\n    }';

/** The TypeScript module text: `Json`, `Database` and the helper types. Deterministic. */
export function renderSupabaseTypes(input: SupabaseTypesInput): string {
  const schema = input.schema ?? 'public';
  const tables = input.tables
    .filter((t) => (getTableConfig(t).schema ?? 'public') === schema)
    .sort((a, b) => (getTableConfig(a).name < getTableConfig(b).name ? -1 : 1));
  const names = new Set(tables.map((t) => getTableConfig(t).name));
  const docs = new Map((input.documentation ?? []).map((d) => [d.table, d]));
  const functions = input.objects
    .filter((o): o is DbFunction => o.kind === 'function')
    .filter((f) => f.definition.schema === schema && f.definition.returns.trim().toLowerCase() !== 'trigger')
    .filter((f) => (f.definition.executableBy ?? []).some((role) => API_ROLES.includes(role)))
    .sort((a, b) => (a.definition.name < b.definition.name ? -1 : 1));
  return `/**
 * The supabase-js \`Database\` type of therapy-db's \`${schema}\` schema: \`createClient<Database>(url, key)\`.
 * Generated by \`${input.generatedBy}\` from the TypeScript schema (src/schema, src/ddl). Do not edit.
 *
 * The shape \`supabase gen types typescript\` emits; code-list columns are unions of their codes.
 */

export type Json = string | number | boolean | null | { [key: string]: Json | undefined } | Json[]

/** An update sets any column an insert may set, none required (written once, not per table). */
type UpdateOf<Insert> = { [K in keyof Insert]?: Insert[K] }

export type Database = {
  ${key(schema)}: {
    Tables: {
${tables.map((t) => renderTable(t, docs.get(t), names, schema)).join('\n')}
    }
    Views: ${empty}
    Functions: {
${functions.map(renderFunction).join('\n')}
    }
    Enums: ${empty}
    CompositeTypes: ${empty}
  }
}

type Schema = Database[${JSON.stringify(schema)}]

/** A table's row: \`Tables<'students'>\`. */
export type Tables<T extends keyof Schema['Tables']> = Schema['Tables'][T]['Row']
/** What an insert into the table takes: \`TablesInsert<'students'>\`. */
export type TablesInsert<T extends keyof Schema['Tables']> = Schema['Tables'][T]['Insert']
/** What an update of the table takes: \`TablesUpdate<'students'>\`. */
export type TablesUpdate<T extends keyof Schema['Tables']> = Schema['Tables'][T]['Update']
/** A Postgres enum of the schema (the code lists are check constraints, typed on their columns). */
export type Enums<T extends keyof Schema['Enums']> = Schema['Enums'][T]
/** A composite type of the schema. */
export type CompositeTypes<T extends keyof Schema['CompositeTypes']> = Schema['CompositeTypes'][T]
`;
}
