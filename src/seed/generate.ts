import type { PgTable } from 'drizzle-orm/pg-core';
import { authUsers } from 'drizzle-orm/supabase';
import type postgres from 'postgres';
import * as s from '../schema';
import type { Discipline, GoalDomain, MemberRole, SessionStatus } from '../schema';
import type { OrgPlan, SeedPlan } from './plan';
import { SLOTS_PER_WEEK, WEEKS_AHEAD, WEEKS_PAST } from './plan';
import { Prng } from './prng';
import * as words from './words';

/**
 * The generator of one organisation: a district-sized tenant with staff, students, guardians,
 * caseloads, plans, consents, a 20-week calendar of sessions, notes, goals and observations,
 * progress reports, charges, chat and notifications — every row valid under the schema's
 * constraints and triggers, which stay on while it loads:
 *
 * - **no overlaps**: each therapist has a weekly grid of 35 one-hour slots (5 days × 7 hours) and
 *   fills 25; a student holds at most one slot per (day, hour) across all their therapists; a
 *   session lasts 30 (individual) or 45 (group) minutes, so slots never touch. Makeup sessions use
 *   an hour outside the grid, at most one per therapist and student per day;
 * - **consent before sessions**: every student's treatment consent is granted before their first
 *   session (the participant trigger checks it row by row);
 * - **caseloads**: a student's sessions are with the therapists on their caseload, and stop when an
 *   exited student's assignment ends;
 * - **notes** are inserted as drafts and signed by an UPDATE (the trigger stamps and hashes them);
 *   supervisees' notes go to pending_cosign and are co-signed by their active supervisor;
 * - **charges** bill signed notes only, Medicaid only with a medicaid_billing consent.
 */

type Row<T extends PgTable> = T['$inferInsert'];

/** What the generator writes through: COPY for rows, SQL for the signing updates. */
export interface Loader {
  copy<T extends PgTable>(table: T, rows: readonly Row<T>[]): Promise<void>;
  readonly sql: postgres.Sql | postgres.TransactionSql;
  /** Runs a set-based step (the signing updates), for timing. */
  step<T>(label: string, fn: () => Promise<T>): Promise<T>;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;

/** UTC start hours of the weekly grid (8:00–15:00 on the US east coast) and the makeup hour. */
const GRID_HOURS = [13, 14, 15, 16, 18, 19, 20] as const;
const MAKEUP_HOUR = 21;

const isoDate = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (d: Date, days: number) => new Date(d.getTime() + days * DAY);

/** Therapist disciplines in a typical school-based practice. */
const disciplineWeights: readonly (readonly [Discipline, number])[] = [
  ['slp', 0.45], ['ot', 0.25], ['pt', 0.1], ['counseling', 0.15], ['psychology', 0.05],
];

const fullCredential: Record<Discipline, (typeof s.credentials)[number]> = {
  slp: 'CCC-SLP', ot: 'OTR/L', pt: 'PT', counseling: 'LPC', psychology: 'NCSP', audiology: 'CCC-A',
};
const supervisedCredential: Partial<Record<Discipline, s.SupervisedCredential>> = { slp: 'SLPA', ot: 'COTA/L', pt: 'PTA' };
const supervisionTypeFor: Record<s.SupervisedCredential, (typeof s.supervisionTypes)[number]> = {
  SLPA: 'slpa', 'SLP-CF': 'clinical_fellowship', 'COTA/L': 'cota', PTA: 'pta',
};

const goalDomains: Record<Discipline, readonly GoalDomain[]> = {
  slp: ['articulation', 'expressive_language', 'receptive_language', 'fluency', 'pragmatics'],
  ot: ['fine_motor', 'visual_motor', 'sensory', 'self_care'],
  pt: ['gross_motor', 'mobility'],
  counseling: ['social_emotional', 'behavior'],
  psychology: ['behavior', 'social_emotional'],
  audiology: ['other'],
};

/** The global billing catalogue (organization_id null), one code per discipline and group size. */
export const billingCatalogue = [
  { key: 'slp:ind', code: '92507', description: 'Treatment of speech, language, voice, communication disorder; individual', discipline: 'slp', unitRule: 'per_session', rate: 68 },
  { key: 'slp:grp', code: '92508', description: 'Treatment of speech, language, voice, communication disorder; group', discipline: 'slp', unitRule: 'per_session', rate: 32 },
  { key: 'ot:ind', code: '97530', description: 'Therapeutic activities, direct one-on-one, each 15 minutes', discipline: 'ot', unitRule: 'timed_15min', rate: 29 },
  { key: 'pt:ind', code: '97110', description: 'Therapeutic exercises, each 15 minutes', discipline: 'pt', unitRule: 'timed_15min', rate: 27 },
  { key: 'any:grp', code: '97150', description: 'Therapeutic procedure(s), group (2 or more individuals)', discipline: null, unitRule: 'per_session', rate: 21 },
  { key: 'counseling:ind', code: '90832', description: 'Psychotherapy, 30 minutes with patient', discipline: 'counseling', unitRule: 'time_range', rate: 61 },
  { key: 'counseling:grp', code: '90853', description: 'Group psychotherapy', discipline: 'counseling', unitRule: 'per_session', rate: 26 },
  { key: 'psychology:ind', code: 'H0004', description: 'Behavioral health counseling and therapy, per 15 minutes', discipline: 'psychology', unitRule: 'timed_15min', rate: 24 },
] as const;

export type BillingKey = (typeof billingCatalogue)[number]['key'];

export function billingKeyFor(discipline: Discipline, group: boolean): BillingKey {
  if (group) return discipline === 'slp' ? 'slp:grp' : discipline === 'counseling' || discipline === 'psychology' ? 'counseling:grp' : 'any:grp';
  switch (discipline) {
    case 'slp': return 'slp:ind';
    case 'ot': return 'ot:ind';
    case 'pt': return 'pt:ind';
    case 'counseling': return 'counseling:ind';
    default: return 'psychology:ind';
  }
}

export interface GlobalIds {
  readonly billingCodes: Readonly<Record<BillingKey, { id: string; unitRule: (typeof s.unitRules)[number]; rate: number }>>;
}

/** Rows written once per data set, before the organisations: the billing catalogue. */
export async function seedGlobals(plan: SeedPlan, loader: Loader): Promise<GlobalIds> {
  const prng = new Prng(plan.seed).fork('globals');
  const rows: Row<typeof s.billingCodes>[] = [];
  const ids = {} as Record<BillingKey, { id: string; unitRule: (typeof s.unitRules)[number]; rate: number }>;
  for (const c of billingCatalogue) {
    const id = prng.uuid();
    ids[c.key] = { id, unitRule: c.unitRule, rate: c.rate };
    rows.push({
      id, organizationId: null, codeSystem: /^\d+$/.test(c.code) ? 'CPT' : 'HCPCS', code: c.code, description: c.description,
      discipline: c.discipline, unitRule: c.unitRule, minMinutes: c.unitRule === 'timed_15min' ? 8 : null, maxMinutes: null,
      defaultModifiers: c.code === '97150' ? ['GP'] : [], effectiveDuring: '[2020-01-01,)',
    });
  }
  await loader.copy(s.billingCodes, rows);
  return { billingCodes: ids };
}

interface Person { id: string; first: string; last: string; email: string }
interface Therapist extends Person { discipline: Discipline; supervised: boolean; supervisorId: string | null; schoolId: string }
interface Student {
  id: string; first: string; last: string; schoolId: string; userId: string | null; exitDate: Date | null;
  guardianUserIds: string[]; hasMedicaid: boolean; disciplines: Discipline[]; planId: string;
}
interface Assignment {
  student: Student; therapist: Therapist; discipline: Discipline; sessionsPerWeek: number; mandateId: string; goalIds: string[];
}
interface Session {
  id: string; therapist: Therapist; start: Date; end: Date; status: SessionStatus; group: boolean; typeId: string;
  participants: Assignment[];
}

/** Writes one organisation. Returns its id. */
export async function seedOrganization(plan: SeedPlan, org: OrgPlan, globals: GlobalIds, loader: Loader): Promise<string> {
  const prng = new Prng(plan.seed).fork(`org:${org.index}`);
  const anchor = plan.anchor;
  const firstWeek = addDays(anchor, -7 * WEEKS_PAST);
  const past = (d: Date) => d.getTime() < anchor.getTime();
  const orgId = prng.uuid();
  const place = words.places[org.index % words.places.length]!;
  const orgName = `${place} ${org.index < words.places.length ? '' : `${Math.floor(org.index / words.places.length) + 1} `}Unified School District`.replace(/\s+/g, ' ');
  const timezone = prng.pick(words.timezones);
  let emailCounter = 0;
  const person = (): Person => {
    const first = prng.pick(words.firstNames);
    const last = prng.pick(words.lastNames);
    return { id: prng.uuid(), first, last, email: `${first}.${last}.${org.index}.${++emailCounter}@example.org`.toLowerCase() };
  };

  // ---------------------------------------------------------------- organisation, schools
  await loader.copy(s.organizations, [{
    id: orgId, name: orgName, slug: `${place.toLowerCase()}-${org.index + 1}`, orgType: org.index % 7 === 6 ? 'contract_agency' : 'school_district',
    stateCode: prng.pick(words.states), timezone, npi: prng.digits(10), settings: { locale: 'en-US' },
  }]);
  const schools = Array.from({ length: org.schools }, (_, i) => ({
    id: prng.uuid(), organizationId: orgId,
    name: `${words.places[(org.index + i * 7) % words.places.length]} ${words.schoolKinds[i % words.schoolKinds.length]} ${i + 1}`,
    ncesSchoolId: prng.digits(12), timezone,
  }));
  await loader.copy(s.schools, schools);

  // ---------------------------------------------------------------- staff
  const admins = Array.from({ length: Math.max(1, Math.round(org.therapists / 10)) }, person);
  const billingStaff = [person()];
  const schoolStaff = schools.map((school) => ({ ...person(), schoolId: school.id }));
  const therapistCount = org.therapists;
  const disciplineCounts = new Map<Discipline, number>();
  {
    let assigned = 0;
    for (const [d, w] of disciplineWeights) {
      const n = Math.max(d === 'slp' ? 2 : 0, Math.round(therapistCount * w));
      const take = Math.min(n, therapistCount - assigned);
      if (take > 0) disciplineCounts.set(d, take);
      assigned += take;
    }
    if (assigned < therapistCount) disciplineCounts.set('slp', (disciplineCounts.get('slp') ?? 0) + therapistCount - assigned);
  }
  const therapists: Therapist[] = [];
  for (const [discipline, count] of disciplineCounts) {
    const supervisedCred = supervisedCredential[discipline];
    const supervised = supervisedCred && count >= 2 ? Math.max(1, Math.round(count * 0.2)) : 0;
    const supervisors: Therapist[] = [];
    for (let i = 0; i < count; i++) {
      const isSupervised = i >= count - supervised;
      const supervisor = isSupervised ? supervisors[i % supervisors.length]! : null;
      const t: Therapist = {
        ...person(), discipline, supervised: isSupervised, supervisorId: supervisor?.id ?? null,
        schoolId: schools[therapists.length % schools.length]!.id,
      };
      if (!isSupervised) supervisors.push(t);
      therapists.push(t);
    }
  }

  // ---------------------------------------------------------------- students, guardians
  const gradeFor = (i: number) => s.gradeLevels[1 + (i % 13)]!; // K..12
  const students: Student[] = [];
  interface Guardian extends Person { login: boolean; studentId: string; primary: boolean; portal: boolean; relationship: (typeof s.guardianRelationships)[number] }
  const guardians: Guardian[] = [];
  const disciplinesPresent = [...disciplineCounts.keys()];
  const disciplineByTherapists: (readonly [Discipline, number])[] = disciplinesPresent.map((d) => [d, disciplineCounts.get(d)!]);
  for (let i = 0; i < org.students; i++) {
    const first = prng.pick(words.firstNames);
    const last = prng.pick(words.lastNames);
    const grade = gradeFor(i);
    const gradeNumber = grade === 'K' ? 0 : Number(grade);
    const primary = prng.weighted(disciplineByTherapists);
    const disciplines: Discipline[] = [primary];
    if (disciplinesPresent.length > 1 && prng.chance(0.3)) {
      const others = disciplinesPresent.filter((d) => d !== primary);
      disciplines.push(prng.pick(others));
    }
    const student: Student = {
      id: prng.uuid(), first, last, schoolId: schools[i % schools.length]!.id,
      userId: gradeNumber >= 6 && prng.chance(0.25) ? prng.uuid() : null,
      exitDate: prng.chance(0.03) ? addDays(anchor, -7 * prng.between(1, 12) - prng.between(0, 4)) : null,
      guardianUserIds: [], hasMedicaid: prng.chance(0.6), disciplines, planId: prng.uuid(),
    };
    students.push(student);
    const guardianCount = prng.chance(0.3) ? 2 : 1;
    for (let g = 0; g < guardianCount; g++) {
      const p = person();
      const login = prng.chance(0.65);
      const portal = !prng.chance(0.02);
      guardians.push({
        ...p, last: g === 0 ? last : p.last, login, studentId: student.id, primary: g === 0, portal,
        relationship: prng.weighted([['mother', 4], ['father', 3], ['parent', 2], ['grandparent', 1], ['legal_guardian', 0.5], ['foster_parent', 0.3]]),
      });
      if (login && portal) student.guardianUserIds.push(p.id);
    }
  }

  // ---------------------------------------------------------------- users, profiles, members
  const users: { id: string; email: string; name: string; role: MemberRole; schoolId?: string }[] = [
    ...admins.map((p) => ({ id: p.id, email: p.email, name: `${p.first} ${p.last}`, role: 'org_admin' as const })),
    ...billingStaff.map((p) => ({ id: p.id, email: p.email, name: `${p.first} ${p.last}`, role: 'billing' as const })),
    ...schoolStaff.map((p) => ({ id: p.id, email: p.email, name: `${p.first} ${p.last}`, role: 'school_staff' as const, schoolId: p.schoolId })),
    ...therapists.map((p) => ({ id: p.id, email: p.email, name: `${p.first} ${p.last}`, role: 'therapist' as const })),
    ...guardians.filter((g) => g.login).map((p) => ({ id: p.id, email: p.email, name: `${p.first} ${p.last}`, role: 'guardian' as const })),
    ...students.filter((st) => st.userId).map((st) => ({
      id: st.userId!, email: `${st.first}.${st.last}.${st.id.slice(0, 8)}@students.example.org`.toLowerCase(), name: `${st.first} ${st.last}`, role: 'student' as const,
    })),
  ];
  await loader.copy(authUsers, users.map((u) => ({ id: u.id, email: u.email })));
  await loader.copy(s.profiles, users.map((u) => ({
    id: u.id, displayName: u.name, email: u.email, phone: prng.chance(0.5) ? `+1${prng.digits(10)}` : null, locale: prng.chance(0.15) ? 'es' : 'en',
  })));
  await loader.copy(s.organizationMembers, users.map((u) => ({
    id: prng.uuid(), organizationId: orgId, userId: u.id, role: u.role, schoolId: u.schoolId ?? null, status: 'active' as const,
  })));
  const admin = admins[0]!;
  await loader.copy(s.therapists, therapists.map((t, i) => {
    const credential = t.supervised ? supervisedCredential[t.discipline]! : fullCredential[t.discipline];
    const licensed = !t.supervised || prng.chance(0.5);
    return {
      id: t.id, discipline: t.discipline, credential,
      // Unique across the data set: organisation index and position.
      npi: t.supervised ? null : `${1 + (org.index % 9)}${String(org.index).padStart(5, '0')}${String(i).padStart(4, '0')}`,
      licenseNumber: licensed ? `${t.discipline.toUpperCase()}-${prng.digits(6)}` : null, licenseState: licensed ? 'OR' : null,
      licenseExpiresOn: licensed ? isoDate(addDays(anchor, prng.between(100, 700))) : null,
    };
  }));
  const supervisionRows = therapists.filter((t) => t.supervisorId).map((t) => ({
    id: prng.uuid(), organizationId: orgId, supervisorId: t.supervisorId!, superviseeId: t.id,
    supervisionType: supervisionTypeFor[supervisedCredential[t.discipline]!], activeDuring: `[${isoDate(addDays(anchor, -365))},)`,
  }));
  await loader.copy(s.supervisionAssignments, supervisionRows);
  await loader.copy(s.students, students.map((st, i) => {
    const grade = gradeFor(i);
    const age = 5 + (grade === 'K' ? 0 : Number(grade));
    return {
      id: st.id, organizationId: orgId, schoolId: st.schoolId, userId: st.userId, localStudentId: `S-${String(i + 1).padStart(6, '0')}`,
      firstName: st.first, lastName: st.last, dateOfBirth: isoDate(addDays(anchor, -365.25 * age - prng.int(365))), gradeLevel: grade,
      primaryLanguage: prng.chance(0.2) ? 'es' : 'en', eligibility: prng.chance(0.9) ? 'iep' as const : '504' as const,
      status: st.exitDate ? 'exited' as const : 'active' as const,
    };
  }));
  await loader.copy(s.guardians, guardians.map((g) => ({
    id: g.id, organizationId: orgId, userId: g.login ? g.id : null, firstName: g.first, lastName: g.last, email: g.email,
    phone: `+1${prng.digits(10)}`, preferredContact: prng.weighted([['app', 3], ['email', 2], ['sms', 1]]),
  })));
  await loader.copy(s.studentGuardians, guardians.map((g) => ({
    organizationId: orgId, studentId: g.studentId, guardianId: g.id, relationship: g.relationship, isPrimary: g.primary,
    hasEducationalRights: true, portalAccess: g.portal,
  })));

  // ---------------------------------------------------------------- documents, consents, plans
  const iepDocIds = new Map<string, string>();
  await loader.copy(s.documents, students.map((st) => {
    const id = prng.uuid();
    iepDocIds.set(st.id, id);
    return {
      id, organizationId: orgId, studentId: st.id, bucketId: 'student-records' as const,
      storagePath: `${orgId}/students/${st.id}/iep/${id}.pdf`, category: 'iep' as const, fileName: `IEP ${st.last}.pdf`,
      mimeType: 'application/pdf', sizeBytes: 50_000 + prng.int(900_000), sha256: prng.hex(64), visibility: 'guardians' as const,
      uploadedBy: admin.id, createdAt: addDays(firstWeek, -60),
    };
  }));
  const consentGranted = addDays(firstWeek, -56);
  const primaryGuardian = new Map(guardians.filter((g) => g.primary).map((g) => [g.studentId, g.id]));
  const consentRows: Row<typeof s.consents>[] = [];
  for (const st of students) {
    const base = {
      organizationId: orgId, studentId: st.id, guardianId: primaryGuardian.get(st.id) ?? null, scope: {},
      grantedAt: new Date(consentGranted.getTime() + prng.int(14) * DAY), signatureMethod: prng.pick(s.signatureMethods),
      recordedBy: admin.id,
    };
    consentRows.push({ ...base, id: prng.uuid(), consentType: 'treatment', expiresAt: null, revokedAt: null, revokedReason: null });
    if (st.hasMedicaid) consentRows.push({ ...base, id: prng.uuid(), consentType: 'medicaid_billing', expiresAt: null, revokedAt: null, revokedReason: null });
    if (st.guardianUserIds.length > 0) consentRows.push({ ...base, id: prng.uuid(), consentType: 'messaging', expiresAt: null, revokedAt: null, revokedReason: null });
    if (prng.chance(0.2)) {
      const revoked = prng.chance(0.1);
      consentRows.push({
        ...base, id: prng.uuid(), consentType: 'media', expiresAt: null,
        revokedAt: revoked ? addDays(anchor, -prng.between(7, 60)) : null, revokedReason: revoked ? 'Guardian withdrew consent' : null,
      });
    }
  }
  await loader.copy(s.consents, consentRows);

  const planRange = `[${isoDate(addDays(firstWeek, -98))},${isoDate(addDays(anchor, 154))})`;
  await loader.copy(s.servicePlans, students.map((st) => ({
    id: st.planId, organizationId: orgId, studentId: st.id, planType: 'iep' as const, status: 'active' as const,
    meetingDate: isoDate(addDays(firstWeek, -98)), effectiveDuring: planRange, reevaluationDueOn: isoDate(addDays(anchor, 400 + prng.int(300))),
    sourceDocumentId: iepDocIds.get(st.id)!, createdBy: admin.id,
  })));

  // ---------------------------------------------------------------- session types, caseloads, mandates, goals
  const sessionTypes = new Map<string, { id: string; discipline: Discipline; group: boolean; minutes: number; billing: BillingKey }>();
  for (const d of disciplinesPresent) {
    for (const group of [false, true]) {
      const key = `${d}:${group ? 'grp' : 'ind'}`;
      sessionTypes.set(key, { id: prng.uuid(), discipline: d, group, minutes: group ? 45 : 30, billing: billingKeyFor(d, group) });
    }
  }
  await loader.copy(s.sessionTypes, [...sessionTypes.entries()].map(([key, t]) => ({
    id: t.id, organizationId: orgId, code: key.replace(':', '-').toUpperCase(),
    name: `${t.discipline.toUpperCase()} therapy, ${t.group ? 'group' : 'individual'}`, discipline: t.discipline, kind: 'therapy' as const,
    defaultDurationMinutes: t.minutes, isGroup: t.group, maxParticipants: t.group ? 4 : 1,
    defaultBillingCodeId: globals.billingCodes[t.billing].id, isBillable: true, active: true,
  })));

  const caseloadStart = addDays(firstWeek, -7);
  const load = new Map<string, number>(therapists.map((t) => [t.id, 0]));
  const byDiscipline = new Map<Discipline, Therapist[]>();
  for (const t of therapists) byDiscipline.set(t.discipline, [...(byDiscipline.get(t.discipline) ?? []), t]);
  const assignments: Assignment[] = [];
  for (const st of students) {
    for (const d of st.disciplines) {
      const pool = byDiscipline.get(d)!;
      let best = pool[0]!;
      for (const t of pool) if (load.get(t.id)! < load.get(best.id)!) best = t;
      load.set(best.id, load.get(best.id)! + 1);
      assignments.push({ student: st, therapist: best, discipline: d, sessionsPerWeek: prng.chance(0.4) ? 2 : 1, mandateId: prng.uuid(), goalIds: [] });
    }
  }
  await loader.copy(s.caseloadAssignments, assignments.map((a) => ({
    id: prng.uuid(), organizationId: orgId, studentId: a.student.id, therapistId: a.therapist.id, discipline: a.discipline,
    assignmentRole: 'primary' as const, startsOn: isoDate(caseloadStart), endsOn: a.student.exitDate ? isoDate(a.student.exitDate) : null,
  })));
  await loader.copy(s.serviceMandates, assignments.map((a) => ({
    id: a.mandateId, organizationId: orgId, servicePlanId: a.student.planId, discipline: a.discipline,
    sessionTypeId: sessionTypes.get(`${a.discipline}:ind`)!.id, minutesPerSession: 30, sessionsPerPeriod: a.sessionsPerWeek,
    period: 'week' as const, deliverySetting: prng.weighted([['pull_out', 6], ['push_in', 2], ['telehealth', 1]] as const), groupSizeMax: 4,
    effectiveDuring: planRange,
  })));
  const goalRows: Row<typeof s.goals>[] = [];
  for (const a of assignments) {
    const domains = prng.shuffle(goalDomains[a.discipline]);
    for (let g = 0; g < 2; g++) {
      const id = prng.uuid();
      a.goalIds.push(id);
      const domain = domains[g % domains.length]!;
      goalRows.push({
        id, organizationId: orgId, studentId: a.student.id, servicePlanId: a.student.planId, parentGoalId: null, discipline: a.discipline, domain,
        goalText: `${a.student.first} will demonstrate ${domain.replace(/_/g, ' ')} skills with 80% accuracy across three consecutive sessions.`,
        baseline: `${20 + prng.int(40)}% accuracy`, measurementType: 'percent_accuracy', targetValue: '80.00',
        masteryCriterion: '80% over 3 consecutive sessions', status: 'active', targetDate: isoDate(addDays(anchor, 154)),
        createdBy: a.therapist.id, createdAt: addDays(firstWeek, -14),
      });
    }
  }
  await loader.copy(s.goals, goalRows);

  // ---------------------------------------------------------------- the calendar
  const occupied = new Map<string, Set<number>>(); // student id → grid positions (day * 7 + hour index)
  const makeupTaken = new Set<string>(); // `${personId}|${dayNumber}`
  const seriesRows: Row<typeof s.sessionSeries>[] = [];
  const sessions: Session[] = [];
  const sessionSeriesOf = new Map<Session, string>();
  const makeupOf = new Map<Session, Session>();
  const byTherapist = new Map<string, Assignment[]>();
  for (const a of assignments) byTherapist.set(a.therapist.id, [...(byTherapist.get(a.therapist.id) ?? []), a]);
  const weeks = WEEKS_PAST + WEEKS_AHEAD;
  const lastDay = addDays(firstWeek, 7 * weeks);
  for (const t of therapists) {
    const caseload = byTherapist.get(t.id) ?? [];
    const queue: Assignment[] = [...prng.shuffle(caseload), ...prng.shuffle(caseload.filter((a) => a.sessionsPerWeek > 1))];
    const positions = prng.shuffle(Array.from({ length: 35 }, (_, i) => i)).slice(0, SLOTS_PER_WEEK);
    const template: { position: number; members: Assignment[] }[] = [];
    for (const position of positions) {
      const want = prng.chance(0.3) ? prng.between(2, 3) : 1;
      const members: Assignment[] = [];
      for (let q = 0; q < queue.length && members.length < want; q++) {
        const a = queue[q]!;
        if (members.some((m) => m.student.id === a.student.id)) continue;
        const taken = occupied.get(a.student.id);
        if (taken?.has(position)) continue;
        members.push(a);
        queue.splice(q, 1);
        q--;
      }
      if (members.length === 0) continue;
      for (const m of members) {
        const taken = occupied.get(m.student.id) ?? new Set<number>();
        taken.add(position);
        occupied.set(m.student.id, taken);
      }
      template.push({ position, members });
    }
    template.sort((x, y) => x.position - y.position);
    for (const slot of template) {
      const day = Math.floor(slot.position / 7);
      const hour = GRID_HOURS[slot.position % 7]!;
      const group = slot.members.length > 1;
      const type = sessionTypes.get(`${t.discipline}:${group ? 'grp' : 'ind'}`)!;
      const seriesId = prng.uuid();
      seriesRows.push({
        id: seriesId, organizationId: orgId, therapistId: t.id, sessionTypeId: type.id, schoolId: slot.members[0]!.student.schoolId,
        rrule: `FREQ=WEEKLY;BYDAY=${['MO', 'TU', 'WE', 'TH', 'FR'][day]}`, localStartTime: `${String(hour).padStart(2, '0')}:00:00`,
        durationMinutes: type.minutes, timezone: 'UTC', activeDuring: `[${isoDate(firstWeek)},${isoDate(lastDay)})`, createdBy: t.id,
      });
      for (let w = 0; w < weeks; w++) {
        const start = new Date(firstWeek.getTime() + (w * 7 + day) * DAY + hour * HOUR);
        const members = slot.members.filter((m) => !m.student.exitDate || start.getTime() < m.student.exitDate.getTime());
        if (members.length === 0) continue;
        const isGroup = members.length > 1;
        const sessionType = isGroup ? type : sessionTypes.get(`${t.discipline}:ind`)!;
        let status: SessionStatus;
        if (past(start)) status = prng.weighted([['completed', 0.89], ['cancelled', 0.07], ['no_show', isGroup ? 0 : 0.04]]);
        else status = prng.weighted([['scheduled', 0.65], ['confirmed', 0.3], ['cancelled', 0.05]]);
        const session: Session = {
          id: prng.uuid(), therapist: t, start, end: new Date(start.getTime() + sessionType.minutes * MINUTE), status, group: isGroup,
          typeId: sessionType.id, participants: members,
        };
        sessions.push(session);
        sessionSeriesOf.set(session, seriesId);
        // A session the therapist cancelled in the past gets a makeup the next school day, after hours.
        if (status === 'cancelled' && past(start) && day < 4 && prng.chance(0.5)) {
          const dayNumber = Math.round((start.getTime() - firstWeek.getTime()) / DAY) + 1;
          const keys = [t.id, ...members.map((m) => m.student.id)].map((id) => `${id}|${dayNumber}`);
          if (keys.every((k) => !makeupTaken.has(k))) {
            for (const k of keys) makeupTaken.add(k);
            const mStart = new Date(firstWeek.getTime() + dayNumber * DAY + MAKEUP_HOUR * HOUR);
            const makeup: Session = {
              id: prng.uuid(), therapist: t, start: mStart, end: new Date(mStart.getTime() + sessionType.minutes * MINUTE),
              status: past(mStart) ? 'completed' : 'scheduled', group: isGroup, typeId: sessionType.id, participants: members,
            };
            sessions.push(makeup);
            makeupOf.set(makeup, session);
          }
        }
      }
    }
  }
  await loader.copy(s.sessionSeries, seriesRows);

  const cancelReasons = s.cancellationReasons;
  const sessionRows: Row<typeof s.therapySessions>[] = sessions.map((x) => {
    const cancelled = x.status === 'cancelled';
    const makeupFor = makeupOf.get(x);
    const reason = cancelled ? prng.pick(cancelReasons) : null;
    return {
      id: x.id, organizationId: orgId, therapistId: x.therapist.id, sessionTypeId: x.typeId, seriesId: sessionSeriesOf.get(x) ?? null,
      schoolId: x.participants[0]!.student.schoolId, location: x.group ? 'Therapy room B' : 'Therapy room A',
      deliveryMode: prng.chance(0.08) ? 'telehealth' as const : 'in_person' as const, startTime: x.start, endTime: x.end, status: x.status,
      cancellationReason: reason, cancellationNote: reason === 'other' ? 'Rescheduled at the family\'s request' : null,
      cancelledBy: cancelled ? x.therapist.id : null, cancelledAt: cancelled ? new Date(x.start.getTime() - DAY) : null,
      makeupForSessionId: makeupFor?.id ?? null, createdBy: x.therapist.id, createdAt: new Date(firstWeek.getTime() - 7 * DAY),
    };
  });
  await loader.copy(s.therapySessions, sessionRows);

  // ---------------------------------------------------------------- participants, notes
  interface Attended { session: Session; a: Assignment; minutes: number }
  const attended: Attended[] = [];
  const participantRows: Row<typeof s.sessionParticipants>[] = [];
  for (const x of sessions) {
    const length = Math.round((x.end.getTime() - x.start.getTime()) / MINUTE);
    for (const a of x.participants) {
      let attendance: (typeof s.attendanceCodes)[number] = 'expected';
      let minutes: number | null = null;
      if (x.status === 'completed') {
        attendance = x.group ? prng.weighted([['present', 0.9], ['tardy', 0.03], ['absent_excused', 0.05], ['absent_unexcused', 0.02]]) : prng.weighted([['present', 0.96], ['tardy', 0.04]]);
        if (attendance === 'present' || attendance === 'tardy') {
          minutes = attendance === 'tardy' ? length - 5 : length;
          attended.push({ session: x, a, minutes });
        }
      } else if (x.status === 'no_show') {
        attendance = 'absent_unexcused';
      }
      participantRows.push({
        organizationId: orgId, sessionId: x.id, studentId: a.student.id, serviceMandateId: a.mandateId, attendance, minutesAttended: minutes,
        createdAt: new Date(firstWeek.getTime() - 7 * DAY),
      });
    }
  }
  await loader.copy(s.sessionParticipants, participantRows);

  const signedBefore = anchor.getTime() - 3 * DAY;
  const cosignedBefore = anchor.getTime() - 10 * DAY;
  const noteIds = new Map<Attended, string>();
  const sign: { id: string; visible: boolean }[] = [];
  const pending: string[] = [];
  const cosign: { id: string; by: string }[] = [];
  const finalSigned = new Set<Attended>();
  await loader.copy(s.sessionNotes, attended.map((x) => {
    const id = prng.uuid();
    noteIds.set(x, id);
    const end = x.session.end.getTime();
    if (end < signedBefore) {
      if (x.a.therapist.supervised) {
        pending.push(id);
        if (end < cosignedBefore) {
          cosign.push({ id, by: x.a.therapist.supervisorId! });
          finalSigned.add(x);
        }
      } else {
        sign.push({ id, visible: prng.chance(0.35) });
        finalSigned.add(x);
      }
    }
    return {
      id, organizationId: orgId, sessionId: x.session.id, studentId: x.a.student.id, authorId: x.a.therapist.id, noteFormat: 'soap' as const,
      subjective: prng.pick(words.subjective), objective: prng.pick(words.objective), assessment: prng.pick(words.assessment),
      plan: prng.pick(words.plan), structured: { activities: prng.between(2, 4) }, billableMinutes: x.minutes,
      createdAt: new Date(end + HOUR), updatedAt: new Date(end + HOUR),
    };
  }));
  // Signing is an UPDATE: the notes trigger stamps signed_at/signed_by and hashes the content.
  const uuidArray = (ids: readonly string[]) => `{${ids.join(',')}}`;
  const boolArray = (values: readonly boolean[]) => `{${values.map((v) => (v ? 't' : 'f')).join(',')}}`;
  if (sign.length > 0) {
    await loader.step(`sign ${sign.length} notes`, () => loader.sql.unsafe(
      `update public.session_notes n set status = 'signed', visible_to_guardian = v.visible
         from unnest($1::uuid[], $2::boolean[]) as v(id, visible) where n.id = v.id`,
      [uuidArray(sign.map((x) => x.id)), boolArray(sign.map((x) => x.visible))],
    ));
  }
  if (pending.length > 0) {
    await loader.step(`submit ${pending.length} notes for co-signature`, () =>
      loader.sql.unsafe(`update public.session_notes n set status = 'pending_cosign' where n.id = any($1::uuid[])`, [uuidArray(pending)]));
  }
  if (cosign.length > 0) {
    // The trigger checks that the co-signer actively supervises the author.
    await loader.step(`co-sign ${cosign.length} notes`, () => loader.sql.unsafe(
      `update public.session_notes n set status = 'signed', cosigned_by = v.by
         from unnest($1::uuid[], $2::uuid[]) as v(id, by) where n.id = v.id`,
      [uuidArray(cosign.map((x) => x.id)), uuidArray(cosign.map((x) => x.by))],
    ));
  }

  // ---------------------------------------------------------------- observations, progress, charges
  const progress = new Map<string, number>();
  await loader.copy(s.goalObservations, attended.map((x, i) => {
    const goalId = x.a.goalIds[i % x.a.goalIds.length]!;
    const level = Math.min(10, (progress.get(goalId) ?? 3 + prng.int(3)) + (prng.chance(0.4) ? 1 : prng.chance(0.2) ? -1 : 0));
    progress.set(goalId, Math.max(0, level));
    return {
      id: prng.uuid(), organizationId: orgId, goalId, sessionId: x.session.id, studentId: x.a.student.id, recordedBy: x.a.therapist.id,
      trialsCorrect: Math.max(0, level), trialsTotal: 10, value: null, promptLevel: prng.pick(s.promptLevels), note: null,
      recordedAt: new Date(x.session.end.getTime() - 5 * MINUTE),
    };
  }));
  const reportStart = firstWeek;
  const reportEnd = addDays(firstWeek, 70);
  await loader.copy(s.progressReports, assignments.flatMap((a) => a.goalIds.map((goalId) => ({
    id: prng.uuid(), organizationId: orgId, goalId, studentId: a.student.id, reportingPeriod: `[${isoDate(reportStart)},${isoDate(reportEnd)})`,
    progressCode: prng.weighted([['sufficient', 6], ['insufficient', 2], ['mastered', 1], ['regression', 0.5]] as const),
    summary: `${a.student.first} is making steady progress in ${a.discipline.toUpperCase()} services.`, dataSummary: { sessions: 10 },
    authorId: a.therapist.id, status: 'shared' as const, finalizedAt: addDays(reportEnd, 2), sharedWithGuardiansAt: addDays(reportEnd, 3),
  }))));
  const chargeRows: Row<typeof s.serviceCharges>[] = [];
  for (const x of attended) {
    if (!finalSigned.has(x)) continue;
    const code = globals.billingCodes[billingKeyFor(x.a.discipline, x.session.group)];
    const serviceDate = isoDate(x.session.start);
    const age = anchor.getTime() - x.session.start.getTime();
    const units = code.unitRule === 'timed_15min' ? Math.floor((x.minutes + 7) / 15) : 1;
    const status = age > 45 * DAY ? (prng.chance(0.92) ? 'paid' as const : 'denied' as const) : age > 14 * DAY ? 'submitted' as const : 'ready' as const;
    const billed = units * code.rate;
    chargeRows.push({
      id: prng.uuid(), organizationId: orgId, sessionId: x.session.id, studentId: x.a.student.id, noteId: noteIds.get(x)!,
      billingCodeId: code.id, unitRule: code.unitRule, modifiers: x.a.discipline === 'pt' ? ['GP'] : x.a.discipline === 'ot' ? ['GO'] : ['GN'],
      renderingProviderId: x.a.therapist.id, supervisingProviderId: x.a.therapist.supervisorId, serviceDate, billableMinutes: x.minutes,
      payer: x.a.student.hasMedicaid ? 'medicaid' as const : 'district' as const, status, claimReference: status === 'ready' ? null : `CLM-${prng.digits(9)}`,
      amountBilled: billed.toFixed(2), amountPaid: status === 'paid' ? billed.toFixed(2) : null,
      submittedAt: status === 'ready' ? null : new Date(x.session.start.getTime() + 7 * DAY), createdAt: new Date(x.session.end.getTime() + 4 * DAY),
    });
  }
  await loader.copy(s.serviceCharges, chargeRows);

  // ---------------------------------------------------------------- chat
  interface Conversation { id: string; kind: (typeof s.conversationKinds)[number]; studentId: string | null; title: string | null; createdBy: string; createdAt: Date; members: { userId: string; role: 'owner' | 'member' | 'read_only' }[]; senders: string[]; weight: number; lastMessageAt: Date | null }
  const conversations: Conversation[] = [];
  const chatStart = firstWeek.getTime();
  const convStart = () => new Date(chatStart + prng.int(14) * DAY + prng.int(10 * 60) * MINUTE);
  const therapistsOf = new Map<string, Therapist[]>();
  for (const a of assignments) therapistsOf.set(a.student.id, [...(therapistsOf.get(a.student.id) ?? []), a.therapist]);
  for (const st of students) {
    if (st.guardianUserIds.length === 0 || st.exitDate) continue;
    const team = therapistsOf.get(st.id) ?? [];
    if (team.length === 0) continue;
    const members = [
      ...team.map((t, i) => ({ userId: t.id, role: i === 0 ? 'owner' as const : 'member' as const })),
      ...st.guardianUserIds.map((userId) => ({ userId, role: 'member' as const })),
    ];
    conversations.push({
      id: prng.uuid(), kind: 'student_team', studentId: st.id, title: `${st.first}'s team`, createdBy: team[0]!.id, createdAt: convStart(),
      members, senders: members.map((m) => m.userId), weight: -Math.log(1 - prng.float()), lastMessageAt: null,
    });
  }
  for (const t of therapists) {
    if (!t.supervisorId) continue;
    conversations.push({
      id: prng.uuid(), kind: 'direct', studentId: null, title: null, createdBy: t.supervisorId, createdAt: convStart(),
      members: [{ userId: t.supervisorId, role: 'owner' }, { userId: t.id, role: 'member' }], senders: [t.supervisorId, t.id],
      weight: 1.5 * -Math.log(1 - prng.float()), lastMessageAt: null,
    });
  }
  for (let i = 0; i + 1 < therapists.length; i += 2) {
    const [x, y] = [therapists[i]!, therapists[i + 1]!];
    if (x.supervisorId === y.id || y.supervisorId === x.id) continue;
    conversations.push({
      id: prng.uuid(), kind: 'direct', studentId: null, title: null, createdBy: x.id, createdAt: convStart(),
      members: [{ userId: x.id, role: 'owner' }, { userId: y.id, role: 'member' }], senders: [x.id, y.id],
      weight: 0.5 * -Math.log(1 - prng.float()), lastMessageAt: null,
    });
  }
  const staffIds = [...admins, ...billingStaff, ...schoolStaff, ...therapists].map((p) => p.id);
  conversations.push({
    id: prng.uuid(), kind: 'announcement', studentId: null, title: `${orgName} staff announcements`, createdBy: admin.id,
    createdAt: new Date(chatStart - 7 * DAY),
    members: staffIds.map((userId) => ({ userId, role: admins.some((a) => a.id === userId) ? 'owner' as const : 'read_only' as const })),
    senders: admins.map((a) => a.id), weight: 0, lastMessageAt: null,
  });
  const announcementMessages = Math.min(200, Math.floor(org.messages * 0.01));
  const totalWeight = conversations.reduce((sum, c) => sum + c.weight, 0);
  const messageRows: Row<typeof s.messages>[] = [];
  let remaining = org.messages - announcementMessages;
  conversations.forEach((c, ci) => {
    const count = c.kind === 'announcement' ? announcementMessages
      : ci === conversations.length - 2 ? remaining : Math.min(remaining, Math.round((c.weight / totalWeight) * (org.messages - announcementMessages)));
    if (c.kind !== 'announcement') remaining -= count;
    if (count <= 0) return;
    const from = c.createdAt.getTime() + HOUR;
    const span = anchor.getTime() - HOUR - from;
    const times = Array.from({ length: count }, () => from + Math.floor(prng.float() * span)).sort((p, q) => p - q);
    for (const time of times) {
      const edited = prng.chance(0.02);
      messageRows.push({
        id: prng.uuid(), organizationId: orgId, conversationId: c.id, senderId: prng.pick(c.senders), clientMessageId: prng.uuid(),
        body: `${prng.pick(words.messageOpeners)} ${prng.pick(words.messageTopics)}. ${prng.pick(words.messageClosers)}`.trim(),
        attachmentDocumentId: null, replyToId: null, createdAt: new Date(time), editedAt: edited ? new Date(time + 5 * MINUTE) : null, deletedAt: null,
      });
    }
    c.lastMessageAt = new Date(times[times.length - 1]!);
  });
  await loader.copy(s.conversations, conversations.map((c) => ({
    id: c.id, organizationId: orgId, kind: c.kind, studentId: c.studentId, title: c.title, createdBy: c.createdBy, createdAt: c.createdAt,
    lastMessageAt: c.lastMessageAt, archivedAt: null,
  })));
  await loader.copy(s.conversationParticipants, conversations.flatMap((c) => c.members.map((m) => ({
    organizationId: orgId, conversationId: c.id, userId: m.userId, participantRole: m.role, joinedAt: c.createdAt, leftAt: null,
    lastReadAt: c.lastMessageAt && prng.chance(0.7) ? c.lastMessageAt : null, mutedUntil: null,
  }))));
  await loader.copy(s.messages, messageRows);

  // ---------------------------------------------------------------- notifications, blackouts
  const upcoming = sessions.filter((x) => !past(x.start) && x.start.getTime() < anchor.getTime() + 7 * DAY);
  const notificationRows: Row<typeof s.notifications>[] = [];
  for (const x of upcoming) {
    for (const a of x.participants) {
      for (const userId of a.student.guardianUserIds) {
        notificationRows.push({
          id: prng.uuid(), userId, organizationId: orgId, type: x.status === 'cancelled' ? 'session.cancelled' : 'session.reminder',
          title: x.status === 'cancelled' ? 'Session cancelled' : 'Upcoming session', body: null,
          data: { session_id: x.id, student_id: a.student.id }, channels: ['in_app', 'email'], readAt: null,
          createdAt: new Date(anchor.getTime() - 2 * DAY),
        });
      }
    }
  }
  for (const t of therapists) {
    for (let k = 0; k < 5; k++) {
      const created = new Date(anchor.getTime() - prng.int(28) * DAY - prng.int(8 * 60) * MINUTE);
      notificationRows.push({
        id: prng.uuid(), userId: t.id, organizationId: orgId, type: prng.pick(['message.created', 'session.cancelled', 'note.cosign_requested']),
        title: 'Activity on your caseload', body: null, data: {}, channels: ['in_app'],
        readAt: created.getTime() < anchor.getTime() - 7 * DAY ? new Date(created.getTime() + HOUR) : null, createdAt: created,
      });
    }
  }
  await loader.copy(s.notifications, notificationRows);
  const winterBreak = `[${addDays(anchor, 7 * (WEEKS_AHEAD + 1)).toISOString()},${addDays(anchor, 7 * (WEEKS_AHEAD + 3)).toISOString()})`;
  await loader.copy(s.calendarBlackouts, [
    { id: prng.uuid(), organizationId: orgId, schoolId: null, therapistId: null, kind: 'break' as const, during: winterBreak, note: 'Winter break' },
    ...schools.map((school) => {
      const day = addDays(anchor, 7 * (WEEKS_AHEAD + 4) + prng.int(5));
      return { id: prng.uuid(), organizationId: orgId, schoolId: school.id, therapistId: null, kind: 'early_release' as const, during: `[${new Date(day.getTime() + 18 * HOUR).toISOString()},${new Date(day.getTime() + 22 * HOUR).toISOString()})`, note: null };
    }),
    ...therapists.filter(() => prng.chance(0.1)).map((t) => {
      const day = addDays(anchor, 7 * (WEEKS_AHEAD + 5));
      return { id: prng.uuid(), organizationId: orgId, schoolId: null, therapistId: t.id, kind: 'therapist_leave' as const, during: `[${day.toISOString()},${addDays(day, 5).toISOString()})`, note: null };
    }),
  ]);
  return orgId;
}
