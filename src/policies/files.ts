import { documents } from '../schema';
import { live } from './arms';
import { allow, and, anyOf, app, auth, eq, isNull, policiesByName, tableAccess } from './dsl';

/**
 * Document metadata (the `storage.objects` policies defer to these rows). Soft-deleted: only org
 * admins see deleted rows and set `deleted_at`; `authenticated` has no DELETE.
 */
export const documentsAccess = tableAccess(documents, {
  tenant: { column: documents.organizationId },
  rules: [
    allow('select', {
      who: 'org_admin',
      summary: 'documents of their organisations, soft-deleted included',
      using: ({ t }) => anyOf(t.organizationId, app.orgIds('org_admin')),
    }),
    allow(['insert', 'update'], {
      who: 'org_admin',
      summary: 'documents of their organisations (soft delete: set deleted_at)',
      using: ({ t }) => anyOf(t.organizationId, app.orgIds('org_admin')),
      columns: ['studentId', 'sessionId', 'conversationId', 'category', 'fileName', 'visibility', 'retainUntil', 'deletedAt'],
    }),
    allow('select', {
      who: 'therapist',
      summary: "live documents of their caseload's students (supervisors: their supervisees' too)",
      using: ({ t }) => and(isNull(t.deletedAt), anyOf(t.studentId, app.caseloadStudentIds()), live(t.sessionId)),
    }),
    allow('select', {
      who: 'therapist',
      summary: 'live documents they uploaded, while a therapist of the organisation',
      using: ({ t }) => and(isNull(t.deletedAt), eq(t.uploadedBy, auth.uid()), anyOf(t.organizationId, app.orgIds('therapist')), live(t.studentId, t.sessionId)),
    }),
    allow('insert', {
      who: 'therapist',
      summary: "uploads by themselves about their own caseload, as student records (never the public org-assets bucket, never a conversation's)",
      withCheck: ({ t }) =>
        and(
          eq(t.uploadedBy, auth.uid()),
          eq(t.bucketId, 'student-records'),
          isNull(t.conversationId),
          anyOf(t.studentId, app.assignedStudentIds()),
          isNull(t.deletedAt),
        ),
    }),
    allow('select', {
      who: 'guardian',
      summary: "their children's live documents shared with guardians",
      using: ({ t }) => and(isNull(t.deletedAt), eq(t.visibility, 'guardians'), anyOf(t.studentId, app.guardianStudentIds()), live(t.sessionId)),
    }),
    allow('select', {
      who: 'student',
      summary: 'their own live documents shared with the family',
      using: ({ t }) => and(isNull(t.deletedAt), eq(t.visibility, 'guardians'), anyOf(t.studentId, app.ownStudentIds()), live(t.sessionId)),
    }),
    allow('select', {
      who: 'member',
      summary: 'live chat attachments of their conversations',
      using: ({ t }) => and(isNull(t.deletedAt), eq(t.visibility, 'participants'), anyOf(t.conversationId, app.messageConversationIds())),
    }),
    allow('insert', {
      who: 'member',
      summary: 'chat attachments by themselves to their conversations (no student or session link)',
      withCheck: ({ t }) =>
        and(
          eq(t.uploadedBy, auth.uid()),
          eq(t.category, 'chat_attachment'),
          eq(t.visibility, 'participants'),
          anyOf(t.conversationId, app.messageConversationIds()),
          isNull(t.studentId),
          isNull(t.sessionId),
          isNull(t.deletedAt),
        ),
    }),
  ],
});

export const filesAccess = [documentsAccess] as const;

export const {
  documents_tenant_isolation,
  documents_select_authenticated,
  documents_insert_authenticated,
  documents_update_authenticated,
} = policiesByName(documentsAccess);
