import { guardians, studentGuardians, students, supervisionAssignments, therapists } from '../schema';
import { live } from './arms';
import { allow, and, anyOf, app, auth, eq, exists, isNull, or, policiesByName, tableAccess } from './dsl';

/**
 * People: therapists (keyed by user, no tenant column), students, guardians, who is whose guardian,
 * and supervision. Students and guardians are soft-deleted (`deleted_at`): only org admins see
 * deleted rows, and `authenticated` has no DELETE on them.
 *
 * A therapist record is global (one per person): its NPI and licence are what every organisation
 * the therapist works for bills under. An org admin writes it only while no other organisation
 * relies on it (`app.managed_therapist_ids()`); a therapist of several organisations has it
 * maintained by the platform (service role).
 */

export const therapistsAccess = tableAccess(therapists, {
  rules: [
    allow('select', {
      who: 'self',
      summary: 'their own therapist record',
      using: ({ t }) => and(eq(t.id, auth.uid()), app.isActiveUser()),
    }),
    allow('select', {
      who: ['org_admin', 'therapist', 'school_staff', 'billing'],
      summary: 'therapists of their organisations',
      using: ({ t }) => anyOf(t.id, app.memberUserIds('org_admin', 'therapist', 'school_staff', 'billing')),
    }),
    allow('select', {
      who: ['guardian', 'student', 'school_staff'],
      summary: 'their care team: therapists currently serving their students (their children, themselves, their school\'s)',
      using: ({ t }) => anyOf(t.id, app.careTeamIds()),
    }),
    allow(['insert', 'update'], {
      who: 'org_admin',
      summary: 'credentials of members of their organisations who belong to no other organisation',
      using: ({ t }) => anyOf(t.id, app.managedTherapistIds()),
      columns: ['discipline', 'credential', 'npi', 'licenseNumber', 'licenseState', 'licenseExpiresOn'],
    }),
  ],
});

/** Select arms narrowest first, as for `therapy_sessions` (./scheduling.ts). */
export const studentsAccess = tableAccess(students, {
  tenant: { column: students.organizationId },
  rules: [
    allow('select', {
      who: ['therapist', 'guardian', 'student'],
      summary: "their students (live): a therapist's current caseload and their supervisees', a guardian's children (portal access), a student's own record",
      using: ({ t }) => and(isNull(t.deletedAt), anyOf(t.id, app.relatedStudentIds())),
    }),
    allow('select', {
      who: 'school_staff',
      summary: 'live students of their school',
      using: ({ t }) => and(isNull(t.deletedAt), anyOf(t.schoolId, app.staffSchoolIds())),
    }),
    allow('select', {
      who: 'org_admin',
      summary: 'students of their organisations, soft-deleted included',
      using: ({ t }) => anyOf(t.organizationId, app.orgIds('org_admin')),
    }),
    allow('select', {
      who: 'billing',
      summary: 'live students of their organisations (not of a deleted school)',
      using: ({ t }) => and(isNull(t.deletedAt), anyOf(t.organizationId, app.orgIds('billing')), live(t.schoolId)),
    }),
    allow(['insert', 'update'], {
      who: 'org_admin',
      summary: 'students of their organisations (soft delete: set deleted_at)',
      using: ({ t }) => anyOf(t.organizationId, app.orgIds('org_admin')),
      columns: [
        'schoolId', 'userId', 'localStudentId', 'firstName', 'lastName', 'preferredName', 'dateOfBirth', 'gradeLevel',
        'primaryLanguage', 'eligibility', 'status', 'deletedAt',
      ],
    }),
  ],
});

export const guardiansAccess = tableAccess(guardians, {
  tenant: { column: guardians.organizationId },
  rules: [
    allow('select', {
      who: 'org_admin',
      summary: 'guardians of their organisations, soft-deleted included',
      using: ({ t }) => anyOf(t.organizationId, app.orgIds('org_admin')),
    }),
    allow('select', {
      who: 'guardian',
      summary: 'their own guardian record',
      using: ({ t }) => and(isNull(t.deletedAt), eq(t.userId, auth.uid()), anyOf(t.organizationId, app.orgIds('guardian'))),
    }),
    allow('select', {
      who: 'guardian',
      summary: "their children's other guardians",
      using: ({ t }) =>
        and(isNull(t.deletedAt), exists(studentGuardians, 'sg', (sg) => and(eq(sg.guardianId, t.id), anyOf(sg.studentId, app.guardianStudentIds())))),
    }),
    allow('select', {
      who: 'therapist',
      summary: "guardians of their caseload's students",
      using: ({ t }) =>
        and(isNull(t.deletedAt), exists(studentGuardians, 'sg', (sg) => and(eq(sg.guardianId, t.id), anyOf(sg.studentId, app.caseloadStudentIds())))),
    }),
    allow('select', {
      who: 'student',
      summary: 'their own guardians',
      using: ({ t }) =>
        and(isNull(t.deletedAt), exists(studentGuardians, 'sg', (sg) => and(eq(sg.guardianId, t.id), anyOf(sg.studentId, app.ownStudentIds())))),
    }),
    allow('select', {
      who: 'school_staff',
      summary: "guardians of their school's students",
      using: ({ t }) =>
        and(isNull(t.deletedAt), exists(studentGuardians, 'sg', (sg) => and(eq(sg.guardianId, t.id), anyOf(sg.studentId, app.schoolStudentIds())))),
    }),
    allow(['insert', 'update'], {
      who: 'org_admin',
      summary: 'guardians of their organisations (soft delete: set deleted_at)',
      using: ({ t }) => anyOf(t.organizationId, app.orgIds('org_admin')),
      columns: ['userId', 'firstName', 'lastName', 'email', 'phone', 'preferredLanguage', 'preferredContact', 'deletedAt'],
    }),
  ],
});

export const studentGuardiansAccess = tableAccess(studentGuardians, {
  tenant: { column: studentGuardians.organizationId },
  rules: [
    allow(['select', 'insert', 'update', 'delete'], {
      who: 'org_admin',
      summary: 'guardianships in their organisations',
      using: ({ t }) => anyOf(t.organizationId, app.orgIds('org_admin')),
      columns: ['relationship', 'isPrimary', 'hasEducationalRights', 'portalAccess'],
    }),
    allow('select', {
      who: 'therapist',
      summary: "their caseload's guardianships",
      using: ({ t }) => anyOf(t.studentId, app.caseloadStudentIds()),
    }),
    allow('select', {
      who: 'guardian',
      summary: "their children's guardianships",
      using: ({ t }) => anyOf(t.studentId, app.guardianStudentIds()),
    }),
    allow('select', {
      who: 'student',
      summary: 'their own guardianships',
      using: ({ t }) => anyOf(t.studentId, app.ownStudentIds()),
    }),
    allow('select', {
      who: 'school_staff',
      summary: "their school's students' guardianships",
      using: ({ t }) => anyOf(t.studentId, app.schoolStudentIds()),
    }),
  ],
});

export const supervisionAssignmentsAccess = tableAccess(supervisionAssignments, {
  tenant: { column: supervisionAssignments.organizationId },
  rules: [
    allow(['select', 'insert', 'update', 'delete'], {
      who: 'org_admin',
      summary: 'supervisions in their organisations',
      using: ({ t }) => anyOf(t.organizationId, app.orgIds('org_admin')),
      columns: ['supervisorId', 'superviseeId', 'supervisionType', 'activeDuring', 'requiresCosign'],
    }),
    allow('select', {
      who: 'therapist',
      summary: 'their own, as supervisee or supervisor (a supervisor sees their supervisees\'), in organisations where they are a therapist',
      using: ({ t }) => and(or(eq(t.supervisorId, auth.uid()), eq(t.superviseeId, auth.uid())), anyOf(t.organizationId, app.orgIds('therapist'))),
    }),
    allow('select', {
      who: ['guardian', 'school_staff'],
      summary: 'who supervises the therapists serving their students',
      using: ({ t }) => and(anyOf(t.organizationId, app.orgIds('school_staff', 'guardian')), anyOf(t.superviseeId, app.careTeamIds())),
    }),
  ],
});

export const peopleAccess = [therapistsAccess, studentsAccess, guardiansAccess, studentGuardiansAccess, supervisionAssignmentsAccess] as const;

export const { therapists_select_authenticated, therapists_insert_authenticated, therapists_update_authenticated } = policiesByName(therapistsAccess);

export const {
  students_tenant_isolation,
  students_select_authenticated,
  students_insert_authenticated,
  students_update_authenticated,
} = policiesByName(studentsAccess);

export const {
  guardians_tenant_isolation,
  guardians_select_authenticated,
  guardians_insert_authenticated,
  guardians_update_authenticated,
} = policiesByName(guardiansAccess);

export const {
  student_guardians_tenant_isolation,
  student_guardians_select_authenticated,
  student_guardians_insert_authenticated,
  student_guardians_update_authenticated,
  student_guardians_delete_authenticated,
} = policiesByName(studentGuardiansAccess);

export const {
  supervision_assignments_tenant_isolation,
  supervision_assignments_select_authenticated,
  supervision_assignments_insert_authenticated,
  supervision_assignments_update_authenticated,
  supervision_assignments_delete_authenticated,
} = policiesByName(supervisionAssignmentsAccess);
