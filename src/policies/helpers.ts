import { defineFunction, type DdlObject } from '../ddl';
import { indentSql } from '../sql';
import { activeTherapist, STUDENT_VIA } from './access-sets';

/**
 * The RLS helper functions policies call. Each returns an array (or a boolean), so a policy written
 * `col = any ((select app.x())::uuid[])` costs one evaluation per statement, not one per row. They
 * are SECURITY DEFINER — so a policy on A reading B never recurses through B's own policies — with
 * `search_path = ''`, live in the private `app` schema, and are executable by `authenticated` only.
 * They are migrated before the tables' policies (`pre`).
 *
 * Each is written as one query but wrapped in PL/pgSQL: PostgreSQL ≤ 17 plans a SECURITY DEFINER
 * SQL function again at every call (it cannot be inlined), while PL/pgSQL caches the plan for the
 * session (docs/benchmarks.md, finding 1).
 *
 * Every helper starts from the caller's **counting memberships**: status `active` (an invitation or
 * a suspension counts for nothing), an account that is not deactivated (`profiles.deactivated_at`),
 * in an organisation that is not soft-deleted — except that an org admin keeps a soft-deleted
 * organisation. A role's helper reads only the memberships of that role (a therapist suspended as
 * therapist but active as guardian gets nothing from the therapist helpers), and people are counted
 * in the organisation the row belongs to (a supervision of org A says nothing about org B).
 *
 * The memberships, the students a user has through a role, and the soft deletions are read from
 * the **access sets** (src/policies/access-sets.ts), which triggers keep equal to those rules at
 * every statement: reading them is a few index entries, where computing them was most of what RLS
 * cost per statement (issue #18).
 */
/** A helper: one query, wrapped in PL/pgSQL as `begin return (<query>); end`. */
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
    body: `begin\n  return (${indentSql(query, 4)}\n  );\nend`,
    comment,
  });

/** The signed-in user, as an SQL expression evaluated once per statement (a one-query helper's). */
const SIGNED_IN = '(select auth.uid())';

/**
 * The memberships of `uid` that count, as a derived table `(organization_id, role, school_id)`:
 * active, of an account that is not deactivated, in a live organisation (an org admin keeps a
 * soft-deleted one). Read from `app.access_memberships`, which the access-set triggers keep equal
 * to `countingMemberships` (src/policies/access-sets.ts).
 */
const membershipsOf = (uid: string, alias = 'm') =>
  `(select a.organization_id, a.role, a.school_id from app.access_memberships a where a.user_id = ${uid}) ${alias}`;

/**
 * The supervisions `uid` holds today, as `(organization_id, supervisee_id)`: in the assignment's own
 * organisation, where the supervisor counts as a therapist and the supervisee is an active
 * therapist. An assignment of org A never reaches the supervisee's work in org B.
 */
const supervisions = (uid: string) => `
select s.organization_id, s.supervisee_id
  from public.supervision_assignments s
  join ${membershipsOf(uid)} on m.organization_id = s.organization_id and m.role = 'therapist'
 where s.supervisor_id = ${uid} and s.active_during @> current_date
   and ${activeTherapist('s.organization_id', 's.supervisee_id')}`;

/**
 * The students the signed-in user has today through the ways `via` (`app.access_students.via`):
 * `caseload` (own assignments), `supervision` (assignments of the therapists they supervise),
 * `guardian` (children with portal access), `own` (their own record). The access-set triggers keep
 * the table equal to `studentAccess` (src/policies/access-sets.ts): live students only, in an
 * organisation where the user counts in the role, with the days the assignment (and supervision)
 * covers; the date of the statement is applied here, as the rule always applied it.
 */
const studentsVia = (via: readonly (typeof STUDENT_VIA)[number][], extra = '') => `
select array(select a.student_id
               from app.access_students a${extra ? `\n               ${extra}` : ''}
              where a.user_id = ${SIGNED_IN} and a.via in (${via.map((v) => `'${v}'`).join(', ')}) and a.during @> current_date)`;

/**
 * `array(…)` of `expression` over the query's rows (alias `x`, filtered by `where` when given): empty,
 * never null. Not de-duplicated: every policy uses a helper's array as a set (`= any`, `&&`,
 * `array_position`, `<> all`), and an `array(…)` sub-select has no aggregate to set up at each call
 * (`array_agg(distinct …)` did: docs/benchmarks.md).
 */
const idArray = (expression: string, query: string, where = '') => `
select array(select ${expression}
               from (${indentSql(query, 15)}) x${where ? `\n              ${indentSql(where, 14)}` : ''})`;

export const isPlatformAdmin = helper(
  'is_platform_admin',
  'boolean',
  `
select coalesce((
  select p.is_platform_admin from public.profiles p
   where p.id = ${SIGNED_IN} and p.deactivated_at is null
), false)`,
  'True when the signed-in user is an active platform administrator.',
);

export const isActiveUser = helper(
  'is_active_user',
  'boolean',
  `
select exists (select 1 from public.profiles p where p.id = ${SIGNED_IN} and p.deactivated_at is null)`,
  "True when the signed-in user has a profile that is not deactivated: the role of rules about the user's own rows (profile, notifications, own memberships).",
);

export const orgIds = helper(
  'org_ids',
  'uuid[]',
  `
select array(select m.organization_id
               from ${indentSql(membershipsOf(SIGNED_IN), 20)}
              where p_roles is null or m.role = any (p_roles))`,
  'Organisations where the signed-in user has an active membership (optionally with one of p_roles); not for a deactivated account, nor a soft-deleted organisation except to its org admins.',
  [{ name: 'p_roles', type: 'text[]', default: 'null' }],
);

export const hasRole = helper(
  'has_role',
  'boolean',
  `
select exists (select 1 from ${membershipsOf(SIGNED_IN)} where m.role = any (p_roles))`,
  'True when the signed-in user has an active membership, in any organisation, with one of p_roles: for rows that belong to no organisation (the shared billing-code catalogue).',
  [{ name: 'p_roles', type: 'text[]' }],
);

export const memberUserIds = helper(
  'member_user_ids',
  'uuid[]',
  `
select array(select o.user_id
               from ${indentSql(membershipsOf(SIGNED_IN), 20)}
               join public.organization_members o on o.organization_id = m.organization_id and o.status = 'active'
              where m.role in ('org_admin', 'therapist', 'school_staff', 'billing') and (p_roles is null or m.role = any (p_roles)))`,
  'Active members of the organisations where the signed-in user is active staff (org_admin, therapist, school_staff, billing) with one of p_roles (any staff role when null), the user included. Families and students get nothing: their business is the care team (app.care_team_ids()). An invited or suspended member is nobody\'s to read.',
  [{ name: 'p_roles', type: 'text[]', default: 'null' }],
);

export const caseloadStudentIds = helper(
  'caseload_student_ids',
  'uuid[]',
  studentsVia(['caseload', 'supervision']),
  "Live students on the signed-in therapist's current caseload, plus those of the therapists they actively supervise in the same organisation.",
);

export const assignedStudentIds = helper(
  'assigned_student_ids',
  'uuid[]',
  studentsVia(['caseload']),
  "Live students on the signed-in therapist's own current caseload (not their supervisees'): whose clinical records they may write.",
);

export const supervisedTherapistIds = helper(
  'supervised_therapist_ids',
  'uuid[]',
  idArray('x.supervisee_id', supervisions(SIGNED_IN)),
  'Therapists the signed-in therapist actively supervises, in some organisation: pair with app.supervision_keys() to stay in that organisation.',
);

export const supervisionKeys = helper(
  'supervision_keys',
  'text[]',
  idArray("x.organization_id::text || '/' || x.supervisee_id::text", supervisions(SIGNED_IN)),
  "The signed-in therapist's supervisions as 'organization_id/supervisee_id' keys: a supervision reaches the supervisee's rows of its own organisation only.",
);

/**
 * Whose therapist record an org admin may write. A therapist record is global (one per person, keyed
 * by user): its NPI and licence are what every organisation the therapist works for bills under, so
 * an admin writes it only while no other organisation relies on it — the therapist belongs (beyond an
 * unanswered invitation) to no organisation the admin does not administer. Otherwise the platform
 * (service role) maintains it.
 */
export const managedTherapistIds = helper(
  'managed_therapist_ids',
  'uuid[]',
  `
select array(select o.user_id
               from public.organization_members o
              where o.organization_id = any ((select app.org_ids('{org_admin}'::text[]))::uuid[]) and o.status = 'active'
                and not exists (
                  select 1 from public.organization_members x
                   where x.user_id = o.user_id and x.status <> 'invited'
                     and x.organization_id <> all ((select app.org_ids('{org_admin}'::text[]))::uuid[])))`,
  'Active members of the organisations the signed-in user administers who belong to no other organisation: whose global therapist record (NPI, licence) the admin may write.',
);

export const guardianStudentIds = helper(
  'guardian_student_ids',
  'uuid[]',
  studentsVia(['guardian']),
  'Live children of the signed-in guardian with portal access (court orders can withhold it).',
);

export const ownStudentIds = helper(
  'own_student_ids',
  'uuid[]',
  studentsVia(['own']),
  'The live student record(s) of the signed-in student.',
);

export const ownAdultStudentIds = helper(
  'own_adult_student_ids',
  'uuid[]',
  studentsVia(['own'], "join public.students st on st.id = a.student_id and st.date_of_birth <= current_date - interval '18 years'"),
  'The live student record(s) of the signed-in student, once 18: an adult student holds the rights over their own records (consents) that a guardian holds for a minor.',
);

/**
 * The three sets at once: a therapist's caseload (with supervisees'), a guardian's children, a
 * student's own record. The select policies of `students`, `session_participants` and
 * `therapy_sessions` grant exactly the same rows to each of the three personas, so they share one
 * arm and one evaluation per statement instead of three.
 */
export const relatedStudentIds = helper(
  'related_student_ids',
  'uuid[]',
  studentsVia(['caseload', 'supervision', 'guardian', 'own']),
  'The union of app.caseload_student_ids(), app.guardian_student_ids() and app.own_student_ids(): the students the signed-in user serves, is a guardian of (portal access), or is.',
);

export const staffSchoolIds = helper(
  'staff_school_ids',
  'uuid[]',
  `
select array(select m.school_id
               from ${indentSql(membershipsOf(SIGNED_IN), 20)}
               join public.schools sc on sc.id = m.school_id and sc.deleted_at is null
              where m.role = 'school_staff')`,
  'Live schools of the signed-in school staff member.',
);

export const schoolStudentIds = helper(
  'school_student_ids',
  'uuid[]',
  `
select array(select s.id
               from public.students s
              where s.school_id = any ((select app.staff_school_ids())::uuid[]) and s.deleted_at is null)`,
  'Live students enrolled at the schools of the signed-in school staff member.',
);

/** The students whose care team the signed-in user sees: their children, themselves, their school's. */
const CARE_STUDENTS = '(((select app.guardian_student_ids()) || (select app.own_student_ids()) || (select app.school_student_ids()))::uuid[])';

/** Current caseload assignments `c` of those students whose therapist is an active therapist of the organisation. */
const careTeamAssignments = `
  from public.caseload_assignments c
 where c.student_id = any ${CARE_STUDENTS}
   and current_date between c.starts_on and coalesce(c.ends_on, 'infinity'::date)
   and ${activeTherapist('c.organization_id', 'c.therapist_id')}`;

export const careTeamIds = helper(
  'care_team_ids',
  'uuid[]',
  `
select array(select c.therapist_id
               ${indentSql(careTeamAssignments, 14)})`,
  'The care team of the signed-in user: active therapists currently serving the students they are a guardian of (portal access), are, or have at their school (school staff).',
);

export const careTeamKeys = helper(
  'care_team_keys',
  'text[]',
  `
select array(select c.student_id::text || '/' || c.therapist_id::text
               ${indentSql(careTeamAssignments, 14)})`,
  "app.care_team_ids() per student, as 'student_id/therapist_id' keys: who serves which of the signed-in user's students (a guardian starts a child's conversation with that child's team only).",
);

/**
 * The conversations the signed-in user takes part in and may see, as `(conversation_id,
 * organization_id)`: read from `app.access_conversations`, which the access-set triggers keep equal
 * to `conversationAccess` (src/policies/access-sets.ts).
 */
const conversationsOf = (uid: string) => `
select a.conversation_id, a.organization_id
  from app.access_conversations a
 where a.user_id = ${uid}`;

export const conversationIds = helper(
  'conversation_ids',
  'uuid[]',
  idArray('x.conversation_id', conversationsOf(SIGNED_IN)),
  "Conversations the signed-in user takes part in (not left) as an active member of the conversation's organisation; a conversation about a student only while they are staff, that child's guardian with portal access, or that student.",
);

export const messageConversationIds = helper(
  'message_conversation_ids',
  'uuid[]',
  idArray(
    'x.conversation_id',
    conversationsOf(SIGNED_IN),
    `
where not exists (
  select 1
    from public.students s
   where s.user_id = ${SIGNED_IN} and s.organization_id = x.organization_id
     and not exists (
       select 1 from public.consents c
        where c.student_id = s.id and c.consent_type = 'messaging'
          and c.granted_at <= pg_catalog.now()
          and (c.expires_at is null or c.expires_at > pg_catalog.now())
          and (c.revoked_at is null or c.revoked_at > pg_catalog.now())))`,
  ),
  'Conversations whose messages the signed-in user may read and send: app.conversation_ids(), except that a student needs an active messaging consent in that organisation (a soft-deleted student record included).',
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
select array(select p.session_id
               from public.session_participants p
              where p.student_id = any ((select app.related_student_ids())::uuid[])
                and p.organization_id = any ((select app.org_ids())::uuid[]))`,
  "Sessions in which a student of app.related_student_ids() (caseload, children, own record) takes part, in the user's organisations.",
);

export const conversationPeerIds = helper(
  'conversation_peer_ids',
  'uuid[]',
  `
select array(select o.user_id
               from (${indentSql(conversationsOf(SIGNED_IN), 21)}) me
               join public.conversation_participants o on o.conversation_id = me.conversation_id)`,
  'Users taking part (or having taken part) in the conversations of app.conversation_ids(): the per-row EXISTS of the profiles policy, once per statement.',
);

/**
 * The conversations the signed-in user left (their participation has `left_at`), whether they left
 * or a guardian's link to the child ended (`end_guardian_participation`). Starter arms exclude
 * them: a starter who left no longer renames the conversation or adds anyone to it. A set to stay
 * out of, so it counts no membership (more ids only ever narrow an arm).
 */
export const leftConversationIds = helper(
  'left_conversation_ids',
  'uuid[]',
  `
select array(select cp.conversation_id
               from public.conversation_participants cp
              where cp.user_id = ${SIGNED_IN} and cp.left_at is not null)`,
  'Conversations the signed-in user left: a starter who left no longer manages the conversation.',
);

/**
 * What soft deletion hides, for the arms whose own helper does not already (the student and school
 * helpers return live rows only): the soft-deleted schools, students and sessions of the user's
 * organisations, and the students and sessions of a soft-deleted school. A policy arm writes
 * `noneOf([t.studentId, t.sessionId], app.softDeletedIds())`; session rows check their `school_id`.
 * Soft deletion is for mistakes and closures, so the set stays small; the partial indexes
 * `… where deleted_at is not null` find it.
 */
export const softDeletedIds = helper(
  'soft_deleted_ids',
  'uuid[]',
  `
select array(select x.id
               from (select m.organization_id from ${indentSql(membershipsOf(SIGNED_IN), 51)}) o
               join lateral (select d.id from app.access_soft_deleted d where d.organization_id = o.organization_id
                             union all
                             select st.id from public.schools sc
                               join public.students st on st.school_id = sc.id and st.deleted_at is null
                              where sc.organization_id = o.organization_id and sc.deleted_at is not null
                             union all
                             select ts.id from public.schools sc
                               join public.therapy_sessions ts on ts.organization_id = sc.organization_id and ts.school_id = sc.id and ts.deleted_at is null
                              where sc.organization_id = o.organization_id and sc.deleted_at is not null) x on true)`,
  "Soft-deleted schools, students and sessions of the signed-in user's organisations (app.access_soft_deleted), and the students and sessions of a soft-deleted school: what hangs off them is hidden from everyone but org admins.",
);

export const rlsHelpers: readonly DdlObject[] = [
  isPlatformAdmin,
  isActiveUser,
  orgIds,
  hasRole,
  memberUserIds,
  caseloadStudentIds,
  assignedStudentIds,
  supervisedTherapistIds,
  supervisionKeys,
  managedTherapistIds,
  guardianStudentIds,
  ownStudentIds,
  ownAdultStudentIds,
  relatedStudentIds,
  staffSchoolIds,
  schoolStudentIds,
  careTeamIds,
  careTeamKeys,
  conversationIds,
  messageConversationIds,
  relatedSessionIds,
  conversationPeerIds,
  leftConversationIds,
  softDeletedIds,
];
