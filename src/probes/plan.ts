import { getTableConfig } from 'drizzle-orm/pg-core';
import type { OrgFixture } from '../demo';
import { conversationPeersTopic, conversationTopic, notificationsTopic } from '../integrations';
import { OPERATIONS, PERSONAS, privilegesOf, toTestMatrix, type Operation, type Persona, type TableAccess, type TestMatrixCase } from '../policies';
import { quoteLiteral } from '../ddl';
import { deleteSql, insertSql, selectSql, tableKey, updateSql } from '../rows';
import { personaLabel, personaUser, type OrgExtras, type PolicyWorldIds } from './world';
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
  | 'nothing'
  /**
   * Refused: by row level security (42501), or by a member-reference rule (23503
   * `<table>_<column>_member`), which runs before the policies' check and refuses a row naming a
   * user who is no active member of its organisation in that role, the writer included.
   */
  | 'refused-or-not-member'
  /**
   * Refused: by row level security (42501), or answered as a missing reference (23503 naming the
   * reference's `…_fkey` rule) by a trigger that looks the reference up with the writer's own rights
   * before the policies' check (`READS_ITS_REFERENCE`): what the writer may not read is missing to them.
   */
  | 'refused-or-missing-reference';

export interface Probe {
  /** `students › therapist › update`; the cross-tenant probe: `org B's students › therapist › update`. */
  readonly id: string;
  /** `therapist of org A can update students`. */
  readonly title: string;
  readonly table: string;
  readonly persona: Persona;
  readonly operation: Operation;
  readonly kind: 'matrix' | 'cross-tenant' | 'cut-off' | 'guardian-cut-off';
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
  'therapists › member › select': 'the bare member has no therapist record of their own',
  'therapists › self › select': 'the user without membership has no therapist record of their own',
  'therapists › platform_admin › select': 'the platform admin has no therapist record of their own',
  'organization_members › platform_admin › select': 'the platform admin holds no membership or invitation',
  'consents › student › select': "the fixture's student is 14; an adult student's own consents are in hard-cases.test.ts",
};

/**
 * Tables whose insert looks a reference up with the writer's rights, in a trigger that runs before
 * the policies' check: a persona who may not read the referenced row is told it is missing (23503),
 * exactly as for an id that exists nowhere, instead of the policies' refusal.
 */
export const READS_ITS_REFERENCE: Readonly<Record<string, string>> = {
  service_mandates: "service_mandates_student_of_plan: the plan, as the writer's service_plans policies show it",
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
      c.expected === 'denied'
        ? c.operation !== 'insert'
          ? 'nothing'
          : READS_ITS_REFERENCE[c.table] !== undefined
            ? 'refused-or-missing-reference'
            : 'refused'
        : noRow !== undefined ? 'allowed-no-rows' : c.operation === 'insert' ? 'one-row' : 'rows';
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

/** Tables keyed by user, and the column that names the user. */
const USER_KEYED: Readonly<Record<string, string>> = { profiles: 'id', therapists: 'id', organization_members: 'user_id', notifications: 'user_id' };

/**
 * How to recognise an organisation's rows in each table (SQL condition; `users`: its people, for
 * tables keyed by user), leaving out the rows of `except` (a prober's own profile, notifications
 * and memberships).
 */
function ofOrganization(access: TableAccess, org: string, users: readonly string[], except?: string): string {
  const table = tableKey(access.drizzleTable);
  const userList = `array[${users.map(quoteLiteral).join(', ')}]::uuid[]`;
  const base = ((): string => {
    switch (table) {
      case 'organizations':
        return `id = ${quoteLiteral(org)}`;
      case 'profiles':
      case 'therapists':
        return `id = any (${userList})`;
      case 'notifications':
        return `(organization_id = ${quoteLiteral(org)} or user_id = any (${userList}))`;
      default:
        if (!getTableConfig(access.drizzleTable).columns.some((c) => c.name === 'organization_id')) {
          throw new Error(`probe: no way to tell an organisation's rows of ${table}`);
        }
        return `organization_id = ${quoteLiteral(org)}`;
    }
  })();
  const own = USER_KEYED[table];
  return except === undefined || own === undefined ? base : `${base} and ${own} <> ${quoteLiteral(except)}`;
}

/** An organisation's realtime topics: its conversations' (the database's and the participants'), and a user's notifications. */
function topicsOf(o: OrgFixture, x: OrgExtras, notifiedUser: string): string[] {
  return [
    conversationTopic(o.conversationId),
    conversationPeersTopic(o.conversationId),
    conversationTopic(x.groupConversationId),
    conversationPeersTopic(x.groupConversationId),
    notificationsTopic(notifiedUser),
  ];
}

/**
 * Joining `topic` as Realtime does (`realtime.topic` set for the transaction): `select` reads the
 * topic's rows of realtime.messages, `insert` sends a system event (`message.deleted`) on it.
 */
function topicOf(topic: string, operation: 'select' | 'insert'): { setup: string[]; action: string } {
  const join = `select set_config('realtime.topic', ${quoteLiteral(topic)}, true)`;
  return operation === 'select'
    ? { setup: [join], action: selectSql('realtime.messages', `topic = ${quoteLiteral(topic)}`) }
    : {
        setup: [join],
        action: `insert into realtime.messages (topic, extension, event, payload, private) values (${quoteLiteral(topic)}, 'broadcast', 'message.deleted', '{}', true)`,
      };
}

/**
 * The probes of a persona on `topics`: receive nothing, send nothing. `cut`: the owner's statements
 * run first. The title reads `<subject> cannot receive on <where>topic <topic>`.
 */
function topicProbes(
  base: Omit<Probe, 'id' | 'title' | 'table' | 'operation' | 'setup' | 'action' | 'expect' | 'privileged' | 'because'>,
  idPrefix: string,
  topics: readonly string[],
  cut: readonly string[] = [],
  title: { readonly subject: string; readonly where: string } = { subject: personaLabel(base.persona), where: idPrefix },
): Probe[] {
  return topics.flatMap((topic) =>
    (['select', 'insert'] as const).map((operation) => {
      const { setup, action } = topicOf(topic, operation);
      return Object.freeze({
        ...base,
        id: `${idPrefix}topic ${topic} › ${base.persona} › ${operation === 'select' ? 'receive' : 'send'}`,
        title: `${title.subject} cannot ${operation === 'select' ? 'receive on' : 'send a system event on'} ${title.where}topic ${topic}`,
        table: 'realtime.messages',
        operation,
        setup: Object.freeze([...cut, ...setup]),
        action,
        expect: operation === 'insert' ? ('refused' as const) : ('nothing' as const),
        privileged: true,
        because: Object.freeze([]),
      });
    }),
  );
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

/** Every persona of organisation A (and the users without an organisation) on organisation B's realtime topics. */
export function crossTenantTopicProbes(options: Omit<ProbeOptions, 'access' | 'newId'>): Probe[] {
  const b = options.world.fx.b;
  return PERSONAS.flatMap((persona) => {
    const uid = personaUser(options.world, persona, 'a');
    const base = { persona, kind: 'cross-tenant' as const, role: persona === 'anon' ? ('anon' as const) : ('authenticated' as const), claims: claimsOf(uid) };
    return topicProbes(base, "org B's ", topicsOf(b, options.world.extras.b, b.users.guardian));
  });
}

/**
 * How a member is cut off their organisation, as the owner: removed, suspended, having left it
 * themselves (`left`: the membership row stays), or their account deactivated (the membership row
 * stays active).
 */
export const CUT_OFF = {
  former: (uid: string) => `delete from public.organization_members where user_id = ${quoteLiteral(uid)}`,
  suspended: (uid: string) => `update public.organization_members set status = 'suspended' where user_id = ${quoteLiteral(uid)}`,
  left: (uid: string) => `update public.organization_members set status = 'left' where user_id = ${quoteLiteral(uid)}`,
  deactivated: (uid: string) => `update public.profiles set deactivated_at = now() where id = ${quoteLiteral(uid)}`,
} as const;
export type CutOff = keyof typeof CUT_OFF;

/** The personas with a membership of organisation A. */
export const MEMBER_PERSONAS: readonly Persona[] = PERSONAS.filter((p) => p !== 'anon' && p !== 'self' && p !== 'platform_admin');

/**
 * Former, suspended, left and deactivated identities: every member persona of organisation A, cut off
 * (`CUT_OFF`), against A's own rows and topics. The rows a write needs are written first, while the
 * persona is still a member (the write-time member rules accept them), then the persona is cut off
 * and tries. They reach nothing but their own profile, notifications and memberships (left out of
 * the reads), and no topic but their own notifications (a deactivated account not even those).
 */
export function cutOffProbes(options: ProbeOptions): Probe[] {
  const a = options.world.fx.a;
  const x = options.world.extras.a;
  const aUsers = [...Object.values(a.users), x.member];
  const accesses = [...options.access].sort((p, q) => (tableKey(p.drizzleTable) < tableKey(q.drizzleTable) ? -1 : 1));
  const probes: Probe[] = [];
  for (const identity of Object.keys(CUT_OFF) as CutOff[]) {
    for (const persona of MEMBER_PERSONAS) {
      const uid = personaUser(options.world, persona, 'a')!;
      const cut = CUT_OFF[identity](uid);
      const base = { persona, kind: 'cut-off' as const, role: 'authenticated' as const, claims: claimsOf(uid) };
      for (const access of accesses) {
        const table = tableKey(access.drizzleTable);
        for (const operation of OPERATIONS) {
          const { setup, action } =
            operation === 'select'
              ? { setup: [cut], action: selectSql(table, ofOrganization(access, a.organizationId, aUsers, uid)) }
              : ((w) => ({ setup: [...w.setup, cut], action: w.action }))(writeOf(table, operation, { persona, uid, o: a, x, home: false, foreign: true, newId: options.newId }));
          probes.push(
            Object.freeze({
              ...base,
              id: `${identity} › ${table} › ${persona} › ${operation}`,
              title: `a ${identity} ${personaLabel(persona)} cannot ${operation} org A's ${table}`,
              table,
              operation,
              setup: Object.freeze(setup),
              action,
              // a deactivated account keeps its active membership but counts for nothing: app.writer_outside leaves it to the policies
              expect: operation === 'insert' ? ('refused' as const) : ('nothing' as const),
              privileged: hasPrivilege(access, persona, operation),
              because: Object.freeze([]),
            }),
          );
        }
      }
      const notified = uid === a.users.guardian ? a.users.therapist : a.users.guardian;
      const topics = [...topicsOf(a, x, notified), ...(identity === 'deactivated' ? [notificationsTopic(uid)] : [])];
      probes.push(...topicProbes(base, `${identity} › org A's `, topics, [cut]));
    }
  }
  return probes;
}

/**
 * How a guardian is cut off their child, as the owner: portal access withdrawn (a court order), the
 * link deleted or moved to another child, the guardian record soft-deleted or its login unlinked.
 * (Deleting the guardian record is tried in test/policies/chat.test.ts: the fixture's guardian has
 * consents, which are append-only, so only privileged code could clear the way.) Each is also tried while the parent holds a staff membership of the organisation
 * (school staff at the other campus): cut off as the child's guardian, whatever other role they hold.
 */
export const GUARDIAN_CUT_OFF = {
  'portal access withdrawn': (o: OrgFixture) => [`update public.student_guardians set portal_access = false where guardian_id = ${quoteLiteral(o.guardianId)}`],
  'link deleted': (o: OrgFixture) => [`delete from public.student_guardians where guardian_id = ${quoteLiteral(o.guardianId)}`],
  'link moved to another child': (o: OrgFixture) => [
    `update public.student_guardians set student_id = ${quoteLiteral(o.studentIds[2])} where guardian_id = ${quoteLiteral(o.guardianId)}`,
  ],
  'guardian record soft-deleted': (o: OrgFixture) => [`update public.guardians set deleted_at = now() where id = ${quoteLiteral(o.guardianId)}`],
  'login unlinked': (o: OrgFixture) => [`update public.guardians set user_id = null where id = ${quoteLiteral(o.guardianId)}`],
} as const;
export type GuardianCutOff = keyof typeof GUARDIAN_CUT_OFF;

/**
 * The guardian cut off their child (`GUARDIAN_CUT_OFF`), alone and while also school staff, against
 * the child's team conversation: they read neither it nor its messages, send nothing to it, and
 * neither receive nor send on its topics. (The vitest suite runs these in test/policies/chat.test.ts;
 * `therapy-db export pgtap` writes them.)
 */
export function guardianCutOffProbes(options: Omit<ProbeOptions, 'access'>): Probe[] {
  const a = options.world.fx.a;
  const uid = a.users.guardian;
  const base = { persona: 'guardian' as const, kind: 'guardian-cut-off' as const, role: 'authenticated' as const, claims: claimsOf(uid) };
  const alsoStaff = `insert into public.organization_members (organization_id, user_id, role, school_id) values (${quoteLiteral(a.organizationId)}, ${quoteLiteral(uid)}, 'school_staff', ${quoteLiteral(a.schoolIds[1])})`;
  const conversation = quoteLiteral(a.conversationId);
  const probes: Probe[] = [];
  for (const way of Object.keys(GUARDIAN_CUT_OFF) as GuardianCutOff[]) {
    for (const staff of [false, true]) {
      const label = `${way}${staff ? ', also school staff' : ''}`;
      const cut = [...(staff ? [alsoStaff] : []), ...GUARDIAN_CUT_OFF[way](a)];
      const probe = (table: string, operation: 'select' | 'insert', action: string, what: string): Probe =>
        Object.freeze({
          ...base,
          id: `guardian cut off (${label}) › ${table} › ${operation}`,
          title: `a guardian cut off their child (${label}) cannot ${what}`,
          table,
          operation,
          setup: Object.freeze(cut),
          action,
          expect: operation === 'select' ? ('nothing' as const) : ('refused-or-not-member' as const),
          privileged: true,
          because: Object.freeze([]),
        });
      probes.push(
        probe('conversations', 'select', selectSql('conversations', `id = ${conversation}`), "read the child's team conversation"),
        probe('messages', 'select', selectSql('messages', `conversation_id = ${conversation}`), "read the child's team messages"),
        probe(
          'messages',
          'insert',
          insertSql('messages', { organization_id: a.organizationId, conversation_id: a.conversationId, sender_id: uid, client_message_id: options.newId(), body: 'Still here?' }),
          "send to the child's team conversation",
        ),
        ...topicProbes(base, `guardian cut off (${label}) › the child's `, [conversationTopic(a.conversationId), conversationPeersTopic(a.conversationId)], cut, {
          subject: `a guardian cut off their child (${label})`,
          where: "the child's team ",
        }),
      );
    }
  }
  return probes;
}
