import { allow, and, anyOf, app, auth, eq, policiesByName, tableAccess, toGrants, validateAccess } from 'therapy-db/policies';
import { appSettings, homeworkAssignments } from './schema.js';

/**
 * Who may do what on the app's tables, in therapy-db's policy DSL: the package's personas and its
 * `app.*` helpers (caseloads, guardianship, memberships), tenant isolation by organisation, and the
 * grants derived from the rules (nothing else is granted to `anon` or `authenticated`).
 *
 * Only the assigning therapist updates homework. A rule letting students tick `completed` would
 * not be confined to that column: update grants are per Postgres role (the union of every arm's
 * columns) and the policy's arms are OR-ed, so the student could also rewrite the title. Such a
 * rule needs a trigger comparing old and new rows, or its own table of completions.
 */
export const homeworkAssignmentsAccess = tableAccess(homeworkAssignments, {
  tenant: { column: homeworkAssignments.organizationId },
  rules: [
    allow('select', {
      who: 'org_admin',
      summary: 'homework of their organisations',
      using: ({ t }) => anyOf(t.organizationId, app.orgIds('org_admin')),
    }),
    allow('select', {
      who: ['therapist', 'guardian', 'student'],
      summary: "their caseload's, their children's or their own homework",
      using: ({ t }) => anyOf(t.studentId, app.relatedStudentIds()),
    }),
    allow('insert', {
      who: 'therapist',
      summary: 'homework they assign to a student on their own caseload',
      withCheck: ({ t }) => and(eq(t.assignedBy, auth.uid()), anyOf(t.studentId, app.assignedStudentIds())),
    }),
    // Every rule establishes the role it serves (the DSL refuses `eq(t.assignedBy, auth.uid())`
    // alone: a suspended therapist, or one whose caseload assignment ended, would keep the row).
    allow('update', {
      who: 'therapist',
      summary: 'homework they assigned to a student still on their caseload: its text, due date and completion',
      using: ({ t }) => and(eq(t.assignedBy, auth.uid()), anyOf(t.studentId, app.assignedStudentIds())),
      columns: ['title', 'instructions', 'dueOn', 'completed'],
    }),
    allow('delete', {
      who: 'therapist',
      summary: 'homework they assigned to a student still on their caseload',
      using: ({ t }) => and(eq(t.assignedBy, auth.uid()), anyOf(t.studentId, app.assignedStudentIds())),
    }),
  ],
});

export const appSettingsAccess = tableAccess(appSettings, {
  tenant: { column: appSettings.organizationId },
  rules: [
    allow('select', {
      who: 'member',
      summary: 'settings of their organisations',
      using: ({ t }) => anyOf(t.organizationId, app.orgIds()),
    }),
    allow(['insert', 'update', 'delete'], {
      who: 'org_admin',
      summary: 'settings of the organisations they administer',
      using: ({ t }) => anyOf(t.organizationId, app.orgIds('org_admin')),
      withCheck: ({ t }) => anyOf(t.organizationId, app.orgIds('org_admin')),
      columns: ['value', 'updatedAt'],
    }),
  ],
});

/** Every app table's access declaration. */
export const appAccess = [homeworkAssignmentsAccess, appSettingsAccess] as const;

// Every app table has exactly one declaration (throws, listing every problem, otherwise).
validateAccess(appAccess, { homeworkAssignments, appSettings });

/** What drizzle-kit cannot express: the least-privilege grants of the app's tables. */
export const appObjects = toGrants(appAccess);

// drizzle-kit sees policies exported one by one (test/migrations.test.ts checks none is missing).
export const {
  homework_assignments_tenant_isolation,
  homework_assignments_select_authenticated,
  homework_assignments_insert_authenticated,
  homework_assignments_update_authenticated,
  homework_assignments_delete_authenticated,
} = policiesByName(homeworkAssignmentsAccess);

export const {
  app_settings_tenant_isolation,
  app_settings_select_authenticated,
  app_settings_insert_authenticated,
  app_settings_update_authenticated,
  app_settings_delete_authenticated,
} = policiesByName(appSettingsAccess);
