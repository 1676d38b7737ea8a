import { defineFunction, type DdlObject } from '../ddl';

/**
 * The RLS helper functions policies call. Each reads the caller's memberships once and returns an
 * array, so a policy written `col = any ((select app.x())::uuid[])` costs one evaluation per
 * statement, not one per row. They are SECURITY DEFINER — so a policy on A reading B never recurses
 * through B's own policies — with `search_path = ''`, live in the private `app` schema, and are
 * executable by `authenticated` only. They are migrated before the tables' policies (`pre`).
 *
 * Each is written as one query but wrapped in PL/pgSQL: PostgreSQL ≤ 17 plans a SECURITY DEFINER
 * SQL function again at every call (it cannot be inlined), while PL/pgSQL caches the plan for the
 * session — measured at scale 10, this is most of what RLS costs (docs/benchmarks.md, finding 1).
 */
const helper = (name: string, returns: string, query: string, comment: string, args: { name: string; type: string; default?: string }[] = []) =>
  defineFunction({
    schema: 'app',
    name,
    args,
    returns,
    language: 'plpgsql',
    volatility: 'stable',
    security: 'definer',
    searchPath: '',
    executableBy: ['authenticated'],
    phase: 'pre',
    body: `begin\n  return (${query.trim().replace(/\n/g, '\n    ')}\n  );\nend`,
    comment,
  });

export const isPlatformAdmin = helper(
  'is_platform_admin',
  'boolean',
  `
select coalesce((
  select p.is_platform_admin from public.profiles p
   where p.id = (select auth.uid()) and p.deactivated_at is null
), false)`,
  'True when the signed-in user is an active platform administrator.',
);

export const orgIds = helper(
  'org_ids',
  'uuid[]',
  `
select coalesce(pg_catalog.array_agg(distinct m.organization_id), '{}')
  from public.organization_members m
 where m.user_id = (select auth.uid()) and m.status = 'active'
   and (p_roles is null or m.role = any (p_roles))`,
  'Organisations where the signed-in user has an active membership, optionally only with one of p_roles.',
  [{ name: 'p_roles', type: 'text[]', default: 'null' }],
);

export const memberUserIds = helper(
  'member_user_ids',
  'uuid[]',
  `
select coalesce(pg_catalog.array_agg(distinct o.user_id), '{}')
  from public.organization_members m
  join public.organization_members o on o.organization_id = m.organization_id
 where m.user_id = (select auth.uid()) and m.status = 'active'
   and (p_roles is null or m.role = any (p_roles))`,
  'Users with a membership (any role or status) in the organisations where the signed-in user is an active member with one of p_roles (any role when null), the user included.',
  [{ name: 'p_roles', type: 'text[]', default: 'null' }],
);

export const caseloadStudentIds = helper(
  'caseload_student_ids',
  'uuid[]',
  `
select coalesce(pg_catalog.array_agg(distinct c.student_id), '{}')
  from public.caseload_assignments c
  join public.organization_members m
    on m.organization_id = c.organization_id and m.user_id = (select auth.uid())
   and m.role = 'therapist' and m.status = 'active'
 where current_date between c.starts_on and coalesce(c.ends_on, 'infinity'::date)
   and c.therapist_id = any (array[(select auth.uid())]
                             || array(select s.supervisee_id from public.supervision_assignments s
                                       where s.supervisor_id = (select auth.uid()) and s.active_during @> current_date))`,
  "Students on the signed-in therapist's current caseload, plus those of therapists they actively supervise. (One array of therapist ids, so the lookup uses caseload_assignments (therapist_id).)",
);

export const assignedStudentIds = helper(
  'assigned_student_ids',
  'uuid[]',
  `
select coalesce(pg_catalog.array_agg(distinct c.student_id), '{}')
  from public.caseload_assignments c
  join public.organization_members m
    on m.organization_id = c.organization_id and m.user_id = (select auth.uid())
   and m.role = 'therapist' and m.status = 'active'
 where c.therapist_id = (select auth.uid())
   and current_date between c.starts_on and coalesce(c.ends_on, 'infinity'::date)`,
  "Students on the signed-in therapist's own current caseload (not their supervisees'): whose clinical records they may write.",
);

export const supervisedTherapistIds = helper(
  'supervised_therapist_ids',
  'uuid[]',
  `
select coalesce(pg_catalog.array_agg(distinct s.supervisee_id), '{}')
  from public.supervision_assignments s
 where s.supervisor_id = (select auth.uid()) and s.active_during @> current_date`,
  'Therapists the signed-in therapist actively supervises.',
);

export const guardianStudentIds = helper(
  'guardian_student_ids',
  'uuid[]',
  `
select coalesce(pg_catalog.array_agg(distinct sg.student_id), '{}')
  from public.guardians g
  join public.student_guardians sg on sg.guardian_id = g.id and sg.portal_access
  join public.organization_members m on m.organization_id = g.organization_id
   and m.user_id = g.user_id and m.role = 'guardian' and m.status = 'active'
 where g.user_id = (select auth.uid()) and g.deleted_at is null`,
  'Children of the signed-in guardian with portal access (court orders can withhold it).',
);

export const ownStudentIds = helper(
  'own_student_ids',
  'uuid[]',
  `
select coalesce(pg_catalog.array_agg(distinct s.id), '{}')
  from public.students s
  join public.organization_members m on m.organization_id = s.organization_id
   and m.user_id = s.user_id and m.role = 'student' and m.status = 'active'
 where s.user_id = (select auth.uid()) and s.deleted_at is null`,
  'The student record(s) of the signed-in student.',
);

export const staffSchoolIds = helper(
  'staff_school_ids',
  'uuid[]',
  `
select coalesce(pg_catalog.array_agg(distinct m.school_id), '{}')
  from public.organization_members m
 where m.user_id = (select auth.uid()) and m.role = 'school_staff' and m.status = 'active' and m.school_id is not null`,
  'Schools of the signed-in school staff member.',
);

export const schoolStudentIds = helper(
  'school_student_ids',
  'uuid[]',
  `
select coalesce(pg_catalog.array_agg(s.id), '{}')
  from public.students s
 where s.school_id = any ((select app.staff_school_ids())::uuid[]) and s.deleted_at is null`,
  'Live students enrolled at the schools of the signed-in school staff member.',
);

export const careTeamIds = helper(
  'care_team_ids',
  'uuid[]',
  `
select coalesce(pg_catalog.array_agg(distinct c.therapist_id), '{}')
  from public.caseload_assignments c
 where c.student_id = any (((select app.guardian_student_ids()) || (select app.own_student_ids()) || (select app.school_student_ids()))::uuid[])
   and current_date between c.starts_on and coalesce(c.ends_on, 'infinity'::date)`,
  'The care team of the signed-in user: therapists currently serving the students they are a guardian of (portal access), are, or have at their school (school staff).',
);

export const conversationIds = helper(
  'conversation_ids',
  'uuid[]',
  `
select coalesce(pg_catalog.array_agg(cp.conversation_id), '{}')
  from public.conversation_participants cp
 where cp.user_id = (select auth.uid()) and cp.left_at is null`,
  'Conversations the signed-in user currently takes part in.',
);

export const messageConversationIds = helper(
  'message_conversation_ids',
  'uuid[]',
  `
select coalesce(pg_catalog.array_agg(cp.conversation_id), '{}')
  from public.conversation_participants cp
 where cp.user_id = (select auth.uid()) and cp.left_at is null
   and not exists (
     select 1
       from public.students s
      where s.user_id = (select auth.uid()) and s.organization_id = cp.organization_id and s.deleted_at is null
        and not exists (
          select 1 from public.consents c
           where c.student_id = s.id and c.consent_type = 'messaging'
             and c.granted_at <= pg_catalog.now()
             and (c.expires_at is null or c.expires_at > pg_catalog.now())
             and (c.revoked_at is null or c.revoked_at > pg_catalog.now())))`,
  'Conversations whose messages the signed-in user may read and send: those they take part in, except that a student needs an active messaging consent in that organisation.',
);

/**
 * Sessions the caller may see because one of "their" students takes part (caseload, children,
 * own record). These replace per-row `exists (select 1 from session_participants …)` arms of the
 * `therapy_sessions` policy by one evaluation per statement. The participant row must also pass
 * `session_participants`' own tenant policy (the EXISTS ran under RLS): `organization_id` in
 * `app.org_ids()`; its permissive policy is implied by the student condition.
 */
const participantSessions = (studentHelper: string) => `
select coalesce(pg_catalog.array_agg(distinct p.session_id), '{}')
  from public.session_participants p
 where p.student_id = any ((select app.${studentHelper}())::uuid[])
   and p.organization_id = any ((select app.org_ids())::uuid[])`;

export const caseloadSessionIds = helper(
  'caseload_session_ids',
  'uuid[]',
  participantSessions('caseload_student_ids'),
  "Sessions in which a student of the signed-in therapist's caseload (app.caseload_student_ids()) takes part, in the user's organisations.",
);

export const guardianSessionIds = helper(
  'guardian_session_ids',
  'uuid[]',
  participantSessions('guardian_student_ids'),
  "Sessions in which a child of the signed-in guardian (app.guardian_student_ids()) takes part, in the user's organisations.",
);

export const ownSessionIds = helper(
  'own_session_ids',
  'uuid[]',
  participantSessions('own_student_ids'),
  "Sessions in which the signed-in student (app.own_student_ids()) takes part, in the user's organisations.",
);

export const conversationPeerIds = helper(
  'conversation_peer_ids',
  'uuid[]',
  `
select coalesce(pg_catalog.array_agg(distinct cp.user_id), '{}')
  from public.conversation_participants cp
 where cp.conversation_id = any ((select app.conversation_ids())::uuid[])
   and cp.organization_id = any ((select app.org_ids())::uuid[])`,
  "Users taking part (or having taken part) in the conversations the signed-in user currently takes part in, in the user's organisations: the per-row EXISTS of the profiles policy, once per statement.",
);

export const rlsHelpers: readonly DdlObject[] = [
  isPlatformAdmin,
  orgIds,
  memberUserIds,
  caseloadStudentIds,
  assignedStudentIds,
  supervisedTherapistIds,
  guardianStudentIds,
  ownStudentIds,
  staffSchoolIds,
  schoolStudentIds,
  careTeamIds,
  conversationIds,
  messageConversationIds,
  caseloadSessionIds,
  guardianSessionIds,
  ownSessionIds,
  conversationPeerIds,
];
