import { defineTriggerFunction, defineTrigger, statement, type DdlObject } from '../ddl';
import { messages, notifications } from '../schema/tables';

/**
 * Live chat over Supabase Realtime.
 *
 * - Postgres Changes: the chat tables are in the `supabase_realtime` publication; Realtime checks
 *   each change against the table's own RLS for every subscriber.
 * - Broadcast and Presence on private channels, authorised by policies on `realtime.messages`:
 *   `conversation:{conversation_id}` — the database's events only (`message.created`,
 *   `message.updated`, `message.deleted`): participants receive, nobody sends, so an event there
 *   is a fact of record, never a participant's forgery;
 *   `conversation:{conversation_id}:peers` — participants' own broadcasts and presence (typing,
 *   online): they receive and send;
 *   `user:{user_id}:notifications` — that user receives, nobody sends (the database does).
 *   "Participants" are those of `app.message_conversation_ids()`, as for the messages table: active
 *   members of the conversation's organisation (not suspended, removed or deactivated), who have not
 *   left, and for a student with an active messaging consent.
 * - On a message insert or edit, a trigger broadcasts ids (never the body) on the conversation's
 *   topic with `realtime.send`; clients then fetch the row through RLS. New notifications are
 *   announced the same way on the user's topic.
 */

/** The topic of a conversation's private channel: the database's events. */
export const conversationTopic = (conversationId: string): string => `conversation:${conversationId}`;
/** The topic of a conversation's participants' own broadcasts and presence. */
export const conversationPeersTopic = (conversationId: string): string => `conversation:${conversationId}:peers`;
/** The topic of a user's private notifications channel. */
export const notificationsTopic = (userId: string): string => `user:${userId}:notifications`;

/** The tables whose changes Realtime streams (Postgres Changes). */
export const realtimeTables = ['conversations', 'conversation_participants', 'messages'] as const;

const tableArray = `array[${realtimeTables.map((t) => `'${t}'`).join(', ')}]`;

export const realtimePublication = statement({
  kind: 'publication',
  key: 'publication supabase_realtime: chat tables',
  create: [
    `do $do$
declare
  t text;
begin
  if not exists (select 1 from pg_catalog.pg_publication where pubname = 'supabase_realtime') then
    raise notice 'publication supabase_realtime does not exist (not a Supabase project?): chat tables not published';
    return;
  end if;
  foreach t in array ${tableArray} loop
    if not exists (select 1 from pg_catalog.pg_publication_tables
                    where pubname = 'supabase_realtime' and schemaname = 'public' and tablename = t) then
      execute pg_catalog.format('alter publication supabase_realtime add table public.%I', t);
    end if;
  end loop;
end
$do$`,
  ],
  drop: [
    `do $do$
declare
  t text;
begin
  foreach t in array ${tableArray} loop
    if exists (select 1 from pg_catalog.pg_publication_rel r
                 join pg_catalog.pg_publication p on p.oid = r.prpubid
                where p.pubname = 'supabase_realtime' and r.prrelid = pg_catalog.to_regclass('public.' || t)) then
      execute pg_catalog.format('alter publication supabase_realtime drop table public.%I', t);
    end if;
  end loop;
end
$do$`,
  ],
});

// ------------------------------------------------------------------ realtime.messages policies
/** A conversation topic, `conversation:{uuid}` or `conversation:{uuid}:peers`; anything else matches nothing. */
const CONVERSATION_TOPIC = "'^conversation:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(:peers)?$'";
/**
 * The joined topic is one of a conversation whose messages the user may read and send: the same
 * helper as the messages table (active membership of the conversation's organisation, not left; a
 * student needs an active messaging consent). `conversation:` is 13 characters: the id follows.
 */
const conversationTopicOfParticipant = `(select realtime.topic()) ~ ${CONVERSATION_TOPIC}
    and pg_catalog.substr((select realtime.topic()), 14, 36) = any ((select app.message_conversation_ids())::text[])`;
/** Participants send only on the `:peers` topic: the conversation's own topic carries the database's events alone. */
const peersTopic = `(select realtime.topic()) like '%:peers'`;
const ownNotificationsTopic = `(select realtime.topic()) = 'user:' || (select auth.uid())::text || ':notifications'
    and (select app.is_active_user())`;
/**
 * Realtime authorises a join by writing and reading rows of the joined topic, with
 * `realtime.topic()` set to it; rows of any other topic stay invisible to that check.
 */
const rowOfJoinedTopic = `realtime.messages.topic = (select realtime.topic())`;

const realtimePolicy = (name: string, create: string): DdlObject =>
  statement({
    key: `policy ${name} on realtime.messages`,
    create: [`drop policy if exists ${name} on realtime.messages`, create],
    drop: [`drop policy if exists ${name} on realtime.messages`],
  });

export const realtimePolicies: readonly DdlObject[] = [
  realtimePolicy(
    'realtime_conversation_receive',
    `create policy realtime_conversation_receive on realtime.messages
  as permissive for select to authenticated
  using (
    realtime.messages.extension in ('broadcast', 'presence')
    and ${rowOfJoinedTopic}
    and ${conversationTopicOfParticipant}
  )`,
  ),
  realtimePolicy(
    'realtime_conversation_send',
    `create policy realtime_conversation_send on realtime.messages
  as permissive for insert to authenticated
  with check (
    realtime.messages.extension in ('broadcast', 'presence')
    and ${rowOfJoinedTopic}
    and ${peersTopic}
    and ${conversationTopicOfParticipant}
  )`,
  ),
  realtimePolicy(
    'realtime_notifications_receive',
    `create policy realtime_notifications_receive on realtime.messages
  as permissive for select to authenticated
  using (
    realtime.messages.extension in ('broadcast', 'presence')
    and ${rowOfJoinedTopic}
    and ${ownNotificationsTopic}
  )`,
  ),
];

// ------------------------------------------------------------------ broadcasts
/** Calls `realtime.send` when the platform has it (checked at run time, so plain PostgreSQL works too). */
const send = (payload: string, event: string, topic: string) => `
  if pg_catalog.to_regprocedure('realtime.send(jsonb,text,text,boolean)') is not null then
    perform realtime.send(${payload}, ${event}, ${topic}, true);
  end if;`;

export const broadcastMessageChange = defineTriggerFunction({
  name: 'broadcast_message_change',
  security: 'definer',
  body: `
declare
  v_event text;
begin
  v_event := case
    when tg_op = 'INSERT' then 'message.created'
    when new.deleted_at is not null and old.deleted_at is null then 'message.deleted'
    else 'message.updated'
  end;
  -- ids only: subscribers fetch the row (and its body) through the messages table's RLS.${send(
    `pg_catalog.jsonb_build_object('id', new.id, 'conversation_id', new.conversation_id, 'sender_id', new.sender_id,
      'created_at', new.created_at, 'edited_at', new.edited_at, 'deleted_at', new.deleted_at)`,
    'v_event',
    `'conversation:' || new.conversation_id::text`,
  )}
  return null;
end`,
  comment: 'Trigger: broadcasts message ids on the private topic conversation:{id} through realtime.send (never the body).',
});

export const broadcastNotification = defineTriggerFunction({
  name: 'broadcast_notification',
  security: 'definer',
  body: `
begin${send(
    `pg_catalog.jsonb_build_object('id', new.id, 'type', new.type, 'organization_id', new.organization_id, 'created_at', new.created_at)`,
    `'notification.created'`,
    `'user:' || new.user_id::text || ':notifications'`,
  )}
  return null;
end`,
  comment: 'Trigger: announces a new notification (id and type) on the private topic user:{id}:notifications.',
});

export const realtimeObjects: readonly DdlObject[] = [
  realtimePublication,
  ...realtimePolicies,
  broadcastMessageChange,
  defineTrigger({ name: 'messages_broadcast_insert', table: messages, timing: 'after', events: ['insert'], function: broadcastMessageChange }),
  defineTrigger({
    name: 'messages_broadcast_update',
    table: messages,
    timing: 'after',
    events: [{ updateOf: [messages.body, messages.editedAt, messages.deletedAt] }],
    when: 'old.body is distinct from new.body or old.edited_at is distinct from new.edited_at or old.deleted_at is distinct from new.deleted_at',
    function: broadcastMessageChange,
  }),
  broadcastNotification,
  defineTrigger({ name: 'notifications_broadcast', table: notifications, timing: 'after', events: ['insert'], function: broadcastNotification }),
];
