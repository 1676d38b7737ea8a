import { getTableConfig } from 'drizzle-orm/pg-core';
import { OPERATIONS, PERSONAS, privilegesOf, toTestMatrix, type Operation, type Persona, type TableAccess, type TestMatrixCase } from '../policies';
import { quoteLiteral } from '../ddl';
import { deleteSql, insertSql, selectSql, tableKey, updateSql } from '../rows';
import { personaLabel, personaUser, type PolicyWorldIds } from './world';
import { writeSpecs, type WriteContext } from './writes';

/**
 * The access matrix as probes: for every table × persona × operation of the declared matrix
 * (`toTestMatrix`, the data of docs/access-matrix.md), one SQL statement a persona of organisation A
 * runs against the policy world, with the rows it first needs (written as the owner) and what must
 * happen; and the cross-tenant probe, the same persona against organisation B's rows. One
 * description, two runners: the vitest suite executes the probes, `therapy-db export pgtap` writes
 * them as pgTAP.
 */

/** What a probe must observe. */
export type ProbeExpectation =
  /** Rows come back or are written (at least one). */
  | 'rows'
  /** Exactly one row is inserted. */
  | 'one-row'
  /** Allowed, and the world has no row for the persona: no error, zero rows (see `NO_FIXTURE_ROW`). */
  | 'allowed-no-rows'
  /** Refused with SQLSTATE 42501 (permission denied, or a row-level security violation). */
  | 'refused'
  /** Nothing read or written: refused (42501) or zero rows. */
  | 'nothing';

export interface Probe {
  /** `students › therapist › update`; the cross-tenant probe: `org B's students › therapist › update`. */
  readonly id: string;
  /** `therapist of org A can update students`. */
  readonly title: string;
  readonly table: string;
  readonly persona: Persona;
  readonly operation: Operation;
  readonly kind: 'matrix' | 'cross-tenant';
  /** The persona's Postgres role and JWT claims (as PostgREST sets them). */
  readonly role: 'authenticated' | 'anon';
  readonly claims: Readonly<Record<string, string>>;
  /** Statements run first as the database owner (no role, no claims); rolled back with the probe. */
  readonly setup: readonly string[];
  /** The statement the persona runs: a `select 1 from …` or the representative write. */
  readonly action: string;
  readonly expect: ProbeExpectation;
  /** Whether the persona's role holds the table privilege the action needs (the declared grants). */
  readonly privileged: boolean;
  /** Why the matrix says so: the rules that allow it, or the fixture note. */
  readonly because: readonly string[];
}

/**
 * Allowed reads where the world has no row for the persona to see, with the reason. The probe then
 * expects zero rows, so the list stays true: a persona that starts seeing rows fails it.
 */
export const NO_FIXTURE_ROW: Readonly<Record<string, string>> = {
  'supervision_assignments › therapist › select': "the fixture's therapist neither supervises nor is supervised",
  'session_series › org_admin › select': 'the fixture has no recurring series',
  'session_series › therapist › select': 'the fixture has no recurring series',
  'session_series › supervisor › select': 'the fixture has no recurring series',
  'session_series › school_staff › select': 'the fixture has no recurring series',
  'session_series › guardian › select': 'the fixture has no recurring series',
  'session_series › student › select': 'the fixture has no recurring series',
  'session_series › billing › select': 'the fixture has no recurring series',
  'session_series › member › select': 'the fixture has no recurring series',
  'consents › student › select': "the fixture's student is 14; an adult student's own consents are in hard-cases.test.ts",
};

/** How a probe names rows it creates: random ids in the test suite, a stable sequence in exports. */
export type IdSource = () => string;

interface ProbeOptions {
  readonly access: readonly TableAccess[];
  readonly world: PolicyWorldIds;
  readonly newId: IdSource;
}

function claimsOf(uid: string | null): Readonly<Record<string, string>> {
  return uid === null ? { role: 'anon' } : { sub: uid, role: 'authenticated' };
}

function hasPrivilege(access: TableAccess, persona: Persona, operation: Operation): boolean {
  const role = persona === 'anon' ? 'anon' : 'authenticated';
  return privilegesOf(access).some((p) => p.role === role && p.operations.includes(operation));
}

/** The setup and action of a write, from the table's representative writes. */
function writeOf(table: string, operation: Exclude<Operation, 'select'>, context: WriteContext): { setup: string[]; action: string } {
  const spec = writeSpecs[table];
  if (spec === undefined) throw new Error(`no representative writes for ${table} in src/probes/writes.ts`);
  switch (operation) {
    case 'insert': {
      const w = spec.insert(context);
      return { setup: (w.seed ?? []).map((s) => insertSql(s.table, s.row)), action: insertSql(table, w.row) };
    }
    case 'update': {
      const w = spec.update(context);
      return { setup: [...(w.seed ?? []).map((s) => insertSql(s.table, s.row)), ...(w.after ?? [])], action: updateSql(table, w.key, w.set) };
    }
    case 'delete': {
      const w = spec.delete(context);
      return { setup: (w.seed ?? []).map((s) => insertSql(s.table, s.row)), action: deleteSql(table, w.key) };
    }
  }
}

const verb = (c: TestMatrixCase) => (c.expected === 'allowed' ? 'can' : 'cannot');

/** The matrix probes, in `toTestMatrix` order (table, persona, operation). */
export function matrixProbes(options: ProbeOptions): Probe[] {
  const byTable = new Map(options.access.map((a) => [tableKey(a.drizzleTable), a]));
  return toTestMatrix(options.access).map((c) => {
    const access = byTable.get(c.table)!;
    const uid = personaUser(options.world, c.persona, 'a');
    const home = uid !== null && c.persona !== 'self' && c.persona !== 'platform_admin';
    const noRow = c.operation === 'select' && c.expected === 'allowed' ? NO_FIXTURE_ROW[c.id] : undefined;
    const { setup, action } =
      c.operation === 'select'
        ? { setup: [], action: selectSql(c.table) }
        : writeOf(c.table, c.operation, { persona: c.persona, uid, o: options.world.fx.a, x: options.world.extras.a, home, newId: options.newId });
    const expect: ProbeExpectation =
      c.expected === 'denied' ? (c.operation === 'insert' ? 'refused' : 'nothing') : noRow !== undefined ? 'allowed-no-rows' : c.operation === 'insert' ? 'one-row' : 'rows';
    return Object.freeze({
      id: c.id,
      title: `${personaLabel(c.persona)} ${verb(c)} ${c.operation} ${c.table}`,
      table: c.table,
      persona: c.persona,
      operation: c.operation,
      kind: 'matrix' as const,
      role: c.role,
      claims: claimsOf(uid),
      setup: Object.freeze(setup),
      action,
      expect,
      privileged: hasPrivilege(access, c.persona, c.operation),
      because: Object.freeze(noRow !== undefined ? [...c.because, `no fixture row: ${noRow}`] : c.because),
    });
  });
}

/** How to recognise organisation B's rows in each table (SQL condition). */
function ofOrganization(access: TableAccess, org: string, users: readonly string[]): string {
  const table = tableKey(access.drizzleTable);
  const userList = `array[${users.map(quoteLiteral).join(', ')}]::uuid[]`;
  switch (table) {
    case 'organizations':
      return `id = ${quoteLiteral(org)}`;
    case 'profiles':
    case 'therapists':
      return `id = any (${userList})`;
    case 'notifications':
      return `organization_id = ${quoteLiteral(org)} or user_id = any (${userList})`;
    default:
      if (!getTableConfig(access.drizzleTable).columns.some((c) => c.name === 'organization_id')) {
        throw new Error(`cross-tenant probe: no way to tell organisation B's rows of ${table}`);
      }
      return `organization_id = ${quoteLiteral(org)}`;
  }
}

/**
 * The cross-tenant probe: every persona of organisation A (and the users without an organisation)
 * against every table's rows of organisation B, every operation. Nothing may be read or written: a
 * select counts only B's rows, an insert writes a valid B row (refused: SQLSTATE 42501, before any
 * constraint could hide a gap), an update or delete targets B's rows.
 */
export function crossTenantProbes(options: ProbeOptions): Probe[] {
  const b = options.world.fx.b;
  const bUsers = [...Object.values(b.users), options.world.extras.b.member];
  const probes: Probe[] = [];
  const accesses = [...options.access].sort((x, y) => (tableKey(x.drizzleTable) < tableKey(y.drizzleTable) ? -1 : 1));
  for (const access of accesses) {
    const table = tableKey(access.drizzleTable);
    for (const persona of PERSONAS) {
      const uid = personaUser(options.world, persona, 'a');
      for (const operation of OPERATIONS) {
        const { setup, action } =
          operation === 'select'
            ? { setup: [], action: selectSql(table, ofOrganization(access, b.organizationId, bUsers)) }
            : writeOf(table, operation, { persona, uid, o: b, x: options.world.extras.b, home: false, foreign: true, newId: options.newId });
        probes.push(
          Object.freeze({
            id: `org B's ${table} › ${persona} › ${operation}`,
            title: `${personaLabel(persona)} cannot ${operation} org B's ${table}`,
            table,
            persona,
            operation,
            kind: 'cross-tenant' as const,
            role: persona === 'anon' ? ('anon' as const) : ('authenticated' as const),
            claims: claimsOf(uid),
            setup: Object.freeze(setup),
            action,
            expect: operation === 'insert' ? ('refused' as const) : ('nothing' as const),
            privileged: hasPrivilege(access, persona, operation),
            because: Object.freeze([]),
          }),
        );
      }
    }
  }
  return probes;
}
