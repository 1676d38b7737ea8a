import type postgres from 'postgres';
import { indentSql } from '../src/sql';
import type { UserIdentity } from '../src/testing';

/**
 * The hot paths: what the app's busiest screens ask the database, each written twice —
 *
 * - `rls`: the query exactly as the signed-in user sends it through the API (role `authenticated`,
 *   JWT claims set): only the screen's own filter, the policies do the access control;
 * - `explicit`: the same result as server code would fetch it with the service role (RLS
 *   bypassed): the screen's filter plus the access rule written out as an explicit WHERE.
 *
 * The benchmark asserts both return the same rows for every persona it tries.
 */
export interface HotPathCase {
  /** `auth.uid()` of the persona. */
  readonly userId: string;
  readonly label: string;
  readonly rlsParams: readonly unknown[];
  readonly explicitParams: readonly unknown[];
}

export interface HotPath {
  readonly name: string;
  readonly title: string;
  readonly persona: string;
  readonly rls: string;
  readonly explicit: string;
  /** Up to `max` personas (and their parameters), spread over organisations, picked as the owner. */
  cases(sql: postgres.Sql, context: PickContext, max: number): Promise<HotPathCase[]>;
}

/** How the benchmark signs in as a persona: the JWT claims PostgREST would set (sub, and an email). */
export function personaIdentity(userId: string): UserIdentity {
  return { sub: userId, claims: { email: `${userId}@bench.invalid` } };
}

export interface PickContext {
  /** Monday 00:00 UTC of "this week" in the data set. */
  readonly anchor: Date;
}

const DAY = 86_400_000;

/** `select … order by org, rank` round-robin over organisations: `rank` orders within each one. */
function spread(inner: string): string {
  return `select * from (
  select x.*, row_number() over (partition by x.organization_id order by x.rank) as rn
    from (${inner}) x
) y order by y.rn, y.organization_id limit $1`;
}

/** Active therapists who supervise nobody and need no supervision: the common case. */
const plainTherapists = `
  select t.id as user_id, m.organization_id, md5(t.id::text) as rank
    from public.therapists t
    join public.organization_members m on m.user_id = t.id and m.role = 'therapist' and m.status = 'active'
   where not t.requires_supervision
     and not exists (select 1 from public.supervision_assignments s where s.supervisor_id = t.id)`;

/**
 * The explicit twins enforce what the policies enforce, written as server code would write the
 * screen's access rule for the persona's role (the service role bypasses RLS: nothing else checks
 * it). A statement computes each of the persona's sets once, in a materialised CTE (`withSets`), as
 * the policies evaluate each helper once per statement. What the policies count, and so the twins:
 *
 * - a membership counts while it is active, the account is not deactivated (`profiles.deactivated_at`)
 *   and the organisation is not soft-deleted (an org admin keeps a soft-deleted organisation);
 * - a student counts while live: not soft-deleted, and not at a soft-deleted school; a session at a
 *   soft-deleted school, and what hangs off a soft-deleted session, is hidden;
 * - a supervision counts in its own organisation, where the supervisor counts as a therapist, for a
 *   supervisee who is an active therapist there with an account that is not deactivated.
 */


/** `with <name> as materialized (<query>), …`: the sets a statement computes once. */
const withSets = (sets: Readonly<Record<string, string>>) =>
  `with ${Object.entries(sets).map(([name, query]) => `${name} as materialized (\n       ${indentSql(query, 7)})`).join(',\n     ')}`;

/** `(organization_id, role)` of the memberships of `user` that count, in one of `roles` (any role when omitted). */
function countingMemberships(user: string, roles?: readonly string[]): string {
  return `select m.organization_id, m.role
  from public.organization_members m
 where m.user_id = ${user} and m.status = 'active'${roles ? ` and m.role in (${roles.map((r) => `'${r}'`).join(', ')})` : ''}
   and (m.role = 'org_admin'
        or not exists (select 1 from public.organizations o where o.id = m.organization_id and o.deleted_at is not null))
   and exists (select 1 from public.profiles a where a.id = ${user} and a.deactivated_at is null)`;
}

/** The student `column` is live: not soft-deleted, not at a soft-deleted school. */
const liveStudent = (column: string) =>
  `not exists (select 1 from public.students d left join public.schools ds on ds.id = d.school_id
                where d.id = ${column} and (d.deleted_at is not null or ds.deleted_at is not null))`;

/** The session row `alias` is not at a soft-deleted school. */
const schoolNotDeleted = (alias: string) =>
  `not exists (select 1 from public.schools ds where ds.id = ${alias}.school_id and ds.deleted_at is not null)`;

/**
 * `(organization_id, supervisee_id)` of the supervisions `user` holds today, in the organisations
 * of the set `orgs` where they count as a therapist, of supervisees who are active therapists there.
 */
function supervisionsOf(user: string, orgs: string): string {
  return `select s.organization_id, s.supervisee_id
  from public.supervision_assignments s
 where s.supervisor_id = ${user} and s.active_during @> current_date
   and s.organization_id in (select organization_id from ${orgs})
   and exists (select 1 from public.organization_members e
                where e.organization_id = s.organization_id and e.user_id = s.supervisee_id and e.role = 'therapist' and e.status = 'active')
   and exists (select 1 from public.profiles ep where ep.id = s.supervisee_id and ep.deactivated_at is null)`;
}

/**
 * The live students on `user`'s current caseload in the organisations of the set `orgs`, or on
 * the caseload of a supervisee of the set `supervisions` in theirs: what
 * `app.caseload_student_ids()` decides under RLS.
 */
function caseloadOf(user: string, orgs: string, supervisions: string): string {
  return `select c.student_id
  from (select c.student_id, c.starts_on, c.ends_on
          from public.caseload_assignments c
         where c.therapist_id = ${user} and c.organization_id in (select organization_id from ${orgs})
        union all
        select c.student_id, c.starts_on, c.ends_on
          from ${supervisions} v
          join public.caseload_assignments c on c.therapist_id = v.supervisee_id and c.organization_id = v.organization_id) c
 where current_date between c.starts_on and coalesce(c.ends_on, 'infinity'::date)
   and ${liveStudent('c.student_id')}`;
}

/** A therapist's sets: the organisations where `user` counts as a therapist, their supervisions, their caseload. */
const therapistSets = (user: string) => ({
  therapist_orgs: countingMemberships(user, ['therapist']),
  supervisions: supervisionsOf(user, 'therapist_orgs'),
  caseload: caseloadOf(user, 'therapist_orgs', 'supervisions'),
});

/** The live children `user` has portal access to (court orders can withhold it), in the organisations of `memberships` where they count as a guardian. */
function portalChildrenOf(user: string, memberships: string): string {
  return `select sg.student_id
  from public.guardians g
  join public.student_guardians sg on sg.guardian_id = g.id and sg.portal_access
 where g.user_id = ${user} and g.deleted_at is null
   and g.organization_id in (select organization_id from ${memberships} where role = 'guardian')
   and ${liveStudent('sg.student_id')}`;
}

/**
 * `(conversation_id, organization_id)` of the conversations the guardian `user` may read: taking
 * part (not left) in an organisation of `memberships`; one about a student only while that child is
 * in `children`, and never while a link to that child cuts them off (portal access withheld, or a
 * soft-deleted guardian record). `conversation`, when given, is the only one asked about.
 */
function guardianConversationsOf(user: string, memberships: string, children: string, conversation?: string): string {
  return `select cp.conversation_id, cp.organization_id
  from public.conversation_participants cp
  join public.conversations cv on cv.id = cp.conversation_id
 where cp.user_id = ${user} and cp.left_at is null${conversation ? ` and cp.conversation_id = ${conversation}` : ''}
   and cp.organization_id in (select organization_id from ${memberships})
   and (cv.student_id is null
        or (cv.student_id in (select student_id from ${children})
            and not exists (select 1
                              from public.guardians bg
                              join public.student_guardians bsg on bsg.guardian_id = bg.id
                             where bg.user_id = ${user} and bg.organization_id = cp.organization_id and bsg.student_id = cv.student_id
                               and (not bsg.portal_access or bg.deleted_at is not null))))`;
}

/** A guardian's sets: their counting memberships (any role: a conversation counts in any) and their children. */
const guardianSets = (user: string) => ({
  memberships: countingMemberships(user),
  children: portalChildrenOf(user, 'memberships'),
});

// ------------------------------------------------------------------ 1. the therapist's week
export const therapistWeekCalendar: HotPath = {
  name: 'therapist_week_calendar',
  title: "A therapist's week calendar (own sessions, session type, students)",
  persona: 'therapist',
  rls: `
select s.id, s.start_time, s.end_time, s.status, s.delivery_mode, s.location, st.name as session_type,
       coalesce((select json_agg(json_build_object('student_id', p.student_id, 'first_name', stu.first_name,
                                                   'last_name', stu.last_name, 'attendance', p.attendance)
                                 order by stu.last_name, stu.first_name, p.student_id)
                   from public.session_participants p
                   join public.students stu on stu.id = p.student_id
                  where p.session_id = s.id), '[]') as students
  from public.therapy_sessions s
  join public.session_types st on st.id = s.session_type_id
 where s.therapist_id = $3 and s.start_time >= $1 and s.start_time < $2 and s.deleted_at is null
 order by s.start_time, s.id`,
  explicit: `
${withSets(therapistSets('$3'))}
select s.id, s.start_time, s.end_time, s.status, s.delivery_mode, s.location, st.name as session_type,
       coalesce((select json_agg(json_build_object('student_id', p.student_id, 'first_name', stu.first_name,
                                                   'last_name', stu.last_name, 'attendance', p.attendance)
                                 order by stu.last_name, stu.first_name, p.student_id)
                   from public.session_participants p
                   join public.students stu on stu.id = p.student_id
                  where p.session_id = s.id and p.student_id in (select student_id from caseload)), '[]') as students
  from public.therapy_sessions s
  join public.session_types st on st.id = s.session_type_id
 where s.therapist_id = $3 and s.start_time >= $1 and s.start_time < $2 and s.deleted_at is null
   and s.organization_id in (select organization_id from therapist_orgs)
   and ${schoolNotDeleted('s')}
 order by s.start_time, s.id`,
  async cases(sql, { anchor }, max) {
    const rows = await sql.unsafe<{ user_id: string }[]>(spread(plainTherapists), [max]);
    const from = anchor.toISOString();
    const to = new Date(anchor.getTime() + 7 * DAY).toISOString();
    return rows.map((r) => ({ userId: r.user_id, label: `therapist ${r.user_id}`, rlsParams: [from, to, r.user_id], explicitParams: [from, to, r.user_id] }));
  },
};

// ------------------------------------------------------------------ 2. the caseload list
export const therapistCaseload: HotPath = {
  name: 'therapist_caseload',
  title: "A therapist's caseload list (students, RLS as the only filter)",
  persona: 'therapist',
  rls: `
select stu.id, stu.first_name, stu.last_name, stu.grade_level, sc.name as school
  from public.students stu
  left join public.schools sc on sc.id = stu.school_id
 where stu.deleted_at is null
 order by stu.last_name, stu.first_name, stu.id`,
  explicit: `
${withSets(therapistSets('$1'))}
select stu.id, stu.first_name, stu.last_name, stu.grade_level, sc.name as school
  from public.students stu
  left join public.schools sc on sc.id = stu.school_id
 where stu.deleted_at is null
   and stu.id in (select student_id from caseload)
 order by stu.last_name, stu.first_name, stu.id`,
  async cases(sql, _context, max) {
    const rows = await sql.unsafe<{ user_id: string }[]>(spread(plainTherapists), [max]);
    return rows.map((r) => ({ userId: r.user_id, label: `therapist ${r.user_id}`, rlsParams: [], explicitParams: [r.user_id] }));
  },
};

// ------------------------------------------------------------------ 3. a guardian's child's sessions
export const guardianChildSessions: HotPath = {
  name: 'guardian_child_sessions',
  title: "A guardian's child's sessions (with therapist names)",
  persona: 'guardian',
  rls: `
select s.id, s.start_time, s.end_time, s.status, s.delivery_mode, p.attendance, st.name as session_type,
       pr.display_name as therapist
  from public.session_participants p
  join public.therapy_sessions s on s.id = p.session_id
  join public.session_types st on st.id = s.session_type_id
  left join public.profiles pr on pr.id = s.therapist_id
 where p.student_id = $1 and s.deleted_at is null
 order by s.start_time desc, s.id`,
  explicit: `
${withSets({ ...guardianSets('$2'), conversations: guardianConversationsOf('$2', 'memberships', 'children') })}
select s.id, s.start_time, s.end_time, s.status, s.delivery_mode, p.attendance, st.name as session_type,
       pr.display_name as therapist
  from public.session_participants p
  join public.therapy_sessions s on s.id = p.session_id
  join public.session_types st on st.id = s.session_type_id
  -- the therapist's name: while on the care team of one of the guardian's children, or sharing a conversation
  left join public.profiles pr on pr.id = s.therapist_id
   and (exists (select 1
                  from public.caseload_assignments c
                 where c.therapist_id = pr.id and pr.deactivated_at is null
                   and current_date between c.starts_on and coalesce(c.ends_on, 'infinity'::date)
                   and c.student_id in (select student_id from children)
                   and exists (select 1 from public.organization_members e
                                where e.organization_id = c.organization_id and e.user_id = c.therapist_id
                                  and e.role = 'therapist' and e.status = 'active'))
        or exists (select 1 from public.conversation_participants o
                    where o.user_id = pr.id and o.conversation_id in (select conversation_id from conversations)))
 where p.student_id = $1 and s.deleted_at is null
   and p.student_id in (select student_id from children)
   and ${schoolNotDeleted('s')}
 order by s.start_time desc, s.id`,
  async cases(sql, _context, max) {
    const rows = await sql.unsafe<{ user_id: string; student_id: string }[]>(
      spread(`
  select distinct on (g.user_id) g.user_id, sg.student_id, g.organization_id, md5(g.user_id::text) as rank
    from public.guardians g
    join public.student_guardians sg on sg.guardian_id = g.id and sg.portal_access
    join public.students stu on stu.id = sg.student_id and stu.deleted_at is null and stu.status = 'active'
    join public.organization_members m on m.user_id = g.user_id and m.organization_id = g.organization_id
     and m.role = 'guardian' and m.status = 'active'
   where g.user_id is not null and g.deleted_at is null
     and exists (select 1 from public.session_participants p where p.student_id = sg.student_id)
   order by g.user_id, sg.student_id`),
      [max],
    );
    return rows.map((r) => ({ userId: r.user_id, label: `guardian ${r.user_id}`, rlsParams: [r.student_id], explicitParams: [r.student_id, r.user_id] }));
  },
};

// ------------------------------------------------------------------ 4. goals with their latest data point
export const studentGoalsLatestObservation: HotPath = {
  name: 'student_goals_latest_observation',
  title: "A student's goals with their latest observation (therapist)",
  persona: 'therapist',
  rls: `
select g.id, g.discipline, g.domain, g.goal_text, g.status, g.target_value,
       o.recorded_at, o.trials_correct, o.trials_total, o.prompt_level
  from public.goals g
  left join lateral (
    select o.recorded_at, o.trials_correct, o.trials_total, o.prompt_level
      from public.goal_observations o
     where o.goal_id = g.id and o.student_id = g.student_id
     order by o.recorded_at desc
     limit 1) o on true
 where g.student_id = $1
 order by g.created_at, g.id`,
  explicit: `
${withSets(therapistSets('$2'))}
select g.id, g.discipline, g.domain, g.goal_text, g.status, g.target_value,
       o.recorded_at, o.trials_correct, o.trials_total, o.prompt_level
  from public.goals g
  left join lateral (
    select o.recorded_at, o.trials_correct, o.trials_total, o.prompt_level
      from public.goal_observations o
     where o.goal_id = g.id and o.student_id = g.student_id
       -- not of a soft-deleted session, nor of one at a soft-deleted school
       and not exists (select 1 from public.therapy_sessions ts left join public.schools ds on ds.id = ts.school_id
                        where ts.id = o.session_id and (ts.deleted_at is not null or ds.deleted_at is not null))
     order by o.recorded_at desc
     limit 1) o on true
 where g.student_id = $1
   and g.student_id in (select student_id from caseload)
 order by g.created_at, g.id`,
  async cases(sql, _context, max) {
    const rows = await sql.unsafe<{ user_id: string; student_id: string }[]>(
      spread(`
  select t.user_id, t.organization_id, t.rank,
         (select c.student_id from public.caseload_assignments c
           where c.therapist_id = t.user_id and c.ends_on is null
             and exists (select 1 from public.goal_observations o where o.student_id = c.student_id)
           order by md5(c.student_id::text) limit 1) as student_id
    from (${plainTherapists}) t`),
      [max],
    );
    return rows
      .filter((r) => r.student_id)
      .map((r) => ({ userId: r.user_id, label: `therapist ${r.user_id}`, rlsParams: [r.student_id], explicitParams: [r.student_id, r.user_id] }));
  },
};

// ------------------------------------------------------------------ 5. the last 50 messages of a conversation
export const conversationLastMessages: HotPath = {
  name: 'conversation_last_messages',
  title: "A conversation's last 50 messages, with sender names (guardian)",
  persona: 'guardian',
  rls: `
select m.id, m.sender_id, pr.display_name as sender, m.body, m.created_at, m.edited_at
  from public.messages m
  left join public.profiles pr on pr.id = m.sender_id
 where m.conversation_id = $1 and m.deleted_at is null
 order by m.created_at desc, m.id desc
 limit 50`,
  explicit: `
${withSets(guardianSets('$2'))}
select m.id, m.sender_id, pr.display_name as sender, m.body, m.created_at, m.edited_at
  from public.messages m
  left join public.profiles pr on pr.id = m.sender_id
 where m.conversation_id = $1 and m.deleted_at is null
   and exists (select 1
                 from (${indentSql(guardianConversationsOf('$2', 'memberships', 'children', '$1'), 23)}) x
                -- a student reads messages only with an active messaging consent in that organisation
                where not exists (select 1 from public.students own
                                   where own.user_id = $2 and own.organization_id = x.organization_id
                                     and not exists (select 1 from public.consents cn
                                                      where cn.student_id = own.id and cn.consent_type = 'messaging'
                                                        and cn.granted_at <= now() and (cn.expires_at is null or cn.expires_at > now())
                                                        and (cn.revoked_at is null or cn.revoked_at > now()))))
 order by m.created_at desc, m.id desc
 limit 50`,
  async cases(sql, _context, max) {
    const rows = await sql.unsafe<{ user_id: string; conversation_id: string }[]>(
      spread(`
  select distinct on (c.id) cp.user_id, c.id as conversation_id, c.organization_id, md5(c.id::text) as rank
    from public.conversations c
    join public.conversation_participants cp on cp.conversation_id = c.id and cp.left_at is null
    join public.guardians g on g.user_id = cp.user_id and g.organization_id = c.organization_id
   where c.kind = 'student_team'
     and (select count(*) from public.messages m where m.conversation_id = c.id) >= 60
   order by c.id, cp.user_id`),
      [max],
    );
    return rows.map((r) => ({ userId: r.user_id, label: `guardian ${r.user_id}`, rlsParams: [r.conversation_id], explicitParams: [r.conversation_id, r.user_id] }));
  },
};

// ------------------------------------------------------------------ 6. the monthly billing rollup
export const orgAdminMonthlyBilling: HotPath = {
  name: 'org_admin_monthly_billing',
  title: "An org admin's monthly billing rollup (by code, payer, status)",
  persona: 'org_admin',
  rls: `
select bc.code, sc.payer, sc.status, count(*)::int as charges, sum(sc.units)::int as units,
       sum(sc.billable_minutes)::int as minutes, sum(sc.amount_billed) as billed, sum(sc.amount_paid) as paid
  from public.service_charges sc
  join public.billing_codes bc on bc.id = sc.billing_code_id
 where sc.organization_id = $1 and sc.service_date >= $2 and sc.service_date < $3
 group by bc.code, sc.payer, sc.status
 order by bc.code, sc.payer, sc.status`,
  explicit: `
select bc.code, sc.payer, sc.status, count(*)::int as charges, sum(sc.units)::int as units,
       sum(sc.billable_minutes)::int as minutes, sum(sc.amount_billed) as billed, sum(sc.amount_paid) as paid
  from public.service_charges sc
  join public.billing_codes bc on bc.id = sc.billing_code_id
 where sc.organization_id = $1 and sc.service_date >= $2 and sc.service_date < $3
   and sc.organization_id in (select x.organization_id
                                from (${indentSql(countingMemberships('$4', ['org_admin']), 38)}) x)
 group by bc.code, sc.payer, sc.status
 order by bc.code, sc.payer, sc.status`,
  async cases(sql, { anchor }, max) {
    const rows = await sql.unsafe<{ user_id: string; organization_id: string }[]>(
      spread(`
  select m.user_id, m.organization_id, md5(m.user_id::text) as rank
    from public.organization_members m
   where m.role = 'org_admin' and m.status = 'active'`),
      [max],
    );
    // The last full calendar month before the anchor's month.
    const monthStart = new Date(Date.UTC(anchor.getUTCFullYear(), anchor.getUTCMonth() - 1, 1));
    const nextMonth = new Date(Date.UTC(anchor.getUTCFullYear(), anchor.getUTCMonth(), 1));
    const from = monthStart.toISOString().slice(0, 10);
    const to = nextMonth.toISOString().slice(0, 10);
    return rows.map((r) => ({
      userId: r.user_id,
      label: `org admin ${r.user_id}`,
      rlsParams: [r.organization_id, from, to],
      explicitParams: [r.organization_id, from, to, r.user_id],
    }));
  },
};

export const hotPaths: readonly HotPath[] = [
  therapistWeekCalendar,
  therapistCaseload,
  guardianChildSessions,
  studentGoalsLatestObservation,
  conversationLastMessages,
  orgAdminMonthlyBilling,
];
