import { defineFunction, type DdlObject } from '../ddl';
import { indentSql } from '../sql';

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
 *
 * Every helper starts from the caller's **counting memberships** (`countingMemberships`): status
 * `active` (an invitation or a suspension counts for nothing), an account that is not deactivated
 * (`profiles.deactivated_at`), in an organisation that is not soft-deleted — except that an org
 * admin keeps a soft-deleted organisation. A role's helper reads only the memberships of that role
 * (a therapist suspended as therapist but active as guardian gets nothing from the therapist
 * helpers), and people are counted in the organisation the row belongs to (a supervision of org A
 * says nothing about org B).
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
  procedure(name, returns, `begin\n  return (${indentSql(query, 4)}\n  );\nend`, comment, args);

/** The signed-in user, as an SQL expression evaluated once per statement (a one-query helper's). */
const SIGNED_IN = '(select auth.uid())';

/** The signed-in user in a procedural helper, read once into a variable (`DECLARE_UID`). */
const UID = 'v_uid';

/** The declaration of `v_uid`, first in every procedural helper. */
const DECLARE_UID = `${UID} constant uuid := ${SIGNED_IN};`;

/**
 * The memberships of `uid` that count, as a derived table `(organization_id, role, school_id)`:
 * active, of an account that is not deactivated, in a live organisation (an org admin keeps a
 * soft-deleted one: soft-deleting an organisation hides it from everyone but its admins).
 */
const countingMemberships = (uid: string) => `
select m.organization_id, m.role, m.school_id
  from public.organization_members m
 where m.user_id = ${uid} and m.status = 'active'
   and (m.role = 'org_admin'
        or not exists (select 1 from public.organizations o where o.id = m.organization_id and o.deleted_at is not null))
   and exists (select 1 from public.profiles a where a.id = m.user_id and a.deactivated_at is null)`;

/** `from (<counting memberships>) <alias>`. */
const membershipsOf = (uid: string, alias = 'm') => `(${indentSql(countingMemberships(uid), 6)}) ${alias}`;

/**
 * A live student row `st`: not soft-deleted, and not at a soft-deleted school (soft-deleting a
 * student or a school hides what hangs off it from everyone but org admins).
 */
const liveStudent = (st: string) =>
  `${st}.deleted_at is null
   and (${st}.school_id is null or not exists (select 1 from public.schools sc where sc.id = ${st}.school_id and sc.deleted_at is not null))`;

/**
 * The students of the organisations `orgs` (a `uuid[]` expression) that are not live: soft-deleted,
 * or at a soft-deleted school. Evaluated once per query (a hashed `not in`) instead of looking up
 * every student a helper returns: soft deletion is rare, so the set is almost always empty.
 */
const deadStudents = (orgs: string) => `
select d.id from public.students d
 where d.deleted_at is not null and d.organization_id = any (${orgs})
union all
select d.id from public.students d
 where d.deleted_at is null
   and d.school_id = any (array(select sc.id from public.schools sc where sc.deleted_at is not null and sc.organization_id = any (${orgs})))`;

/** `user` is an active therapist member of `organization` (a supervisee, a care-team member), of an account that is not deactivated. */
const activeTherapist = (organization: string, user: string) =>
  `exists (select 1 from public.organization_members e
             where e.organization_id = ${organization} and e.user_id = ${user} and e.role = 'therapist' and e.status = 'active')
   and exists (select 1 from public.profiles ep where ep.id = ${user} and ep.deactivated_at is null)`;

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
 * The three ways a user has "their" students, each one query selecting `student_id` for the user
 * `uid` in the organisations `orgs` where the user counts in that role (both SQL expressions, a
 * `uuid[]` for `orgs`): the helpers read the memberships once into a variable, then run the query
 * (`roleStudents` below, and `app.related_student_ids()` gated by the user's roles). Only live
 * students: `deadStudents` for the caseload and the children, `liveStudent` for the own record.
 *
 * The caseload: the user's own current assignments in organisations where they count as a
 * therapist, plus (`withSupervisees`) those of the therapists they supervise there.
 */
const caseloadStudents = (uid: string, therapistOrgs: string, withSupervisees = true) => `
select c.student_id
  from (select c.student_id, c.starts_on, c.ends_on
          from public.caseload_assignments c
         where c.therapist_id = ${uid} and c.organization_id = any (${therapistOrgs})${
           withSupervisees
             ? `
        union all
        select c.student_id, c.starts_on, c.ends_on
          from public.supervision_assignments s
          join public.caseload_assignments c on c.therapist_id = s.supervisee_id and c.organization_id = s.organization_id
         where s.supervisor_id = ${uid} and s.organization_id = any (${therapistOrgs}) and s.active_during @> current_date
           and ${activeTherapist('s.organization_id', 's.supervisee_id')}`
             : ''
         }) c
 where current_date between c.starts_on and coalesce(c.ends_on, 'infinity'::date)
   and c.student_id not in (${indentSql(deadStudents(therapistOrgs), 4)})`;

/** A guardian's children with portal access, in the organisations `guardianOrgs` where they count as a guardian. */
const guardianStudents = (uid: string, guardianOrgs: string) => `
select sg.student_id
  from public.guardians g
  join public.student_guardians sg on sg.guardian_id = g.id and sg.portal_access
 where g.user_id = ${uid} and g.deleted_at is null and g.organization_id = any (${guardianOrgs})
   and sg.student_id not in (${indentSql(deadStudents(guardianOrgs), 4)})`;

/** The user's own live student record(s), in the organisations `studentOrgs` where they count as a student. */
const ownStudents = (uid: string, studentOrgs: string, adultsOnly = false) => `
select st.id as student_id
  from public.students st
 where st.user_id = ${uid} and st.organization_id = any (${studentOrgs})
   and ${liveStudent('st')}${adultsOnly ? "\n   and st.date_of_birth <= current_date - interval '18 years'" : ''}`;

/**
 * `array(…)` of `expression` over the query's rows (alias `x`, filtered by `where` when given): empty,
 * never null. Not de-duplicated: every policy uses a helper's array as a set (`= any`, `&&`,
 * `array_position`, `<> all`), and an `array(…)` sub-select has no aggregate to set up at each call
 * (`array_agg(distinct …)` did: docs/benchmarks.md).
 */
const idArray = (expression: string, query: string, where = '') => `
select array(select ${expression}
               from (${indentSql(query, 15)}) x${where ? `\n              ${indentSql(where, 14)}` : ''})`;

/** `uuid[]` of the `student_id`s the query selects (empty, never null). */
const studentIdArray = (query: string) => idArray('x.student_id', query);

/**
 * A helper returning the students one role gives the signed-in user (`branch(uid, orgs)`, see
 * above), procedural: the user's organisations in that role are read once into `v_orgs`, and the
 * branch runs only when there is one (instead of the membership query again in every part).
 */
const roleStudents = (name: string, role: string, branch: (uid: string, orgs: string) => string, comment: string) =>
  procedure(
    name,
    'uuid[]',
    `
declare
  ${DECLARE_UID}
  v_orgs uuid[];
begin
  v_orgs := array(select m.organization_id
                    from ${indentSql(membershipsOf(UID), 25)}
                   where m.role = '${role}');
  if pg_catalog.cardinality(v_orgs) = 0 then
    return '{}'::uuid[];
  end if;
  return (${indentSql(studentIdArray(branch(UID, 'v_orgs')), 4)});
end`,
    comment,
  );

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

export const caseloadStudentIds = roleStudents(
  'caseload_student_ids',
  'therapist',
  (uid, orgs) => caseloadStudents(uid, orgs),
  "Live students on the signed-in therapist's current caseload, plus those of the therapists they actively supervise in the same organisation.",
);

export const assignedStudentIds = roleStudents(
  'assigned_student_ids',
  'therapist',
  (uid, orgs) => caseloadStudents(uid, orgs, false),
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

export const guardianStudentIds = roleStudents(
  'guardian_student_ids',
  'guardian',
  guardianStudents,
  'Live children of the signed-in guardian with portal access (court orders can withhold it).',
);

export const ownStudentIds = roleStudents(
  'own_student_ids',
  'student',
  (uid, orgs) => ownStudents(uid, orgs),
  'The live student record(s) of the signed-in student.',
);

export const ownAdultStudentIds = roleStudents(
  'own_adult_student_ids',
  'student',
  (uid, orgs) => ownStudents(uid, orgs, true),
  'The live student record(s) of the signed-in student, once 18: an adult student holds the rights over their own records (consents) that a guardian holds for a minor.',
);

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
  ${DECLARE_UID}
  v_membership record;
  v_therapist uuid[] := '{}'::uuid[];
  v_guardian uuid[] := '{}'::uuid[];
  v_student uuid[] := '{}'::uuid[];
  v_ids uuid[] := '{}'::uuid[];
begin
  -- The memberships once: each branch runs only for a role the user holds, with its organisations.
  -- A loop, not three filtered array_agg()s: an aggregate costs its set-up at every call.
  for v_membership in
    select m.organization_id, m.role
      from ${indentSql(membershipsOf(UID), 11)}
     where m.role in ('therapist', 'guardian', 'student')
  loop
    case v_membership.role
      when 'therapist' then v_therapist := v_therapist || v_membership.organization_id;
      when 'guardian' then v_guardian := v_guardian || v_membership.organization_id;
      else v_student := v_student || v_membership.organization_id;
    end case;
  end loop;
  if pg_catalog.cardinality(v_therapist) > 0 then
    v_ids := v_ids || (
      ${indentSql(studentIdArray(caseloadStudents(UID, 'v_therapist')), 6)});
  end if;
  if pg_catalog.cardinality(v_guardian) > 0 then
    v_ids := v_ids || (
      ${indentSql(studentIdArray(guardianStudents(UID, 'v_guardian')), 6)});
  end if;
  if pg_catalog.cardinality(v_student) > 0 then
    v_ids := v_ids || (
      ${indentSql(studentIdArray(ownStudents(UID, 'v_student')), 6)});
  end if;
  return v_ids;
end`,
  'The union of app.caseload_student_ids(), app.guardian_student_ids() and app.own_student_ids(): the students the signed-in user serves, is a guardian of (portal access), or is. Only the branches of roles the user holds run.',
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
 * `uid` is a guardian of the conversation's student whom the organisation has cut off: the link
 * withholds portal access (a court order) or the guardian record is soft-deleted. They lose the
 * child's conversations whatever other role they hold (a parent who is also school staff).
 */
const barredGuardian = (uid: string) =>
  `exists (select 1 from public.guardians bg join public.student_guardians bsg on bsg.guardian_id = bg.id
            where bg.user_id = ${uid} and bg.organization_id = cp.organization_id and bsg.student_id = c.student_id
              and (not bsg.portal_access or bg.deleted_at is not null))`;

/**
 * The conversations `uid` takes part in and may see, as `(conversation_id, organization_id)`: not
 * left, in an organisation where they count as a member, and — when the conversation is about a
 * student — either as staff while the student is live, or as a guardian of that student with portal
 * access, or as that student; never as a guardian of that student who is cut off (`barredGuardian`),
 * whatever their role. An org admin keeps the conversations of soft-deleted students.
 */
const conversationsOf = (uid: string) => `
select cp.conversation_id, cp.organization_id
  from public.conversation_participants cp
  join public.conversations c on c.id = cp.conversation_id
  join ${membershipsOf(uid)} on m.organization_id = cp.organization_id
 where cp.user_id = ${uid} and cp.left_at is null
   and (c.student_id is null
        or not ${barredGuardian(uid)} and (m.role = 'org_admin'
        or (exists (select 1 from public.students st where st.id = c.student_id and ${liveStudent('st').replace(/\n\s*/g, ' ')})
            and (m.role in ('therapist', 'school_staff', 'billing')
                 or (m.role = 'guardian'
                     and exists (select 1 from public.guardians g
                                   join public.student_guardians sg on sg.guardian_id = g.id and sg.portal_access
                                  where g.user_id = ${uid} and g.organization_id = m.organization_id and g.deleted_at is null
                                    and sg.student_id = c.student_id))
                 or (m.role = 'student'
                     and exists (select 1 from public.students own where own.id = c.student_id and own.user_id = ${uid}))))))`;

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
export const softDeletedIds = procedure(
  'soft_deleted_ids',
  'uuid[]',
  `
declare
  ${DECLARE_UID}
  v_orgs uuid[];
begin
  -- The organisations once, counted as for org_ids (not one nested helper call per branch).
  v_orgs := array(select m.organization_id
                    from ${indentSql(membershipsOf(UID), 25)});
  if pg_catalog.cardinality(v_orgs) = 0 then
    return '{}'::uuid[];
  end if;
  return array(
    select x.id
      from (select sc.id from public.schools sc
             where sc.organization_id = any (v_orgs) and sc.deleted_at is not null
            union all
            select st.id from public.students st
             where st.organization_id = any (v_orgs) and st.deleted_at is not null
            union all
            select st.id from public.schools sc join public.students st on st.school_id = sc.id and st.deleted_at is null
             where sc.organization_id = any (v_orgs) and sc.deleted_at is not null
            union all
            select ts.id from public.therapy_sessions ts
             where ts.organization_id = any (v_orgs) and ts.deleted_at is not null
            union all
            select ts.id from public.schools sc
              join public.therapy_sessions ts on ts.organization_id = sc.organization_id and ts.school_id = sc.id and ts.deleted_at is null
             where sc.organization_id = any (v_orgs) and sc.deleted_at is not null) x);
end`,
  "Soft-deleted schools, students and sessions of the signed-in user's organisations, and the students and sessions of a soft-deleted school: what hangs off them is hidden from everyone but org admins.",
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
