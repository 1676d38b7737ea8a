import { sessionNotes } from '../schema';
import { live, ownSession, supervisedIn } from './arms';
import { allow, and, anyOf, app, auth, eq, inList, policiesByName, tableAccess } from './dsl';

/**
 * Clinical notes. The update policy matches exactly three kinds of rows, never a signed note for
 * anyone but an org admin:
 * - the author's own drafts (editing, signing: draft → signed | pending_cosign);
 * - notes pending co-signature, for an active supervisor of the author (pending_cosign → signed,
 *   with cosigned_by = the supervisor);
 * - signed notes, for an org admin: void (with a reason) or toggle `visible_to_guardian`.
 * Which columns `authenticated` may set at all is the union of the three column lists; the
 * `session_notes_signed_immutable` trigger refuses everything else on signed notes (and a
 * check constraint refuses a co-signer on a note that was never pending). Only drafts are deleted.
 */
export const sessionNotesAccess = tableAccess(sessionNotes, {
  tenant: { column: sessionNotes.organizationId },
  rules: [
    allow('select', {
      who: 'org_admin',
      summary: 'notes of their organisations',
      using: ({ t }) => anyOf(t.organizationId, app.orgIds('org_admin')),
    }),
    allow('update', {
      who: 'org_admin',
      summary: 'signed notes: void (with a reason) or guardian visibility',
      using: ({ t }) => and(anyOf(t.organizationId, app.orgIds('org_admin')), eq(t.status, 'signed')),
      withCheck: ({ t }) => and(anyOf(t.organizationId, app.orgIds('org_admin')), inList(t.status, ['signed', 'void'])),
      columns: ['status', 'voidReason', 'visibleToGuardian'],
    }),
    allow('select', {
      who: 'therapist',
      summary: "their caseload's notes of live sessions (supervisors: their supervisees' too)",
      using: ({ t }) => and(anyOf(t.studentId, app.caseloadStudentIds()), live(t.sessionId)),
    }),
    allow('select', {
      who: 'therapist',
      summary: 'notes they authored, also after the caseload assignment ended, while a therapist of the organisation',
      using: ({ t }) => and(eq(t.authorId, auth.uid()), anyOf(t.organizationId, app.orgIds('therapist')), live(t.studentId, t.sessionId)),
    }),
    allow('insert', {
      who: 'therapist',
      summary: 'drafts by themselves for their own caseload, in their own live sessions',
      withCheck: ({ t }) => and(eq(t.authorId, auth.uid()), eq(t.status, 'draft'), anyOf(t.studentId, app.assignedStudentIds()), ownSession(t.sessionId)),
    }),
    allow('update', {
      who: 'therapist',
      summary: 'their own drafts about their own current caseload: edit, sign or send for co-signature',
      using: ({ t }) => and(eq(t.authorId, auth.uid()), eq(t.status, 'draft'), anyOf(t.studentId, app.assignedStudentIds())),
      withCheck: ({ t }) => and(eq(t.authorId, auth.uid()), inList(t.status, ['draft', 'pending_cosign', 'signed']), anyOf(t.studentId, app.assignedStudentIds())),
      columns: ['noteFormat', 'subjective', 'objective', 'assessment', 'plan', 'structured', 'billableMinutes', 'status', 'visibleToGuardian'],
    }),
    allow('delete', {
      who: 'therapist',
      summary: 'their own drafts about their own current caseload',
      using: ({ t }) => and(eq(t.authorId, auth.uid()), eq(t.status, 'draft'), anyOf(t.studentId, app.assignedStudentIds())),
    }),
    allow('update', {
      who: 'supervisor',
      summary: "co-signing their supervisees' notes pending co-signature, in the supervision's organisation",
      using: ({ t }) => and(eq(t.status, 'pending_cosign'), supervisedIn(t.organizationId, t.authorId)),
      withCheck: ({ t }) => and(eq(t.status, 'signed'), eq(t.cosignedBy, auth.uid()), supervisedIn(t.organizationId, t.authorId)),
      columns: ['status', 'cosignedBy'],
    }),
    allow('select', {
      who: 'guardian',
      summary: "their children's signed notes shared with guardians",
      using: ({ t }) => and(eq(t.status, 'signed'), eq(t.visibleToGuardian, true), anyOf(t.studentId, app.guardianStudentIds()), live(t.sessionId)),
    }),
  ],
});

export const documentationAccess = [sessionNotesAccess] as const;

export const {
  session_notes_tenant_isolation,
  session_notes_select_authenticated,
  session_notes_insert_authenticated,
  session_notes_update_authenticated,
  session_notes_delete_authenticated,
} = policiesByName(sessionNotesAccess);
