/**
 * Differential test of the validators against the database (issue #5).
 *
 * For every table, inputs around each rule's boundary — valid, just invalid, wrong type, null,
 * missing, too long, bad pattern, inverted range, each spelling of an id — go through the Zod
 * insert schema and through the database, which receives them the way the Supabase API hands a
 * JSON body to PostgreSQL (`insert … select … from json_populate_record(null::t, $1)`, the columns
 * present in the body, defaults for the rest), as `service_role`, each in its own savepoint of one
 * rolled-back transaction, with valid parent rows (the demo fixture and a few extras). The verdicts
 * must agree, input by input.
 *
 * What only the database can know is excluded **by construction**: the generators only produce
 * inputs that satisfy those rules (existing parents of the same tenant, values no fixture row
 * holds, times no fixture session occupies, …), and the test fails if the database ever refuses an
 * input for such a rule. It never filters disagreements.
 *
 * Reproduce a run with VALIDATORS_SEED=<seed>; VALIDATORS_RUNS=<n> sets the random inputs per table.
 */
import fc from 'fast-check';
import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedFixture, stableId, type Fixture } from '../src/demo';
import { emailPattern, maxDocumentBytes, timeZones } from '../src/schema/codes';

const emailRegex = new RegExp(emailPattern);
import { asServiceRole } from '../src/testing';
import { columnName, validatorsByTable, type AnyTableValidators } from '../src/validators';
import { createTestDatabase, type TestDatabase } from './support/database';

const SEED = Number(process.env.VALIDATORS_SEED ?? 20_260_105);
const RANDOM_RUNS = Number(process.env.VALIDATORS_RUNS ?? 320);

// ================================================================== what the generators never produce
/**
 * Rules only the database can know: the generators satisfy them by construction, and any refusal
 * for one of these fails the test as a construction leak (see `databaseOnly` below).
 */
const DATABASE_ONLY_RULES = [
  'uniqueness (unique constraints and indexes, primary keys): inputs never repeat a value a fixture row holds',
  'foreign-key existence and tenant consistency (composite FKs): ids are existing parents of the same organisation (a message attaches a document of its own conversation)',
  'exclusion constraints (overlapping sessions, caseloads, plans, supervision periods, progress periods): times and periods no fixture row occupies',
  'status transitions, signed-note immutability, consent append-only: UPDATE-only triggers, not reached by inserts',
  'session_participants capacity and treatment consent at the session start (trigger): group sessions with room, students with consent',
  'service_charges need a signed note of the same session and student, and Medicaid charges a medicaid_billing consent on the service date (trigger)',
  'session_notes amendments amend a signed note of the same session and student (trigger)',
  'clock-dependent defaults: caseload_assignments.starts_on (current_date) and conversation_participants.joined_at (now()) are given whenever the rule compares them',
  'RLS and grants: service_role bypasses RLS; the policies have their own tests',
  "user references name active members of the row's organisation, in the role the reference serves (trigger): the users tried are members of the organisations they are tried in",
  "shared catalogue references (billing codes) name a global code or one of the row's organisation (trigger): rows of either organisation get a global code",
  "a webhook subscription signs with a Vault secret of its own organisation (trigger): every row is organisation A's, with A's secret",
] as const;

/**
 * What PostgreSQL also reads but the validators refuse on purpose (docs/validators.md,
 * "Spellings"): other spellings of the same values, which typed clients never send. The generators
 * do not produce them; each is a narrowing, never a widening.
 */
const NARROWER_SPELLINGS = [
  'wrong-typed JSON whose text the column type reads: 42 or true for a text column, "5" for a smallint, 1 or "yes" for a boolean, 20260105 for a date',
  'date/time spellings beyond ISO 8601 with an offset: no zone (read in the server time zone), a date alone as a timestamp, today/epoch/infinity, 2026-1-5, 2026/01/05, 2026_01_05, 20260105, 0930 and 12:30:00. as times, 24:00 and :60 seconds in timestamps, more than 3 fractional digits in input timestamps',
  'numeric spellings: surrounding spaces, 1_000 and 0x10 (PostgreSQL 16+ only), exponents beyond ±1000 (NaN and Infinity are generated: every numeric column refuses them)',
  'timestamps whose UTC instant is outside 0001-01-01T00:00:00Z–9999-12-31T23:59:59.999Z (0001-01-01T00:30:00+01:00, 9999-12-31T23:30:00-01:00): PostgreSQL reads the text, but the validated value is a Date, which Drizzle writes in UTC as year 0000 or +010000 and the database refuses (test/validators.storable.test.ts)',
  'range spellings: whitespace around bounds, infinity bounds, EMPTY in capitals',
  'array spellings: PostgreSQL array literals as strings ("{a,b}"), nested arrays, non-string elements of text[] (null elements are generated: every text[] column refuses them)',
] as const;

/** Refusals that can only come from a database-only rule: seeing one means the construction leaked. */
const LEAK_SQLSTATES = new Set(['23505', '23503', '23P01', '42501']);
/**
 * Database-only trigger rules, with the columns they read. A BEFORE trigger runs before NOT NULL
 * is checked, so an input missing one of these columns is refused by the trigger instead: that
 * input is invalid on its own (the validators say so), and the refusal is no leak.
 */
const LEAK_CONSTRAINTS: Readonly<Record<string, readonly string[]>> = {
  session_participants_capacity: ['session_id'],
  session_participants_treatment_consent: ['student_id', 'session_id'],
  service_charges_signed_note: ['note_id', 'session_id', 'student_id'],
  service_charges_medicaid_consent: ['student_id', 'service_date', 'payer', 'status'],
  session_notes_amends_signed_note: ['amends_note_id', 'session_id', 'student_id'],
};

// ================================================================== probes
const OMIT = Symbol('omit');
type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type Probe = Json | typeof OMIT;
type Row = Record<string, Json>;

/** A field's boundary values (every one is tried alone) and, optionally, random values. */
interface Field {
  readonly values: readonly Probe[];
  readonly random?: fc.Arbitrary<Probe>;
}
const field = (values: readonly Probe[], random?: fc.Arbitrary<Probe>): Field => ({ values, ...(random ? { random } : {}) });
const also = (f: Field, ...values: Probe[]): Field => ({ ...f, values: [...f.values, ...values] });

// ------------------------------------------------------------------ ids
/** Every way PostgreSQL's `uuid_in` reads the same id. */
function uuidSpellings(id: string): string[] {
  const hex = id.replace(/-/g, '');
  return [id, id.toUpperCase(), `{${id}}`, hex, hex.replace(/(.{4})(?!$)/g, '$1-'), `{${hex.toUpperCase()}}`];
}
/** True when `value` is one of the spellings of `id`. */
function isSpellingOf(value: Json | undefined, id: string): boolean {
  return typeof value === 'string' && uuidSpellings(id).includes(value);
}
/** Strings that are not uuids, and values of other JSON types (whose text is not a uuid either). */
function notUuids(id: string): Probe[] {
  return ['', 'not-a-uuid', id.slice(0, -1), `${id}0`, `g${id.slice(1)}`, `{${id}`, `${id}}`, `-${id}`, `${id.slice(0, 3)}-${id.slice(3)}`, ` ${id}`, `${id}\n`, 42, true, {}, [id]];
}
/** A column referencing one of `ids`: any spelling of them, or no uuid at all. */
function ref(ids: readonly string[]): Field {
  return field([...ids.flatMap(uuidSpellings), ...notUuids(ids[0]!)], fc.constantFrom(...ids).chain((id) => fc.constantFrom(...uuidSpellings(id))));
}
/** A uuid column without a foreign key. */
function anyUuid(): Field {
  const sample = '0b5e4c1e-7d0a-4f43-9d5e-2f1c8a6b3e90';
  return field(
    [...uuidSpellings(sample), '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '0b5e4c1e-7d0a-0f43-0d5e-2f1c8a6b3e90', ...notUuids(sample)],
    fc.uuid({ version: [1, 2, 3, 4, 5, 6, 7, 8] }).chain((id) => fc.constantFrom(...uuidSpellings(id))),
  );
}

// ------------------------------------------------------------------ text
const anyText = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ maxLength: 40 }));
const unstorable = ['a\u0000b', '\u0000', 'a\ud800b', '\udc00', 'x\ud83d'];
/** Any text (no CHECK): random Unicode, plus what no text column can store. */
function text(): Field {
  return field(['', ' ', 'plain', 'Zoë 😀 ✓', '\t\n', 'x'.repeat(5000), ...unstorable], anyText);
}
/** `char_length(x) between min and max` (code points), optionally after `btrim`. */
function textLength(min: number, max: number, options: { trimmed?: boolean } = {}): Field {
  const at = (n: number, unit: string) => (n < 0 ? null : unit.repeat(n));
  const values: Probe[] = [];
  for (const n of [min - 1, min, max, max + 1]) {
    for (const unit of ['a', '😀', 'é']) {
      const s = at(n, unit);
      if (s !== null) values.push(s);
    }
  }
  if (options.trimmed) {
    values.push(`  ${'b'.repeat(min)}  `, ` ${'b'.repeat(Math.max(0, min - 1))} `, `\t${'b'.repeat(Math.max(0, min - 1))}`, ' '.repeat(max + 5), `${'b'.repeat(max)}   `, ` ${'b'.repeat(max + 1)}`);
  }
  return field([...values, ...unstorable], anyText);
}
/** A pattern CHECK: values the pattern generates, and near misses. */
function pattern(regex: RegExp, misses: readonly Probe[]): Field {
  return field([...fc.sample(fc.stringMatching(regex), { seed: 7, numRuns: 6 }), ...misses, ...unstorable], fc.oneof(fc.stringMatching(regex), anyText));
}
/** An E.164 phone number (profiles.phone, guardians.phone). */
function phone(): Field {
  return pattern(/^\+[1-9][0-9]{6,14}$/, ['+1234567', '+123456', `+1${'2'.repeat(14)}`, `+1${'2'.repeat(15)}`, '+0123456789', '15035550123', '+1 503 555 0123', '+1-503-555-0123', '(503) 555-0123', '+١٢٣٤٥٦٧٨', '+15035550123\n', ' +15035550123', '']);
}
/** A person's first or last name: 1 to 100 characters after trimming whitespace (not blank). */
function personName(): Field {
  return also(
    textLength(1, 100, { trimmed: true }),
    ' ', '   ', '\t', '\n', ' \u00a0 ', '\u3000', '\u2028\u0085', '\u200b', '\ufeff', '\t Zoë \u00a0', 'Zoë', "O'Brien", 'Anne-Marie', 'José María',
  );
}
/** An e-mail address (profiles.email, guardians.email). */
function email(): Field {
  return pattern(emailRegex, [
    'a@b.co', 'first.last+tag@sub.example.org', "o'brien@example.org", 'x@localhost', 'x@@example.org', '@example.org', 'x@example.', 'x@.example.org',
    'x@-example.org', 'x@example-.org', 'x y@example.org', 'zoë@example.org', 'x@exämple.org', 'x@example.org\n', ' x@example.org', 'x@example.org ',
    `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.org`, `${'a'.repeat(100)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(20)}.org`, '',
  ]);
}
/** An event type, `^[a-z_]+\.[a-z_]+$` (outbox_events.event_type, webhook_subscriptions.event_types elements). */
function eventType(misses: readonly Probe[]): Field {
  return pattern(/^[a-z_]+\.[a-z_]+$/, misses);
}
/** A code list: every value, and near misses (wrong case, padded, another list's values). */
function codes(values: readonly string[], options: { numericCodes?: boolean } = {}): Field {
  const first = values[0]!;
  const misses: Probe[] = ['', first.toUpperCase() === first ? first.toLowerCase() : first.toUpperCase(), ` ${first}`, `${first} `, `${first}x`, 'other_value', true, {}];
  // A number's text is a valid code in a list of numbers ('1' for grade 1): the database would read it.
  if (!options.numericCodes) misses.push(5);
  return field([...values, ...misses], fc.constantFrom(...values));
}
/** `char(n)` (pads, cuts trailing spaces, refuses anything else beyond n). */
function fixedChar(valid: readonly string[]): Field {
  return field([...valid, 'O', '', 'ORE', 'OR  ', 'O ', ' O', 'O\t', 'or', 'ÖR', '12', '😀😀', '😀😀😀', '😀 ', 'OR\u0000', ...unstorable], fc.string({ unit: 'binary', maxLength: 4 }));
}

// ------------------------------------------------------------------ numbers
const notNumbers: Probe[] = ['five', '', true, {}, [1]];
/** An integer column; `rule` is the CHECK's range, `type` the column type's. */
function int(rule: readonly [number, number] | undefined, type: readonly [number, number] = [-32_768, 32_767]): Field {
  const values: Probe[] = [0, 1, -1, 1.5, -0.5, 2 ** 53, type[0] - 1, type[0], type[1], type[1] + 1, 1e21, ...notNumbers];
  if (rule) values.push(rule[0] - 1, rule[0], rule[0] + 1, rule[1] - 1, rule[1], rule[1] + 1);
  return field(values, fc.oneof(fc.integer({ min: (rule ?? type)[0] - 3, max: (rule ?? type)[1] + 3 }), fc.integer({ min: type[0] - 10, max: type[1] + 10 })));
}
/** A `numeric(p, s)` column: rounding and overflow boundaries, in numbers and strings. */
function decimal(precision: number, scale: number, extra: readonly Probe[] = []): Field {
  const top = 10 ** (precision - scale);
  return field(
    [
      0, '0', '-0', 1, '80', '80.5', 80.25, '80.', '.5', '+5', '1e2', '1E-2', 1e-7, '-0.004', '-0.005', '0.005', 0.004,
      top - 0.01, `${top - 1}.994`, `${top - 1}.995`, top, -top, `-${top - 1}.99`, '1e-1000', '1e1000',
      'NaN', 'nan', 'NAN', ' NaN ', '-NaN', '+NaN', 'NaN 1', 'Infinity', '-Infinity', 'inf', '-inf', 'abc', '1,5', '', ' ', '--1', '1e', '.', '5e+', true, {}, [1], ...extra,
    ],
    fc.oneof(
      { arbitrary: fc.double({ min: -top * 2, max: top * 2, noNaN: true, noDefaultInfinity: true }), weight: 3 },
      { arbitrary: fc.integer({ min: -top, max: top }).map(String), weight: 3 },
      { arbitrary: fc.stringMatching(/^-?[0-9]{1,6}(\.[0-9]{1,4})?$/), weight: 3 },
      { arbitrary: fc.constantFrom('NaN', 'nan', 'Infinity', '-Infinity'), weight: 1 },
    ),
  );
}
const booleans = (): Field => field([true, false, 'maybe', {}, []]);

// ------------------------------------------------------------------ dates and times
/**
 * Years the generators use: far from the fixture's sessions (around the day the test runs) and from
 * the group sessions seeded below (2091), so no time overlaps a fixture row.
 */
const YEARS = ['0001', '1000', '1999', '2000', '2096', '2097', '9999'] as const;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const validDay = fc.record({ year: fc.constantFrom(...YEARS), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 28 }) }).map(({ year, month, day }) => `${year}-${pad(month)}-${pad(day)}`);
const dateMisses: Probe[] = ['2097-02-29', '2096-04-31', '2096-13-01', '2096-00-10', '2096-01-00', '2096-01-32', '0000-01-01', '', 'soon', '2096-01-05x', '2096-01', '2096', true, {}, []];
function date(extra: readonly Probe[] = []): Field {
  return field(['2096-02-29', '2000-02-29', '1999-12-31', '0001-01-01', '9999-12-31', ...dateMisses, ...extra], validDay);
}
const offsets = ['Z', 'z', '+00', '-00:00', '+01:00', '-0530', '+15:59', '-15:59', '+1559'];
/** `+01:00` → 60, `-0530` → -330, `Z` → 0. */
function offsetMinutes(offset: string): number {
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(offset);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0)) : 0;
}
const validTimestamp = fc
  .record({
    day: validDay,
    sep: fc.constantFrom('T', 't', ' '),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    second: fc.option(fc.integer({ min: 0, max: 59 })),
    fraction: fc.option(fc.stringMatching(/^[0-9]{1,3}$/)),
    offset: fc.constantFrom(...offsets),
  })
  // On the first day of year 1, a positive offset can put the UTC instant in year 0 (a narrowing, above).
  .filter(({ day, hour, minute, offset }) => day !== '0001-01-01' || hour * 60 + minute >= offsetMinutes(offset))
  .map(({ day, sep, hour, minute, second, fraction, offset }) => `${day}${sep}${pad(hour)}:${pad(minute)}${second === null ? '' : `:${pad(second)}${fraction === null ? '' : `.${fraction}`}`}${offset}`);
const timestampMisses: Probe[] = [
  '2097-02-29T09:00:00Z', '2096-04-31T09:00:00Z', '2096-13-01T09:00:00Z', '0000-06-01T09:00:00Z', '2096-01-05T24:30:00Z', '2096-01-05T25:00:00Z',
  '2096-01-05T09:60:00Z', '2096-01-05T09:00:61Z', '2096-01-05T09:00:00+16:00', '2096-01-05T09:00:00-16', '2096-01-05T09:00:00+05:60', '2096-01-05T09Z',
  '2096-01-05T09:00:00Zx', '2096-01-05T09:00:00ZZ', '', 'soon', 'T09:00:00Z', true, {}, [1],
];
function timestamp(extra: readonly Probe[] = []): Field {
  return field(['2096-01-05T09:00:00Z', '2096-01-05 09:00:00+00', '2000-02-29T23:59:59.999-15:59', '0001-01-01T15:59:00+15:59', '0001-01-01T00:00:00-15:59', '9999-12-31T08:00:00-15:59', '9999-12-31T23:59:59.999Z', ...timestampMisses, ...extra], validTimestamp);
}
function time(): Field {
  return field(
    ['00:00', '09:30', '09:30:15', '23:59:59.999999', '24:00', '24:00:00', '24:00:00.000000', '24:00:01', '24:01', '25:00', '12:60', '12:30:61', '', 'soon', '12h30', true, {}, []],
    fc.record({ h: fc.integer({ min: 0, max: 23 }), m: fc.integer({ min: 0, max: 59 }), s: fc.option(fc.integer({ min: 0, max: 59 })) }).map(({ h, m, s }) => `${pad(h)}:${pad(m)}${s === null ? '' : `:${pad(s)}`}`),
  );
}
function daterange(): Field {
  return field(
    [
      '[2096-01-05,2096-06-30)', '[2096-01-05,2096-01-05]', '[2096-01-05,2096-01-05)', '(2096-01-05,2096-01-05]', '(2096-01-05,2096-01-06)', '(2096-01-05,2096-01-07)',
      '(2096-01-05,2096-01-06]', '(,)', '[,2096-01-01)', '[2096-01-01,)', '(,2096-01-01]', 'empty', '[2096-01-06,2096-01-05)', '["2096-01-05","2096-02-01")', '["2096-01-05",)',
      '2096-01-05,2096-02-01', '[2096-01-05;2096-02-01)', '[2096-02-30,2096-03-01)', '[2096-01-05,2096-02-01', '[2096-01-05,2096-02-01,2096-03-01)', '[soon,)', '[0000-01-01,)', '', 5, {}, true,
    ],
    fc.tuple(validDay, validDay, fc.constantFrom('[', '('), fc.constantFrom(']', ')')).map(([a, b, l, u]) => `${l}${a < b ? a : b},${a < b ? b : a}${u}`),
  );
}
function tstzrange(): Field {
  return field(
    [
      '[2096-12-24T00:00:00Z,2096-12-26T00:00:00Z)', '[2096-12-24 00:00:00+00,2096-12-26 00:00:00+00)', '["2096-12-24T00:00:00Z","2096-12-24T00:00:00.001Z")',
      '[2096-12-24T00:00:00Z,2096-12-24T00:00:00Z]', '[2096-12-24T00:00:00Z,2096-12-24T00:00:00Z)', '(2096-12-24T00:00:00Z,2096-12-24T01:00:00+01:00]',
      '(2096-12-24T00:00:00Z,2096-12-24T00:00:00.001Z)', '(,)', '[2096-12-24T00:00:00Z,)', 'empty', '[2096-12-26T00:00:00Z,2096-12-24T00:00:00Z)',
      '[2096-12-24T00:00:00Z,2096-12-32T00:00:00Z)', '[2096-12-24T00:00:00Z;2096-12-26T00:00:00Z)', '', 5, {}, true,
    ],
    fc.tuple(validTimestamp, validTimestamp, fc.constantFrom('[', '('), fc.constantFrom(']', ')')).map(([a, b, l, u]) => `${l}${a},${b}${u}`),
  );
}

// ------------------------------------------------------------------ JSON and arrays
const jsonValue: fc.Arbitrary<Json> = fc.jsonValue({ maxDepth: 3 }).map((v) => v as Json);
/** A jsonb column holding an object (every one has a `jsonb_typeof(x) = 'object'` CHECK): objects, and every other JSON type. */
function jsonObject(): Field {
  return field(
    [{}, { a: 1 }, { nested: { list: [1, 'x', null, true, 2.5e-7] } }, { 'clé 😀': 'välue' }, { a: 'x\u0000' }, { '\u0000': 1 }, { a: 'x\ud800' }, 'x', '', 5, 0, -1.5, [], [1, 2], [{}], true, false, '{}'],
    fc.oneof({ arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), jsonValue, { maxKeys: 4 }), weight: 4 }, { arbitrary: jsonValue, weight: 1 }),
  );
}
/** A `text[]` column. */
function textArray(element: Field): Field {
  const sample = element.values.filter((v): v is string => typeof v === 'string');
  const one = sample[0] ?? 'a';
  return field(
    [
      [], [one], [one, one], sample.slice(0, 4), sample.slice(0, 5), ['x\u0000'], ...sample.slice(0, 6).map((s) => [s]),
      [null], [one, null], [null, one, null], [null, null, null, null, null], 'abc', 5, {}, true,
    ],
    fc
      .array(fc.oneof({ arbitrary: element.random ?? fc.constantFrom(...sample), weight: 5 }, { arbitrary: fc.constant(null), weight: 1 }), { maxLength: 6 })
      .map((xs) => xs.filter((x): x is string | null => typeof x === 'string' || x === null)),
  );
}

// ================================================================== the world: fixture and extra parents
interface World {
  readonly f: Fixture;
  readonly org: string;
  readonly orgB: string;
  readonly users: Fixture['a']['users'];
  readonly therapists: readonly string[];
  readonly profiles: readonly string[];
  /** auth users without a profile, for profiles.id. */
  readonly freeAuthUsers: readonly string[];
  /** profiles with no therapist, member, student, guardian or chat rows. */
  readonly freeProfiles: readonly string[];
  /** Active `student` members of organisation A with no student record (students.user_id). */
  readonly studentLogins: readonly string[];
  /** Active `guardian` members of organisations A and B with no guardian record (guardians.user_id). */
  readonly guardianLogins: readonly string[];
  /** A global billing code (organization_id null). */
  readonly globalBillingCode: string;
  /** A chat attachment of organisation A's conversation (what a message may attach). */
  readonly chatDocument: string;
  readonly plan: string;
  readonly mandate: string;
  readonly sessionType: string;
  readonly groupType: string;
  /** Two empty group sessions in 2091 (therapist A), room for 8. */
  readonly groupSessions: readonly [string, string];
  readonly document: string;
  /** A document of student 3 (the plans' and consents' base student): a record cites its own student's document. */
  readonly documentS3: string;
  readonly goal: string;
  /** A goal of student 1 with no progress report. */
  readonly freshGoal: string;
  readonly billingCode: string;
  /** A billing code of org A with no charge. */
  readonly freshBillingCode: string;
  readonly subscription: string;
  /** Org A's webhook signing secret (Vault, `webhooks/<org A>/…`). */
  readonly webhookSecret: string;
  readonly messages: readonly string[];
}

const extraId = (name: string) => stableId(`validators:${name}`);

async function seedWorld(sql: postgres.Sql): Promise<World> {
  const f = await seedFixture(sql);
  const a = f.a;
  const u = a.users;
  const freeAuthUsers = [0, 1, 2, 3].map((i) => extraId(`auth-user:${i}`));
  const freeProfiles = [0, 1, 2].map((i) => extraId(`profile:${i}`));
  const groupType = extraId('session-type:group');
  const groupSessions = [extraId('session:group-1'), extraId('session:group-2')] as const;
  const freshGoal = extraId('goal:fresh');
  const freshBillingCode = extraId('billing-code:fresh');
  const globalBillingCode = extraId('billing-code:global');
  const chatDocument = extraId('document:chat');
  const documentS3 = extraId('document:s3-evaluation');
  const studentLogins = [0, 1].map((i) => extraId(`student-login:${i}`));
  const guardianLogins = [0, 1].map((i) => extraId(`guardian-login:${i}`));
  await sql.begin(async (tx) => {
    for (const id of [...freeAuthUsers, ...freeProfiles, ...studentLogins, ...guardianLogins]) await tx`insert into auth.users (id, email) values (${id}, ${`${id}@example.org`})`;
    for (const id of [...freeProfiles, ...studentLogins, ...guardianLogins]) await tx`insert into public.profiles (id, display_name) values (${id}, 'Free Profile')`;
    for (const id of studentLogins) await tx`insert into public.organization_members (organization_id, user_id, role) values (${a.organizationId}, ${id}, 'student')`;
    for (const org of [a.organizationId, f.b.organizationId]) {
      for (const id of guardianLogins) await tx`insert into public.organization_members (organization_id, user_id, role) values (${org}, ${id}, 'guardian')`;
      // A's therapists work for B too, so supervisions in either organisation name its therapists.
      if (org !== a.organizationId) {
        for (const id of [u.therapist, u.supervisor, u.supervisee]) await tx`insert into public.organization_members (organization_id, user_id, role) values (${org}, ${id}, 'therapist')`;
      }
    }
    await tx`insert into public.billing_codes (id, code, description, unit_rule) values (${globalBillingCode}, 'VALG001', 'Validator global code', 'per_session')`;
    await tx`insert into public.documents (id, organization_id, conversation_id, bucket_id, storage_path, category, file_name, mime_type, size_bytes, visibility, uploaded_by)
             values (${chatDocument}, ${a.organizationId}, ${a.conversationId}, 'chat-attachments', ${`${a.organizationId}/conversations/${a.conversationId}/${chatDocument}.png`},
                     'chat_attachment', 'photo.png', 'image/png', 2048, 'participants', ${u.guardian})`;
    await tx`insert into public.documents (id, organization_id, student_id, bucket_id, storage_path, category, file_name, mime_type, size_bytes, uploaded_by)
             values (${documentS3}, ${a.organizationId}, ${a.studentIds[2]}, 'student-records', ${`${a.organizationId}/students/${a.studentIds[2]}/evaluation_report/${documentS3}.pdf`},
                     'evaluation_report', 'evaluation.pdf', 'application/pdf', 4096, ${u.org_admin})`;
    await tx`insert into public.session_types (id, organization_id, code, name, discipline, kind, default_duration_minutes, is_group, max_participants)
             values (${groupType}, ${a.organizationId}, 'VAL-GROUP', 'Validator group', 'slp', 'therapy', 45, true, 8)`;
    await tx`insert into public.therapy_sessions (id, organization_id, therapist_id, session_type_id, start_time, end_time, created_by) values
             (${groupSessions[0]}, ${a.organizationId}, ${u.therapist}, ${groupType}, '2091-03-05T09:00:00Z', '2091-03-05T09:45:00Z', ${u.therapist}),
             (${groupSessions[1]}, ${a.organizationId}, ${u.therapist}, ${groupType}, '2091-03-06T09:00:00Z', '2091-03-06T09:45:00Z', ${u.therapist})`;
    await tx`insert into public.goals (id, organization_id, student_id, discipline, domain, goal_text, measurement_type, created_by)
             values (${freshGoal}, ${a.organizationId}, ${a.studentIds[0]}, 'slp', 'fluency', 'Fresh goal', 'frequency', ${u.therapist})`;
    await tx`insert into public.billing_codes (id, organization_id, code, description, discipline, unit_rule)
             values (${freshBillingCode}, ${a.organizationId}, 'VALB001', 'Validator code', 'slp', 'timed_15min')`;
  });
  const [mandate] = await sql<{ id: string }[]>`select id from public.service_mandates where organization_id = ${a.organizationId}`;
  const [subscription] = await sql<{ id: string; secret_id: string }[]>`select id, secret_id from public.webhook_subscriptions where organization_id = ${a.organizationId}`;
  const messages = await sql<{ id: string }[]>`select id from public.messages where organization_id = ${a.organizationId} order by id`;
  const fixtureId = (name: string) => stableId(`org-a:${name}`);
  return {
    f,
    org: a.organizationId,
    orgB: f.b.organizationId,
    users: u,
    therapists: [u.therapist, u.supervisor, u.supervisee],
    // members of A in several roles (created_by, recorded_by … name members of the row's organisation)
    profiles: [u.org_admin, u.therapist, u.billing, u.school_staff],
    freeAuthUsers,
    freeProfiles,
    studentLogins,
    guardianLogins,
    globalBillingCode,
    chatDocument,
    plan: fixtureId('plan:s1'),
    mandate: mandate!.id,
    sessionType: fixtureId('session-type:slp-individual'),
    groupType,
    groupSessions,
    document: fixtureId('document:s1-iep'),
    documentS3,
    goal: fixtureId('goal:s1-articulation'),
    freshGoal,
    billingCode: fixtureId('billing-code:92507'),
    freshBillingCode,
    subscription: subscription!.id,
    webhookSecret: subscription!.secret_id,
    messages: messages.map((m) => m.id),
  };
}

// ================================================================== the cases, one per table
interface TableCase {
  /** A valid row: every candidate starts here. */
  readonly base: Row;
  readonly fields: Readonly<Record<string, Field>>;
  /** Multi-column situations around the row rules, tried alone and mixed with field values. */
  readonly scenarios?: readonly Readonly<Record<string, Probe>>[];
  /** Keeps the database-only rules satisfied (unique values, clock defaults, consent), by construction. */
  readonly construct?: (row: Row) => Row;
  /** CHECKs an insert cannot reach, with the reason (the coverage check skips them). */
  readonly unreachable?: Readonly<Record<string, string>>;
}

function cases(w: World): Record<string, TableCase> {
  const a = w.f.a;
  const u = w.users;
  const [s1, s2, s3] = a.studentIds;
  const org = ref([w.org]);
  const orgs = ref([w.org, w.orgB]);
  const profile = ref(w.profiles);
  const therapist = ref(w.therapists);
  const school = ref(a.schoolIds);
  const avoid = (value: Json | undefined, taken: readonly string[], fallback: string) => (typeof value === 'string' && taken.includes(value) ? fallback : value);
  const H = 60 * 60 * 1000;
  const iso = (ms: number) => new Date(ms).toISOString();
  const t0 = Date.parse('2096-03-04T09:00:00Z');

  return {
    'public.organizations': {
      base: { name: 'Validator Test District', slug: 'validator-test', orgType: 'clinic' },
      fields: {
        name: textLength(2, 200, { trimmed: true }),
        slug: pattern(/^[a-z0-9][a-z0-9-]{1,62}$/, ['A-b', '-ab', 'a', 'ab', 'a'.repeat(63), 'a'.repeat(64), 'ab_c', 'ab\n', 'ab ', 'äb', '', '0-', 'a--']),
        orgType: codes(['school_district', 'charter_school', 'private_school', 'clinic', 'contract_agency']),
        stateCode: fixedChar(['OR', 'WA']),
        timezone: codes(timeZones),
        npi: pattern(/^[0-9]{10}$/, ['123456789', '12345678901', '123456789a', '١٢٣٤٥٦٧٨٩٠', '1234567890\n', ' 1234567890']),
        medicaidProviderId: text(),
        settings: jsonObject(),
      },
      construct: (row) => ({ ...row, slug: avoid(row.slug, ['maple-valley', 'harbor-point'], 'validator-slug') as Json }),
    },
    'public.schools': {
      base: { organizationId: w.org, name: 'Validator School' },
      fields: {
        organizationId: orgs,
        name: textLength(2, 200, { trimmed: true }),
        ncesSchoolId: pattern(/^[0-9]{12}$/, ['12345678901', '1234567890123', '12345678901a', '']),
        address: jsonObject(),
        timezone: codes(timeZones),
      },
      construct: (row) => ({ ...row, name: avoid(row.name, ['Cedar Elementary', 'Birch Middle School'], 'Validator School') as Json }),
    },
    'public.profiles': {
      base: { id: w.freeAuthUsers[0]!, displayName: 'Val Idator' },
      fields: {
        id: ref(w.freeAuthUsers),
        displayName: textLength(1, 120),
        email: email(),
        phone: phone(),
        avatarPath: text(),
        locale: text(),
        deactivatedAt: timestamp(),
      },
    },
    'public.organization_members': {
      base: { organizationId: w.org, userId: w.freeProfiles[0]!, role: 'therapist' },
      fields: {
        organizationId: org,
        userId: ref(w.freeProfiles),
        role: codes(['org_admin', 'therapist', 'school_staff', 'guardian', 'student', 'billing']),
        schoolId: school,
        status: codes(['invited', 'active', 'suspended', 'declined', 'left']),
        invitedBy: profile,
      },
      scenarios: [{ role: 'school_staff', schoolId: null }, { role: 'school_staff' }, { role: 'school_staff', schoolId: a.schoolIds[1] }, { role: 'guardian', schoolId: null }],
    },
    'public.therapists': {
      // Licensed by default, so every license_state value meets its pattern CHECK (with license_number set).
      base: { id: w.freeProfiles[0]!, discipline: 'slp', credential: 'CCC-SLP', licenseNumber: 'SLP-9', licenseState: 'OR' },
      fields: {
        id: ref(w.freeProfiles),
        discipline: codes(['slp', 'ot', 'pt', 'counseling', 'psychology', 'audiology']),
        credential: codes(['CCC-SLP', 'SLP-CF', 'SLPA', 'OTR/L', 'COTA/L', 'PT', 'PTA', 'LPC', 'LCSW', 'LMFT', 'NCSP', 'CCC-A', 'other']),
        npi: pattern(/^[0-9]{10}$/, ['123456789', '12345678901', 'abcdefghij']),
        licenseNumber: text(),
        licenseState: also(fixedChar(['OR', 'WA']), 'O', 'o', 'oR', '1 ', ' 1', '  ', 'Or', 'ORE', 'X1'),
        licenseExpiresOn: date(),
      },
      scenarios: [
        { licenseNumber: 'SLP-1', licenseState: null }, { licenseNumber: null, licenseState: 'OR' }, { licenseNumber: 'SLP-1', licenseState: 'OR' },
        { licenseNumber: 'SLP-1' }, { licenseState: 'OR' }, { licenseNumber: '', licenseState: '' },
        { licenseNumber: null, licenseState: null }, { licenseNumber: OMIT, licenseState: OMIT }, { licenseNumber: null, licenseState: 'O' },
        { licenseNumber: null, licenseState: '' }, { licenseNumber: 'SLP-1', licenseState: 'O' }, { licenseNumber: OMIT, licenseState: 'or' },
      ],
    },
    'public.students': {
      base: { organizationId: w.org, firstName: 'Vale', lastName: 'Idator', dateOfBirth: '2014-05-06' },
      fields: {
        organizationId: org,
        schoolId: school,
        userId: ref(w.studentLogins),
        localStudentId: text(),
        firstName: personName(),
        lastName: personName(),
        preferredName: text(),
        dateOfBirth: date(['1995-01-01', '1995-01-02', '1994-12-31']),
        gradeLevel: codes(['PK', 'K', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', 'post'], { numericCodes: true }),
        primaryLanguage: text(),
        eligibility: codes(['iep', '504', 'ifsp', 'rti', 'private_referral', 'none'], { numericCodes: true }),
        status: codes(['referred', 'active', 'exited', 'transferred']),
      },
      construct: (row) => ({ ...row, localStudentId: avoid(row.localStudentId, ['S-001', 'S-002', 'S-003'], 'V-001') as Json }),
    },
    'public.guardians': {
      base: { organizationId: w.org, firstName: 'Gale', lastName: 'Idator' },
      fields: {
        organizationId: orgs,
        userId: ref(w.guardianLogins),
        firstName: personName(),
        lastName: personName(),
        email: email(),
        phone: phone(),
        preferredLanguage: text(),
        preferredContact: codes(['app', 'email', 'sms', 'phone']),
      },
    },
    'public.student_guardians': {
      base: { organizationId: w.org, studentId: s2, guardianId: a.guardianId, relationship: 'mother' },
      fields: {
        organizationId: org,
        studentId: ref([s2, s3]),
        guardianId: ref([a.guardianId]),
        relationship: codes(['mother', 'father', 'parent', 'grandparent', 'foster_parent', 'legal_guardian', 'educational_surrogate', 'other']),
        isPrimary: booleans(),
        hasEducationalRights: booleans(),
        portalAccess: booleans(),
      },
    },
    'public.supervision_assignments': {
      base: { organizationId: w.org, supervisorId: u.therapist, superviseeId: u.supervisee, supervisionType: 'slpa', activeDuring: '[2096-01-01,2096-12-31)' },
      fields: {
        organizationId: orgs,
        supervisorId: therapist,
        superviseeId: therapist,
        supervisionType: codes(['slpa', 'clinical_fellowship', 'cota', 'pta', 'intern', 'peer_review']),
        activeDuring: daterange(),
        requiresCosign: booleans(),
      },
      scenarios: [
        { supervisorId: u.therapist, superviseeId: u.therapist },
        { supervisorId: u.therapist, superviseeId: u.therapist.toUpperCase() },
        { supervisorId: `{${u.supervisee}}`, superviseeId: u.supervisee },
      ],
      // The fixture's supervisor/supervisee pair already has this year's period: never that pair.
      construct: (row) => {
        const canon = (v: Json | undefined) => (typeof v === 'string' ? v.replace(/[{}-]/g, '').toLowerCase() : v);
        const taken = canon(row.supervisorId) === canon(u.supervisor) && canon(row.superviseeId) === canon(u.supervisee);
        return taken ? { ...row, supervisorId: u.therapist } : row;
      },
    },
    'public.caseload_assignments': {
      base: { organizationId: w.org, studentId: s3, therapistId: u.therapist, discipline: 'slp', startsOn: '2096-01-05' },
      fields: {
        organizationId: org,
        studentId: ref([s3]),
        therapistId: therapist,
        discipline: codes(['slp', 'ot', 'pt', 'counseling', 'psychology', 'audiology']),
        assignmentRole: codes(['primary', 'secondary', 'consult', 'evaluator']),
        startsOn: date(),
        endsOn: date(),
      },
      scenarios: [
        { startsOn: '2096-01-05', endsOn: '2096-01-05' }, { startsOn: '2096-01-05', endsOn: '2096-01-04' }, { startsOn: '2096-01-05', endsOn: '2096-01-06' },
        { startsOn: '9999-12-31', endsOn: '0001-01-01' },
      ],
      construct: (row) => (row.startsOn === undefined ? { ...row, endsOn: null } : row),
    },
    'public.service_plans': {
      base: { organizationId: w.org, studentId: s3, planType: 'iep', effectiveDuring: '[2096-01-01,2096-12-31)', createdBy: u.org_admin },
      fields: {
        organizationId: org,
        studentId: ref([s2, s3]),
        planType: codes(['iep', '504', 'ifsp', 'plan_of_care'], { numericCodes: true }),
        status: codes(['draft', 'active', 'superseded', 'expired', 'closed']),
        meetingDate: date(),
        effectiveDuring: daterange(),
        reevaluationDueOn: date(),
        sourceDocumentId: ref([w.documentS3]),
        createdBy: profile,
      },
      // the source document is s3's: the foreign key includes the student
      construct: (row) => (row.sourceDocumentId != null ? { ...row, studentId: s3 } : row),
    },
    'public.service_mandates': {
      base: { organizationId: w.org, servicePlanId: w.plan, discipline: 'slp', minutesPerSession: 30, sessionsPerPeriod: 2, period: 'week', deliverySetting: 'pull_out', effectiveDuring: '[2096-01-01,2096-12-31)' },
      fields: {
        organizationId: org,
        servicePlanId: ref([w.plan]),
        discipline: codes(['slp', 'ot', 'pt', 'counseling', 'psychology', 'audiology']),
        sessionTypeId: ref([w.sessionType, w.groupType]),
        minutesPerSession: int([5, 240]),
        sessionsPerPeriod: int([1, 31]),
        period: codes(['week', 'month', 'quarter', 'year']),
        deliverySetting: codes(['pull_out', 'push_in', 'consult', 'telehealth']),
        groupSizeMax: int([1, 8]),
        effectiveDuring: daterange(),
      },
      unreachable: {
        service_mandates_student_id_check:
          "the service_mandates_student_of_plan trigger sets student_id to the plan's student (or refuses a missing plan) first; the CHECK holds with triggers off (test/policies/redteam.test.ts)",
      },
    },
    'public.consents': {
      base: { organizationId: w.org, studentId: s3, consentType: 'evaluation', grantedAt: '2096-01-05T10:00:00Z', signatureMethod: 'e_signature', recordedBy: u.org_admin },
      fields: {
        organizationId: org,
        studentId: ref([s1, s2, s3]),
        guardianId: ref([a.guardianId]),
        consentType: codes(['evaluation', 'treatment', 'medicaid_billing', 'telehealth', 'release_of_information', 'messaging', 'media']),
        scope: jsonObject(),
        grantedAt: timestamp(),
        expiresAt: timestamp(),
        revokedAt: timestamp(),
        revokedReason: text(),
        signatureMethod: codes(['wet_ink_scanned', 'e_signature', 'verbal_documented']),
        documentId: ref([w.documentS3]),
        recordedBy: profile,
      },
      scenarios: [
        { expiresAt: '2096-01-05T10:00:00Z' }, { expiresAt: '2096-01-05T10:00:00.001Z' }, { expiresAt: '2096-01-05T09:59:59.999Z' }, { expiresAt: '2096-01-05T11:00:00+01:00' },
        { revokedAt: '2096-01-05T10:00:00Z', revokedReason: 'moved' }, { revokedAt: '2096-01-05T09:59:59.999Z', revokedReason: 'moved' },
        { revokedAt: '2096-01-06T10:00:00Z' }, { revokedReason: 'moved' }, { revokedAt: '2096-01-06T10:00:00Z', revokedReason: '' },
      ],
      // the signed form is s3's: the foreign key includes the student
      construct: (row) => (row.documentId != null ? { ...row, studentId: s3 } : row),
    },
    'public.session_types': {
      base: { organizationId: w.org, code: 'VAL-T1', name: 'Validator type', discipline: 'slp', kind: 'therapy', defaultDurationMinutes: 30 },
      fields: {
        organizationId: orgs,
        code: text(),
        name: text(),
        discipline: codes(['slp', 'ot', 'pt', 'counseling', 'psychology', 'audiology']),
        kind: codes(['therapy', 'evaluation', 'reevaluation', 'consultation', 'iep_meeting', 'screening']),
        defaultDurationMinutes: int([5, 240]),
        isGroup: booleans(),
        maxParticipants: int([1, 8]),
        defaultBillingCodeId: ref([w.globalBillingCode]),
        isBillable: booleans(),
        active: booleans(),
      },
      scenarios: [
        { isGroup: false, maxParticipants: 2 }, { maxParticipants: 2 }, { isGroup: true, maxParticipants: 8 }, { isGroup: true, maxParticipants: 1 },
        { isGroup: false, maxParticipants: 1 }, { isGroup: true, maxParticipants: 9 }, { isGroup: true, maxParticipants: 0 },
      ],
      construct: (row) => ({ ...row, code: avoid(row.code, ['SLP-IND', 'VAL-GROUP'], 'VAL-T2') as Json }),
    },
    'public.session_series': {
      base: {
        organizationId: w.org, therapistId: u.therapist, sessionTypeId: w.sessionType, rrule: 'FREQ=WEEKLY;BYDAY=MO,WE', localStartTime: '09:30',
        durationMinutes: 30, timezone: 'America/Los_Angeles', activeDuring: '[2096-01-01,2096-06-30)', createdBy: u.therapist,
      },
      fields: {
        organizationId: org,
        therapistId: therapist,
        sessionTypeId: ref([w.sessionType, w.groupType]),
        schoolId: school,
        rrule: pattern(/^FREQ=(DAILY|WEEKLY|MONTHLY)(;[A-Z]+=[A-Za-z0-9,+-]+)*$/, ['FREQ=YEARLY', 'freq=weekly', 'FREQ=WEEKLY;', 'FREQ=WEEKLY;byday=MO', 'FREQ=WEEKLY;BYDAY=MO WE', 'FREQ=WEEKLY\n', 'RRULE:FREQ=WEEKLY', 'FREQ=DAILY;COUNT=', '']),
        localStartTime: time(),
        durationMinutes: int([5, 240]),
        timezone: codes(timeZones),
        activeDuring: daterange(),
        createdBy: profile,
      },
    },
    'public.therapy_sessions': {
      base: { organizationId: w.org, therapistId: u.therapist, sessionTypeId: w.sessionType, startTime: iso(t0), endTime: iso(t0 + H / 2), createdBy: u.therapist },
      fields: {
        organizationId: org,
        therapistId: therapist,
        sessionTypeId: ref([w.sessionType, w.groupType]),
        schoolId: school,
        location: text(),
        deliveryMode: codes(['in_person', 'telehealth']),
        startTime: timestamp([iso(t0 - 4 * H), iso(t0 + H / 2), iso(t0 + H / 2 - 1)]),
        endTime: timestamp([iso(t0), iso(t0 - 1), iso(t0 + 1), iso(t0 + 4 * H), iso(t0 + 4 * H + 1), '2096-03-04T13:00:00+04:00', '2096-03-04T05:00:00-04:00']),
        status: codes(['scheduled', 'confirmed', 'in_progress', 'completed', 'cancelled', 'no_show']),
        cancellationReason: codes(['student_absent', 'therapist_absent', 'school_closure', 'student_unavailable', 'scheduling_conflict', 'guardian_request', 'weather', 'other']),
        cancellationNote: text(),
        cancelledBy: profile,
        cancelledAt: timestamp(),
        makeupForSessionId: ref([a.sessionIds.pastS1]),
        createdBy: profile,
      },
      scenarios: [
        { status: 'cancelled', cancellationReason: 'weather', cancelledAt: '2096-03-01T08:00:00Z', cancelledBy: u.org_admin },
        { status: 'cancelled', cancellationReason: 'weather', cancelledAt: '2096-03-01T08:00:00Z' },
        { status: 'cancelled', cancellationReason: 'weather', cancelledBy: u.org_admin },
        { status: 'cancelled', cancelledAt: '2096-03-01T08:00:00Z', cancelledBy: u.org_admin },
        { status: 'cancelled' },
        { cancellationReason: 'weather', cancelledAt: '2096-03-01T08:00:00Z', cancelledBy: u.org_admin },
        { status: 'confirmed', cancellationReason: 'weather', cancelledAt: '2096-03-01T08:00:00Z', cancelledBy: u.org_admin },
        { status: 'scheduled', cancellationReason: 'weather' },
        { status: 'cancelled', cancellationReason: 'other', cancelledAt: '2096-03-01T08:00:00Z', cancelledBy: u.org_admin },
        { status: 'cancelled', cancellationReason: 'other', cancellationNote: 'Fire drill', cancelledAt: '2096-03-01T08:00:00Z', cancelledBy: u.org_admin },
        { cancellationReason: 'other' }, { cancellationReason: 'other', cancellationNote: '' },
        { startTime: '2096-03-04T09:00:00Z', endTime: '2096-03-04T13:00:00Z' }, { startTime: '2096-03-04T09:00:00Z', endTime: '2096-03-04T13:00:00.001Z' },
        { startTime: '2096-03-04T09:00:00+02:00', endTime: '2096-03-04T09:00:00+01:00' }, { startTime: '2096-03-04T09:00:00Z', endTime: '2096-03-04T09:00:00Z' },
      ],
    },
    'public.session_participants': {
      base: { organizationId: w.org, sessionId: w.groupSessions[0], studentId: s1 },
      fields: {
        organizationId: org,
        sessionId: ref(w.groupSessions),
        studentId: ref([s1, s2, s3]),
        serviceMandateId: ref([w.mandate]),
        attendance: codes(['expected', 'present', 'absent_excused', 'absent_unexcused', 'tardy', 'left_early']),
        minutesAttended: int([0, 240]),
      },
      // the mandate is s1's (the fixture plan's): the foreign key includes the student
      construct: (row) => (row.serviceMandateId != null ? { ...row, studentId: s1 } : row),
    },
    'public.calendar_blackouts': {
      base: { organizationId: w.org, kind: 'holiday', during: '[2096-12-24T00:00:00Z,2096-12-26T00:00:00Z)' },
      fields: {
        organizationId: org,
        schoolId: school,
        therapistId: therapist,
        kind: codes(['holiday', 'break', 'testing', 'early_release', 'pd_day', 'therapist_leave', 'closure']),
        during: tstzrange(),
        note: text(),
      },
    },
    'public.session_notes': {
      base: { organizationId: w.org, sessionId: a.sessionIds.upcomingS1, studentId: s1, authorId: u.therapist },
      fields: {
        organizationId: org,
        sessionId: ref([a.sessionIds.upcomingS1]),
        studentId: ref([s1]),
        authorId: therapist,
        amendsNoteId: ref([a.noteIds.signedS1]),
        noteFormat: codes(['soap', 'narrative', 'dap', 'evaluation']),
        subjective: text(),
        objective: text(),
        assessment: text(),
        plan: text(),
        structured: jsonObject(),
        billableMinutes: int([0, 240]),
        status: codes(['draft', 'pending_cosign', 'signed', 'void']),
        voidReason: text(),
        visibleToGuardian: booleans(),
      },
      scenarios: [{ status: 'void', voidReason: 'entered in error' }, { status: 'draft', voidReason: 'entered in error' }, { status: 'void' }],
      // An amendment amends a signed note of its own session and student: the fixture's signed note.
      construct: (row) => (isSpellingOf(row.amendsNoteId, a.noteIds.signedS1) && isSpellingOf(row.sessionId, a.sessionIds.upcomingS1) ? { ...row, sessionId: a.sessionIds.pastS1 } : row),
      unreachable: {
        session_notes_status_check: 'the session_notes_created_as_draft trigger refuses any status but draft first',
        session_notes_signature_fields_check: 'a note is inserted as a draft, which needs no signature',
        session_notes_cosign_fields_check: 'the insert trigger clears cosigned_at and cosigned_by',
        session_notes_cosigner_not_author_check: 'the insert trigger clears cosigned_by',
      },
    },
    'public.goals': {
      base: { organizationId: w.org, studentId: s1, discipline: 'slp', domain: 'articulation', goalText: 'Say /r/ in all positions.', measurementType: 'frequency', createdBy: u.therapist },
      fields: {
        organizationId: org,
        studentId: ref([s1, s2, s3]),
        servicePlanId: ref([w.plan]),
        parentGoalId: ref([w.goal]),
        discipline: codes(['slp', 'ot', 'pt', 'counseling', 'psychology', 'audiology']),
        domain: codes(['articulation', 'expressive_language', 'receptive_language', 'fluency', 'voice', 'pragmatics', 'aac', 'feeding', 'fine_motor', 'visual_motor', 'sensory', 'self_care', 'gross_motor', 'mobility', 'social_emotional', 'behavior', 'other']),
        goalText: text(),
        baseline: text(),
        measurementType: codes(['percent_accuracy', 'frequency', 'duration', 'rubric', 'trials', 'latency']),
        targetValue: decimal(7, 2, ['100', '100.004', '100.005', '100.01', '-0.01', 99.999]),
        masteryCriterion: text(),
        status: codes(['draft', 'active', 'met', 'discontinued', 'carried_over']),
        targetDate: date(),
        createdBy: profile,
      },
      scenarios: ['0', '-0.004', '-0.005', '-0.01', '100', '100.004', '100.005', 100.01, 1e-7, null, '99999.99', '1e2', '1.005e2'].map((targetValue) => ({ measurementType: 'percent_accuracy', targetValue })),
      // the plan and the parent goal are s1's: the foreign keys include the student
      construct: (row) => (row.servicePlanId != null || row.parentGoalId != null ? { ...row, studentId: s1 } : row),
    },
    'public.goal_observations': {
      base: { organizationId: w.org, goalId: w.goal, sessionId: a.sessionIds.pastS1, studentId: s1, recordedBy: u.therapist, trialsCorrect: 8, trialsTotal: 10 },
      fields: {
        organizationId: org,
        goalId: ref([w.goal, w.freshGoal]),
        sessionId: ref([a.sessionIds.pastS1, a.sessionIds.upcomingS1]),
        studentId: ref([s1]),
        recordedBy: therapist,
        trialsCorrect: int(undefined),
        trialsTotal: int(undefined),
        value: decimal(8, 2),
        promptLevel: codes(['independent', 'gestural', 'verbal', 'visual', 'model', 'partial_physical', 'full_physical']),
        note: text(),
        recordedAt: timestamp(),
      },
      scenarios: [
        { trialsTotal: null, value: null }, { trialsTotal: null, trialsCorrect: null, value: null }, { trialsTotal: null, value: '3.5' }, { trialsTotal: 0, trialsCorrect: 0 },
        { trialsTotal: -1, trialsCorrect: 0 }, { trialsTotal: 5, trialsCorrect: null }, { trialsTotal: 5, trialsCorrect: 6 }, { trialsTotal: 5, trialsCorrect: 5 },
        { trialsTotal: 5, trialsCorrect: -1 }, { trialsTotal: 0, trialsCorrect: null }, { trialsTotal: null, trialsCorrect: 50, value: 1 }, { trialsTotal: 1, trialsCorrect: 0 },
      ],
    },
    'public.progress_reports': {
      base: { organizationId: w.org, goalId: w.freshGoal, studentId: s1, reportingPeriod: '[2096-01-01,2096-03-31)', progressCode: 'sufficient', summary: 'Steady progress.', authorId: u.therapist },
      fields: {
        organizationId: org,
        goalId: ref([w.freshGoal]),
        studentId: ref([s1]),
        reportingPeriod: daterange(),
        progressCode: codes(['mastered', 'sufficient', 'insufficient', 'not_introduced', 'regression']),
        summary: text(),
        dataSummary: jsonObject(),
        authorId: therapist,
        status: codes(['draft', 'final', 'shared']),
        finalizedAt: timestamp(),
        sharedWithGuardiansAt: timestamp(),
      },
      scenarios: [
        { status: 'final' }, { status: 'final', finalizedAt: '2096-04-01T10:00:00Z' }, { status: 'shared', finalizedAt: '2096-04-01T10:00:00Z' },
        { status: 'shared', finalizedAt: '2096-04-01T10:00:00Z', sharedWithGuardiansAt: '2096-04-02T10:00:00Z' }, { status: 'shared', sharedWithGuardiansAt: '2096-04-02T10:00:00Z' },
        { status: 'draft', sharedWithGuardiansAt: '2096-04-02T10:00:00Z' }, { status: 'final', finalizedAt: '2096-04-01T10:00:00Z', sharedWithGuardiansAt: '2096-04-02T10:00:00Z' },
        { status: 'draft', finalizedAt: '2096-04-01T10:00:00Z' },
      ],
    },
    'public.conversations': {
      base: { organizationId: w.org, kind: 'group', createdBy: u.therapist },
      fields: {
        organizationId: org,
        kind: codes(['direct', 'group', 'student_team', 'announcement']),
        studentId: ref([s1, s2, s3]),
        title: text(),
        createdBy: profile,
        archivedAt: timestamp(),
      },
      scenarios: [{ kind: 'student_team' }, { kind: 'student_team', studentId: null }, { kind: 'student_team', studentId: s2 }, { kind: 'direct', studentId: s2 }],
    },
    'public.conversation_participants': {
      base: { organizationId: w.org, conversationId: a.conversationId, userId: u.supervisor, joinedAt: '2096-01-05T09:00:00Z' },
      fields: {
        organizationId: org,
        conversationId: ref([a.conversationId]),
        userId: ref([u.supervisor, u.org_admin, u.school_staff, ...w.studentLogins, ...w.guardianLogins]),
        participantRole: codes(['owner', 'member', 'read_only']),
        joinedAt: timestamp(),
        leftAt: timestamp(['2096-01-05T09:00:00Z', '2096-01-05T08:59:59.999Z', '2096-01-05T09:00:00.001Z', '2096-01-05T10:00:00+01:00']),
        lastReadAt: timestamp(),
        mutedUntil: timestamp(),
      },
      construct: (row) => (row.joinedAt === undefined ? { ...row, leftAt: null } : row),
    },
    'public.messages': {
      base: { organizationId: w.org, conversationId: a.conversationId, senderId: u.therapist, clientMessageId: '0b5e4c1e-7d0a-4f43-9d5e-2f1c8a6b3e90', body: 'Hello' },
      fields: {
        organizationId: org,
        conversationId: ref([a.conversationId]),
        senderId: ref([u.therapist, u.guardian]),
        clientMessageId: anyUuid(),
        body: textLength(1, 10_000),
        attachmentDocumentId: ref([w.chatDocument]),
        replyToId: ref(w.messages),
      },
      scenarios: [{ body: null, attachmentDocumentId: null }, { body: null }, { body: null, attachmentDocumentId: w.chatDocument }, { body: '', attachmentDocumentId: w.chatDocument }],
      construct: (row) => ({ ...row, clientMessageId: avoid(row.clientMessageId, [stableId('org-a:msg:1'), stableId('org-a:msg:2')], '0b5e4c1e-7d0a-4f43-9d5e-2f1c8a6b3e91') as Json }),
    },
    'public.documents': {
      base: {
        organizationId: w.org, studentId: s1, bucketId: 'student-records', storagePath: `${w.org}/students/${s1}/iep/validator.pdf`, category: 'iep',
        fileName: 'validator.pdf', mimeType: 'application/pdf', sizeBytes: 1000, uploadedBy: u.org_admin,
      },
      fields: {
        organizationId: org,
        studentId: ref([s1, s2, s3]),
        sessionId: ref([a.sessionIds.pastS1]),
        conversationId: ref([a.conversationId]),
        bucketId: codes(['student-records', 'chat-attachments', 'org-assets']),
        storagePath: field(
          [`${w.org}/x.pdf`, w.org, `${w.org}/`, `${w.org.toUpperCase()}/x.pdf`, `{${w.org}}/x.pdf`, `${w.orgB}/x.pdf`, `/${w.org}/x.pdf`, `x/${w.org}/x.pdf`, '', 'x.pdf', `${w.org}\u0000/x`],
          fc.string({ maxLength: 20 }).map((rest) => `${w.org}/${rest}`),
        ),
        category: codes(['iep', 'evaluation_report', 'consent_form', 'progress_report', 'session_attachment', 'medical_order', 'chat_attachment', 'org_asset', 'other']),
        fileName: text(),
        mimeType: text(),
        sizeBytes: int([1, maxDocumentBytes], [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER]),
        sha256: pattern(/^[0-9a-f]{64}$/, ['a'.repeat(63), 'a'.repeat(65), 'A'.repeat(64), `${'a'.repeat(63)}g`, '']),
        visibility: codes(['staff', 'caseload', 'guardians', 'participants']),
        uploadedBy: profile,
        retainUntil: date(),
      },
      scenarios: [
        { category: 'chat_attachment' },
        { category: 'chat_attachment', conversationId: a.conversationId },
        // PostgreSQL checks a row's CHECKs in name order and reports the first that fails, so a chat
        // attachment in the base row's student-records bucket stops at documents_category_bucket_check:
        // the three below are otherwise valid chat attachments, so they reach documents_chat_attachment_links_check
        // (with the base row's student, with a session, with neither).
        { category: 'chat_attachment', conversationId: a.conversationId, bucketId: 'chat-attachments', visibility: 'participants' },
        { category: 'chat_attachment', conversationId: a.conversationId, bucketId: 'chat-attachments', visibility: 'participants', studentId: null, sessionId: a.sessionIds.pastS1 },
        { category: 'chat_attachment', conversationId: a.conversationId, bucketId: 'chat-attachments', visibility: 'participants', studentId: null },
        { organizationId: w.org.toUpperCase(), storagePath: `${w.org.toUpperCase()}/x.pdf` },
      ],
      construct: (row) => ({ ...row, storagePath: avoid(row.storagePath, [`${w.org}/students/${s1}/iep/${w.document}.pdf`], `${w.org}/validator-2.pdf`) as Json }),
    },
    'public.billing_codes': {
      base: { organizationId: w.org, code: 'VAL9001', description: 'Validator code', unitRule: 'per_session' },
      fields: {
        organizationId: orgs,
        codeSystem: codes(['CPT', 'HCPCS', 'STATE']),
        code: pattern(/^[A-Z0-9]{4,7}$/, ['ABC', 'ABCDEFGH', 'abcd', 'AB-12', 'ÄBCD', 'ABCD\n', ' ABCD', '']),
        description: text(),
        discipline: codes(['slp', 'ot', 'pt', 'counseling', 'psychology', 'audiology']),
        unitRule: codes(['timed_15min', 'per_session', 'per_evaluation', 'time_range']),
        minMinutes: int(undefined),
        maxMinutes: int(undefined),
        defaultModifiers: textArray(text()),
        effectiveDuring: daterange(),
      },
      scenarios: [{ minMinutes: 8, maxMinutes: 7 }, { minMinutes: 8, maxMinutes: 8 }, { minMinutes: 8, maxMinutes: null }, { minMinutes: -5, maxMinutes: -6 }],
      construct: (row) => ({ ...row, code: avoid(row.code, ['92507', 'VALB001'], 'VAL9002') as Json }),
    },
    'public.service_charges': {
      base: {
        organizationId: w.org, sessionId: a.sessionIds.pastS1, studentId: s1, noteId: a.noteIds.signedS1, billingCodeId: w.freshBillingCode, unitRule: 'timed_15min',
        renderingProviderId: u.therapist, serviceDate: '2096-01-05', billableMinutes: 30,
      },
      fields: {
        organizationId: org,
        sessionId: ref([a.sessionIds.pastS1]),
        studentId: ref([s1]),
        noteId: ref([a.noteIds.signedS1]),
        billingCodeId: ref([w.freshBillingCode]),
        unitRule: codes(['timed_15min', 'per_session', 'per_evaluation', 'time_range']),
        modifiers: textArray(field(['GN', 'GO', 'GP', '59', 'KX', 'U1'], fc.constantFrom('GN', 'GO', 'GP', '59', 'KX'))),
        renderingProviderId: therapist,
        supervisingProviderId: therapist,
        serviceDate: date(),
        billableMinutes: int([1, 480]),
        payer: codes(['medicaid', 'private_insurance', 'district', 'self_pay']),
        status: codes(['pending', 'ready', 'submitted', 'paid', 'denied', 'void']),
        claimReference: text(),
        amountBilled: decimal(10, 2),
        amountPaid: decimal(10, 2),
        submittedAt: timestamp(),
      },
      scenarios: [
        ...[1, 7, 8, 22, 23].flatMap((billableMinutes) => ['pending', 'ready', 'void'].map((status) => ({ status, unitRule: 'timed_15min', billableMinutes }))),
        { status: 'ready', unitRule: 'per_session', billableMinutes: 1 }, { status: 'submitted' }, { status: 'submitted', submittedAt: '2096-02-01T10:00:00Z' },
        { status: 'paid', submittedAt: null }, { status: 'denied', submittedAt: '2096-02-01T10:00:00Z' }, { status: 'pending', submittedAt: null },
      ],
      // The medicaid_billing consent starts 150 days before the fixture's day: Medicaid service dates lie after it.
      construct: (row) => {
        const medicaid = row.payer === undefined || row.payer === 'medicaid';
        const early = typeof row.serviceDate !== 'string' || row.serviceDate < '2090-01-01';
        return medicaid && row.status !== 'void' && early ? { ...row, payer: 'district' } : row;
      },
    },
    'public.notifications': {
      base: { userId: u.guardian, type: 'session.cancelled', title: 'Session cancelled' },
      fields: {
        userId: profile,
        organizationId: orgs,
        type: pattern(/^[a-z_]+\.[a-z_]+$/, ['session', 'session.', '.cancelled', 'Session.cancelled', 'session.cancelled.x', 'session-x.cancelled', 'session.cancelled\n', 'séssion.x', '']),
        title: text(),
        body: text(),
        data: jsonObject(),
        channels: field([[], ['in_app'], ['in_app', 'email', 'sms', 'push'], ['sms', 'sms'], ['fax'], ['in_app', 'IN_APP'], [null], ['in_app', null], 'in_app', 5, {}], fc.array(fc.constantFrom('in_app', 'email', 'sms', 'push'), { maxLength: 5 })),
        readAt: timestamp(),
      },
    },
    'public.webhook_subscriptions': {
      base: { organizationId: w.org, targetUrl: 'https://automation.example.org/hook', eventTypes: ['session.created'], secretId: w.webhookSecret },
      fields: {
        // The secret is org A's: a row signs only with its own organisation's secrets (a database-only rule).
        organizationId: org,
        targetUrl: pattern(/^https:\/\/[a-z0-9.:\[\]@-]{0,24}$/, [
          'https://', 'http://example.org', 'HTTPS://example.org', ' https://example.org', 'https:/example.org', 'ftp://x', '',
          'https://169.254.169.254/', 'https://127.1/', 'https://2130706433/', 'https://0x7f.1/', 'https://[::1]/', 'https://[::ffff:10.0.0.1]/',
          'https://[2001:4860::8888]/', 'https://[1::2::3]/', 'https://8.8.8.8:443/', 'https://10.0.0.1/', 'https://localhost/', 'https://a.local/',
          'https://metadata.google.internal/', 'https://u@example.org/', 'https://example.org\\@10.0.0.1/', 'https://example.org:99999/',
          'https://%31.example.org/', 'https://exämple.org/', 'https://n8n/', 'https://example.org./hook',
        ]),
        eventTypes: also(
          textArray(eventType(['session', 'Session.created', 'session.created.x', 'session-x.created', 'séssion.x', '', ' session.created', 'session.created\n'])),
          ['a.b,c.d'], ['session.created,note.signed'], ['a.b","c.d'], ['session.created', 'Session.created'], ['session.created', ''], ['session.created', 'session'],
          ['session.created', 'note.signed', 'message.created'], ['_._'], ['session.created', null], [null, 'session.created'],
        ),
        secretId: ref([w.webhookSecret]),
        active: booleans(),
        // members of both organisations the rows are tried in
        createdBy: ref(w.guardianLogins),
      },
      unreachable: {
        webhook_subscriptions_target_url_check:
          'the BEFORE trigger refuses a non-https URL first (webhook_subscriptions_target_url_public, tried by every input here); the CHECK stays as the rule that holds even with triggers off',
      },
    },
    'public.outbox_events': {
      base: { organizationId: w.org, eventType: 'session.created', aggregateType: 'therapy_session', aggregateId: '0b5e4c1e-7d0a-4f43-9d5e-2f1c8a6b3e90', payload: { session_id: 'x' } },
      fields: {
        eventId: anyUuid(),
        organizationId: org,
        subscriptionId: ref([w.subscription]),
        eventType: eventType(['session', 'Session.created', 'session.created.x', '']),
        aggregateType: text(),
        aggregateId: anyUuid(),
        payload: jsonObject(),
        status: codes(['pending', 'in_flight', 'delivered', 'failed', 'dead']),
        attempts: int([0, 50]),
        nextAttemptAt: timestamp(),
        lastStatusCode: int(undefined),
        lastError: text(),
        deliveredAt: timestamp(),
      },
      unreachable: {
        outbox_events_result_check: 'result is server-set (recordWebhookResult): the insert schema refuses it; test/integrations/results.test.ts tests the CHECK',
        outbox_events_result_reported_at_check: 'result_reported_at is server-set with result; test/integrations/results.test.ts tests the CHECK',
      },
    },
    'audit.audit_log': {
      base: { action: 'insert', tableName: 'students' },
      fields: {
        organizationId: anyUuid(),
        actorId: anyUuid(),
        actorRole: text(),
        actorMemberRoles: textArray(text()),
        action: codes(['insert', 'update', 'delete', 'view', 'export', 'disclose', 'sign', 'cosign', 'login']),
        tableName: text(),
        recordId: anyUuid(),
        oldData: jsonObject(),
        newData: jsonObject(),
        changedFields: textArray(text()),
        requestId: text(),
      },
    },
  };
}

// ================================================================== candidates
function applyProbes(base: Row, probes: Readonly<Record<string, Probe>>): Row {
  const row: Row = { ...base };
  for (const [key, value] of Object.entries(probes)) {
    if (value === OMIT) delete row[key];
    else row[key] = value;
  }
  return row;
}

/** Every boundary value alone, every scenario alone, then `runs` seeded random mixes. */
function candidates(c: TableCase, seed: number, runs: number): Row[] {
  const construct = c.construct ?? ((row: Row) => row);
  // Every field is also tried as JSON null and as absent (a default, or NULL, or required).
  const fields = Object.entries(c.fields).map(([key, f]) => [key, also(f, null, OMIT)] as const);
  const sweep: Row[] = [c.base];
  for (const [key, f] of fields) for (const value of f.values) sweep.push(applyProbes(c.base, { [key]: value }));
  for (const scenario of c.scenarios ?? []) sweep.push(applyProbes(c.base, scenario));
  const mutation = fc.oneof(
    ...fields.map(([key, f]) => {
      const value = f.random ? fc.oneof({ arbitrary: fc.constantFrom(...f.values), weight: 3 }, { arbitrary: f.random, weight: 2 }) : fc.constantFrom(...f.values);
      return value.map((v) => ({ [key]: v }) as Record<string, Probe>);
    }),
    ...(c.scenarios && c.scenarios.length > 0 ? [fc.constantFrom(...c.scenarios)] : []),
  );
  const mixes = fc.sample(fc.array(mutation, { minLength: 1, maxLength: 4 }), { seed, numRuns: runs });
  const random = mixes.map((ms) => ms.reduce<Row>((row, probes) => applyProbes(row, probes), c.base));
  return [...sweep, ...random].map(construct);
}

// ================================================================== the database side
interface DbVerdict {
  readonly accepted: boolean;
  readonly sqlstate: string;
  readonly constraint: string | null;
  readonly column: string | null;
  readonly message: string;
}

/**
 * Installs `validator_probe.try_inserts(table, rows)`: each row (JSON text) is parsed and inserted
 * PostgREST-style in its own subtransaction (a savepoint), then rolled back whatever happened, so
 * the rows never see each other. Deferred constraints are made immediate so they judge each row.
 */
async function installProbe(sql: postgres.Sql): Promise<void> {
  await sql.unsafe(`
create schema if not exists validator_probe;
create or replace function validator_probe.try_inserts(p_table regclass, p_rows json)
returns table (ord int, ok boolean, state text, cname text, col text, msg text)
language plpgsql as $fn$
declare
  r record;
  v_row json;
  v_columns text;
begin
  set constraints all immediate;
  for r in select e.value as body, e.ordinality::int as ord from json_array_elements_text(p_rows) with ordinality e loop
    begin
      v_row := r.body::json;
      select string_agg(format('%I', k), ', ') into v_columns from json_object_keys(v_row) k;
      if v_columns is null then
        execute format('insert into %s default values', p_table);
      else
        execute format('insert into %s (%s) select %s from json_populate_record(null::%s, $1)', p_table, v_columns, v_columns, p_table) using v_row;
      end if;
      raise exception 'accepted' using errcode = 'TDBOK';
    exception when others then
      ord := r.ord;
      get stacked diagnostics state = returned_sqlstate, cname = constraint_name, col = column_name, msg = message_text;
      ok := state = 'TDBOK';
      return next;
    end;
  end loop;
end
$fn$;
grant usage on schema validator_probe to service_role;
grant execute on function validator_probe.try_inserts(regclass, json) to service_role;
`);
}

function toDatabaseRow(row: Row): Record<string, Json> {
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [columnName(key), value]));
}

async function databaseVerdicts(sql: postgres.Sql, table: string, rows: readonly Row[]): Promise<DbVerdict[]> {
  const bodies = JSON.stringify(rows.map((row) => JSON.stringify(toDatabaseRow(row))));
  const result = await asServiceRole(sql, (tx) =>
    tx<{ ord: number; ok: boolean; state: string; cname: string | null; col: string | null; msg: string }[]>`
      select * from validator_probe.try_inserts(${table}::regclass, ${bodies}::text::json) order by ord`,
  );
  expect(result.length).toBe(rows.length);
  return result.map((r) => ({ accepted: r.ok, sqlstate: r.state, constraint: r.cname || null, column: r.col || null, message: r.msg }));
}

async function checkConstraints(sql: postgres.Sql, table: string): Promise<string[]> {
  const rows = await sql<{ conname: string }[]>`select conname from pg_constraint where conrelid = ${table}::regclass and contype = 'c' order by conname`;
  return rows.map((r) => r.conname);
}

// ================================================================== the test
describe('validators agree with the database', () => {
  let db: TestDatabase;
  let world: World;
  const summary: { table: string; inputs: number; accepted: number; rejected: number; disagreements: number }[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    world = await seedWorld(db.sql);
    await installProbe(db.sql);
  });

  afterAll(async () => {
    if (summary.length > 0) {
      const total = summary.reduce((n, s) => n + s.inputs, 0);
      console.log(
        `validators differential (${db?.backend}, seed ${SEED}): ${summary.length} tables, ${total} inputs, ` +
          `${summary.reduce((n, s) => n + s.disagreements, 0)} disagreements, ${Math.min(...summary.map((s) => s.inputs))}–${Math.max(...summary.map((s) => s.inputs))} inputs per table\n` +
          summary.map((s) => `  ${s.table.padEnd(34)} ${String(s.inputs).padStart(4)} inputs  ${String(s.accepted).padStart(4)} accepted  ${String(s.rejected).padStart(4)} rejected  ${s.disagreements} disagreements`).join('\n'),
      );
    }
    await db?.close();
  });

  it('covers every table with validators and a case', () => {
    const tables = Object.keys(validatorsByTable).sort();
    expect(tables).toHaveLength(32);
    expect(Object.keys(cases(world)).sort()).toEqual(tables);
  });

  // Issue 12 follow-up (b): this rule was once listed as unreachable. Its scenario put a chat
  // attachment in the base row's student-records bucket, so PostgreSQL (which checks a row's CHECKs
  // in name order and reports the first that fails) answered documents_category_bucket_check and
  // never reached it. A well-formed chat attachment with a link gets it, from both sides.
  it('public.documents: a chat attachment with a student or session link is refused by both, naming documents_chat_attachment_links_check', async () => {
    const a = world.f.a;
    const attachment: Row = {
      organizationId: world.org, conversationId: a.conversationId, bucketId: 'chat-attachments', category: 'chat_attachment', visibility: 'participants',
      storagePath: `${world.org}/conversations/${a.conversationId}/validator.png`, fileName: 'validator.png', mimeType: 'image/png', sizeBytes: 1000, uploadedBy: world.users.guardian,
    };
    const rows = [attachment, { ...attachment, studentId: a.studentIds[0] }, { ...attachment, sessionId: a.sessionIds.pastS1 }];
    const verdicts = await databaseVerdicts(db.sql, 'public.documents', rows);
    const zod = rows.map((row) => {
      const result = validatorsByTable['public.documents']!.insert.safeParse(row);
      return result.success ? 'accepted' : result.error.issues.map((issue) => `${issue.path.join('.')}: ${(issue as { params?: { constraint?: string } }).params?.constraint ?? issue.message}`).join('; ');
    });
    expect({ database: verdicts.map((v) => (v.accepted ? 'accepted' : `${v.sqlstate} ${v.constraint}`)), zod }).toEqual({
      database: ['accepted', '23514 documents_chat_attachment_links_check', '23514 documents_chat_attachment_links_check'],
      zod: ['accepted', 'studentId: documents_chat_attachment_links_check', 'studentId: documents_chat_attachment_links_check'],
    });
  });

  const tableNames = Object.keys(validatorsByTable).sort();
  for (const [index, table] of tableNames.entries()) {
    it(`${table}: the insert schema and the database give the same verdict`, async () => {
      const validators = validatorsByTable[table] as AnyTableValidators;
      const c = cases(world)[table]!;
      const seed = SEED + index;
      const inputs = candidates(c, seed, RANDOM_RUNS);
      const verdicts = await databaseVerdicts(db.sql, table, inputs);

      const disagreements: string[] = [];
      const leaks: string[] = [];
      const fired = new Set<string>();
      inputs.forEach((input, i) => {
        const zod = validators.insert.safeParse(input);
        const dbv = verdicts[i]!;
        if (!dbv.accepted) {
          if (dbv.constraint) fired.add(dbv.constraint);
          const reads = dbv.constraint ? LEAK_CONSTRAINTS[dbv.constraint] : undefined;
          const row = toDatabaseRow(input);
          const readsNull = reads?.some((column) => row[column] === null || row[column] === undefined) ?? false;
          if (LEAK_SQLSTATES.has(dbv.sqlstate) || (reads && !readsNull)) {
            leaks.push(`  input: ${show(input)}\n  database: ${dbv.sqlstate} ${dbv.constraint ?? ''} ${dbv.message}`);
          }
        }
        if (zod.success !== dbv.accepted) {
          const zodVerdict = zod.success ? 'accepted' : `rejected: ${zod.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`;
          const dbVerdict = dbv.accepted ? 'accepted' : `rejected: ${dbv.sqlstate} ${dbv.constraint ?? ''} ${dbv.message}`;
          disagreements.push(`  input: ${show(input)}\n  zod: ${zodVerdict}\n  database: ${dbVerdict}`);
        }
      });
      const accepted = verdicts.filter((v) => v.accepted).length;
      summary.push({ table, inputs: inputs.length, accepted, rejected: inputs.length - accepted, disagreements: disagreements.length });

      const reproduce = `seed ${seed} (run with VALIDATORS_SEED=${SEED} VALIDATORS_RUNS=${RANDOM_RUNS})`;
      if (leaks.length > 0) {
        throw new Error(`${table}: ${leaks.length} input(s) refused by a database-only rule the generators should satisfy by construction, ${reproduce}:\n${leaks.slice(0, 5).join('\n\n')}`);
      }
      if (disagreements.length > 0) {
        throw new Error(
          `${table}: ${disagreements.length} disagreement(s) of ${inputs.length} inputs, ${reproduce}:\n${disagreements.slice(0, 8).join('\n\n')}\n\n` +
            `Excluded by design (never generated):\n${[...DATABASE_ONLY_RULES, ...NARROWER_SPELLINGS].map((line) => `  - ${line}`).join('\n')}`,
        );
      }
      expect(inputs.length).toBeGreaterThanOrEqual(300);
      expect(accepted).toBeGreaterThan(0);
      expect(inputs.length - accepted).toBeGreaterThan(0);

      // Every CHECK of the table was reached by some input (else a rule's boundary went untested).
      const unreached = (await checkConstraints(db.sql, table)).filter((name) => !fired.has(name) && !(c.unreachable && name in c.unreachable));
      if (unreached.length > 0) throw new Error(`${table}: no input reached the CHECKs ${unreached.join(', ')}, ${reproduce}`);
    });
  }
});

function show(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' && v.length > 120 ? `${v.slice(0, 60)}…(${v.length} chars)` : v));
}
