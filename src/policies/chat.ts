import { conversationParticipants, conversations, messages } from '../schema';
import { allow, and, anyOf, app, auth, eq, exists, isNull, policiesByName, tableAccess } from './dsl';

/**
 * Chat. Participants read and write; org admins see conversation metadata (who talks, not what is
 * said). Message bodies need `app.message_conversation_ids()`, which withholds a student's
 * conversations unless the student has an active `messaging` consent. A sender soft-deletes their
 * own message with `update … set deleted_at = now()`: the updated row must pass the select policy
 * too (PostgREST reads it back), so senders see their own deleted messages; everybody else stops
 * seeing them. No SECURITY DEFINER function is needed (nor exposed) for it.
 */

/** The member roles that may start conversations (not students, not billing). */
const starters = ['org_admin', 'therapist', 'school_staff', 'guardian'] as const;

export const conversationsAccess = tableAccess(conversations, {
  tenant: { column: conversations.organizationId },
  rules: [
    allow('select', {
      who: 'member',
      summary: 'conversations they take part in',
      using: ({ t }) => anyOf(t.id, app.conversationIds()),
    }),
    allow('select', {
      who: starters,
      summary: 'conversations they started (before adding participants)',
      using: ({ t }) => eq(t.createdBy, auth.uid()),
    }),
    allow('select', {
      who: 'org_admin',
      summary: 'metadata of every conversation of their organisations',
      using: ({ t }) => anyOf(t.organizationId, app.orgIds('org_admin')),
    }),
    allow('insert', {
      who: starters,
      summary: 'starting a conversation in their organisation',
      withCheck: ({ t }) => and(eq(t.createdBy, auth.uid()), anyOf(t.organizationId, app.orgIds(...starters))),
    }),
    allow('update', {
      who: starters,
      summary: 'renaming or archiving conversations they started',
      using: ({ t }) => and(eq(t.createdBy, auth.uid()), anyOf(t.organizationId, app.orgIds(...starters))),
      columns: ['title', 'archivedAt'],
    }),
  ],
});

export const conversationParticipantsAccess = tableAccess(conversationParticipants, {
  tenant: { column: conversationParticipants.organizationId },
  rules: [
    allow('select', {
      who: 'member',
      summary: 'participants of conversations they take part in',
      using: ({ t }) => anyOf(t.conversationId, app.conversationIds()),
    }),
    allow('select', {
      who: 'org_admin',
      summary: 'participants of every conversation of their organisations',
      using: ({ t }) => anyOf(t.organizationId, app.orgIds('org_admin')),
    }),
    allow('insert', {
      who: starters,
      summary: 'adding members of the organisation to conversations they started',
      withCheck: ({ t }) =>
        and(
          anyOf(t.organizationId, app.orgIds(...starters)),
          exists(conversations, 'c', (c) => and(eq(c.id, t.conversationId), eq(c.createdBy, auth.uid()))),
          anyOf(t.userId, app.memberUserIds()),
        ),
    }),
    allow('update', {
      who: 'member',
      summary: 'their own participation: read marker, mute, leave',
      using: ({ t }) => eq(t.userId, auth.uid()),
      columns: ['lastReadAt', 'mutedUntil', 'leftAt'],
    }),
  ],
});

export const messagesAccess = tableAccess(messages, {
  tenant: { column: messages.organizationId },
  rules: [
    allow('select', {
      who: 'member',
      summary: 'live messages of their conversations (students: with an active messaging consent)',
      using: ({ t }) => and(isNull(t.deletedAt), anyOf(t.conversationId, app.messageConversationIds())),
    }),
    allow('select', {
      who: 'member',
      summary: 'their own messages in their conversations, soft-deleted included (so their soft delete reads back)',
      using: ({ t }) => and(eq(t.senderId, auth.uid()), anyOf(t.conversationId, app.messageConversationIds())),
    }),
    allow('insert', {
      who: 'member',
      summary: 'sending as themselves to their conversations (students: with an active messaging consent)',
      withCheck: ({ t }) => and(eq(t.senderId, auth.uid()), isNull(t.deletedAt), anyOf(t.conversationId, app.messageConversationIds())),
    }),
    allow('update', {
      who: 'member',
      summary: 'editing their own live messages',
      using: ({ t }) => and(eq(t.senderId, auth.uid()), isNull(t.deletedAt), anyOf(t.conversationId, app.messageConversationIds())),
      columns: ['body', 'editedAt'],
    }),
    allow('update', {
      who: 'member',
      summary: 'soft-deleting their own live messages (deleted_at is stamped with the server time)',
      using: ({ t }) => and(eq(t.senderId, auth.uid()), isNull(t.deletedAt), anyOf(t.conversationId, app.messageConversationIds())),
      withCheck: ({ t }) => and(eq(t.senderId, auth.uid()), anyOf(t.conversationId, app.messageConversationIds())),
      columns: ['deletedAt'],
    }),
  ],
});

export const chatAccess = [conversationsAccess, conversationParticipantsAccess, messagesAccess] as const;

export const {
  conversations_tenant_isolation,
  conversations_select_authenticated,
  conversations_insert_authenticated,
  conversations_update_authenticated,
} = policiesByName(conversationsAccess);

export const {
  conversation_participants_tenant_isolation,
  conversation_participants_select_authenticated,
  conversation_participants_insert_authenticated,
  conversation_participants_update_authenticated,
} = policiesByName(conversationParticipantsAccess);

export const {
  messages_tenant_isolation,
  messages_select_authenticated,
  messages_insert_authenticated,
  messages_update_authenticated,
} = policiesByName(messagesAccess);
