import { createHash } from 'node:crypto';
import { defineFunction, defineTrigger, statement, type DbFunction, type DdlObject } from '../ddl';
import {
  caseloadAssignments,
  conversationParticipants,
  conversations,
  guardians,
  organizationMembers,
  organizations,
  profiles,
  schools,
  studentGuardians,
  students,
  supervisionAssignments,
  therapySessions,
} from '../schema';
import { indentSql } from '../sql';

/**
 * The access sets: what the RLS helpers would compute for a user, kept in private tables so that a
 * helper reads a few index entries instead of running its queries at every statement.
 *
 * A helper's evaluation was most of what RLS cost per statement (docs/benchmarks.md, issue #18):
 * each policy's `(select app.x())` runs once per statement and table, and every run read the
 * memberships, the caseloads and the soft deletions again. The sets change only when those rows
 * change, so triggers on every table they are computed from recompute the sets of exactly the users
 * (and organisations) a change can touch, in the writing transaction: the next statement of any
 * session sees them. Nothing is cached on the read path; a read never writes.
 *
 * - `app.access_memberships`: the counting memberships (status `active`, account not deactivated,
 *   organisation not soft-deleted unless org admin), one row per membership.
 * - `app.access_students`: the students a user has through a role, with the dates during which
 *   they have them (a caseload assignment's days, intersected with a supervision's), so the date
 *   of the statement is applied when the set is read, exactly as the live rule applies it.
 * - `app.access_conversations`: the conversations each user takes part in and may see.
 * - `app.access_soft_deleted`: per organisation, the soft-deleted schools, students and sessions
 *   (what hangs off a soft-deleted school is added when the set is read).
 *
 * Concurrency, per organisation: a user's sets in organisation A are computed from A's rows and from
 * the accounts (`profiles`) of the user and of A's supervisees, nothing else. So a recomputation
 * takes the lock rows (`app.access_locks`) of the organisations its change is in, and rewrites only
 * those organisations' rows of the sets; a change of an account first takes the account's own lock
 * row, which a change of its memberships takes too, and then the lock rows of its organisations.
 * Under READ COMMITTED that serialises exactly the maintainers whose rows overlap, each later
 * statement reads with a fresh snapshot, and the last maintainer sees every earlier change; one
 * organisation's long transaction never holds up another's writes. Under REPEATABLE READ or
 * SERIALIZABLE a maintainer whose snapshot misses a concurrent maintainer's commit fails with 40001
 * (retry) instead of writing sets from a stale snapshot. Locks are taken accounts first, then
 * organisations, each in key order; only a transaction writing several organisations in separate
 * statements can meet another in a deadlock (40P01, retry).
 *
 * The triggers fire in every `session_replication_role` (`enable always`): rows written by
 * privileged code with the ordinary triggers off (`replica`) are maintained too. Only triggers
 * disabled outright (`alter table … disable trigger all`, as `pg_restore --disable-triggers` does)
 * leave the sets stale: `select app.refresh_access_sets()` recomputes all of them, and
 * `select * from app.access_sets_drift()` shows any difference (docs/security.md).
 */

/** The memberships that count, of the rows `filter` selects (an SQL condition on `m`: its user, its organisation). */
export const countingMemberships = (filter: string) => `
select m.user_id, m.organization_id, m.role, m.school_id
  from public.organization_members m
 where ${filter} and m.status = 'active'
   and (m.role = 'org_admin'
        or not exists (select 1 from public.organizations o where o.id = m.organization_id and o.deleted_at is not null))
   and exists (select 1 from public.profiles a where a.id = m.user_id and a.deactivated_at is null)`;

/**
 * A live student row `st`: not soft-deleted, and not at a soft-deleted school (soft-deleting a
 * student or a school hides what hangs off it from everyone but org admins).
 */
export const liveStudent = (st: string) =>
  `${st}.deleted_at is null
   and (${st}.school_id is null or not exists (select 1 from public.schools sc where sc.id = ${st}.school_id and sc.deleted_at is not null))`;

/** `user` is an active therapist member of `organization` (a supervisee), of an account that is not deactivated. */
export const activeTherapist = (organization: string, user: string) =>
  `exists (select 1 from public.organization_members e
             where e.organization_id = ${organization} and e.user_id = ${user} and e.role = 'therapist' and e.status = 'active')
   and exists (select 1 from public.profiles ep where ep.id = ${user} and ep.deactivated_at is null)`;

/** How a user has a student: `app.access_students.via`. */
export const STUDENT_VIA = ['caseload', 'supervision', 'guardian', 'own'] as const;

/**
 * The students of the users and organisations `filter` selects (an SQL condition on the user and the
 * organisation columns it is given), as
 * `(user_id, organization_id, student_id, via, during)`, reading the users' counting memberships
 * from `app.access_memberships` (recomputed first). Only live students, and only in an organisation
 * where the user counts in the role:
 * - `caseload`: the therapist's own assignments, during the assignment's days;
 * - `supervision`: the assignments of an active therapist they supervise in the same organisation,
 *   during the days both the supervision and the assignment cover;
 * - `guardian`: children whose link gives portal access, of a guardian record not soft-deleted;
 * - `own`: the student's own record.
 */
export const studentAccess = (filter: (user: string, organization: string) => string) => `
select c.therapist_id as user_id, c.organization_id, c.student_id, 'caseload' as via,
       pg_catalog.daterange(c.starts_on, c.ends_on, '[]') as during
  from public.caseload_assignments c
  join app.access_memberships m on m.user_id = c.therapist_id and m.organization_id = c.organization_id and m.role = 'therapist'
  join public.students st on st.id = c.student_id
 where ${filter('c.therapist_id', 'c.organization_id')}
   and ${indentSql(liveStudent('st'), 3)}
union all
select s.supervisor_id, s.organization_id, c.student_id, 'supervision',
       s.active_during * pg_catalog.daterange(c.starts_on, c.ends_on, '[]')
  from public.supervision_assignments s
  join app.access_memberships m on m.user_id = s.supervisor_id and m.organization_id = s.organization_id and m.role = 'therapist'
  join public.caseload_assignments c on c.therapist_id = s.supervisee_id and c.organization_id = s.organization_id
  join public.students st on st.id = c.student_id
 where ${filter('s.supervisor_id', 's.organization_id')}
   and not pg_catalog.isempty(s.active_during * pg_catalog.daterange(c.starts_on, c.ends_on, '[]'))
   and ${indentSql(activeTherapist('s.organization_id', 's.supervisee_id'), 3)}
   and ${indentSql(liveStudent('st'), 3)}
union all
select g.user_id, g.organization_id, sg.student_id, 'guardian', '(,)'::daterange
  from public.guardians g
  join app.access_memberships m on m.user_id = g.user_id and m.organization_id = g.organization_id and m.role = 'guardian'
  join public.student_guardians sg on sg.guardian_id = g.id and sg.portal_access
  join public.students st on st.id = sg.student_id
 where ${filter('g.user_id', 'g.organization_id')} and g.deleted_at is null
   and ${indentSql(liveStudent('st'), 3)}
union all
select st.user_id, st.organization_id, st.id, 'own', '(,)'::daterange
  from public.students st
  join app.access_memberships m on m.user_id = st.user_id and m.organization_id = st.organization_id and m.role = 'student'
 where ${filter('st.user_id', 'st.organization_id')}
   and ${indentSql(liveStudent('st'), 3)}`;

/**
 * `uid` (an SQL expression) is a guardian of the conversation's student whom the organisation has
 * cut off: the link withholds portal access (a court order) or the guardian record is soft-deleted.
 * They lose the child's conversations whatever other role they hold (a parent who is also school
 * staff).
 */
const barredGuardian = (uid: string) =>
  `exists (select 1 from public.guardians bg join public.student_guardians bsg on bsg.guardian_id = bg.id
            where bg.user_id = ${uid} and bg.organization_id = cp.organization_id and bsg.student_id = c.student_id
              and (not bsg.portal_access or bg.deleted_at is not null))`;

/**
 * The conversations of the participations `filter` selects (an SQL condition on `cp`: its user, its
 * organisation), as
 * `(user_id, organization_id, conversation_id)`, reading their counting memberships from
 * `app.access_memberships`: taken part in and not left, in an organisation where they count as a
 * member, and — when the conversation is about a student — either as staff while the student is
 * live, or as a guardian of that student with portal access, or as that student; never as a guardian
 * of that student who is cut off (`barredGuardian`), whatever their role. An org admin keeps the
 * conversations of soft-deleted students.
 */
export const conversationAccess = (filter: string) => `
select cp.user_id, cp.organization_id, cp.conversation_id
  from public.conversation_participants cp
  join public.conversations c on c.id = cp.conversation_id
  join app.access_memberships m on m.user_id = cp.user_id and m.organization_id = cp.organization_id
 where ${filter} and cp.left_at is null
   and (c.student_id is null
        or not ${barredGuardian('cp.user_id')} and (m.role = 'org_admin'
        or (exists (select 1 from public.students st where st.id = c.student_id and ${liveStudent('st').replace(/\n\s*/g, ' ')})
            and (m.role in ('therapist', 'school_staff', 'billing')
                 or (m.role = 'guardian'
                     and exists (select 1 from public.guardians g
                                   join public.student_guardians sg on sg.guardian_id = g.id and sg.portal_access
                                  where g.user_id = cp.user_id and g.organization_id = m.organization_id and g.deleted_at is null
                                    and sg.student_id = c.student_id))
                 or (m.role = 'student'
                     and exists (select 1 from public.students own where own.id = c.student_id and own.user_id = cp.user_id))))))`;

/**
 * The soft-deleted rows of the organisations `orgFilter` selects (an SQL condition on the column it
 * is given), as `(organization_id, id)`: schools, students and sessions, each by its own
 * `deleted_at`. What hangs off a soft-deleted school (its live students and sessions) is added when
 * the set is read (`app.soft_deleted_ids()`): so whether a row belongs here depends on that row
 * alone, and the sessions' trigger recomputes nothing for a session written live (the busiest write).
 */
export const softDeletedAccess = (orgFilter: (column: string) => string) => `
select sc.organization_id, sc.id from public.schools sc
 where ${orgFilter('sc.organization_id')} and sc.deleted_at is not null
union all
select st.organization_id, st.id from public.students st
 where ${orgFilter('st.organization_id')} and st.deleted_at is not null
union all
select ts.organization_id, ts.id from public.therapy_sessions ts
 where ${orgFilter('ts.organization_id')} and ts.deleted_at is not null`;

/**
 * Each set and the rule that computes all of it: the full recomputation and the drift check run
 * these, and a test proves from PostgreSQL's dependency catalogue that every column they read is a
 * column whose change recomputes the sets (`accessSetSources`).
 */
export const accessSetRules = Object.freeze({
  access_memberships: countingMemberships('true'),
  access_students: studentAccess(() => 'true'),
  access_conversations: conversationAccess('true'),
  access_soft_deleted: softDeletedAccess(() => 'true'),
});

/**
 * A private table: row level security on with no policy, no client privilege (only the owner,
 * through the functions below, reads or writes it). Every statement that creates it is idempotent,
 * so a changed comment, index or grant is applied in place (`replace`), never by dropping the sets.
 * `create table if not exists` does not change columns: a change of columns is a new table.
 */
const privateTable = (name: string, columns: string, indexes: readonly string[], comment: string): DdlObject =>
  statement({
    key: `table app.${name}`,
    phase: 'pre',
    create: [
      `create table if not exists app.${name} (\n  ${indentSql(columns, 2)}\n)`,
      ...indexes,
      `alter table app.${name} enable row level security`,
      `revoke all on table app.${name} from public, anon, authenticated, service_role`,
      `comment on table app.${name} is $comment$${comment}$comment$`,
    ],
    drop: [`drop table if exists app.${name}`],
    onChange: 'replace',
  });

export const accessLocksTable = privateTable(
  'access_locks',
  `key uuid primary key,
epoch bigint not null default 0`,
  [],
  "One row per organisation (and per account) whose access sets have been recomputed, keyed by its id: a recomputation updates the rows of the organisations (and accounts) its change is in before it reads anything, which serialises the recomputations that overlap and, under REPEATABLE READ, turns a stale snapshot into a serialization failure. app.lock_access() writes them.",
);

export const accessMembershipsTable = privateTable(
  'access_memberships',
  `user_id uuid not null,
organization_id uuid not null,
role text not null,
school_id uuid,
constraint access_memberships_pkey primary key (user_id, organization_id, role)`,
  ['create index if not exists access_memberships_organization_id_idx on app.access_memberships (organization_id)'],
  "The memberships that count (status active, account not deactivated, organisation not soft-deleted unless org admin): app.org_ids() and every helper read the user's here. Kept by the access-set triggers.",
);

export const accessStudentsTable = privateTable(
  'access_students',
  `user_id uuid not null,
organization_id uuid not null,
student_id uuid not null,
via text not null constraint access_students_via_check check (via in (${STUDENT_VIA.map((v) => `'${v}'`).join(', ')})),
during daterange not null,
constraint access_students_pkey primary key (user_id, via, student_id, during)`,
  ['create index if not exists access_students_student_id_idx on app.access_students (student_id)'],
  'The live students each user has through a role (caseload, supervision, guardian, own record), with the days during which they have them: app.related_student_ids() and the other student helpers read the current ones. Kept by the access-set triggers.',
);

export const accessConversationsTable = privateTable(
  'access_conversations',
  `user_id uuid not null,
organization_id uuid not null,
conversation_id uuid not null,
constraint access_conversations_pkey primary key (user_id, conversation_id, organization_id)`,
  [],
  "The conversations each user takes part in and may see (not left, counting member, the student's rules): app.conversation_ids(), app.message_conversation_ids() and app.conversation_peer_ids() read the user's here. Kept by the access-set triggers.",
);

export const accessSoftDeletedTable = privateTable(
  'access_soft_deleted',
  `organization_id uuid not null,
id uuid not null,
constraint access_soft_deleted_pkey primary key (organization_id, id)`,
  [],
  "Per organisation, the soft-deleted schools, students and sessions: app.soft_deleted_ids() reads the user's organisations' here and adds the live students and sessions of a soft-deleted school. Kept by the access-set triggers.",
);

const privateFunction = (
  name: string,
  args: { name: string; type: string; default?: string }[],
  returns: string,
  body: string,
  comment: string,
  volatility: 'volatile' | 'stable' = 'volatile',
  settings: Readonly<Record<string, string>> = {},
): DbFunction =>
  defineFunction({
    settings,
    schema: 'app',
    name,
    args,
    returns,
    language: 'plpgsql',
    volatility,
    security: 'definer',
    searchPath: '',
    phase: 'pre',
    body,
    comment,
  });

/**
 * Brings the rows of `app.<table>` that `scope` selects (a condition on `cur`) to exactly the rows of
 * `fresh`: deletes those it lacks, then inserts those it adds. A row that stays is not rewritten, so
 * a recomputation that changes nothing leaves no dead tuple behind for the readers' index scans.
 * `nullable` columns are compared with `is not distinct from`.
 */
const syncRows = (table: string, columns: readonly string[], nullable: readonly string[], fresh: string, scope: string) => {
  const same = (x: string, y: string) =>
    columns.map((c) => (nullable.includes(c) ? `${x}.${c} is not distinct from ${y}.${c}` : `${x}.${c} = ${y}.${c}`)).join(' and ');
  return `delete from app.${table} cur
 where ${scope}
   and not exists (select 1 from (${indentSql(fresh, 4)}) f
                    where ${same('f', 'cur')});
insert into app.${table} (${columns.join(', ')})
select ${columns.map((c) => `f.${c}`).join(', ')}
  from (${indentSql(fresh, 2)}) f
 where not exists (select 1 from app.${table} cur where ${same('cur', 'f')})
on conflict do nothing;`;
};

/** The columns of each set, as the recomputations write them. */
const MEMBERSHIP_COLUMNS = ['user_id', 'organization_id', 'role', 'school_id'];
const STUDENT_COLUMNS = ['user_id', 'organization_id', 'student_id', 'via', 'during'];
const CONVERSATION_COLUMNS = ['user_id', 'organization_id', 'conversation_id'];
const SOFT_DELETED_COLUMNS = ['organization_id', 'id'];

/**
 * Takes the lock rows of `p_keys` (organisations, or accounts), in key order, creating the missing
 * ones: see "Concurrency" above. Held until the transaction ends.
 */
export const lockAccess = privateFunction(
  'lock_access',
  [{ name: 'p_keys', type: 'uuid[]' }],
  'void',
  `
begin
  insert into app.access_locks as l (key)
  select k.key from (select distinct u as key from pg_catalog.unnest(p_keys) u where u is not null) k
   order by k.key
  on conflict (key) do update set epoch = l.epoch + 1;
end`,
  'Takes the access-set lock rows of p_keys (organisations or accounts) in key order, until the transaction ends. Called by the access-set triggers; not executable by API roles.',
);

/**
 * Recomputes the access sets of the users `p_users` in the organisations `p_orgs` (their rows in
 * other organisations are left alone), and the soft-deletion sets of `p_soft_deleted_orgs`. The
 * caller holds the lock rows of `p_orgs` (`app.lock_access`). Owner only: the triggers call it, and
 * `app.refresh_access_sets()`.
 */
export const refreshAccess = privateFunction(
  'refresh_access',
  [
    { name: 'p_users', type: 'uuid[]' },
    { name: 'p_orgs', type: 'uuid[]' },
    { name: 'p_soft_deleted_orgs', type: 'uuid[]' },
  ],
  'void',
  `
begin
  if pg_catalog.cardinality(p_users) > 0 and pg_catalog.cardinality(p_orgs) > 0 then
    -- Memberships first: the other sets read the users' memberships from the table.
    ${indentSql(syncRows('access_memberships', MEMBERSHIP_COLUMNS, ['school_id'], countingMemberships('m.user_id = any (p_users) and m.organization_id = any (p_orgs)'), 'cur.user_id = any (p_users) and cur.organization_id = any (p_orgs)'), 4)}
    ${indentSql(syncRows('access_students', STUDENT_COLUMNS, [], studentAccess((user, org) => `${user} = any (p_users) and ${org} = any (p_orgs)`), 'cur.user_id = any (p_users) and cur.organization_id = any (p_orgs)'), 4)}
    ${indentSql(syncRows('access_conversations', CONVERSATION_COLUMNS, [], conversationAccess('cp.user_id = any (p_users) and cp.organization_id = any (p_orgs)'), 'cur.user_id = any (p_users) and cur.organization_id = any (p_orgs)'), 4)}
  end if;
  if pg_catalog.cardinality(p_soft_deleted_orgs) > 0 then
    ${indentSql(syncRows('access_soft_deleted', SOFT_DELETED_COLUMNS, [], softDeletedAccess((column) => `${column} = any (p_soft_deleted_orgs)`), 'cur.organization_id = any (p_soft_deleted_orgs)'), 4)}
  end if;
end`,
  'Recomputes the access sets of the users p_users in the organisations p_orgs, and the soft-deletion sets of the organisations p_soft_deleted_orgs; the caller holds the organisations\' lock rows (app.lock_access). Called by the access-set triggers; not executable by API roles.',
  'volatile',
  // The statements take arrays of ids: a custom plan at every call cost 6-8 ms of planning per
  // write at scale 10, the generic one (index lookups per id) 1-2 ms (docs/benchmarks.md).
  { plan_cache_mode: 'force_generic_plan' },
);

/**
 * Recomputes every access set: after a restore with triggers disabled (`app.access_sets_drift()`
 * shows what differs), and as the backfill. It waits for every recomputation in progress and holds
 * off new ones (the table lock), and under REPEATABLE READ fails with 40001 if one committed after
 * its snapshot (every lock row updated). Set-based, with no list of ids: `app.refresh_access`'s
 * generic plans expect a few ids, and given every user they compared each stored row with every
 * fresh one (a rerun of the backfill at scale 10 had not finished after 11 minutes, when it was cancelled).
 */
export const refreshAccessSets = privateFunction(
  'refresh_access_sets',
  [],
  'void',
  `
begin
  lock table app.access_locks in exclusive mode;
  update app.access_locks set epoch = epoch + 1;
  ${indentSql(syncRows('access_memberships', MEMBERSHIP_COLUMNS, ['school_id'], accessSetRules.access_memberships, 'true'), 2)}
  ${indentSql(syncRows('access_students', STUDENT_COLUMNS, [], accessSetRules.access_students, 'true'), 2)}
  ${indentSql(syncRows('access_conversations', CONVERSATION_COLUMNS, [], accessSetRules.access_conversations, 'true'), 2)}
  ${indentSql(syncRows('access_soft_deleted', SOFT_DELETED_COLUMNS, [], accessSetRules.access_soft_deleted, 'true'), 2)}
end`,
  'Recomputes every access set (every profile, every organisation): after a restore that ran with triggers disabled. Not executable by API roles.',
);

/**
 * The differences between the stored access sets and the sets computed now, one row per missing
 * (`missing`) or extra (`extra`) row: empty when the triggers kept them exact. Tests run it after
 * every change they make.
 */
export const accessSetsDrift = privateFunction(
  'access_sets_drift',
  [],
  'table (set_name text, difference text, entry text)',
  `
begin
  return query
  with fresh_memberships as (
    ${indentSql(accessSetRules.access_memberships, 4)}
  ), fresh_students as (
    ${indentSql(accessSetRules.access_students.replaceAll('app.access_memberships', 'fresh_memberships'), 4)}
  ), fresh_conversations as (
    ${indentSql(accessSetRules.access_conversations.replaceAll('app.access_memberships', 'fresh_memberships'), 4)}
  ), fresh_soft_deleted as (
    ${indentSql(accessSetRules.access_soft_deleted, 4)}
  )
  select 'access_memberships', 'missing', x::text from (select * from fresh_memberships except select * from app.access_memberships) x
  union all
  select 'access_memberships', 'extra', x::text from (select * from app.access_memberships except select * from fresh_memberships) x
  union all
  select 'access_students', 'missing', x::text from (select * from fresh_students except select * from app.access_students) x
  union all
  select 'access_students', 'extra', x::text from (select * from app.access_students except select * from fresh_students) x
  union all
  select 'access_conversations', 'missing', x::text from (select * from fresh_conversations except select * from app.access_conversations) x
  union all
  select 'access_conversations', 'extra', x::text from (select * from app.access_conversations except select * from fresh_conversations) x
  union all
  select 'access_soft_deleted', 'missing', x::text from (select * from fresh_soft_deleted except select * from app.access_soft_deleted) x
  union all
  select 'access_soft_deleted', 'extra', x::text from (select * from app.access_soft_deleted except select * from fresh_soft_deleted) x;
end`,
  'Rows of the access sets that differ from a fresh computation (missing or extra): empty when they are exact. Not executable by API roles.',
  'stable',
);

/**
 * A table whose rows the access sets are computed from: which of its columns matter (`columns`,
 * the key first), and, given `r` (the rows whose projection on those columns changed, before or
 * after the statement), the organisations the change is in (`scope`, whose lock rows are taken and
 * whose rows of the sets are recomputed), which users' sets to recompute there (`users`), and which
 * organisations' soft-deletion sets (`softDeleted`). All are supersets: recomputing an unaffected
 * user or organisation changes nothing.
 */
interface AccessSource {
  readonly name: string;
  readonly table: Parameters<typeof defineTrigger>[0]['table'];
  readonly columns: readonly string[];
  /** The organisations of the change; `select r.organization_id from r` unless given. */
  readonly scope?: string;
  /**
   * The accounts whose lock rows are taken before `scope` is read: a change of an account reads its
   * organisations from the memberships, so it and a change of those memberships must serialise.
   */
  readonly accounts?: string;
  readonly users?: string;
  readonly softDeleted?: string;
  /**
   * Which changed rows matter at all, as a condition on `r` that reads nothing but the row: a
   * statement none of whose rows match takes no lock and recomputes nothing.
   */
  readonly relevant?: string;
}

/** The supervisors of the users the query selects (a supervisee's membership, account or caseload is part of their supervisor's set). */
const supervisorsOf = (userQuery: string) => `select s.supervisor_id from public.supervision_assignments s where s.supervisee_id in (${userQuery})`;

/** The users `column` of `r` names, and their supervisors. */
const andTheirSupervisors = (column: string) => `select ${column} from r union ${supervisorsOf(`select ${column} from r`)}`;

/** Everyone whose student or conversation set may hold or gain the students the query selects. */
const usersOfStudents = (studentQuery: string) => `
select cp.user_id from public.conversation_participants cp join public.conversations c on c.id = cp.conversation_id
 where c.student_id in (${studentQuery})
union
select st.user_id from public.students st where st.id in (${studentQuery}) and st.user_id is not null
union
select g.user_id from public.student_guardians sg join public.guardians g on g.id = sg.guardian_id
 where sg.student_id in (${studentQuery}) and g.user_id is not null
union
select c.therapist_id from public.caseload_assignments c where c.student_id in (${studentQuery})
union
${supervisorsOf(`select c.therapist_id from public.caseload_assignments c where c.student_id in (${studentQuery})`)}
union
select a.user_id from app.access_students a where a.student_id in (${studentQuery})`;

/** Organisations of `r` whose soft-deletion set may change: a row soft-deleted before or after. */
const ORGS_WITH_SOFT_DELETION = 'select r.organization_id from r where r.deleted_at is not null';

/** The organisations of the change when the table is keyed by organisation. */
const OWN_ORGANIZATION = 'select r.organization_id from r';

const SOURCES: readonly AccessSource[] = [
  {
    name: 'organization_members',
    table: organizationMembers,
    columns: ['id', 'user_id', 'organization_id', 'role', 'status', 'school_id'],
    accounts: 'select r.user_id from r',
    users: andTheirSupervisors('r.user_id'),
  },
  {
    name: 'profiles',
    table: profiles,
    columns: ['id', 'deactivated_at'],
    accounts: 'select r.id from r',
    // every organisation the account is a member of, in any status (a supervisee's supervisors are
    // in the supervisee's organisations)
    scope: 'select m.organization_id from public.organization_members m where m.user_id in (select r.id from r)',
    users: andTheirSupervisors('r.id'),
  },
  {
    name: 'organizations',
    table: organizations,
    columns: ['id', 'deleted_at'],
    scope: 'select r.id from r',
    users: 'select m.user_id from public.organization_members m where m.organization_id in (select r.id from r)',
  },
  {
    name: 'caseload_assignments',
    table: caseloadAssignments,
    columns: ['id', 'organization_id', 'student_id', 'therapist_id', 'starts_on', 'ends_on'],
    users: andTheirSupervisors('r.therapist_id'),
  },
  {
    name: 'supervision_assignments',
    table: supervisionAssignments,
    columns: ['id', 'organization_id', 'supervisor_id', 'supervisee_id', 'active_during'],
    users: 'select r.supervisor_id from r',
  },
  {
    name: 'students',
    table: students,
    columns: ['id', 'organization_id', 'school_id', 'user_id', 'deleted_at'],
    users: `select r.user_id from r where r.user_id is not null union ${usersOfStudents('select r.id from r')}`,
    softDeleted: ORGS_WITH_SOFT_DELETION,
  },
  {
    name: 'schools',
    table: schools,
    columns: ['id', 'organization_id', 'deleted_at'],
    users: usersOfStudents('select st.id from public.students st where st.school_id in (select r.id from r)'),
    softDeleted: ORGS_WITH_SOFT_DELETION,
    relevant: 'r.deleted_at is not null',
  },
  {
    name: 'guardians',
    table: guardians,
    columns: ['id', 'organization_id', 'user_id', 'deleted_at'],
    users: 'select r.user_id from r where r.user_id is not null',
  },
  {
    name: 'student_guardians',
    table: studentGuardians,
    columns: ['organization_id', 'student_id', 'guardian_id', 'portal_access'],
    users: 'select g.user_id from public.guardians g where g.id in (select r.guardian_id from r) and g.user_id is not null',
  },
  {
    name: 'conversation_participants',
    table: conversationParticipants,
    columns: ['organization_id', 'conversation_id', 'user_id', 'left_at'],
    users: 'select r.user_id from r',
  },
  {
    name: 'conversations',
    table: conversations,
    columns: ['id', 'organization_id', 'student_id'],
    users: 'select cp.user_id from public.conversation_participants cp where cp.conversation_id in (select r.id from r)',
  },
  {
    name: 'therapy_sessions',
    table: therapySessions,
    columns: ['id', 'organization_id', 'deleted_at'],
    softDeleted: ORGS_WITH_SOFT_DELETION,
    relevant: 'r.deleted_at is not null',
  },
];

/**
 * The tables the access sets are computed from, each with the columns whose change recomputes
 * them: a write that changes these columns without firing the triggers (a column type rewritten
 * `using` an expression, triggers disabled) leaves the sets stale until `app.refresh_access_sets()`.
 */
export const accessSetSources: readonly { readonly table: string; readonly columns: readonly string[] }[] = Object.freeze(
  SOURCES.map((source) => Object.freeze({ table: `public.${source.name}`, columns: Object.freeze([...source.columns]) })),
);

/** The rows of the statement whose projection on `columns` changed, for each trigger operation. */
const changedRows = (columns: readonly string[]) => {
  const projection = columns.map((c) => `t.${c}`).join(', ');
  return {
    INSERT: `select ${projection} from new_rows t`,
    DELETE: `select ${projection} from old_rows t`,
    UPDATE: `(select ${projection} from old_rows t except select ${projection} from new_rows t)
 union
 (select ${projection} from new_rows t except select ${projection} from old_rows t)`,
  };
};

/**
 * The maintenance trigger function of one source: the changed rows; then the lock rows of their
 * accounts (if any) and of their organisations; then, read after the locks, the affected users and
 * soft-deletion sets; then the recomputation of those users' rows in those organisations.
 */
const maintenanceFunction = (source: AccessSource): DbFunction => {
  const all = changedRows(source.columns);
  const changed = source.relevant
    ? (Object.fromEntries(Object.entries(all).map(([op, rows]) => [op, `select r.* from (${rows}) r where ${source.relevant}`])) as typeof all)
    : all;
  const none = 'select null::uuid where false';
  const recompute = (op: keyof typeof changed) => `
    if not exists (${indentSql(changed[op], 19)}) then
      return null;
    end if;${
      source.accounts
        ? `
    perform app.lock_access(array(with r as (${indentSql(changed[op], 15)}) ${source.accounts}));`
        : ''
    }
    v_orgs := array(with r as (${indentSql(changed[op], 15)}) ${indentSql(source.scope ?? OWN_ORGANIZATION, 4)});
    perform app.lock_access(v_orgs);
    with r as (${indentSql(changed[op], 15)})
    select array(${source.users ? indentSql(source.users, 17) : none}),
           array(${source.softDeleted ? indentSql(source.softDeleted, 17) : none})
      into v_users, v_soft_deleted;`;
  return defineFunction({
    schema: 'app',
    name: `maintain_access_from_${source.name}`,
    returns: 'trigger',
    language: 'plpgsql',
    security: 'definer',
    searchPath: '',
    body: `
declare
  v_orgs uuid[];
  v_users uuid[];
  v_soft_deleted uuid[];
begin
  -- Only a change of a column the sets are computed from; the lock rows are taken before the
  -- affected users are read, so they are read with a snapshot no earlier maintainer is missing from.
  if tg_op = 'INSERT' then${recompute('INSERT')}
  elsif tg_op = 'DELETE' then${recompute('DELETE')}
  else${recompute('UPDATE')}
  end if;
  perform app.refresh_access(
    array(select distinct u from pg_catalog.unnest(v_users) u where u is not null),
    array(select distinct o from pg_catalog.unnest(v_orgs) o where o is not null),
    array(select distinct o from pg_catalog.unnest(v_soft_deleted) o where o is not null));
  return null;
end`,
    comment: `Recomputes the access sets a change of ${source.name} can touch (src/policies/access-sets.ts).`,
  });
};

const maintenance = SOURCES.map((source) => {
  const fn = maintenanceFunction(source);
  const triggers = (['insert', 'update', 'delete'] as const).map((event) =>
    defineTrigger({
      name: `${source.name}_access_sets_${event}`,
      table: source.table,
      timing: 'after',
      events: [event],
      forEach: 'statement',
      function: fn,
      always: true,
      referencing: event === 'insert' ? { new: 'new_rows' } : event === 'delete' ? { old: 'old_rows' } : { old: 'old_rows', new: 'new_rows' },
    }),
  );
  return [fn, ...triggers];
});

/** After a `truncate` of a source table: every set again (a truncate has no transition rows). */
export const maintainAccessAfterTruncate = defineFunction({
  schema: 'app',
  name: 'maintain_access_after_truncate',
  returns: 'trigger',
  language: 'plpgsql',
  security: 'definer',
  searchPath: '',
  body: `
begin
  perform app.refresh_access_sets();
  return null;
end`,
  comment: 'Recomputes every access set after a truncate of a table they are computed from (src/policies/access-sets.ts).',
});

const truncateTriggers = SOURCES.map((source) =>
  defineTrigger({
    name: `${source.name}_access_sets_truncate`,
    table: source.table,
    timing: 'after',
    events: ['truncate'],
    forEach: 'statement',
    function: maintainAccessAfterTruncate,
    always: true,
  }),
);

/** Everything the stored sets are computed and kept by: the tables, the functions, the triggers. */
const definitions: readonly DdlObject[] = [
  accessLocksTable,
  accessMembershipsTable,
  accessStudentsTable,
  accessConversationsTable,
  accessSoftDeletedTable,
  lockAccess,
  refreshAccess,
  refreshAccessSets,
  accessSetsDrift,
  ...maintenance.flat(),
  maintainAccessAfterTruncate,
  ...truncateTriggers,
];

/**
 * The backfill: every set computed once. Its statement carries a digest of every definition above,
 * so a migration that changes a rule, a source or a table (a table is recreated empty) computes
 * every set again, after the change, in the same migration: a stored set never outlives the rule
 * it was computed by.
 */
export const accessSetsBackfill: DdlObject = statement({
  key: 'statement app.access_sets backfill',
  phase: 'post',
  create: [
    `select app.refresh_access_sets() /* the access-set definitions, sha256 ${createHash('sha256')
      .update(definitions.flatMap((o) => o.create).join('\n'))
      .digest('hex')} */`,
  ],
  drop: [],
});

/**
 * The access sets' objects: the tables and functions (`pre`), the maintenance triggers (`post`),
 * and the backfill that computes every set once. Migrated in three steps, so that no scan runs
 * under a lock that blocks writes and no helper reads a set before it is complete:
 * 1. the tables, functions and triggers (creating a trigger locks its table, briefly);
 * 2. the backfill, a migration of its own (the triggers already keep every set a concurrent write
 *    touches; the backfill takes the maintenance row like any recomputation);
 * 3. the helpers that read the sets (src/policies/helpers.ts).
 * A later change of a definition reruns the backfill in its own migration (see above).
 */
export const accessSetObjects: readonly DdlObject[] = [...definitions, accessSetsBackfill];
