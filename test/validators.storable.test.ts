/**
 * What the validators pass on always stores, and no input makes them throw. The columns are found
 * from the Drizzle tables (every `timestamptz`, every `jsonb`), never listed, so a new column is
 * covered the day it is added.
 */
import fc from 'fast-check';
import { getTableColumns, type Column } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { json, jsonObject, MAX_JSON_DEPTH, therapySessionInsertSchema, timestamptz, validatorsByTable } from '../src/validators';
import { createTestDatabase, type TestDatabase } from './support/database';

type Mode = 'insert' | 'update' | 'select';
interface ColumnSchemaCase {
  readonly label: string;
  readonly schema: z.ZodType;
}

/** The schema of every column of `columnType` in every table and mode, where a value may be given at all. */
function columnSchemas(columnType: string): ColumnSchemaCase[] {
  const found: ColumnSchemaCase[] = [];
  for (const [table, validators] of Object.entries(validatorsByTable)) {
    const columns = getTableColumns(validators.table) as Record<string, Column>;
    for (const [key, column] of Object.entries(columns)) {
      if (column.columnType !== columnType) continue;
      for (const mode of ['insert', 'update', 'select'] as const satisfies readonly Mode[]) {
        const schema = validators[mode].shape[key] as z.ZodType | undefined;
        // Generated columns are not in the write schemas; server-set ones take no value at all.
        if (!schema || (mode !== 'select' && !schema.safeParse(null).success && !schema.safeParse(sample(columnType)).success)) continue;
        found.push({ label: `${table}.${column.name} (${mode})`, schema });
      }
    }
  }
  return found;
}

function sample(columnType: string): unknown {
  return columnType === 'PgTimestamp' ? '2026-01-05T09:30:00Z' : { a: 1 };
}

const timestampColumns = columnSchemas('PgTimestamp');
const jsonColumns = columnSchemas('PgJsonb');

describe('timestamps: the UTC instant is judged, so the Date passed on always stores', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: false });
  });
  afterAll(async () => {
    await db.close();
  });

  const outside = [
    '0001-01-01T00:30:00+01:00', // 0000-12-31T23:30:00Z
    '0001-01-01T00:00:00+15:59',
    '9999-12-31T23:30:00-01:00', // +010000-01-01T00:30:00Z
    '9999-12-31 20:00:00-15:59',
    new Date('0000-12-31T23:30:00Z'), // a Date in year 0
    new Date('+010000-01-01T00:00:00Z'),
  ];
  const inside = ['0001-01-01T00:00:00Z', '0001-01-01T00:30:00-01:00', '0001-01-01T15:59:00+15:59', '9999-12-31T23:59:59.999Z', '9999-12-31T23:30:00+01:00', new Date('0001-01-01T00:00:00Z')];

  it('finds the timestamp columns from the tables (every table, every mode a value may be given)', () => {
    expect(timestampColumns.length).toBeGreaterThan(60);
    expect(timestampColumns.map((c) => c.label)).toEqual(expect.arrayContaining(['public.therapy_sessions.start_time (insert)', 'public.outbox_events.next_attempt_at (select)']));
  });

  it('for every timestamp column, inputs whose UTC instant is outside 0001–9999 are refused, naming the rule', () => {
    for (const { label, schema } of timestampColumns) {
      for (const value of outside) {
        const result = schema.safeParse(value);
        expect(result.success, `${label} accepted ${String(value)}`).toBe(false);
        expect(result.error!.issues[0]!.message).toBe('value must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z once converted to UTC');
      }
      for (const value of inside) expect(schema.safeParse(value).success, `${label} refused ${String(value)}`).toBe(true);
    }
  });

  it('a row says which field: start_time must be between … once converted to UTC', () => {
    const result = therapySessionInsertSchema.safeParse({
      organizationId: '0b5e4c1e-7d0a-4f43-9d5e-2f1c8a6b3e01',
      therapistId: '0b5e4c1e-7d0a-4f43-9d5e-2f1c8a6b3e02',
      sessionTypeId: '0b5e4c1e-7d0a-4f43-9d5e-2f1c8a6b3e03',
      startTime: '0001-01-01T00:30:00+01:00',
      endTime: '0001-01-01T01:00:00Z',
      createdBy: '0b5e4c1e-7d0a-4f43-9d5e-2f1c8a6b3e02',
    });
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['startTime', 'start_time must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z once converted to UTC'],
    ]);
  });

  it('what the accepted inputs become is stored by the database as the same instant; what the refused ones would become is refused', async () => {
    for (const value of inside) {
      const date = timestamptz().parse(value);
      // Drizzle writes a timestamptz Date as toISOString().
      const [row] = await db.sql<{ same: boolean }[]>`select ${date.toISOString()}::timestamptz = ${date.toISOString()}::timestamptz as same`;
      expect(row?.same).toBe(true);
    }
    const state = async (text: string) => db.sql`select ${text}::timestamptz`.then(() => 'ok', (e: { code?: string }) => e.code);
    expect(await state(new Date('0000-12-31T23:30:00Z').toISOString())).toBe('22008');
    expect(await state(new Date('+010000-01-01T00:30:00Z').toISOString())).toBe('22009');
  });
});

// ------------------------------------------------------------------ no input makes safeParse throw
/** Arrays and objects nested `depth` deep around `leaf`, built without recursion. */
function nest(depth: number, leaf: unknown, shape: (level: number) => 'array' | 'object'): unknown {
  let value = leaf;
  for (let level = depth - 1; level >= 0; level--) value = shape(level) === 'array' ? [value] : { [`k${level % 7}`]: value };
  return value;
}

/** JSON nested up to a few thousand levels: past the validators' limit and past JSON.stringify's stack. */
const deepJson = fc
  .record({
    depth: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: MAX_JSON_DEPTH - 2, max: MAX_JSON_DEPTH + 2 }), fc.integer({ min: 3_000, max: 12_000 })),
    leaf: fc.jsonValue({ maxDepth: 2 }),
    pattern: fc.array(fc.constantFrom('array' as const, 'object' as const), { minLength: 1, maxLength: 5 }),
    top: fc.constantFrom('array' as const, 'object' as const),
  })
  .map(({ depth, leaf, pattern, top }) => ({ depth, value: nest(depth, leaf, (level) => (level === 0 ? top : pattern[level % pattern.length]!)) }));

/** JSON thousands of members wide, at the top or one level down. */
const wideJson = fc
  .record({ width: fc.integer({ min: 1_000, max: 20_000 }), leaf: fc.jsonValue({ maxDepth: 1 }), asObject: fc.boolean(), wrapped: fc.boolean() })
  .map(({ width, leaf, asObject, wrapped }) => {
    const members = Array.from({ length: width }, (_, i) => (i % 3 === 0 ? leaf : i));
    const value = asObject ? Object.fromEntries(members.map((m, i) => [`key${i}`, m])) : members;
    return wrapped ? { data: value } : value;
  });

/** Levels of nesting of the arrays and objects in a value (iteratively). */
function depthOf(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v !== null && typeof v === 'object') {
      max = Math.max(max, d + 1);
      for (const item of Object.values(v)) stack.push([item, d + 1]);
    }
  }
  return max;
}

/** Fixed by default so CI is repeatable; `VALIDATORS_SEED=… VALIDATORS_RUNS=…` explores further. */
const SEED = Number(process.env.VALIDATORS_SEED ?? 20260105);
const scale = Number(process.env.VALIDATORS_RUNS ?? 320) / 320;
const RUNS = { deep: Math.ceil(40 * scale), wide: Math.ceil(15 * scale), anything: Math.ceil(2_000 * scale) };

const isObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);

describe('no input makes safeParse throw', () => {
  it('finds the jsonb columns from the tables', () => {
    expect(jsonColumns.length).toBeGreaterThanOrEqual(8);
  });

  it('deep JSON in every jsonb column: refused past the nesting limit, accepted within it, never a throw', () => {
    fc.assert(
      fc.property(deepJson, ({ value }) => {
        const storable = depthOf(value) <= MAX_JSON_DEPTH;
        expect(json().safeParse(value).success).toBe(storable);
        for (const { label, schema } of jsonColumns) {
          const result = schema.safeParse(value);
          expect(result.success, label).toBe(storable && isObject(value));
          if (!storable && isObject(value)) {
            expect(result.error!.issues[0]!.message).toBe(`value must be storable JSON: it nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels`);
          }
        }
      }),
      { numRuns: RUNS.deep, seed: SEED },
    );
  });

  it('wide JSON in every jsonb column is judged like any other', () => {
    fc.assert(
      fc.property(wideJson, (value) => {
        for (const { label, schema } of jsonColumns) expect(schema.safeParse(value).success, label).toBe(isObject(value));
      }),
      { numRuns: RUNS.wide, seed: SEED },
    );
  });

  it('a value inside itself is refused, not followed', () => {
    const loop: Record<string, unknown> = { a: [1, 2] };
    (loop.a as unknown[]).push(loop);
    expect(jsonObject().safeParse(loop).error?.issues[0]?.message).toBe('value must be storable JSON: .a[2] contains itself (a circular reference is not JSON)');
    // The same object twice (not inside itself) is JSON.
    const shared = { x: 1 };
    expect(jsonObject().safeParse({ a: shared, b: [shared, shared] }).success).toBe(true);
  });

  it('anything at all, anywhere in a row, for every insert, update and select schema', () => {
    const schemas = Object.values(validatorsByTable).flatMap((v) => [v.insert, v.update, v.select]);
    const keysOf = (schema: z.ZodObject) => Object.keys(schema.shape);
    fc.assert(
      fc.property(
        fc.nat({ max: schemas.length - 1 }),
        fc.anything({ maxDepth: 4, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withNullPrototype: true, withBoxedValues: true }),
        fc.array(fc.tuple(fc.nat(), fc.oneof(fc.anything({ maxDepth: 3 }), deepJson.map((d) => d.value))), { maxLength: 6 }),
        (which, whole, fields) => {
          const schema = schemas[which]!;
          const keys = keysOf(schema);
          schema.safeParse(whole);
          const row = Object.fromEntries(fields.map(([k, v]) => [keys[k % keys.length]!, v]));
          schema.safeParse(row);
        },
      ),
      { numRuns: RUNS.anything, seed: SEED },
    );
  });
});

describe('the deepest JSON accepted reaches the database', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: false });
  });
  afterAll(async () => {
    await db.close();
  });

  it(`${MAX_JSON_DEPTH} levels: parsed, serialised as a client sends it, and stored as jsonb`, async () => {
    const value = nest(MAX_JSON_DEPTH, 'leaf', (level) => (level % 2 === 0 ? 'object' : 'array'));
    expect(depthOf(value)).toBe(MAX_JSON_DEPTH);
    const parsed = jsonObject().parse(value);
    // postgres.js (and Drizzle on it) send a jsonb value as JSON.stringify writes it.
    const [row] = await db.sql<{ type: string; same: boolean }[]>`
      select jsonb_typeof(${db.sql.json(parsed as never)}) as type, ${db.sql.json(parsed as never)}::jsonb = ${JSON.stringify(value)}::text::jsonb as same`;
    expect(row).toEqual({ type: 'object', same: true });
  });
});
