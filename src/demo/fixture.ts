import { sql as raw } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { drizzle } from 'drizzle-orm/postgres-js';
import type postgres from 'postgres';
import { at, columnsOf, dateFromToday, dateRange, insertSql, tableKey, thisYear, timeRange, updateSql, type RowValue } from '../rows';
import { quoteLiteral } from '../ddl';
import * as schema from '../schema';
import { webhookSecretName } from '../webhooks';
import { stableId } from './ids';

/**
 * A small, realistic data set: two organisations (A and B, for cross-tenant probes), each with
 * every persona of the access matrix, students on caseloads, consents, sessions past and future,
 * signed and draft notes, goals, chat, a document and a charge. Written as the database owner
 * (RLS does not apply; every constraint and trigger does). Deterministic ids (`stableId`); times
 * relative to the transaction's `now()`. As SQL statements (`fixtureStatements`), so the same rows seed
 * the test suite and the exported pgTAP suite (`therapy-db export pgtap`).
 */
export const personaKeys = ['org_admin', 'therapist', 'supervisor', 'supervisee', 'guardian', 'student', 'school_staff', 'billing'] as const;
export type PersonaKey = (typeof personaKeys)[number];

export const personaLabels: Record<PersonaKey, string> = {
  org_admin: 'org admin',
  therapist: 'therapist',
  supervisor: 'supervisor',
  supervisee: 'SLPA (supervised)',
  guardian: 'guardian',
  student: 'student',
  school_staff: 'school staff',
  billing: 'billing',
};

export interface OrgFixture {
  readonly key: 'a' | 'b';
  readonly organizationId: string;
  readonly name: string;
  readonly schoolIds: readonly [string, string];
  /** The user id (`auth.uid()`) of each persona in this organisation. */
  readonly users: Readonly<Record<PersonaKey, string>>;
  /** s1: on the therapist's caseload, the student persona, the guardian's child; s2: the SLPA's; s3: nobody's. */
  readonly studentIds: readonly [string, string, string];
  readonly guardianId: string;
  readonly sessionIds: { readonly pastS1: string; readonly upcomingS1: string; readonly pastS2: string };
  readonly noteIds: { readonly signedS1: string; readonly draftS2: string };
  readonly conversationId: string;
}

export interface Fixture {
  readonly a: OrgFixture;
  readonly b: OrgFixture;
}

type Values = Readonly<Record<string, RowValue | undefined>>;

/** The statements of a fixture being built: inserts keyed by Drizzle property names, updates by SQL columns. */
class Statements {
  readonly list: string[] = [];
  insert(table: PgTable, rows: Values | readonly Values[]): void {
    const list = (Array.isArray(rows) ? rows : [rows]) as readonly Values[];
    this.list.push(insertSql(tableKey(table), list.map((row) => columnsOf(table, row))));
  }
  update(table: PgTable, key: Values, set: Values): void {
    this.list.push(updateSql(tableKey(table), columnsOf(table, key), columnsOf(table, set)));
  }
}

/** auth.users as the fixture writes it (Supabase's table, not one of the package's). */
const authUsers = 'auth.users';

function orgIds(key: 'a' | 'b'): OrgFixture {
  const id = (name: string) => stableId(`org-${key}:${name}`);
  const users = Object.fromEntries(personaKeys.map((p) => [p, id(`user:${p}`)])) as Record<PersonaKey, string>;
  return {
    key,
    organizationId: id('organization'),
    name: key === 'a' ? 'Maple Valley School District' : 'Harbor Point Therapy Clinic',
    schoolIds: [id('school:1'), id('school:2')],
    users,
    studentIds: [id('student:1'), id('student:2'), id('student:3')],
    guardianId: id('guardian'),
    sessionIds: { pastS1: id('session:past-s1'), upcomingS1: id('session:upcoming-s1'), pastS2: id('session:past-s2') },
    noteIds: { signedS1: id('note:signed-s1'), draftS2: id('note:draft-s2') },
    conversationId: id('conversation'),
  };
}

function organizationStatements(db: Statements, o: OrgFixture): void {
  const id = (name: string) => stableId(`org-${o.key}:${name}`);
  const u = o.users;
  const [s1, s2, s3] = o.studentIds;
  const names: Record<PersonaKey, string> = {
    org_admin: 'Avery Admin', therapist: 'Theo Therapist', supervisor: 'Sam Supervisor', supervisee: 'Sky Assistant',
    guardian: 'Gale Guardian', student: 'Stevie Student', school_staff: 'Sid Staff', billing: 'Bea Billing',
  };
  db.list.push(insertSql(authUsers, personaKeys.map((p) => ({ id: u[p], email: `${p}.${o.key}@example.org` }))));
  db.insert(schema.profiles, personaKeys.map((p) => ({ id: u[p], displayName: names[p], email: `${p}.${o.key}@example.org` })));
  db.insert(schema.organizations, {
    id: o.organizationId, name: o.name, slug: o.key === 'a' ? 'maple-valley' : 'harbor-point',
    orgType: o.key === 'a' ? 'school_district' : 'clinic', stateCode: 'OR', timezone: 'America/Los_Angeles',
  });
  db.insert(schema.schools, [
    { id: o.schoolIds[0], organizationId: o.organizationId, name: 'Cedar Elementary' },
    { id: o.schoolIds[1], organizationId: o.organizationId, name: 'Birch Middle School' },
  ]);
  const role: Record<PersonaKey, (typeof schema.memberRoles)[number]> = {
    org_admin: 'org_admin', therapist: 'therapist', supervisor: 'therapist', supervisee: 'therapist',
    guardian: 'guardian', student: 'student', school_staff: 'school_staff', billing: 'billing',
  };
  db.insert(schema.organizationMembers, 
    personaKeys.map((p) => ({
      organizationId: o.organizationId, userId: u[p], role: role[p],
      ...(p === 'school_staff' ? { schoolId: o.schoolIds[0] } : {}),
    })),
  );
  db.insert(schema.therapists, [
    { id: u.therapist, discipline: 'slp', credential: 'CCC-SLP', licenseNumber: `SLP-${o.key}-1`, licenseState: 'OR' },
    { id: u.supervisor, discipline: 'slp', credential: 'CCC-SLP', licenseNumber: `SLP-${o.key}-2`, licenseState: 'OR' },
    { id: u.supervisee, discipline: 'slp', credential: 'SLPA' },
  ]);
  db.insert(schema.students, [
    { id: s1, organizationId: o.organizationId, schoolId: o.schoolIds[0], userId: u.student, localStudentId: 'S-001', firstName: 'Stevie', lastName: 'Student', dateOfBirth: '2012-04-01', gradeLevel: '8' },
    { id: s2, organizationId: o.organizationId, schoolId: o.schoolIds[1], localStudentId: 'S-002', firstName: 'Robin', lastName: 'Reyes', dateOfBirth: '2015-09-12', gradeLevel: '5' },
    { id: s3, organizationId: o.organizationId, schoolId: o.schoolIds[0], localStudentId: 'S-003', firstName: 'Kai', lastName: 'Kim', dateOfBirth: '2017-01-30', gradeLevel: '3' },
  ]);
  db.insert(schema.guardians, { id: o.guardianId, organizationId: o.organizationId, userId: u.guardian, firstName: 'Gale', lastName: 'Guardian', email: `guardian.${o.key}@example.org` });
  db.insert(schema.studentGuardians, { organizationId: o.organizationId, studentId: s1, guardianId: o.guardianId, relationship: 'parent', isPrimary: true });
  db.insert(schema.supervisionAssignments, { organizationId: o.organizationId, supervisorId: u.supervisor, superviseeId: u.supervisee, supervisionType: 'slpa', activeDuring: thisYear() });
  db.insert(schema.caseloadAssignments, [
    { organizationId: o.organizationId, studentId: s1, therapistId: u.therapist, discipline: 'slp', startsOn: dateFromToday(-120) },
    { organizationId: o.organizationId, studentId: s2, therapistId: u.supervisee, discipline: 'slp', startsOn: dateFromToday(-120) },
  ]);
  const planId = id('plan:s1');
  db.insert(schema.servicePlans, { id: planId, organizationId: o.organizationId, studentId: s1, planType: 'iep', status: 'active', effectiveDuring: thisYear(), createdBy: u.org_admin });
  db.insert(schema.consents, 
    [s1, s2, s3].map((studentId) => ({ organizationId: o.organizationId, studentId, consentType: 'treatment' as const, grantedAt: at(-150, 12), signatureMethod: 'e_signature' as const, recordedBy: u.org_admin })),
  );
  db.insert(schema.consents, { organizationId: o.organizationId, studentId: s1, guardianId: o.guardianId, consentType: 'medicaid_billing', grantedAt: at(-150, 12), signatureMethod: 'e_signature', recordedBy: u.org_admin });
  const typeId = id('session-type:slp-individual');
  db.insert(schema.sessionTypes, { id: typeId, organizationId: o.organizationId, code: 'SLP-IND', name: 'Speech therapy, individual', discipline: 'slp', kind: 'therapy', defaultDurationMinutes: 30 });
  db.insert(schema.serviceMandates, { organizationId: o.organizationId, servicePlanId: planId, discipline: 'slp', sessionTypeId: typeId, minutesPerSession: 30, sessionsPerPeriod: 2, period: 'week', deliverySetting: 'pull_out', effectiveDuring: thisYear() });
  const { pastS1, upcomingS1, pastS2 } = o.sessionIds;
  db.insert(schema.therapySessions, [
    { id: pastS1, organizationId: o.organizationId, therapistId: u.therapist, sessionTypeId: typeId, schoolId: o.schoolIds[0], startTime: at(-7, 16), endTime: at(-7, 16, 30), createdBy: u.therapist },
    { id: upcomingS1, organizationId: o.organizationId, therapistId: u.therapist, sessionTypeId: typeId, schoolId: o.schoolIds[0], startTime: at(7, 16), endTime: at(7, 16, 30), createdBy: u.therapist },
    { id: pastS2, organizationId: o.organizationId, therapistId: u.supervisee, sessionTypeId: typeId, schoolId: o.schoolIds[1], startTime: at(-6, 17), endTime: at(-6, 17, 30), createdBy: u.supervisee },
  ]);
  // Participants' time range and activity are copied from the session by trigger.
  const participant = (sessionId: string, studentId: string) =>
    ({ organizationId: o.organizationId, sessionId, studentId });
  db.insert(schema.sessionParticipants, [participant(pastS1, s1), participant(upcomingS1, s1), participant(pastS2, s2)]);
  for (const sessionId of [pastS1, pastS2]) {
    db.update(schema.therapySessions, { id: sessionId }, { status: 'confirmed' });
    db.update(schema.therapySessions, { id: sessionId }, { status: 'completed' });
  }
  db.update(schema.sessionParticipants, { sessionId: [pastS1, pastS2] }, { attendance: 'present', minutesAttended: 30 });
  db.insert(schema.sessionNotes, [
    { id: o.noteIds.signedS1, organizationId: o.organizationId, sessionId: pastS1, studentId: s1, authorId: u.therapist, subjective: 'Engaged and on time.', objective: '/r/ in initial position: 16/20 trials.', assessment: 'Progressing toward goal 1.', plan: 'Continue; add medial /r/.', billableMinutes: 30 },
    { id: o.noteIds.draftS2, organizationId: o.organizationId, sessionId: pastS2, studentId: s2, authorId: u.supervisee, subjective: 'Tired today.', billableMinutes: 30 },
  ]);
  db.update(schema.sessionNotes, { id: o.noteIds.signedS1 }, { status: 'signed', visibleToGuardian: true });
  const goalId = id('goal:s1-articulation');
  db.insert(schema.goals, { id: goalId, organizationId: o.organizationId, studentId: s1, servicePlanId: planId, discipline: 'slp', domain: 'articulation', goalText: 'Produce /r/ in all word positions with 80% accuracy.', measurementType: 'percent_accuracy', targetValue: '80', createdBy: u.therapist });
  db.insert(schema.goalObservations, { organizationId: o.organizationId, goalId, sessionId: pastS1, studentId: s1, recordedBy: u.therapist, trialsCorrect: 16, trialsTotal: 20, promptLevel: 'verbal' });
  db.insert(schema.progressReports, { organizationId: o.organizationId, goalId, studentId: s1, reportingPeriod: dateRange(-90, -1), progressCode: 'sufficient', summary: 'Steady progress on /r/.', authorId: u.therapist, status: 'shared', finalizedAt: at(-1, 12), sharedWithGuardiansAt: at(-1, 13) });
  db.insert(schema.conversations, { id: o.conversationId, organizationId: o.organizationId, kind: 'student_team', studentId: s1, title: "Stevie's team", createdBy: u.therapist });
  db.insert(schema.conversationParticipants, [
    { organizationId: o.organizationId, conversationId: o.conversationId, userId: u.therapist, participantRole: 'owner' },
    { organizationId: o.organizationId, conversationId: o.conversationId, userId: u.guardian },
  ]);
  db.insert(schema.messages, [
    { organizationId: o.organizationId, conversationId: o.conversationId, senderId: u.therapist, clientMessageId: id('msg:1'), body: 'Great session today!' },
    { organizationId: o.organizationId, conversationId: o.conversationId, senderId: u.guardian, clientMessageId: id('msg:2'), body: 'Thank you, we practise at home.' },
  ]);
  const documentId = id('document:s1-iep');
  db.insert(schema.documents, { id: documentId, organizationId: o.organizationId, studentId: s1, bucketId: 'student-records', storagePath: `${o.organizationId}/students/${s1}/iep/${documentId}.pdf`, category: 'iep', fileName: 'IEP.pdf', mimeType: 'application/pdf', sizeBytes: 120_000, visibility: 'guardians', uploadedBy: u.org_admin });
  const codeId = id('billing-code:92507');
  db.insert(schema.billingCodes, { id: codeId, organizationId: o.organizationId, code: '92507', description: 'Treatment of speech, language, voice, communication disorder; individual', discipline: 'slp', unitRule: 'per_session' });
  db.insert(schema.serviceCharges, { organizationId: o.organizationId, sessionId: pastS1, studentId: s1, noteId: o.noteIds.signedS1, billingCodeId: codeId, unitRule: 'timed_15min', renderingProviderId: u.therapist, serviceDate: dateFromToday(-7), billableMinutes: 30, status: 'ready' });
  db.insert(schema.calendarBlackouts, { organizationId: o.organizationId, kind: 'holiday', during: timeRange(at(30, 0), at(31, 0)) });
  db.insert(schema.notifications, { userId: u.guardian, organizationId: o.organizationId, type: 'session.completed', title: 'Session completed', data: { session_id: pastS1 } });
  // The subscription signs with its organisation's own Vault secret (webhooks/<organization id>/…).
  const secretName = quoteLiteral(webhookSecretName(o.organizationId, 'demo'));
  db.list.push(`select vault.create_secret('demo-webhook-secret-${o.key}', ${secretName}, 'Demo webhook signing secret')`);
  db.list.push(
    `insert into public.webhook_subscriptions (organization_id, target_url, event_types, secret_id, created_by)
     select ${quoteLiteral(o.organizationId)}, 'https://automation.example.org/webhook/therapy', array['session.created', 'note.signed'], s.id, ${quoteLiteral(u.org_admin)}
       from vault.secrets s where s.name = ${secretName}`,
  );
}

/** The fixture's ids and the statements that write it (as the database owner, in one transaction). */
export function fixtureStatements(): { readonly fixture: Fixture; readonly statements: readonly string[] } {
  const a = orgIds('a');
  const b = orgIds('b');
  const db = new Statements();
  organizationStatements(db, a);
  organizationStatements(db, b);
  return { fixture: { a, b }, statements: db.list };
}

/** Seeds organisations A and B; returns their ids. */
export async function seedFixture(sql: postgres.Sql): Promise<Fixture> {
  const { fixture, statements } = fixtureStatements();
  // Through Drizzle, as before the fixture was statements: its postgres-js driver sets the client's
  // date and time (de)serialisers to plain strings, which the callers' own queries rely on.
  const db = drizzle(sql);
  await db.transaction(async (tx) => {
    for (const statement of statements) await tx.execute(raw.raw(statement));
  });
  return fixture;
}
