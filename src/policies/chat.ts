import { conversationParticipants, conversations, messages } from '../schema';
import { live } from './arms';
import { allow, and, anyOf, app, auth, eq, exists, isNotNull, isNull, key, ne, noneOf, or, policiesByName, tableAccess, type Operand, type Predicate, type ScopeOf } from './dsl';

/**
 * Chat. Participants read and write; org admins see conversation metadata (who talks, not what is
 * said). Message bodies need `app.message_conversation_ids()`, which withholds a student's
 * conversations unless the student has an active `messaging` consent. A sender soft-deletes their
 * own message with `update … set deleted_at = now()`: the updated row must pass the select policy
 * too (PostgREST reads it back), so senders see their own deleted messages; everybody else stops
 * seeing them. No SECURITY DEFINER function is needed (nor exposed) for it.
 *
 * A conversation counts only for active members of its organisation (`app.conversation_ids()`); one
 * about a student only for staff while the student is live, that child's guardians with portal
 * access, and that student. Staff start conversations with members of their organisation; a
 * guardian starts them only about their own child, with that child's team (the therapists serving
 * the child). A participant who left stays out until the conversation's starter adds them again; a
 * starter who left manages the conversation no more. A guardian whose link to the child ends leaves
 * the child's conversations (`end_guardian_participation` in src/schema/rules/chat.ts).
 */

/** The member roles that start conversations with anyone of their organisation (not students, not billing). */
const staff = ['org_admin', 'therapist', 'school_staff'] as const;
/** Who may start a conversation: staff, and guardians about their own children. */
const starters = [...staff, 'guardian'] as const;

/**
 * The caller has not left the conversation: a starter who left (or whose guardianship of the
 * conversation's child ended, which makes them leave: `end_guardian_participation`) no longer sees,
 * renames or archives it, nor adds anyone to it. Before adding participants the starter has no
 * participation, so a new conversation passes.
 */
const notLeft = <C extends Operand>(conversation: C): Predicate<ScopeOf<C>> => noneOf([conversation], app.leftConversationIds());

export const conversationsAccess = tableAccess(conversations, {
  tenant: { column: conversations.organizationId },
  rules: [
    allow('select', {
      who: 'member',
      summary: 'conversations they take part in',
      using: ({ t }) => anyOf(t.id, app.conversationIds()),
    }),
    allow('select', {
      who: staff,
      summary: 'conversations they started (before adding participants), until they leave',
      using: ({ t }) => and(eq(t.createdBy, auth.uid()), anyOf(t.organizationId, app.orgIds(...staff)), live(t.studentId), notLeft(t.id)),
    }),
    allow('select', {
      who: 'guardian',
      summary: 'conversations they started about their own children (before adding participants), until they leave',
      using: ({ t }) => and(eq(t.createdBy, auth.uid()), anyOf(t.studentId, app.guardianStudentIds()), notLeft(t.id)),
    }),
    allow('select', {
      who: 'org_admin',
      summary: 'metadata of every conversation of their organisations',
      using: ({ t }) => anyOf(t.organizationId, app.orgIds('org_admin')),
    }),
    allow(['insert', 'update'], {
      who: staff,
      summary: 'starting, renaming or archiving a conversation of their organisation (not one they left)',
      using: ({ t }) => and(eq(t.createdBy, auth.uid()), anyOf(t.organizationId, app.orgIds(...staff)), live(t.studentId), notLeft(t.id)),
      columns: ['title', 'archivedAt'],
    }),
    allow(['insert', 'update'], {
      who: 'guardian',
      summary: 'starting, renaming or archiving a conversation about their own child (not one they left)',
      using: ({ t }) => and(eq(t.createdBy, auth.uid()), anyOf(t.studentId, app.guardianStudentIds()), notLeft(t.id)),
      columns: ['title', 'archivedAt'],
    }),
  ],
});

/**
 * Whom a guardian adds to the conversation about their child they started: themselves, or a
 * therapist currently serving that child (`app.care_team_keys()`: student and therapist as a pair).
 */
const guardianAdds = (t: typeof conversationParticipants) =>
  and(
    notLeft(t.conversationId),
    exists(conversations, 'c', (c) =>
      and(
        eq(c.id, t.conversationId),
        eq(c.createdBy, auth.uid()),
        anyOf(c.studentId, app.guardianStudentIds()),
        or(eq(t.userId, auth.uid()), anyOf(key(c.studentId, t.userId), app.careTeamKeys())),
      ),
    ),
  );

/** A conversation the caller started, as staff of its organisation, and has not left. */
const staffStarted = (t: typeof conversationParticipants) =>
  and(
    anyOf(t.organizationId, app.orgIds(...staff)),
    notLeft(t.conversationId),
    exists(conversations, 'c', (c) => and(eq(c.id, t.conversationId), eq(c.createdBy, auth.uid()))),
  );

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
      who: staff,
      summary: 'adding active members of the organisation to conversations they started',
      withCheck: ({ t }) => and(staffStarted(t), anyOf(t.userId, app.memberUserIds())),
    }),
    allow('insert', {
      who: 'guardian',
      summary: "adding themselves and their child's team to the conversation about the child they started",
      withCheck: ({ t }) => guardianAdds(t),
    }),
    allow('update', {
      who: 'member',
      summary: 'their own current participation: read marker, mute, leave (never rejoin)',
      using: ({ t }) => and(eq(t.userId, auth.uid()), isNull(t.leftAt), anyOf(t.conversationId, app.conversationIds())),
      withCheck: ({ t }) => and(eq(t.userId, auth.uid()), anyOf(t.conversationId, app.conversationIds())),
      columns: ['lastReadAt', 'mutedUntil', 'leftAt'],
    }),
    allow('update', {
      who: staff,
      summary: 'adding someone who left back to a conversation they started (never themselves)',
      using: ({ t }) => and(staffStarted(t), isNotNull(t.leftAt), ne(t.userId, auth.uid())),
      withCheck: ({ t }) => and(staffStarted(t), isNull(t.leftAt), ne(t.userId, auth.uid()), anyOf(t.userId, app.memberUserIds())),
      columns: ['leftAt'],
    }),
    allow('update', {
      who: 'guardian',
      summary: "adding a member of their child's team who left back to the conversation they started (never themselves)",
      using: ({ t }) => and(guardianAdds(t), isNotNull(t.leftAt), ne(t.userId, auth.uid())),
      withCheck: ({ t }) => and(guardianAdds(t), isNull(t.leftAt), ne(t.userId, auth.uid())),
      columns: ['leftAt'],
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
