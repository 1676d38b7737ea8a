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
const procedure = (name: string, returns: string, body: string, comment: string, args: { name: string; type: string; default?: string }[] = []) =>
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
    body,
    comment,
  });

/** A helper that is one query: `begin return (<query>); end`. */
const helper = (name: string, returns: string, query: string, comment: string, args: { name: string; type: string; default?: string }[] = []) =>
  procedure(name, returns, `begin\n  return (${query.trim().replace(/\n/g, '\n    ')}\n  );\nend`, comment, args);

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

export const hasRole = helper(
  'has_role',
  'boolean',
  `
select exists (
  select 1 from public.organization_members m
   where m.user_id = (select auth.uid()) and m.status = 'active' and m.role = any (p_roles)
)`,
  'True when the signed-in user has an active membership, in any organisation, with one of p_roles: for rows that belong to no organisation (the shared billing-code catalogue).',
  [{ name: 'p_roles', type: 'text[]' }],
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

/**
 * The three ways a user has "their" students, each one query selecting `student_id` for the user
 * `uid` (an SQL expression): composed into the single helpers below and, gated by the user's roles,
 * into `app.related_student_ids()`.
 */
const SIGNED_IN = '(select auth.uid())';

const caseloadStudents = (uid: string) => `
select c.student_id
  from (select ${uid} as therapist_id
        union all
        select s.supervisee_id from public.supervision_assignments s
         where s.supervisor_id = ${uid} and s.active_during @> current_date) t
  join public.caseload_assignments c on c.therapist_id = t.therapist_id
  join public.organization_members m
    on m.organization_id = c.organization_id and m.user_id = ${uid}
   and m.role = 'therapist' and m.status = 'active'
 where current_date between c.starts_on and coalesce(c.ends_on, 'infinity'::date)`;

const guardianStudents = (uid: string) => `
select sg.student_id
  from public.guardians g
  join public.student_guardians sg on sg.guardian_id = g.id and sg.portal_access
  join public.organization_members m on m.organization_id = g.organization_id
   and m.user_id = g.user_id and m.role = 'guardian' and m.status = 'active'
 where g.user_id = ${uid} and g.deleted_at is null`;

const ownStudents = (uid: string, adultsOnly = false) => `
select s.id as student_id
  from public.students s
  join public.organization_members m on m.organization_id = s.organization_id
   and m.user_id = s.user_id and m.role = 'student' and m.status = 'active'
 where s.user_id = ${uid} and s.deleted_at is null${adultsOnly ? "\n   and s.date_of_birth <= current_date - interval '18 years'" : ''}`;

/** `uuid[]` of the distinct `student_id`s the query selects (empty, never null). */
const studentIdArray = (query: string) => `
select coalesce(pg_catalog.array_agg(distinct x.student_id), '{}')
  from (${query.trim().replace(/\n/g, '\n        ')}) x`;

export const caseloadStudentIds = helper(
  'caseload_student_ids',
  'uuid[]',
  studentIdArray(caseloadStudents(SIGNED_IN)),
  "Students on the signed-in therapist's current caseload, plus those of therapists they actively supervise. (The therapists are a two-row join, so each is one probe of caseload_assignments (therapist_id).)",
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
  studentIdArray(guardianStudents(SIGNED_IN)),
  'Children of the signed-in guardian with portal access (court orders can withhold it).',
);

export const ownStudentIds = helper(
  'own_student_ids',
  'uuid[]',
  studentIdArray(ownStudents(SIGNED_IN)),
  'The student record(s) of the signed-in student.',
);

export const ownAdultStudentIds = helper(
  'own_adult_student_ids',
  'uuid[]',
  studentIdArray(ownStudents(SIGNED_IN, true)),
  'The student record(s) of the signed-in student, once 18: an adult student holds the rights over their own records (consents) that a guardian holds for a minor.',
);

/** Indents a query to sit inside a PL/pgSQL statement. */
const nested = (query: string) => query.trim().replace(/\n/g, '\n      ');

/**
 * The three sets at once: a therapist's caseload (with supervisees'), a guardian's children, a
 * student's own record. The select policies of `students`, `session_participants` and
 * `therapy_sessions` grant exactly the same rows to each of the three personas, so they share one
 * arm and one evaluation per statement instead of three.
 *
 * Procedural on purpose: a query's scans cost executor set-up even when they find nothing, so the
 * user's roles are read first and only the branches of roles the user holds run (the calendar
 * evaluates this twice per statement; measured in docs/benchmarks.md).
 */
export const relatedStudentIds = procedure(
  'related_student_ids',
  'uuid[]',
  `
declare
  v_uid uuid;
  v_roles text[];
  v_ids uuid[] := '{}'::uuid[];
begin
  select u.id, array(select distinct m.role from public.organization_members m
                      where m.user_id = u.id and m.status = 'active' and m.role in ('therapist', 'guardian', 'student'))
    into v_uid, v_roles
    from (select ${SIGNED_IN} as id) u;
  if 'therapist' = any (v_roles) then
    v_ids := v_ids || (
      ${nested(studentIdArray(caseloadStudents('v_uid')))});
  end if;
  if 'guardian' = any (v_roles) then
    v_ids := v_ids || (
      ${nested(studentIdArray(guardianStudents('v_uid')))});
  end if;
  if 'student' = any (v_roles) then
    v_ids := v_ids || (
      ${nested(studentIdArray(ownStudents('v_uid')))});
  end if;
  return v_ids;
end`,
  'The union of app.caseload_student_ids(), app.guardian_student_ids() and app.own_student_ids(): the students the signed-in user serves, is a guardian of (portal access), or is. Only the branches of roles the user holds run.',
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
 * Sessions in which one of the user's students (`app.related_student_ids()`) takes part: the
 * per-row `exists (select 1 from session_participants …)` of the `therapy_sessions` policy, once
 * per statement. The participant row must also pass `session_participants`' own tenant policy (the
 * EXISTS ran under RLS): `organization_id` in `app.org_ids()`; its permissive policy is implied by
 * the student condition.
 */
export const relatedSessionIds = helper(
  'related_session_ids',
  'uuid[]',
  `
select coalesce(pg_catalog.array_agg(distinct p.session_id), '{}')
  from public.session_participants p
 where p.student_id = any ((select app.related_student_ids())::uuid[])
   and p.organization_id = any ((select app.org_ids())::uuid[])`,
  "Sessions in which a student of app.related_student_ids() (caseload, children, own record) takes part, in the user's organisations.",
);

export const conversationPeerIds = helper(
  'conversation_peer_ids',
  'uuid[]',
  `
select coalesce(pg_catalog.array_agg(distinct o.user_id), '{}')
  from public.conversation_participants me
  join public.conversation_participants o on o.conversation_id = me.conversation_id
  join public.organization_members m on m.organization_id = o.organization_id
   and m.user_id = (select auth.uid()) and m.status = 'active'
 where me.user_id = (select auth.uid()) and me.left_at is null`,
  "Users taking part (or having taken part) in the conversations the signed-in user currently takes part in, in organisations where the user is an active member: the per-row EXISTS of the profiles policy, once per statement. (One query: app.conversation_ids() and app.org_ids() inlined, so no nested helper calls.)",
);

export const rlsHelpers: readonly DdlObject[] = [
  isPlatformAdmin,
  orgIds,
  hasRole,
  memberUserIds,
  caseloadStudentIds,
  assignedStudentIds,
  supervisedTherapistIds,
  guardianStudentIds,
  ownStudentIds,
  ownAdultStudentIds,
  relatedStudentIds,
  staffSchoolIds,
  schoolStudentIds,
  careTeamIds,
  conversationIds,
  messageConversationIds,
  relatedSessionIds,
  conversationPeerIds,
];
