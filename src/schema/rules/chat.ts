import { defineTriggerFunction, defineTrigger, type DdlObject } from '../../ddl';
import { conversationParticipants } from '../chat';
import { guardians, studentGuardians } from '../people';

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

/**
 * A guardian's link to a child that ends outright — the `student_guardians` row deleted or moved to
 * another child or guardian, the guardian record deleted, or its login unlinked — leaves nothing
 * for the conversation helpers to test (withheld portal access and a soft-deleted guardian record
 * do: `barredGuardian` in src/policies/helpers.ts). So the link's end is written where they look:
 * the former guardian leaves the child's conversations (`left_at`, the server's time), whatever
 * other role they hold in the organisation, unless another guardian record of theirs still links
 * them to the child. Like any participant who left, they come back only when the conversation's
 * starter adds them again. SECURITY DEFINER: the org admin who removes the link has no right to
 * write the guardian's participation. On `guardians` it runs before the delete (whose cascade
 * removes the links) and before a login change, while the links still name the guardian.
 */
export const endGuardianParticipation = defineTriggerFunction({
  name: 'end_guardian_participation',
  security: 'definer',
  body: `
declare
  v_user uuid;
  v_guardian uuid;
  v_students uuid[];
begin
  if tg_table_name = 'student_guardians' then
    if tg_op = 'UPDATE' and (new.student_id, new.guardian_id, new.organization_id) = (old.student_id, old.guardian_id, old.organization_id) then
      return new;  -- the link is unchanged
    end if;
    v_guardian := old.guardian_id;
    v_students := array[old.student_id];
    select g.user_id into v_user from public.guardians g where g.id = old.guardian_id;
  else
    if tg_op = 'UPDATE' and new.user_id is not distinct from old.user_id and new.organization_id = old.organization_id then
      return new;  -- the login is unchanged
    end if;
    v_guardian := old.id;
    v_user := old.user_id;
    select coalesce(pg_catalog.array_agg(l.student_id), '{}'::uuid[]) into v_students
      from public.student_guardians l where l.guardian_id = old.id;
  end if;
  if v_user is not null and pg_catalog.cardinality(v_students) > 0 then
    update public.conversation_participants cp
       set left_at = pg_catalog.now()
      from public.conversations c
     where c.id = cp.conversation_id and c.organization_id = old.organization_id and c.student_id = any (v_students)
       and cp.user_id = v_user and cp.left_at is null
       and not exists (select 1 from public.student_guardians sg join public.guardians g on g.id = sg.guardian_id
                        where sg.student_id = c.student_id and g.user_id = v_user and g.id <> v_guardian);
  end if;
  if tg_op = 'DELETE' then
    return old;
  end if;
  return new;
end`,
  comment: "Trigger: a guardian whose link to a child ends outright (link deleted or moved, guardian record deleted or its login unlinked) leaves the child's conversations, whatever other role they hold.",
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
  endGuardianParticipation,
  defineTrigger({
    name: 'student_guardians_end_participation',
    table: studentGuardians,
    timing: 'after',
    events: ['delete', { updateOf: [studentGuardians.studentId, studentGuardians.guardianId, studentGuardians.organizationId] }],
    function: endGuardianParticipation,
  }),
  defineTrigger({
    name: 'guardians_end_participation',
    table: guardians,
    timing: 'before',
    events: ['delete', { updateOf: [guardians.userId, guardians.organizationId] }],
    function: endGuardianParticipation,
  }),
];
