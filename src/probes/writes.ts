import type { OrgFixture } from '../demo';
import type { Persona } from '../policies';
import { quoteLiteral } from '../ddl';
import { at, dateFromToday, dateRange, now, thisYear, timeRange, updateSql, type Row } from '../rows';
import type { OrgExtras } from './world';
import { webhookSecretName } from '../webhooks';

/**
 * The representative writes of the RLS tests, one entry per table: plain rows built from the
 * fixture's ids. Each write may first `seed` rows as the database owner (inside the same savepoint,
 * so it is rolled back with the attempt), then the persona inserts `row`, or updates / deletes the
 * row matched by `key`. Rows are valid data: when a write is refused, the policies or grants
 * refused it, not a constraint.
 *
 * The persona shapes only the columns a rule ties to the user (`therapist_id = auth.uid()`, the
 * student on their own caseload…); for personas without such a rule the row is the one a therapist
 * or org admin would write, so a refusal can only come from the policies.
 */

export type { Row };

export interface Seed {
  readonly table: string;
  readonly row: Row;
}
/** Raw SQL run as the owner after the seeds (e.g. moving a seeded note to pending_cosign). */
export type SeedSql = string;

export interface InsertWrite {
  readonly seed?: readonly Seed[];
  readonly row: Row;
}
export interface UpdateWrite {
  readonly seed?: readonly Seed[];
  readonly after?: readonly SeedSql[];
  readonly key: Row;
  readonly set: Row;
}
export interface DeleteWrite {
  readonly seed?: readonly Seed[];
  readonly key: Row;
}

/** Who writes, into which organisation's data. */
export interface WriteContext {
  readonly persona: Persona;
  /** `auth.uid()` of the persona; `null` for anon. */
  readonly uid: string | null;
  /** The organisation whose rows are written (org B in the cross-tenant probe). */
  readonly o: OrgFixture;
  readonly x: OrgExtras;
  /** Whether the persona belongs to `o` (false in the cross-tenant probe and for users without membership). */
  readonly home: boolean;
  /**
   * A probe of rows the persona must not reach (another organisation's, or their own organisation's
   * once suspended, removed or deactivated): rows keyed by user (profiles, notifications) are `o`'s
   * users', never the persona's own, and memberships are never accepted.
   */
  readonly foreign?: boolean;
  /** A fresh id for a row the write creates: random in the test suite, a stable sequence in exported files. */
  readonly newId: () => string;
}

export interface WriteSpec {
  readonly insert: (c: WriteContext) => InsertWrite;
  readonly update: (c: WriteContext) => UpdateWrite;
  readonly delete: (c: WriteContext) => DeleteWrite;
}

const clinicalPersonas: readonly Persona[] = ['therapist', 'supervisor'];
/** A clinician of `o` (the rows name their therapist: in another organisation's rows, that organisation's). */
const isClinician = (c: WriteContext) => clinicalPersonas.includes(c.persona) && c.uid !== null && c.home;

/**
 * The user whose own rows (profile, notifications) are written: the persona, else (anon, a foreign
 * probe) the organisation's guardian — or its therapist when the prober is that guardian, so a
 * foreign probe never writes the prober's own rows.
 */
const owner = (c: WriteContext): string =>
  c.foreign || c.uid === null ? (c.uid === c.o.users.guardian ? c.o.users.therapist : c.o.users.guardian) : c.uid;
/**
 * The user the row is attributed to (`created_by`, `recorded_by` …): the persona, or the org admin
 * for anon and for writers outside `o` (a row names members of its own organisation).
 */
const actor = (c: WriteContext): string => (c.uid !== null && c.home ? c.uid : c.o.users.org_admin);
/** The treating therapist: the persona when it is a therapist, else the fixture's therapist. */
const clinician = (c: WriteContext): string => (isClinician(c) ? (c.uid as string) : c.o.users.therapist);
/** A student on the clinician's own current caseload: s3 for the supervisor (extras), s1 otherwise. */
const caseloadStudent = (c: WriteContext): string => (c.persona === 'supervisor' && c.uid !== null ? c.o.studentIds[2] : c.o.studentIds[0]);
/** Personas that take part in the organisation's conversation (see the extras). */
const conversationPersonas: readonly Persona[] = ['org_admin', 'therapist', 'supervisor', 'school_staff', 'guardian', 'student', 'billing', 'member'];
/**
 * A conversation started by the writer: a group conversation, or for a guardian one about their
 * child (guardians start conversations only about their own children).
 */
const conversationRow = (c: WriteContext, id: string): Row => ({
  id,
  organization_id: c.o.organizationId,
  ...(c.persona === 'guardian' ? { kind: 'student_team', student_id: c.o.studentIds[0] } : { kind: 'group' }),
  title: 'Probe chat',
  created_by: actor(c),
});
/** A participant of the group conversation: the persona when it is one, else the fixture's therapist. */
const participant = (c: WriteContext): string => (c.uid !== null && c.home && conversationPersonas.includes(c.persona) ? c.uid : c.o.users.therapist);

/** A future session of `therapistId` (no participants), with a slot that overlaps nothing else. */
function sessionSeed(c: WriteContext, therapistId: string, id: string, day: number): Seed {
  return {
    table: 'therapy_sessions',
    row: {
      id,
      organization_id: c.o.organizationId,
      therapist_id: therapistId,
      session_type_id: c.x.sessionTypeId,
      school_id: c.o.schoolIds[0],
      start_time: at(day, 10),
      end_time: at(day, 10, 30),
      created_by: therapistId,
    },
  };
}
const participantSeed = (c: WriteContext, sessionId: string, studentId: string): Seed => ({
  table: 'session_participants',
  row: { organization_id: c.o.organizationId, session_id: sessionId, student_id: studentId },
});
const noteSeed = (c: WriteContext, id: string, sessionId: string, studentId: string, authorId: string): Seed => ({
  table: 'session_notes',
  row: { id, organization_id: c.o.organizationId, session_id: sessionId, student_id: studentId, author_id: authorId, subjective: 'Probe note.' },
});
/** A draft note of the clinician about their caseload student, with its session and participant. */
function draftNoteSeeds(c: WriteContext, noteId: string, day: number): Seed[] {
  const session = c.newId();
  return [sessionSeed(c, clinician(c), session, day), participantSeed(c, session, caseloadStudent(c)), noteSeed(c, noteId, session, caseloadStudent(c), clinician(c))];
}
const planSeed = (c: WriteContext, id: string, studentId: string): Seed => ({
  table: 'service_plans',
  row: { id, organization_id: c.o.organizationId, student_id: studentId, plan_type: '504', status: 'draft', effective_during: thisYear(), created_by: c.o.users.org_admin },
});
const goalSeed = (c: WriteContext, id: string, studentId: string): Seed => ({
  table: 'goals',
  row: {
    id,
    organization_id: c.o.organizationId,
    student_id: studentId,
    discipline: 'slp',
    domain: 'fluency',
    goal_text: 'Use easy onsets in conversation.',
    measurement_type: 'frequency',
    created_by: c.o.users.org_admin,
  },
});
const consentRow = (c: WriteContext, id: string, studentId: string): Row => ({
  id,
  organization_id: c.o.organizationId,
  student_id: studentId,
  consent_type: 'telehealth',
  granted_at: at(-1, 12),
  signature_method: 'e_signature',
  recorded_by: actor(c),
});

/**
 * The writes of a table whose probes need nothing but a row of their own: insert a fresh `row`;
 * update (with `set`) and delete a row seeded for the probe, found by its `key` column.
 */
function ownRowWrites(table: string, row: (c: WriteContext, id: string) => Row, set: Row, key = 'id'): WriteSpec {
  const seeded = (c: WriteContext) => {
    const id = c.newId();
    return { seed: [{ table, row: row(c, id) }], key: { [key]: id } };
  };
  return {
    insert: (c) => ({ row: row(c, c.newId()) }),
    update: (c) => ({ ...seeded(c), set }),
    delete: (c) => seeded(c),
  };
}

export const writeSpecs: Readonly<Record<string, WriteSpec>> = {
  // ------------------------------------------------------------------ identity
  organizations: {
    insert: (c) => ({ row: { id: c.newId(), name: 'Probe Organisation', slug: `probe-${c.newId().slice(0, 8)}`, org_type: 'clinic' } }),
    update: (c) => ({ key: { id: c.o.organizationId }, set: { name: 'Renamed Organisation' } }),
    delete: (c) => ({ key: { id: c.o.organizationId } }),
  },
  schools: {
    insert: (c) => ({ row: { id: c.newId(), organization_id: c.o.organizationId, name: 'Probe School' } }),
    update: (c) => ({ key: { id: c.o.schoolIds[0] }, set: { name: 'Renamed School' } }),
    delete: (c) => ({ key: { id: c.o.schoolIds[1] } }),
  },
  profiles: {
    insert: (c) => ({ row: { id: c.newId(), display_name: 'Nobody' } }),
    update: (c) => ({ key: { id: owner(c) }, set: { display_name: 'New Name' } }),
    delete: (c) => ({ key: { id: owner(c) } }),
  },
  organization_members: {
    // inviting the guardian to a new role: never the writer's own row, always an invitation
    insert: (c) => ({ row: { organization_id: c.o.organizationId, user_id: c.o.users.guardian, role: 'billing', status: 'invited' } }),
    // org admins suspend the guardian; everyone else accepts an invitation of their own (in their
    // own organisation: accepting one into another organisation is no cross-tenant write)
    update: (c): UpdateWrite => {
      if (c.persona === 'org_admin' || c.uid === null || c.foreign === true) {
        return { key: { organization_id: c.o.organizationId, user_id: c.o.users.guardian, role: 'guardian' }, set: { status: 'suspended' } };
      }
      const id = c.newId();
      const role = c.persona === 'guardian' || c.persona === 'self' ? 'billing' : 'guardian';
      return {
        seed: [{ table: 'organization_members', row: { id, organization_id: c.o.organizationId, user_id: c.uid, role, status: 'invited' } }],
        key: { id },
        set: { status: 'active' },
      };
    },
    delete: (c) => {
      const id = c.newId();
      return { seed: [{ table: 'organization_members', row: { id, organization_id: c.o.organizationId, user_id: c.o.users.guardian, role: 'billing' } }], key: { id } };
    },
  },
  // ------------------------------------------------------------------ people
  therapists: {
    // the school staff member becomes an OT (a member without a therapist record)
    insert: (c) => ({ row: { id: c.o.users.school_staff, discipline: 'ot', credential: 'OTR/L' } }),
    update: (c) => ({ key: { id: c.o.users.therapist }, set: { license_expires_on: '2031-06-30' } }),
    delete: (c) => ({ key: { id: c.o.users.supervisee } }),
  },
  students: {
    insert: (c) => ({ row: { id: c.newId(), organization_id: c.o.organizationId, school_id: c.o.schoolIds[0], first_name: 'Pat', last_name: 'Probe', date_of_birth: '2014-02-03' } }),
    update: (c) => ({ key: { id: c.o.studentIds[2] }, set: { preferred_name: 'K.' } }),
    delete: (c) => ({ key: { id: c.o.studentIds[2] } }),
  },
  guardians: {
    insert: (c) => ({ row: { id: c.newId(), organization_id: c.o.organizationId, first_name: 'Gus', last_name: 'Probe' } }),
    update: (c) => ({ key: { id: c.o.guardianId }, set: { phone: '+15035550100' } }),
    delete: (c) => ({ key: { id: c.o.guardianId } }),
  },
  student_guardians: {
    insert: (c) => ({ row: { organization_id: c.o.organizationId, student_id: c.o.studentIds[1], guardian_id: c.o.guardianId, relationship: 'parent' } }),
    update: (c) => ({ key: { student_id: c.o.studentIds[0], guardian_id: c.o.guardianId }, set: { has_educational_rights: 'false' } }),
    delete: (c) => ({ key: { student_id: c.o.studentIds[0], guardian_id: c.o.guardianId } }),
  },
  supervision_assignments: {
    insert: (c) => ({
      row: { organization_id: c.o.organizationId, supervisor_id: c.o.users.therapist, supervisee_id: c.o.users.supervisee, supervision_type: 'slpa', active_during: thisYear() },
    }),
    update: (c) => ({ key: { supervisor_id: c.o.users.supervisor, supervisee_id: c.o.users.supervisee }, set: { requires_cosign: 'false' } }),
    delete: (c) => {
      const id = c.newId();
      return {
        seed: [{ table: 'supervision_assignments', row: { id, organization_id: c.o.organizationId, supervisor_id: c.o.users.therapist, supervisee_id: c.o.users.supervisee, supervision_type: 'slpa', active_during: thisYear() } }],
        key: { id },
      };
    },
  },
  // ------------------------------------------------------------------ caseload
  caseload_assignments: {
    insert: (c) => ({
      row: { organization_id: c.o.organizationId, student_id: c.o.studentIds[2], therapist_id: c.o.users.therapist, discipline: 'ot', assignment_role: 'consult' },
    }),
    update: (c) => ({ key: { student_id: c.o.studentIds[0], therapist_id: c.o.users.therapist }, set: { ends_on: '2099-06-30' } }),
    delete: (c) => {
      const id = c.newId();
      return {
        seed: [{ table: 'caseload_assignments', row: { id, organization_id: c.o.organizationId, student_id: c.o.studentIds[2], therapist_id: c.o.users.therapist, discipline: 'ot', assignment_role: 'consult' } }],
        key: { id },
      };
    },
  },
  service_plans: {
    insert: (c) => ({
      row: { organization_id: c.o.organizationId, student_id: caseloadStudent(c), plan_type: '504', status: 'draft', effective_during: thisYear(), created_by: actor(c) },
    }),
    update: (c) => {
      const id = c.newId();
      return { seed: [planSeed(c, id, caseloadStudent(c))], key: { id }, set: { meeting_date: dateFromToday(14) } };
    },
    delete: (c) => {
      const id = c.newId();
      return { seed: [planSeed(c, id, caseloadStudent(c))], key: { id } };
    },
  },
  service_mandates: (() => {
    /** A mandate of a draft plan of the clinician's caseload student; the plan is seeded. */
    const mandate = (c: WriteContext, plan: string): Row => ({
      organization_id: c.o.organizationId, service_plan_id: plan, discipline: 'slp', minutes_per_session: '30', sessions_per_period: '1',
      period: 'week', delivery_setting: 'push_in', effective_during: thisYear(),
    });
    /** The plan and a mandate of it, for the update and delete probes. */
    const seeded = (c: WriteContext) => {
      const [plan, id] = [c.newId(), c.newId()];
      return { seed: [planSeed(c, plan, caseloadStudent(c)), { table: 'service_mandates', row: { id, ...mandate(c, plan) } }], key: { id } };
    };
    return {
      insert: (c) => {
        const plan = c.newId();
        return { seed: [planSeed(c, plan, caseloadStudent(c))], row: mandate(c, plan) };
      },
      update: (c) => ({ ...seeded(c), set: { minutes_per_session: '45' } }),
      delete: (c) => seeded(c),
    } satisfies WriteSpec;
  })(),
  consents: {
    insert: (c) => ({ row: consentRow(c, c.newId(), caseloadStudent(c)) }),
    // the guardian's child: org admins and the guardian may revoke, and the student once an adult
    // (the fixture's student is 14: made 19 for the student's probe)
    update: (c) => {
      const id = c.newId();
      const adult = `update public.students set date_of_birth = current_date - interval '19 years' where id = ${quoteLiteral(c.o.studentIds[0])}`;
      return {
        seed: [{ table: 'consents', row: { ...consentRow(c, id, c.o.studentIds[0]), recorded_by: c.o.users.org_admin } }],
        ...(c.persona === 'student' ? { after: [adult] } : {}),
        key: { id },
        set: { revoked_at: now, revoked_reason: 'Family moved to in-person sessions.' },
      };
    },
    delete: (c) => {
      const id = c.newId();
      return { seed: [{ table: 'consents', row: { ...consentRow(c, id, c.o.studentIds[0]), recorded_by: c.o.users.org_admin } }], key: { id } };
    },
  },
  // ------------------------------------------------------------------ scheduling
  session_types: {
    insert: (c) => ({
      row: { organization_id: c.o.organizationId, code: 'PROBE', name: 'Probe type', discipline: 'slp', kind: 'screening', default_duration_minutes: '15' },
    }),
    update: (c) => ({ key: { id: c.x.sessionTypeId }, set: { name: 'Speech therapy (individual)' } }),
    delete: (c) => {
      const id = c.newId();
      return {
        seed: [{ table: 'session_types', row: { id, organization_id: c.o.organizationId, code: 'PROBE', name: 'Probe type', discipline: 'slp', kind: 'screening', default_duration_minutes: '15' } }],
        key: { id },
      };
    },
  },
  session_series: (() => {
    const series = (c: WriteContext, id: string): Row => ({
      id,
      organization_id: c.o.organizationId,
      therapist_id: clinician(c),
      session_type_id: c.x.sessionTypeId,
      school_id: c.o.schoolIds[0],
      rrule: 'FREQ=WEEKLY;BYDAY=MO',
      local_start_time: '09:00',
      duration_minutes: '30',
      timezone: 'America/Los_Angeles',
      active_during: thisYear(),
      created_by: isClinician(c) ? (c.uid as string) : c.o.users.org_admin,
    });
    return {
      insert: (c) => ({ row: { ...series(c, c.newId()), created_by: actor(c) } }),
      update: (c) => {
        const id = c.newId();
        return { seed: [{ table: 'session_series', row: series(c, id) }], key: { id }, set: { duration_minutes: '45' } };
      },
      delete: (c) => {
        const id = c.newId();
        return { seed: [{ table: 'session_series', row: series(c, id) }], key: { id } };
      },
    } satisfies WriteSpec;
  })(),
  therapy_sessions: {
    insert: (c) => ({ row: { ...sessionSeed(c, clinician(c), c.newId(), 20).row, created_by: actor(c) } }),
    update: (c) => {
      const id = c.newId();
      return { seed: [sessionSeed(c, clinician(c), id, 21)], key: { id }, set: { location: 'Speech room 5' } };
    },
    delete: (c) => {
      const id = c.newId();
      return { seed: [sessionSeed(c, clinician(c), id, 21)], key: { id } };
    },
  },
  session_participants: {
    insert: (c) => {
      const session = c.newId();
      return { seed: [sessionSeed(c, clinician(c), session, 22)], row: participantSeed(c, session, caseloadStudent(c)).row };
    },
    update: (c) => {
      const session = c.newId();
      return {
        seed: [sessionSeed(c, clinician(c), session, 22), participantSeed(c, session, caseloadStudent(c))],
        key: { session_id: session, student_id: caseloadStudent(c) },
        set: { attendance: 'absent_excused' },
      };
    },
    delete: (c) => {
      const session = c.newId();
      return { seed: [sessionSeed(c, clinician(c), session, 22), participantSeed(c, session, caseloadStudent(c))], key: { session_id: session, student_id: caseloadStudent(c) } };
    },
  },
  calendar_blackouts: ownRowWrites(
    'calendar_blackouts',
    (c, id) => ({
      id,
      organization_id: c.o.organizationId,
      therapist_id: clinician(c),
      kind: 'therapist_leave',
      during: timeRange(at(40, 0), at(42, 0)),
    }),
    { note: 'Conference' },
  ),
  // ------------------------------------------------------------------ documentation
  session_notes: {
    insert: (c): InsertWrite => {
      const session = c.newId();
      return {
        seed: [sessionSeed(c, clinician(c), session, 23), participantSeed(c, session, caseloadStudent(c))],
        row: noteSeed(c, c.newId(), session, caseloadStudent(c), clinician(c)).row,
      };
    },
    update: (c): UpdateWrite => {
      if (c.persona === 'org_admin' && c.uid !== null) {
        // org admins: guardian visibility of a signed note
        return { key: { id: c.o.noteIds.signedS1 }, set: { visible_to_guardian: 'false' } };
      }
      if (c.persona === 'supervisor' && c.uid !== null) {
        // supervisors: co-signing their supervisee's note, of a session that took place
        const session = c.newId();
        const note = c.newId();
        return {
          seed: [sessionSeed(c, c.o.users.supervisee, session, -11), participantSeed(c, session, c.o.studentIds[1]), noteSeed(c, note, session, c.o.studentIds[1], c.o.users.supervisee)],
          after: [
            updateSql('therapy_sessions', { id: session }, { status: 'confirmed' }),
            updateSql('therapy_sessions', { id: session }, { status: 'completed' }),
            updateSql('session_notes', { id: note }, { status: 'pending_cosign' }),
          ],
          key: { id: note },
          set: { status: 'signed', cosigned_by: c.uid },
        };
      }
      // authors: their own draft
      const note = c.newId();
      return { seed: draftNoteSeeds(c, note, 24), key: { id: note }, set: { subjective: 'Edited draft.' } };
    },
    delete: (c) => {
      const note = c.newId();
      return { seed: draftNoteSeeds(c, note, 25), key: { id: note } };
    },
  },
  // ------------------------------------------------------------------ goals
  goals: {
    insert: (c) => ({ row: { ...goalSeed(c, c.newId(), caseloadStudent(c)).row, created_by: actor(c) } }),
    update: (c) => {
      const id = c.newId();
      return { seed: [goalSeed(c, id, caseloadStudent(c))], key: { id }, set: { goal_text: 'Use easy onsets in 3 of 4 conversations.' } };
    },
    delete: (c) => {
      const id = c.newId();
      return { seed: [goalSeed(c, id, caseloadStudent(c))], key: { id } };
    },
  },
  goal_observations: (() => {
    const seeds = (c: WriteContext, session: string, goal: string): Seed[] => [
      sessionSeed(c, clinician(c), session, 26),
      participantSeed(c, session, caseloadStudent(c)),
      goalSeed(c, goal, caseloadStudent(c)),
    ];
    const observation = (c: WriteContext, id: string, session: string, goal: string, recordedBy: string): Row => ({
      id, organization_id: c.o.organizationId, goal_id: goal, session_id: session, student_id: caseloadStudent(c), recorded_by: recordedBy, trials_correct: '3', trials_total: '5',
    });
    return {
      insert: (c) => {
        const [session, goal] = [c.newId(), c.newId()];
        return { seed: seeds(c, session, goal), row: observation(c, c.newId(), session, goal, isClinician(c) ? (c.uid as string) : clinician(c)) };
      },
      update: (c) => {
        const [session, goal, id] = [c.newId(), c.newId(), c.newId()];
        return { seed: [...seeds(c, session, goal), { table: 'goal_observations', row: observation(c, id, session, goal, clinician(c)) }], key: { id }, set: { trials_correct: '4' } };
      },
      delete: (c) => {
        const [session, goal, id] = [c.newId(), c.newId(), c.newId()];
        return { seed: [...seeds(c, session, goal), { table: 'goal_observations', row: observation(c, id, session, goal, clinician(c)) }], key: { id } };
      },
    } satisfies WriteSpec;
  })(),
  progress_reports: (() => {
    const report = (c: WriteContext, id: string, goal: string): Row => ({
      id,
      organization_id: c.o.organizationId,
      goal_id: goal,
      student_id: caseloadStudent(c),
      reporting_period: dateRange(-30, -2),
      progress_code: 'sufficient',
      summary: 'Progressing.',
      author_id: clinician(c),
      status: 'draft',
    });
    return {
      insert: (c) => {
        const goal = c.newId();
        return { seed: [goalSeed(c, goal, caseloadStudent(c))], row: report(c, c.newId(), goal) };
      },
      update: (c) => {
        const [goal, id] = [c.newId(), c.newId()];
        return { seed: [goalSeed(c, goal, caseloadStudent(c)), { table: 'progress_reports', row: report(c, id, goal) }], key: { id }, set: { summary: 'Progressing steadily.' } };
      },
      delete: (c) => {
        const [goal, id] = [c.newId(), c.newId()];
        return { seed: [goalSeed(c, goal, caseloadStudent(c)), { table: 'progress_reports', row: report(c, id, goal) }], key: { id } };
      },
    } satisfies WriteSpec;
  })(),
  // ------------------------------------------------------------------ chat
  conversations: ownRowWrites('conversations', (c, id) => conversationRow(c, id), { title: 'Renamed chat' }),
  conversation_participants: {
    // into a conversation the writer started: adding a colleague of the organisation (a guardian:
    // about their child, adding the child's therapist)
    insert: (c) => {
      const conversation = c.newId();
      const added = actor(c) === c.o.users.therapist ? c.o.users.guardian : c.o.users.therapist;
      return {
        seed: [{ table: 'conversations', row: conversationRow(c, conversation) }],
        row: { organization_id: c.o.organizationId, conversation_id: conversation, user_id: added },
      };
    },
    update: (c) => ({ key: { conversation_id: c.x.groupConversationId, user_id: participant(c) }, set: { last_read_at: now } }),
    delete: (c) => ({ key: { conversation_id: c.x.groupConversationId, user_id: c.o.users.billing } }),
  },
  messages: (() => {
    const message = (c: WriteContext, id: string): Row => ({
      id, organization_id: c.o.organizationId, conversation_id: c.x.groupConversationId, sender_id: participant(c), client_message_id: c.newId(), body: 'Probe message.',
    });
    return {
      insert: (c) => ({ row: { ...message(c, c.newId()), sender_id: c.uid ?? c.o.users.therapist } }),
      update: (c) => {
        const id = c.newId();
        return { seed: [{ table: 'messages', row: message(c, id) }], key: { id }, set: { body: 'Edited message.', edited_at: now } };
      },
      delete: (c) => {
        const id = c.newId();
        return { seed: [{ table: 'messages', row: message(c, id) }], key: { id } };
      },
    } satisfies WriteSpec;
  })(),
  // ------------------------------------------------------------------ files
  documents: {
    insert: (c): InsertWrite => {
      const id = c.newId();
      const org = c.o.organizationId;
      if (c.persona === 'org_admin' || c.persona === 'therapist' || c.persona === 'supervisor' || c.uid === null) {
        const student = caseloadStudent(c);
        return {
          row: {
            id, organization_id: org, student_id: student, bucket_id: 'student-records', storage_path: `${org}/students/${student}/other/${id}.pdf`,
            category: 'other', file_name: 'notes.pdf', mime_type: 'application/pdf', size_bytes: '4096', visibility: 'staff', uploaded_by: actor(c),
          },
        };
      }
      return {
        row: {
          id, organization_id: org, conversation_id: c.x.groupConversationId, bucket_id: 'chat-attachments', storage_path: `${org}/conversations/${c.x.groupConversationId}/${id}.png`,
          category: 'chat_attachment', file_name: 'photo.png', mime_type: 'image/png', size_bytes: '4096', visibility: 'participants', uploaded_by: actor(c),
        },
      };
    },
    update: (c) => ({ key: { id: c.x.documentIep }, set: { file_name: 'IEP 2026.pdf' } }),
    delete: (c) => ({ key: { id: c.x.documentIep } }),
  },
  // ------------------------------------------------------------------ billing
  billing_codes: {
    insert: (c) => ({ row: { organization_id: c.o.organizationId, code: 'T1018', code_system: 'HCPCS', description: 'School-based individualized service', unit_rule: 'per_session' } }),
    update: (c) => ({ key: { id: c.x.billingCodeId }, set: { description: 'Speech treatment, individual' } }),
    delete: (c) => ({ key: { id: c.x.billingCodeId } }),
  },
  service_charges: {
    insert: (c) => {
      const code = c.newId();
      return {
        seed: [{ table: 'billing_codes', row: { id: code, organization_id: c.o.organizationId, code: '92508', description: 'Group treatment', unit_rule: 'timed_15min' } }],
        row: {
          organization_id: c.o.organizationId, session_id: c.o.sessionIds.pastS1, student_id: c.o.studentIds[0], note_id: c.o.noteIds.signedS1, billing_code_id: code,
          unit_rule: 'timed_15min', rendering_provider_id: c.o.users.therapist, service_date: dateFromToday(-7), billable_minutes: '30', payer: 'medicaid', status: 'pending',
        },
      };
    },
    update: (c) => ({ key: { note_id: c.o.noteIds.signedS1 }, set: { claim_reference: 'CLM-0001' } }),
    delete: (c) => ({ key: { note_id: c.o.noteIds.signedS1 } }),
  },
  // ------------------------------------------------------------------ notifications, integrations, audit
  notifications: {
    insert: (c) => ({ row: { user_id: owner(c), organization_id: c.o.organizationId, type: 'session.reminder', title: 'Forged' } }),
    update: (c) => ({ key: { user_id: owner(c) }, set: { read_at: now } }),
    delete: (c) => ({ key: { user_id: owner(c) } }),
  },
  webhook_subscriptions: (() => {
    // A subscription signs with a Vault secret of its own organisation (webhooks/<organization id>/…), seeded with it.
    const secret = (c: WriteContext, id: string) => ({ table: 'vault.secrets', row: { id, name: webhookSecretName(c.o.organizationId, `probe-${id}`), secret: 'probe' } });
    const subscription = (c: WriteContext, id: string, secretId: string): Row => ({
      id, organization_id: c.o.organizationId, target_url: 'https://hooks.example.org/probe', event_types: '{session.cancelled}', secret_id: secretId, created_by: actor(c),
    });
    return {
      insert: (c) => {
        const secretId = c.newId();
        return { seed: [secret(c, secretId)], row: subscription(c, c.newId(), secretId) };
      },
      update: (c) => ({ key: { organization_id: c.o.organizationId }, set: { active: 'false' } }),
      delete: (c) => {
        const id = c.newId();
        const secretId = c.newId();
        return { seed: [secret(c, secretId), { table: 'webhook_subscriptions', row: subscription(c, id, secretId) }], key: { id } };
      },
    } satisfies WriteSpec;
  })(),
  outbox_events: ownRowWrites(
    'outbox_events',
    (c, eventId) => ({
      event_id: eventId, organization_id: c.o.organizationId, event_type: 'session.created', aggregate_type: 'therapy_session', aggregate_id: c.o.sessionIds.upcomingS1, payload: '{}',
    }),
    { status: 'delivered' },
    'event_id',
  ),
  'audit.audit_log': {
    insert: (c) => ({ row: { organization_id: c.o.organizationId, actor_id: c.uid, action: 'update', table_name: 'students', record_id: c.o.studentIds[0] } }),
    update: (c) => ({ key: { organization_id: c.o.organizationId }, set: { action: 'delete' } }),
    delete: (c) => ({ key: { organization_id: c.o.organizationId } }),
  },
};
