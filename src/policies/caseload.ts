import { caseloadAssignments, consents, serviceMandates, servicePlans } from '../schema';
import { live, supervisedIn } from './arms';
import { allow, and, anyOf, app, auth, eq, exists, or, policiesByName, tableAccess } from './dsl';

/**
 * Caseloads, plans, mandates and consents. Reading follows the caseload helper (which includes a
 * supervisor's supervisees' caseloads); writing clinical records needs the student on the
 * therapist's own current caseload (`app.assigned_student_ids()`). Consents are append-only: the
 * only update is a revocation (column grant on revoked_at, revoked_reason; trigger `consents_append_only`).
 */

export const caseloadAssignmentsAccess = tableAccess(caseloadAssignments, {
  tenant: { column: caseloadAssignments.organizationId },
  rules: [
    allow(['select', 'insert', 'update', 'delete'], {
      who: 'org_admin',
      summary: 'caseloads of their organisations',
      using: ({ t }) => anyOf(t.organizationId, app.orgIds('org_admin')),
      columns: ['therapistId', 'discipline', 'assignmentRole', 'startsOn', 'endsOn'],
    }),
    allow('select', {
      who: 'therapist',
      summary: "their own assignments, and the assignments of their caseload's students (live students)",
      using: ({ t }) =>
        and(anyOf(t.organizationId, app.orgIds('therapist')), or(eq(t.therapistId, auth.uid()), anyOf(t.studentId, app.caseloadStudentIds())), live(t.studentId)),
    }),
    allow('select', {
      who: 'supervisor',
      summary: "their supervisees' assignments in the supervision's organisation (live students)",
      using: ({ t }) => and(supervisedIn(t.organizationId, t.therapistId), live(t.studentId)),
    }),
    allow('select', {
      who: 'guardian',
      summary: 'who serves their children',
      using: ({ t }) => anyOf(t.studentId, app.guardianStudentIds()),
    }),
    allow('select', {
      who: 'school_staff',
      summary: "who serves their school's students",
      using: ({ t }) => anyOf(t.studentId, app.schoolStudentIds()),
    }),
  ],
});

const planColumns = ['planType', 'status', 'meetingDate', 'effectiveDuring', 'reevaluationDueOn', 'sourceDocumentId'] as const;

export const servicePlansAccess = tableAccess(servicePlans, {
  tenant: { column: servicePlans.organizationId },
  rules: [
    allow(['select', 'insert', 'update', 'delete'], {
      who: 'org_admin',
      summary: 'plans of their organisations',
      using: ({ t }) => anyOf(t.organizationId, app.orgIds('org_admin')),
      columns: planColumns,
    }),
    allow('select', {
      who: 'therapist',
      summary: "their caseload's plans (supervisors: their supervisees' too)",
      using: ({ t }) => anyOf(t.studentId, app.caseloadStudentIds()),
    }),
    allow('insert', {
      who: 'therapist',
      summary: 'plans for their own caseload, created by themselves',
      withCheck: ({ t }) => and(anyOf(t.studentId, app.assignedStudentIds()), eq(t.createdBy, auth.uid())),
    }),
    allow('update', {
      who: 'therapist',
      summary: "their own caseload's plans",
      using: ({ t }) => anyOf(t.studentId, app.assignedStudentIds()),
      columns: planColumns,
    }),
    allow('select', {
      who: 'guardian',
      summary: "their children's plans",
      using: ({ t }) => anyOf(t.studentId, app.guardianStudentIds()),
    }),
    allow('select', {
      who: 'student',
      summary: 'their own plans',
      using: ({ t }) => anyOf(t.studentId, app.ownStudentIds()),
    }),
    allow('select', {
      who: 'school_staff',
      summary: "their school's students' plans",
      using: ({ t }) => anyOf(t.studentId, app.schoolStudentIds()),
    }),
  ],
});

const mandateColumns = [
  'discipline', 'sessionTypeId', 'minutesPerSession', 'sessionsPerPeriod', 'period', 'deliverySetting', 'groupSizeMax', 'effectiveDuring',
] as const;

export const serviceMandatesAccess = tableAccess(serviceMandates, {
  tenant: { column: serviceMandates.organizationId },
  rules: [
    allow(['select', 'insert', 'update', 'delete'], {
      who: 'org_admin',
      summary: 'mandates of their organisations',
      using: ({ t }) => anyOf(t.organizationId, app.orgIds('org_admin')),
      columns: mandateColumns,
    }),
    allow('select', {
      who: 'therapist',
      summary: "their caseload's mandates (through the plan)",
      using: ({ t }) => exists(servicePlans, 'p', (p) => and(eq(p.id, t.servicePlanId), anyOf(p.studentId, app.caseloadStudentIds()))),
    }),
    allow(['insert', 'update'], {
      who: 'therapist',
      summary: "their own caseload's mandates",
      using: ({ t }) => exists(servicePlans, 'p', (p) => and(eq(p.id, t.servicePlanId), anyOf(p.studentId, app.assignedStudentIds()))),
      columns: mandateColumns,
    }),
    allow('select', {
      who: 'guardian',
      summary: "their children's mandates",
      using: ({ t }) => exists(servicePlans, 'p', (p) => and(eq(p.id, t.servicePlanId), anyOf(p.studentId, app.guardianStudentIds()))),
    }),
    allow('select', {
      who: 'student',
      summary: 'their own mandates',
      using: ({ t }) => exists(servicePlans, 'p', (p) => and(eq(p.id, t.servicePlanId), anyOf(p.studentId, app.ownStudentIds()))),
    }),
    allow('select', {
      who: 'school_staff',
      summary: "their school's students' mandates",
      using: ({ t }) => exists(servicePlans, 'p', (p) => and(eq(p.id, t.servicePlanId), anyOf(p.studentId, app.schoolStudentIds()))),
    }),
  ],
});

const revocation = ['revokedAt', 'revokedReason'] as const;

export const consentsAccess = tableAccess(consents, {
  tenant: { column: consents.organizationId },
  rules: [
    allow('select', {
      who: 'org_admin',
      summary: 'consents of their organisations',
      using: ({ t }) => anyOf(t.organizationId, app.orgIds('org_admin')),
    }),
    allow('select', {
      who: 'billing',
      summary: 'consents of live students of their organisations (Medicaid billing needs them)',
      using: ({ t }) => and(anyOf(t.organizationId, app.orgIds('billing')), live(t.studentId)),
    }),
    allow('insert', {
      who: 'org_admin',
      summary: 'consents in their organisations, recorded by themselves',
      withCheck: ({ t }) => and(anyOf(t.organizationId, app.orgIds('org_admin')), eq(t.recordedBy, auth.uid())),
    }),
    allow('update', {
      who: 'org_admin',
      summary: 'revocation only',
      using: ({ t }) => anyOf(t.organizationId, app.orgIds('org_admin')),
      columns: revocation,
    }),
    allow('select', {
      who: 'therapist',
      summary: "their caseload's consents (supervisors: their supervisees' too)",
      using: ({ t }) => anyOf(t.studentId, app.caseloadStudentIds()),
    }),
    allow('insert', {
      who: 'therapist',
      summary: 'consents for their own caseload, recorded by themselves',
      withCheck: ({ t }) => and(anyOf(t.studentId, app.assignedStudentIds()), eq(t.recordedBy, auth.uid())),
    }),
    allow('select', {
      who: 'guardian',
      summary: "their children's consents",
      using: ({ t }) => anyOf(t.studentId, app.guardianStudentIds()),
    }),
    allow('update', {
      who: 'guardian',
      summary: "revoking their children's consents",
      using: ({ t }) => anyOf(t.studentId, app.guardianStudentIds()),
      columns: revocation,
    }),
    allow('select', {
      who: 'student',
      summary: 'adult students (18+): their own consents',
      using: ({ t }) => anyOf(t.studentId, app.ownAdultStudentIds()),
    }),
    allow('update', {
      who: 'student',
      summary: 'adult students (18+): revoking their own consents',
      using: ({ t }) => anyOf(t.studentId, app.ownAdultStudentIds()),
      columns: revocation,
    }),
  ],
});

export const caseloadAccess = [caseloadAssignmentsAccess, servicePlansAccess, serviceMandatesAccess, consentsAccess] as const;

export const {
  caseload_assignments_tenant_isolation,
  caseload_assignments_select_authenticated,
  caseload_assignments_insert_authenticated,
  caseload_assignments_update_authenticated,
  caseload_assignments_delete_authenticated,
} = policiesByName(caseloadAssignmentsAccess);

export const {
  service_plans_tenant_isolation,
  service_plans_select_authenticated,
  service_plans_insert_authenticated,
  service_plans_update_authenticated,
  service_plans_delete_authenticated,
} = policiesByName(servicePlansAccess);

export const {
  service_mandates_tenant_isolation,
  service_mandates_select_authenticated,
  service_mandates_insert_authenticated,
  service_mandates_update_authenticated,
  service_mandates_delete_authenticated,
} = policiesByName(serviceMandatesAccess);

export const {
  consents_tenant_isolation,
  consents_select_authenticated,
  consents_insert_authenticated,
  consents_update_authenticated,
} = policiesByName(consentsAccess);
