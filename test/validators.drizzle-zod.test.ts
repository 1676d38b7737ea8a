/**
 * The validators against drizzle-zod. `therapy-db/validators` is built from
 * src/validators/described-tables.ts, which this repository's own generator writes from the Drizzle
 * tables (validators.treeshake.test.ts holds the file to the generator). drizzle-zod derives Zod
 * schemas from the same Drizzle tables independently. Where the two agree on every table's keys,
 * nullability, what an insert may omit, and code lists, a bug in our generator cannot hide behind the
 * generator's own test. The database itself is the other oracle (validators.differential.test.ts).
 *
 * drizzle-zod is a devDependency: the package's validators never import it (they tree-shake per table,
 * which schemas built from Drizzle tables cannot: docs/validators.md).
 */
import { getTableColumns, type Column } from 'drizzle-orm';
import { createInsertSchema, createSelectSchema } from 'drizzle-zod';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { validatorsByTable } from '../src/validators';
import { embeddedPassOnly } from './support/backend';

type Shape = Record<string, z.ZodType>;

const shapeOf = (schema: z.ZodType): Shape => (schema as unknown as { shape: Shape }).shape;

/** The options of a (nullable) enum field, or null when the field is no enum. */
function enumOptions(field: z.ZodType): readonly string[] | null {
  const def = (field as unknown as { def: { type: string; innerType?: z.ZodType; entries?: Record<string, string> } }).def;
  if (def.type === 'nullable' && def.innerType) return enumOptions(def.innerType);
  return def.type === 'enum' && def.entries ? Object.values(def.entries) : null;
}

const accepts = (field: z.ZodType | undefined, value: unknown) => field?.safeParse(value).success ?? false;

/**
 * Columns drizzle-zod has no opinion on: a custom type (the ranges: drizzle-zod cannot know what a
 * custom column holds, so it takes anything, null included) and JSON (its schema takes the JSON value
 * `null`, which a NOT NULL jsonb column stores as `'null'::jsonb`; ours refuses it, as the differential
 * test shows the CHECKs do).
 */
const opaque = (column: Column) => column.columnType === 'PgCustomColumn' || column.dataType === 'json';

const tables = Object.values(validatorsByTable).map((v) => {
  const columns = getTableColumns(v.table) as Record<string, Column>;
  return {
    ...v,
    judged: Object.keys(columns).filter((key) => !opaque(columns[key]!)),
    numeric: new Set(Object.keys(columns).filter((key) => columns[key]!.columnType === 'PgNumeric')),
    drizzleSelect: shapeOf(createSelectSchema(v.table)),
    drizzleInsert: shapeOf(createInsertSchema(v.table)),
  };
});

describe.skipIf(embeddedPassOnly('test/validators.drizzle-zod.test.ts'))('the validators agree with drizzle-zod on what the Drizzle tables declare', () => {
  it('covers every table of the package', () => {
    expect(tables).toHaveLength(32);
  });

  it.each(tables.map((t) => [t.name, t] as const))('%s: the same keys (a generated column is read, never written)', (_, t) => {
    expect(Object.keys(shapeOf(t.select)).sort()).toEqual(Object.keys(t.drizzleSelect).sort());
    expect(Object.keys(shapeOf(t.insert)).sort()).toEqual(Object.keys(t.drizzleInsert).sort());
  });

  it.each(tables.map((t) => [t.name, t] as const))('%s: a column takes null in a row read back exactly where drizzle-zod says it is nullable', (_, t) => {
    const ours = shapeOf(t.select);
    const disagree = t.judged.filter((key) => accepts(ours[key], null) !== accepts(t.drizzleSelect[key], null));
    expect(disagree).toEqual([]);
  });

  it.each(tables.map((t) => [t.name, t] as const))('%s: an insert may omit exactly the columns drizzle-zod lets it omit (server-set columns aside)', (_, t) => {
    const ours = shapeOf(t.insert);
    const server = new Set<string>(t.serverColumns);
    const disagree = t.judged
      .filter((key) => key in ours && !server.has(key))
      .filter((key) => ours[key]!.isOptional() !== t.drizzleInsert[key]!.isOptional());
    expect(disagree).toEqual([]);
  });

  it.each(tables.map((t) => [t.name, t] as const))('%s: a code column takes exactly the codes of its Drizzle enum', (_, t) => {
    const ours = shapeOf(t.select);
    for (const [key, field] of Object.entries(t.drizzleSelect)) {
      const options = enumOptions(field);
      if (!options || !ours[key]) continue;
      expect(options.filter((code) => !accepts(ours[key], code)), `${t.name}.${key} refuses codes of the enum`).toEqual([]);
      expect(accepts(ours[key], `${options[0]}-not-a-code`), `${t.name}.${key} takes a code outside the enum`).toBe(false);
    }
  });

  // A numeric(p, s) is a string to Drizzle and a JSON number to PostgREST: ours reads both (validators.test.ts).
  it.each(tables.map((t) => [t.name, t] as const))('%s: no column takes a value of a kind drizzle-zod refuses (an object, a boolean, a number)', (_, t) => {
    const ours = shapeOf(t.select);
    const leaks = t.judged.flatMap((key) =>
      (t.numeric.has(key) ? [{ nested: 1 }, true] : [{ nested: 1 }, true, 12345]).filter((probe) => !accepts(t.drizzleSelect[key], probe) && accepts(ours[key], probe)).map((probe) => `${key} takes ${JSON.stringify(probe)}`),
    );
    expect(leaks).toEqual([]);
  });
});
