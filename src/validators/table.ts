import type { Column } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import * as z from 'zod';
import { describedColumnSchema, type ColumnSchema } from './columns';
import { describeTable } from './describe';
import type { DescribedColumn, DescribedTable } from './described';
import { columnName } from './label';
import type { RowRule } from './rules';

/**
 * One table's insert, update and select schemas, built from the table's description (./described):
 * every column gets the schema of its PostgreSQL type (./columns), the table's single-column CHECKs
 * are added per column, and the multi-column rules (./rules) run on the whole row.
 *
 * `tableSchemas` builds them from a description alone (the package's tables, described at generate
 * time, so one table's schemas bundle without the Drizzle tables); `defineTable` from a Drizzle
 * table (an app's own tables), adding the table itself.
 *
 * - **insert**: what a client may send to create a row. Columns the server sets are refused with a
 *   message saying so; columns with a default or NULL allowed may be omitted; a key that is no
 *   column (`locaton`, snake_case `cancellation_note`) is refused, never dropped.
 * - **update**: a patch. Every column is optional; a rule runs when the patch carries every column
 *   it reads (the database checks the merged row). Unknown keys are refused, as on insert.
 * - **select**: a row as the database returns it (Drizzle's types; timestamps up to microseconds).
 *   Other keys are dropped: a select with embedded resources or computed columns carries more.
 */

type Columns<T extends PgTable> = T['_']['columns'];
export type ColumnKey<T extends PgTable> = Extract<keyof Columns<T>, string>;
type Col<T extends PgTable, K extends ColumnKey<T>> = Columns<T>[K] extends infer C extends Column ? C : never;

type IsGenerated<C extends Column> = C['_']['identity'] extends 'always'
  ? true
  : C['_']['generated'] extends { type: 'byDefault' } | undefined
    ? false
    : true;
/** Columns a write may name: all but `generated always` ones. */
export type WritableKey<T extends PgTable> = { [K in ColumnKey<T>]: IsGenerated<Col<T, K>> extends true ? never : K }[ColumnKey<T>];

type ForInsert<C extends Column, S extends z.ZodType> = C['_']['notNull'] extends true
  ? C['_']['hasDefault'] extends true
    ? z.ZodOptional<S>
    : S
  : z.ZodOptional<z.ZodNullable<S>>;
type ForUpdate<C extends Column, S extends z.ZodType> = C['_']['notNull'] extends true ? z.ZodOptional<S> : z.ZodOptional<z.ZodNullable<S>>;
type ForSelect<C extends Column, S extends z.ZodType> = C['_']['notNull'] extends true ? S : z.ZodNullable<S>;

/** A column a client may not write: absent or `undefined` only. */
export type RefusedField = z.ZodOptional<z.ZodNever>;

export type InsertShape<T extends PgTable, S extends string, R extends Partial<Record<string, z.ZodType>>> = {
  [K in WritableKey<T>]: K extends S ? RefusedField : K extends keyof R ? Exclude<R[K], undefined> : ForInsert<Col<T, K>, ColumnSchema<Col<T, K>>>;
};
export type UpdateShape<T extends PgTable, S extends string> = {
  [K in WritableKey<T>]: K extends S ? RefusedField : ForUpdate<Col<T, K>, ColumnSchema<Col<T, K>>>;
};
export type SelectShape<T extends PgTable> = { [K in ColumnKey<T>]: ForSelect<Col<T, K>, ColumnSchema<Col<T, K>>> };
/** A row as the row rules see it: the database's values (what the select schema outputs). */
export type RuleRow<T extends PgTable> = z.output<z.ZodObject<SelectShape<T>>>;

export interface TableSpec<T extends PgTable, S extends WritableKey<T>, R extends Partial<Record<WritableKey<T>, z.ZodType>>, F extends WritableKey<T>> {
  /** Columns the server sets (ids, timestamps, signature stamps, …): refused as input. */
  readonly server: readonly S[];
  /** The table's single-column CHECKs, as checks added to the column's type schema. */
  readonly columns?: { readonly [K in WritableKey<T>]?: (schema: ColumnSchema<Col<T, K>>) => ColumnSchema<Col<T, K>> };
  /** Insert-only replacements, used as given (e.g. notes are inserted as drafts). */
  readonly insert?: R;
  /** Columns an update may not change, with the reason (e.g. consents are append-only). */
  readonly frozen?: { readonly columns: readonly F[]; readonly because: string };
  /** Rules over several columns. */
  readonly rules?: readonly RowRule<WritableKey<T>, RuleRow<T>>[];
}

/** A table's schemas, fields and rules: everything `TableValidators` has but the Drizzle table. */
export interface TableSchemas<T extends PgTable, S extends string, R extends Partial<Record<string, z.ZodType>>, F extends string> {
  /** `public.therapy_sessions`. */
  readonly name: string;
  readonly insert: z.ZodObject<InsertShape<T, S, R>, z.core.$strict>;
  readonly update: z.ZodObject<UpdateShape<T, S | F>, z.core.$strict>;
  readonly select: z.ZodObject<SelectShape<T>, z.core.$strip>;
  /**
   * The insert and update objects without the row rules. Zod refuses `.pick()`, `.omit()` and
   * `.partial()` on an object that has refinements, so compose from these and add the rules back
   * with `withRules`.
   */
  readonly insertFields: z.ZodObject<InsertShape<T, S, R>, z.core.$strict>;
  readonly updateFields: z.ZodObject<UpdateShape<T, S | F>, z.core.$strict>;
  /**
   * Adds the table's row rules to a schema composed from its fields. Each rule runs when the parsed
   * value carries every field it reads (as in an update): a form that leaves a field to the server
   * leaves that rule to the database.
   */
  withRules<O extends z.ZodObject>(schema: O): O;
  /** The keys the server sets (refused on insert and update). */
  readonly serverColumns: readonly S[];
  readonly rules: readonly RowRule[];
}

export interface TableValidators<T extends PgTable, S extends string, R extends Partial<Record<string, z.ZodType>>, F extends string>
  extends TableSchemas<T, S, R, F> {
  /** The Drizzle table. */
  readonly table: T;
}

/**
 * Writes refuse keys that are no column, so a misspelt field (`locaton`) or a column name where the
 * property name belongs (`cancellation_note` for `cancellationNote`) is an error, not data silently
 * lost. The message names the keys and, for a column name, the key to use.
 */
function strict<O extends z.ZodObject>(object: O, table: string): z.ZodObject<O['shape'], z.core.$strict> {
  const byColumn = new Map(Object.keys(object.shape).map((key) => [columnName(key), key]));
  return z.strictObject(object.shape as O['shape'], {
    error: (issue) => {
      if (issue.code !== 'unrecognized_keys') return undefined;
      const hints = issue.keys.flatMap((key) => {
        const property = byColumn.get(key);
        return property && property !== key ? [`${property} for ${key}`] : [];
      });
      const list = issue.keys.join(', ');
      return `${issue.keys.length === 1 ? `${list} is not a column` : `${list} are not columns`} of ${table}${hints.length ? ` (write ${hints.join(', ')})` : ''}`;
    },
  });
}

function refused(message: string): RefusedField {
  return z.never({ error: message }).optional();
}

type Mode = 'insert' | 'update';

/**
 * `rules` as Zod checks. A key absent from the parsed row holds its insert default on insert (when
 * knowable) and is unknown on update; a rule with an unknown key is left to the database.
 */
function applyRules(rules: readonly RowRule[], mode: Mode, columns: DescribedTable['columns']) {
  return rules.map((r) =>
    z.superRefine<Record<string, unknown>>(
      (row, ctx) => {
        const values: Record<string, unknown> = {};
        for (const key of r.reads) {
          const column = columns[key];
          if (row[key] !== undefined) values[key] = row[key];
          else {
            const fallback = mode === 'insert' ? column?.insertDefault : undefined;
            if (!fallback) return; // unknown: the database decides
            values[key] = fallback.value;
          }
        }
        for (const issue of r.check(values)) {
          ctx.addIssue({ code: 'custom', path: [issue.path], message: issue.message, input: row[issue.path], params: { constraint: r.constraint } });
        }
      },
      // Only on an object whose fields the rule reads all parsed cleanly: one message per mistake
      // (and none at all, nor a throw, when the input is not an object).
      {
        when: (payload) =>
          typeof payload.value === 'object' &&
          payload.value !== null &&
          !payload.issues.some((issue) => typeof issue.path?.[0] === 'string' && r.reads.includes(issue.path[0])),
      },
    ),
  );
}

/** Builds a Drizzle table's validators (an app's own table); see the module comment. */
export function defineTable<
  T extends PgTable,
  const S extends WritableKey<T>,
  const R extends Partial<Record<WritableKey<T>, z.ZodType>> = Record<never, never>,
  const F extends WritableKey<T> = never,
>(table: T, spec: TableSpec<T, S, R, F>): TableValidators<T, S, R, F> {
  return withTable(table, tableSchemas(describeTable(table), spec));
}

/** A table's schemas with the Drizzle table they were built for. */
export function withTable<T extends PgTable, S extends string, R extends Partial<Record<string, z.ZodType>>, F extends string>(
  table: T,
  schemas: TableSchemas<T, S, R, F>,
): TableValidators<T, S, R, F> {
  return { table, ...schemas };
}

/** Builds a table's schemas from its description; see the module comment. */
export function tableSchemas<
  T extends PgTable,
  const S extends WritableKey<T>,
  const R extends Partial<Record<WritableKey<T>, z.ZodType>> = Record<never, never>,
  const F extends WritableKey<T> = never,
>(described: DescribedTable<T>, spec: TableSpec<T, S, R, F>): TableSchemas<T, S, R, F> {
  const { name, columns } = described;
  const overrides = (spec.columns ?? {}) as Record<string, ((schema: z.ZodType) => z.ZodType) | undefined>;
  const replacements = (spec.insert ?? {}) as Record<string, z.ZodType | undefined>;
  const server = new Set<string>(spec.server);
  const frozen = new Set<string>(spec.frozen?.columns ?? []);
  const rules = (spec.rules ?? []) as unknown as readonly RowRule[];

  for (const key of [...server, ...frozen, ...Object.keys(overrides), ...Object.keys(replacements), ...rules.flatMap((r) => r.reads)]) {
    if (!(key in columns)) throw new Error(`defineTable(${name}): no column ${key}`);
  }

  const insertShape: Record<string, z.ZodType> = {};
  const updateShape: Record<string, z.ZodType> = {};
  const selectShape: Record<string, z.ZodType> = {};
  for (const [key, c] of Object.entries(columns) as [string, DescribedColumn][]) {
    const base = describedColumnSchema(c, 'microseconds');
    selectShape[key] = c.notNull ? base : base.nullable();
    // `generated always` columns are read, never written: they are no key of a write.
    if (c.generated) continue;
    if (server.has(key)) {
      insertShape[key] = updateShape[key] = refused(`${c.name} is set by the server`);
      continue;
    }
    const override = overrides[key];
    const typed = describedColumnSchema(c);
    const checked = override ? override(typed) : typed;
    const replacement = replacements[key];
    insertShape[key] = replacement ?? (c.notNull ? (c.hasDefault ? checked.optional() : checked) : checked.nullable().optional());
    updateShape[key] = frozen.has(key)
      ? refused(`${c.name} cannot be changed: ${spec.frozen?.because ?? ''}`)
      : c.notNull
        ? checked.optional()
        : checked.nullable().optional();
  }

  // The static types are ours (InsertShape, …), computed from the Drizzle table's type.
  const insertFields = strict(z.object(insertShape), name);
  const updateFields = strict(z.object(updateShape), name);
  const select = z.object(selectShape);
  type V = TableSchemas<T, S, R, F>;

  return {
    name,
    insert: insertFields.check(...applyRules(rules, 'insert', columns)) as unknown as V['insert'],
    update: updateFields.check(...applyRules(rules, 'update', columns)) as unknown as V['update'],
    select: select as unknown as V['select'],
    insertFields: insertFields as unknown as V['insertFields'],
    updateFields: updateFields as unknown as V['updateFields'],
    withRules: <O extends z.ZodObject>(schema: O): O => {
      const keys = new Set(Object.keys(schema.shape));
      // Rules reading a field the schema does not have are the database's to apply.
      const applicable = rules.filter((r) => r.reads.every((key) => keys.has(key)));
      return applicable.length === 0 ? schema : (schema.check(...applyRules(applicable, 'update', columns)) as O);
    },
    serverColumns: spec.server,
    rules,
  };
}
