import { sql as raw } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import { authUsers } from 'drizzle-orm/supabase';
import type postgres from 'postgres';
import * as schema from '../schema';
import { stableId } from './ids';

/**
 * A small, realistic data set: two organisations (A and B, for cross-tenant probes), each with
 * every persona of the access matrix, students on caseloads, consents, sessions past and future,
 * signed and draft notes, goals, chat, a document and a charge. Written as the database owner
 * (RLS does not apply; every constraint and trigger does). Deterministic ids (`stableId`).
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

const DAY = 24 * 60 * 60 * 1000;

function at(daysFromNow: number, hour: number, minute = 0): Date {
  const d = new Date(Date.now() + daysFromNow * DAY);
  d.setUTCHours(hour, minute, 0, 0);
  return d;
}

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

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

async function seedOrganization(db: ReturnType<typeof drizzle<typeof schema>>, o: OrgFixture): Promise<void> {
  const id = (name: string) => stableId(`org-${o.key}:${name}`);
  const u = o.users;
  const [s1, s2, s3] = o.studentIds;
  const names: Record<PersonaKey, string> = {
    org_admin: 'Avery Admin', therapist: 'Theo Therapist', supervisor: 'Sam Supervisor', supervisee: 'Sky Assistant',
    guardian: 'Gale Guardian', student: 'Stevie Student', school_staff: 'Sid Staff', billing: 'Bea Billing',
  };
  await db.insert(authUsers).values(personaKeys.map((p) => ({ id: u[p], email: `${p}.${o.key}@example.org` })));
  await db.insert(schema.profiles).values(personaKeys.map((p) => ({ id: u[p], displayName: names[p], email: `${p}.${o.key}@example.org` })));
  await db.insert(schema.organizations).values({
    id: o.organizationId, name: o.name, slug: o.key === 'a' ? 'maple-valley' : 'harbor-point',
    orgType: o.key === 'a' ? 'school_district' : 'clinic', stateCode: 'OR', timezone: 'America/Los_Angeles',
  });
  await db.insert(schema.schools).values([
    { id: o.schoolIds[0], organizationId: o.organizationId, name: 'Cedar Elementary' },
    { id: o.schoolIds[1], organizationId: o.organizationId, name: 'Birch Middle School' },
  ]);
  const role: Record<PersonaKey, (typeof schema.memberRoles)[number]> = {
    org_admin: 'org_admin', therapist: 'therapist', supervisor: 'therapist', supervisee: 'therapist',
    guardian: 'guardian', student: 'student', school_staff: 'school_staff', billing: 'billing',
  };
  await db.insert(schema.organizationMembers).values(
    personaKeys.map((p) => ({
      organizationId: o.organizationId, userId: u[p], role: role[p],
      ...(p === 'school_staff' ? { schoolId: o.schoolIds[0] } : {}),
    })),
  );
  await db.insert(schema.therapists).values([
    { id: u.therapist, discipline: 'slp', credential: 'CCC-SLP', licenseNumber: `SLP-${o.key}-1`, licenseState: 'OR' },
    { id: u.supervisor, discipline: 'slp', credential: 'CCC-SLP', licenseNumber: `SLP-${o.key}-2`, licenseState: 'OR' },
    { id: u.supervisee, discipline: 'slp', credential: 'SLPA' },
  ]);
  await db.insert(schema.students).values([
    { id: s1, organizationId: o.organizationId, schoolId: o.schoolIds[0], userId: u.student, localStudentId: 'S-001', firstName: 'Stevie', lastName: 'Student', dateOfBirth: '2012-04-01', gradeLevel: '8' },
    { id: s2, organizationId: o.organizationId, schoolId: o.schoolIds[1], localStudentId: 'S-002', firstName: 'Robin', lastName: 'Reyes', dateOfBirth: '2015-09-12', gradeLevel: '5' },
    { id: s3, organizationId: o.organizationId, schoolId: o.schoolIds[0], localStudentId: 'S-003', firstName: 'Kai', lastName: 'Kim', dateOfBirth: '2017-01-30', gradeLevel: '3' },
  ]);
  await db.insert(schema.guardians).values({ id: o.guardianId, organizationId: o.organizationId, userId: u.guardian, firstName: 'Gale', lastName: 'Guardian', email: `guardian.${o.key}@example.org` });
  await db.insert(schema.studentGuardians).values({ organizationId: o.organizationId, studentId: s1, guardianId: o.guardianId, relationship: 'parent', isPrimary: true });
  const thisYear = `[${isoDate(at(-200, 0))},${isoDate(at(200, 0))})`;
  await db.insert(schema.supervisionAssignments).values({ organizationId: o.organizationId, supervisorId: u.supervisor, superviseeId: u.supervisee, supervisionType: 'slpa', activeDuring: thisYear });
  await db.insert(schema.caseloadAssignments).values([
    { organizationId: o.organizationId, studentId: s1, therapistId: u.therapist, discipline: 'slp', startsOn: isoDate(at(-120, 0)) },
    { organizationId: o.organizationId, studentId: s2, therapistId: u.supervisee, discipline: 'slp', startsOn: isoDate(at(-120, 0)) },
  ]);
  const planId = id('plan:s1');
  await db.insert(schema.servicePlans).values({ id: planId, organizationId: o.organizationId, studentId: s1, planType: 'iep', status: 'active', effectiveDuring: thisYear, createdBy: u.org_admin });
  await db.insert(schema.consents).values(
    [s1, s2, s3].map((studentId) => ({ organizationId: o.organizationId, studentId, consentType: 'treatment' as const, grantedAt: at(-150, 12), signatureMethod: 'e_signature' as const, recordedBy: u.org_admin })),
  );
  await db.insert(schema.consents).values({ organizationId: o.organizationId, studentId: s1, guardianId: o.guardianId, consentType: 'medicaid_billing', grantedAt: at(-150, 12), signatureMethod: 'e_signature', recordedBy: u.org_admin });
  const typeId = id('session-type:slp-individual');
  await db.insert(schema.sessionTypes).values({ id: typeId, organizationId: o.organizationId, code: 'SLP-IND', name: 'Speech therapy, individual', discipline: 'slp', kind: 'therapy', defaultDurationMinutes: 30 });
  await db.insert(schema.serviceMandates).values({ organizationId: o.organizationId, servicePlanId: planId, discipline: 'slp', sessionTypeId: typeId, minutesPerSession: 30, sessionsPerPeriod: 2, period: 'week', deliverySetting: 'pull_out', effectiveDuring: thisYear });
  const { pastS1, upcomingS1, pastS2 } = o.sessionIds;
  await db.insert(schema.therapySessions).values([
    { id: pastS1, organizationId: o.organizationId, therapistId: u.therapist, sessionTypeId: typeId, schoolId: o.schoolIds[0], startTime: at(-7, 16), endTime: at(-7, 16, 30), createdBy: u.therapist },
    { id: upcomingS1, organizationId: o.organizationId, therapistId: u.therapist, sessionTypeId: typeId, schoolId: o.schoolIds[0], startTime: at(7, 16), endTime: at(7, 16, 30), createdBy: u.therapist },
    { id: pastS2, organizationId: o.organizationId, therapistId: u.supervisee, sessionTypeId: typeId, schoolId: o.schoolIds[1], startTime: at(-6, 17), endTime: at(-6, 17, 30), createdBy: u.supervisee },
  ]);
  // Participants' time range and activity are copied from the session by trigger.
  const participant = (sessionId: string, studentId: string) =>
    ({ organizationId: o.organizationId, sessionId, studentId });
  await db.insert(schema.sessionParticipants).values([participant(pastS1, s1), participant(upcomingS1, s1), participant(pastS2, s2)]);
  for (const sessionId of [pastS1, pastS2]) {
    await db.update(schema.therapySessions).set({ status: 'confirmed' }).where(raw`id = ${sessionId}`);
    await db.update(schema.therapySessions).set({ status: 'completed' }).where(raw`id = ${sessionId}`);
  }
  await db.update(schema.sessionParticipants).set({ attendance: 'present', minutesAttended: 30 }).where(raw`session_id in (${pastS1}, ${pastS2})`);
  await db.insert(schema.sessionNotes).values([
    { id: o.noteIds.signedS1, organizationId: o.organizationId, sessionId: pastS1, studentId: s1, authorId: u.therapist, subjective: 'Engaged and on time.', objective: '/r/ in initial position: 16/20 trials.', assessment: 'Progressing toward goal 1.', plan: 'Continue; add medial /r/.', billableMinutes: 30 },
    { id: o.noteIds.draftS2, organizationId: o.organizationId, sessionId: pastS2, studentId: s2, authorId: u.supervisee, subjective: 'Tired today.', billableMinutes: 30 },
  ]);
  await db.update(schema.sessionNotes).set({ status: 'signed', visibleToGuardian: true }).where(raw`id = ${o.noteIds.signedS1}`);
  const goalId = id('goal:s1-articulation');
  await db.insert(schema.goals).values({ id: goalId, organizationId: o.organizationId, studentId: s1, servicePlanId: planId, discipline: 'slp', domain: 'articulation', goalText: 'Produce /r/ in all word positions with 80% accuracy.', measurementType: 'percent_accuracy', targetValue: '80', createdBy: u.therapist });
  await db.insert(schema.goalObservations).values({ organizationId: o.organizationId, goalId, sessionId: pastS1, studentId: s1, recordedBy: u.therapist, trialsCorrect: 16, trialsTotal: 20, promptLevel: 'verbal' });
  await db.insert(schema.progressReports).values({ organizationId: o.organizationId, goalId, studentId: s1, reportingPeriod: `[${isoDate(at(-90, 0))},${isoDate(at(-1, 0))})`, progressCode: 'sufficient', summary: 'Steady progress on /r/.', authorId: u.therapist, status: 'shared', finalizedAt: at(-1, 12), sharedWithGuardiansAt: at(-1, 13) });
  await db.insert(schema.conversations).values({ id: o.conversationId, organizationId: o.organizationId, kind: 'student_team', studentId: s1, title: "Stevie's team", createdBy: u.therapist });
  await db.insert(schema.conversationParticipants).values([
    { organizationId: o.organizationId, conversationId: o.conversationId, userId: u.therapist, participantRole: 'owner' },
    { organizationId: o.organizationId, conversationId: o.conversationId, userId: u.guardian },
  ]);
  await db.insert(schema.messages).values([
    { organizationId: o.organizationId, conversationId: o.conversationId, senderId: u.therapist, clientMessageId: id('msg:1'), body: 'Great session today!' },
    { organizationId: o.organizationId, conversationId: o.conversationId, senderId: u.guardian, clientMessageId: id('msg:2'), body: 'Thank you, we practise at home.' },
  ]);
  const documentId = id('document:s1-iep');
  await db.insert(schema.documents).values({ id: documentId, organizationId: o.organizationId, studentId: s1, bucketId: 'student-records', storagePath: `${o.organizationId}/students/${s1}/iep/${documentId}.pdf`, category: 'iep', fileName: 'IEP.pdf', mimeType: 'application/pdf', sizeBytes: 120_000, visibility: 'guardians', uploadedBy: u.org_admin });
  const codeId = id('billing-code:92507');
  await db.insert(schema.billingCodes).values({ id: codeId, organizationId: o.organizationId, code: '92507', description: 'Treatment of speech, language, voice, communication disorder; individual', discipline: 'slp', unitRule: 'per_session' });
  await db.insert(schema.serviceCharges).values({ organizationId: o.organizationId, sessionId: pastS1, studentId: s1, noteId: o.noteIds.signedS1, billingCodeId: codeId, unitRule: 'timed_15min', renderingProviderId: u.therapist, serviceDate: isoDate(at(-7, 16)), billableMinutes: 30, status: 'ready' });
  await db.insert(schema.calendarBlackouts).values({ organizationId: o.organizationId, kind: 'holiday', during: `[${at(30, 0).toISOString()},${at(31, 0).toISOString()})` });
  await db.insert(schema.notifications).values({ userId: u.guardian, organizationId: o.organizationId, type: 'session.completed', title: 'Session completed', data: { session_id: pastS1 } });
  await db.insert(schema.webhookSubscriptions).values({ organizationId: o.organizationId, targetUrl: 'https://automation.example.org/webhook/therapy', eventTypes: ['session.created', 'note.signed'], secretId: id('vault-secret'), createdBy: u.org_admin });
}

/** Seeds organisations A and B; returns their ids. */
export async function seedFixture(sql: postgres.Sql): Promise<Fixture> {
  const db = drizzle(sql, { schema });
  const a = orgIds('a');
  const b = orgIds('b');
  await db.transaction(async (tx) => {
    await seedOrganization(tx as unknown as ReturnType<typeof drizzle<typeof schema>>, a);
    await seedOrganization(tx as unknown as ReturnType<typeof drizzle<typeof schema>>, b);
  });
  return { a, b };
}
