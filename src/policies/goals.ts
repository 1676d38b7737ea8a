import { goalObservations, goals, progressReports } from '../schema';
import { live, ownSession } from './arms';
import { allow, and, anyOf, app, auth, eq, policiesByName, tableAccess } from './dsl';

/**
 * Goals, data points and progress reports. Families and school staff see progress reports only
 * once they are shared; observations are clinical working data (therapists and org admins only).
 */

const goalColumns = [
  'servicePlanId', 'parentGoalId', 'discipline', 'domain', 'goalText', 'baseline', 'measurementType', 'targetValue',
  'masteryCriterion', 'status', 'targetDate',
] as const;

export const goalsAccess = tableAccess(goals, {
  tenant: { column: goals.organizationId },
  rules: [
    allow(['select', 'insert', 'update', 'delete'], {
      who: 'org_admin',
      summary: 'goals of their organisations',
      using: ({ t }) => anyOf(t.organizationId, app.orgIds('org_admin')),
      columns: goalColumns,
    }),
    allow('select', {
      who: 'therapist',
      summary: "their caseload's goals (supervisors: their supervisees' too)",
      using: ({ t }) => anyOf(t.studentId, app.caseloadStudentIds()),
    }),
    allow('insert', {
      who: 'therapist',
      summary: 'goals for their own caseload, created by themselves',
      withCheck: ({ t }) => and(anyOf(t.studentId, app.assignedStudentIds()), eq(t.createdBy, auth.uid())),
    }),
    allow('update', {
      who: 'therapist',
      summary: "their own caseload's goals",
      using: ({ t }) => anyOf(t.studentId, app.assignedStudentIds()),
      columns: goalColumns,
    }),
    allow('select', {
      who: 'guardian',
      summary: "their children's goals",
      using: ({ t }) => anyOf(t.studentId, app.guardianStudentIds()),
    }),
    allow('select', {
      who: 'student',
      summary: 'their own goals',
      using: ({ t }) => anyOf(t.studentId, app.ownStudentIds()),
    }),
    allow('select', {
      who: 'school_staff',
      summary: "their school's students' goals",
      using: ({ t }) => anyOf(t.studentId, app.schoolStudentIds()),
    }),
  ],
});

export const goalObservationsAccess = tableAccess(goalObservations, {
  tenant: { column: goalObservations.organizationId },
  rules: [
    allow('select', {
      who: 'org_admin',
      summary: 'data points of their organisations',
      using: ({ t }) => anyOf(t.organizationId, app.orgIds('org_admin')),
    }),
    allow('select', {
      who: 'therapist',
      summary: "their caseload's data points of live sessions (supervisors: their supervisees' too)",
      using: ({ t }) => and(anyOf(t.studentId, app.caseloadStudentIds()), live(t.sessionId)),
    }),
    allow('insert', {
      who: 'therapist',
      summary: 'data points for their own caseload, recorded by themselves in their own live sessions',
      withCheck: ({ t }) => and(anyOf(t.studentId, app.assignedStudentIds()), eq(t.recordedBy, auth.uid()), ownSession(t.sessionId)),
    }),
  ],
});

const reportColumns = ['reportingPeriod', 'progressCode', 'summary', 'dataSummary', 'status', 'finalizedAt', 'sharedWithGuardiansAt'] as const;

export const progressReportsAccess = tableAccess(progressReports, {
  tenant: { column: progressReports.organizationId },
  rules: [
    allow(['select', 'update'], {
      who: 'org_admin',
      summary: 'progress reports of their organisations',
      using: ({ t }) => anyOf(t.organizationId, app.orgIds('org_admin')),
      columns: reportColumns,
    }),
    allow('select', {
      who: 'therapist',
      summary: "their caseload's reports (supervisors: their supervisees' too)",
      using: ({ t }) => anyOf(t.studentId, app.caseloadStudentIds()),
    }),
    allow('select', {
      who: 'therapist',
      summary: 'reports they authored, while a therapist of the organisation',
      using: ({ t }) => and(eq(t.authorId, auth.uid()), anyOf(t.organizationId, app.orgIds('therapist')), live(t.studentId)),
    }),
    allow('insert', {
      who: 'therapist',
      summary: 'reports by themselves for their own caseload',
      withCheck: ({ t }) => and(eq(t.authorId, auth.uid()), anyOf(t.studentId, app.assignedStudentIds())),
    }),
    allow('update', {
      who: 'therapist',
      summary: 'reports they authored about their own current caseload',
      using: ({ t }) => and(eq(t.authorId, auth.uid()), anyOf(t.studentId, app.assignedStudentIds())),
      columns: reportColumns,
    }),
    allow('select', {
      who: 'guardian',
      summary: "their children's shared reports",
      using: ({ t }) => and(eq(t.status, 'shared'), anyOf(t.studentId, app.guardianStudentIds())),
    }),
    allow('select', {
      who: 'student',
      summary: 'their own shared reports',
      using: ({ t }) => and(eq(t.status, 'shared'), anyOf(t.studentId, app.ownStudentIds())),
    }),
    allow('select', {
      who: 'school_staff',
      summary: "their school's students' shared reports",
      using: ({ t }) => and(eq(t.status, 'shared'), anyOf(t.studentId, app.schoolStudentIds())),
    }),
  ],
});

export const goalsAreaAccess = [goalsAccess, goalObservationsAccess, progressReportsAccess] as const;

export const {
  goals_tenant_isolation,
  goals_select_authenticated,
  goals_insert_authenticated,
  goals_update_authenticated,
  goals_delete_authenticated,
} = policiesByName(goalsAccess);

export const {
  goal_observations_tenant_isolation,
  goal_observations_select_authenticated,
  goal_observations_insert_authenticated,
} = policiesByName(goalObservationsAccess);

export const {
  progress_reports_tenant_isolation,
  progress_reports_select_authenticated,
  progress_reports_insert_authenticated,
  progress_reports_update_authenticated,
} = policiesByName(progressReportsAccess);
