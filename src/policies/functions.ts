import { defineFunction } from '../ddl';
import { messages } from '../schema';
import { and, anyOf, app, auth, eq, isNull, renderPredicate } from './dsl';

/**
 * Soft delete of a message by its sender. It cannot be an `update … set deleted_at = now()`
 * through the API: under PostgREST semantics (a WHERE on the row, `return=representation`) the
 * updated row must also pass the select policy, which hides deleted messages, so Postgres refuses
 * it ("new row violates row-level security policy"). A SECURITY INVOKER function would run the same
 * statement under the same policies, so this one is SECURITY DEFINER, with `search_path = ''`,
 * executable by `authenticated` only, and matches exactly the rows the update policy gives the
 * caller: the predicate below is rendered from the same DSL the policies are, and evaluates
 * `auth.uid()` and the `app` helpers for the caller.
 */
const deletable = and(
  anyOf(messages.organizationId, app.orgIds()),
  eq(messages.senderId, auth.uid()),
  isNull(messages.deletedAt),
  anyOf(messages.conversationId, app.messageConversationIds()),
);

export const softDeleteMessage = defineFunction({
  schema: 'public',
  name: 'soft_delete_message',
  args: [{ name: 'p_message_id', type: 'uuid' }],
  returns: 'void',
  language: 'plpgsql',
  security: 'definer',
  searchPath: '',
  executableBy: ['authenticated'],
  body: `
begin
  update public.messages
     set deleted_at = pg_catalog.now()
   where "messages"."id" = p_message_id
     and ${renderPredicate(deletable)};
  if not found then
    raise exception 'message % does not exist, is already deleted, or was not sent by you', p_message_id
      using errcode = 'insufficient_privilege', table = 'messages';
  end if;
end`,
  comment: "Soft-deletes one of the caller's own live messages (sets deleted_at); refuses any other message with SQLSTATE 42501.",
});
