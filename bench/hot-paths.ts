import type postgres from 'postgres';
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
 * The explicit form of "on the therapist's current caseload, or a supervisee's" for the therapist
 * whose id is the parameter `param` (`$1`): what `app.caseload_student_ids()` decides under RLS.
 */
function caseloadOf(param: string): string {
  return `     select c.student_id
       from public.caseload_assignments c
       join public.organization_members m on m.organization_id = c.organization_id and m.user_id = ${param}
        and m.role = 'therapist' and m.status = 'active'
      where current_date between c.starts_on and coalesce(c.ends_on, 'infinity'::date)
        and (c.therapist_id = ${param}
             or c.therapist_id in (select s.supervisee_id from public.supervision_assignments s
                                    where s.supervisor_id = ${param} and s.active_during @> current_date))`;
}

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
   and s.organization_id in (select m.organization_id from public.organization_members m
                              where m.user_id = $3 and m.role = 'therapist' and m.status = 'active')
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
select stu.id, stu.first_name, stu.last_name, stu.grade_level, sc.name as school
  from public.students stu
  left join public.schools sc on sc.id = stu.school_id
 where stu.deleted_at is null
   and stu.id in (
${caseloadOf('$1')})
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
select s.id, s.start_time, s.end_time, s.status, s.delivery_mode, p.attendance, st.name as session_type,
       pr.display_name as therapist
  from public.session_participants p
  join public.therapy_sessions s on s.id = p.session_id
  join public.session_types st on st.id = s.session_type_id
  left join public.profiles pr on pr.id = s.therapist_id
 where p.student_id = $1 and s.deleted_at is null
   and p.student_id in (
     select sg.student_id
       from public.guardians g
       join public.student_guardians sg on sg.guardian_id = g.id and sg.portal_access
       join public.organization_members m on m.organization_id = g.organization_id and m.user_id = g.user_id
        and m.role = 'guardian' and m.status = 'active'
      where g.user_id = $2 and g.deleted_at is null)
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
   and g.student_id in (
${caseloadOf('$2')})
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
select m.id, m.sender_id, pr.display_name as sender, m.body, m.created_at, m.edited_at
  from public.messages m
  left join public.profiles pr on pr.id = m.sender_id
 where m.conversation_id = $1 and m.deleted_at is null
   and exists (select 1 from public.conversation_participants cp
                where cp.conversation_id = $1 and cp.user_id = $2 and cp.left_at is null)
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
   and sc.organization_id in (select m.organization_id from public.organization_members m
                               where m.user_id = $4 and m.role in ('org_admin', 'billing') and m.status = 'active')
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
