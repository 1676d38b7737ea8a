import { defineTriggerFunction, defineTrigger, type DdlObject } from '../../ddl';
import { conversationParticipants } from '../chat';

/**
 * A participation belongs to its participant. Someone who left a conversation stays out until its
 * starter adds them again (they cannot clear their own `left_at`), and only the participant moves
 * their read marker or mutes the conversation — the starter re-adding them changes `left_at` only.
 * The policies say the same; the trigger holds when a column grant or a policy is widened. Server
 * code (no JWT) is exempt.
 */
export const protectParticipation = defineTriggerFunction({
  name: 'protect_participation',
  body: `
declare
  v_uid uuid := (select auth.uid());
begin
  if v_uid is null then
    return new;
  end if;
  if old.user_id = v_uid and old.left_at is not null and new.left_at is null then
    raise exception 'a participant who left conversation % cannot rejoin it; the conversation''s starter adds them again (conversation_participants_no_rejoin)', old.conversation_id
      using errcode = 'insufficient_privilege', table = 'conversation_participants', column = 'left_at', constraint = 'conversation_participants_no_rejoin';
  end if;
  if old.user_id <> v_uid
     and (new.last_read_at is distinct from old.last_read_at or new.muted_until is distinct from old.muted_until) then
    raise exception 'only the participant moves their own read marker or mute in conversation % (conversation_participants_own_settings)', old.conversation_id
      using errcode = 'insufficient_privilege', table = 'conversation_participants', constraint = 'conversation_participants_own_settings';
  end if;
  return new;
end`,
  comment: 'Trigger: a participant who left cannot rejoin by themselves; only the participant changes their read marker and mute.',
});

export const chatRules: readonly DdlObject[] = [
  protectParticipation,
  defineTrigger({
    name: 'conversation_participants_protect',
    table: conversationParticipants,
    timing: 'before',
    events: ['update'],
    function: protectParticipation,
  }),
];
