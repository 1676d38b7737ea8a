import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { defineFunction, defineTrigger, defineTriggerFunction, quoteLiteral, type DbFunction, type DdlObject } from '../../ddl';
import { serviceCharges } from '../billing';
import { caseloadAssignments, consents, servicePlans } from '../caseload';
import { conversationParticipants, conversations, messages } from '../chat';
import type { MemberRole } from '../codes';
import { sessionNotes } from '../documentation';
import { documents } from '../files';
import { goalObservations, goals, progressReports } from '../goals';
import { webhookSubscriptions } from '../integrations';
import { guardians, students, supervisionAssignments } from '../people';
import { calendarBlackouts, sessionSeries, therapySessions } from '../scheduling';

/**
 * User references belong to the row's organisation. A column naming a user — the caseload's
 * therapist, a supervisor and supervisee, a note's author, the rendering provider, an uploader, a
 * creator — accepts only an active member of the row's organisation, with the role the reference
 * serves (a therapist who is suspended as therapist but active as guardian is not a therapist),
 * whose account is not deactivated. Checked on insert and whenever the column or the row's
 * organisation changes, for every writer (server code included): a foreign key to the global
 * `profiles` / `therapists` only proves the user exists somewhere.
 */

/** The role a user reference requires: one of the member roles, or `member` for any active role. */
export type RequiredRole = MemberRole | 'member';

/**
 * Whether `p_user_id` can be named as a member of `p_organization_id`: an active membership with
 * one of `p_roles` (any role when null), of an account that is not deactivated. The one statement
 * of it for the rules that name a user (`app.require_member`, the co-signer's supervision of
 * `session_notes`, the supervisors a co-sign webhook names).
 */
export const isMember: DbFunction = defineFunction({
  schema: 'app',
  name: 'is_member',
  args: [
    { name: 'p_organization_id', type: 'uuid' },
    { name: 'p_user_id', type: 'uuid' },
    { name: 'p_roles', type: 'text[]' },
  ],
  returns: 'boolean',
  language: 'sql',
  volatility: 'stable',
  security: 'definer',
  searchPath: '',
  body: `
select exists (
  select 1
    from public.organization_members m
    join public.profiles p on p.id = m.user_id
   where m.user_id = p_user_id
     and m.organization_id = p_organization_id
     and m.status = 'active'
     and (p_roles is null or m.role = any (p_roles))
     and p.deactivated_at is null
)`,
  comment: 'True when the user is an active, non-deactivated member of the organisation with one of the roles (any role when null): who a row may name.',
});

/**
 * Refuses (SQLSTATE 23503, the rule as the constraint) unless `p_user_id` is an active member of
 * `p_organization_id` with one of `p_roles` (any role when null) and not deactivated
 * (`app.is_member`). Security definer: the rule holds whatever the writer may read; the answer is
 * the same for a user of another organisation and for an id that exists nowhere, so it tells
 * nothing about other tenants.
 */
export const requireMember: DbFunction = defineFunction({
  schema: 'app',
  name: 'require_member',
  args: [
    { name: 'p_organization_id', type: 'uuid' },
    { name: 'p_user_id', type: 'uuid' },
    { name: 'p_roles', type: 'text[]' },
    { name: 'p_table', type: 'text' },
    { name: 'p_column', type: 'text' },
    { name: 'p_rule', type: 'text' },
  ],
  returns: 'void',
  language: 'plpgsql',
  volatility: 'stable',
  security: 'definer',
  searchPath: '',
  body: `
begin
  if p_user_id is null then
    return;
  end if;
  if not app.is_member(p_organization_id, p_user_id, p_roles) then
    raise exception '%.%: user % is not an active % of organisation % (%)',
      p_table, p_column, p_user_id, coalesce(pg_catalog.array_to_string(p_roles, ' or '), 'member'), p_organization_id, p_rule
      using errcode = 'foreign_key_violation', table = p_table, column = p_column, constraint = p_rule;
  end if;
end`,
  comment: 'Refuses a user reference unless the user is an active, non-deactivated member of the organisation with one of the roles (any role when null).',
});

/**
 * Whether the writer is an API client (`anon` / `authenticated`, subject to row level security)
 * that does not count as a member of the organisation. Such a write is refused by the tables'
 * tenant policies anyway, and the policies are checked after the BEFORE triggers: the validating
 * triggers step aside for it, so their answer (which user is whose therapist, whose billing code,
 * which plan exists) never reaches someone outside the organisation.
 *
 * "Counts as a member" is the tenant policy's own test, `app.org_ids()` (the counting memberships
 * of src/policies/access-sets.ts: active, of an account that is not deactivated, in an organisation
 * that is not soft-deleted except for its org admins), not a second copy of it: a suspended,
 * invited or left member, a deactivated account and a member of a soft-deleted organisation get
 * the refusal of row level security, never a trigger's answer. Executable by `authenticated` and
 * `service_role`, since a security-invoker trigger (`mandate_student_of_plan`) asks it with the
 * writer's rights: it answers a yes/no about the caller's own memberships, which `app.org_ids()`
 * already tells them, and `false` at once for server code.
 */
export const writerOutside: DbFunction = defineFunction({
  schema: 'app',
  name: 'writer_outside',
  args: [{ name: 'p_organization_id', type: 'uuid' }],
  returns: 'boolean',
  language: 'sql',
  volatility: 'stable',
  security: 'definer',
  searchPath: '',
  executableBy: ['authenticated', 'service_role'],
  body: `
select pg_catalog.current_setting('role', true) in ('anon', 'authenticated')
   and not (p_organization_id = any ((select app.org_ids())::uuid[]))`,
  comment:
    "True when an API client that does not count as a member of the organisation (app.org_ids(): active, account not deactivated, organisation not soft-deleted except for its admins) writes: the validating triggers leave the refusal to row level security.",
});

/**
 * Trigger function: `TG_ARGV` holds triples (column, roles as `a,b` or `*` for any, rule); each
 * user the row names in those columns must be a member of `new.organization_id`. On update only
 * the columns that changed are checked (all of them when the organisation changed), so a member
 * suspended later does not freeze the rows they are named in.
 */
export const checkMemberReferences = defineTriggerFunction({
  name: 'check_member_references',
  security: 'definer',
  body: `
declare
  v_new constant jsonb := pg_catalog.to_jsonb(new);
  v_old constant jsonb := case when tg_op = 'UPDATE' then pg_catalog.to_jsonb(old) end;
  v_moved constant boolean := tg_op = 'UPDATE' and old.organization_id is distinct from new.organization_id;
  v_user uuid;
  i integer := 0;
begin
  -- Without an organisation the NOT NULL constraint has the clearer answer.
  if new.organization_id is null or app.writer_outside(new.organization_id) then
    return new;
  end if;
  while i < tg_nargs loop
    v_user := (v_new ->> tg_argv[i])::uuid;
    if v_user is not null and (tg_op = 'INSERT' or v_moved or (v_old ->> tg_argv[i])::uuid is distinct from v_user) then
      perform app.require_member(new.organization_id, v_user,
        case when tg_argv[i + 1] = '*' then null else pg_catalog.string_to_array(tg_argv[i + 1], ',') end,
        tg_table_name, tg_argv[i], tg_argv[i + 2]);
    end if;
    i := i + 3;
  end loop;
  return new;
end`,
  comment: 'Trigger: the users a row names (per column, with a role) are active members of its organisation.',
});

/** The rule a user reference is reported under: `<table>_<column>_member`. */
export function memberRule(column: PgColumn): string {
  return `${getTableConfig(column.table as PgTable).name}_${column.name}_member`;
}

/**
 * A `<table>_member_references` trigger checking `references` (column → required role) against
 * the organisation in `organization`.
 */
export function memberReferences(organization: PgColumn, references: ReadonlyArray<readonly [PgColumn, RequiredRole]>): DdlObject {
  const table = organization.table as PgTable;
  const columns = references.map(([column]) => column);
  if (columns.some((c) => c.table !== table)) throw new Error(`memberReferences(${getTableConfig(table).name}): every column must belong to the table`);
  return defineTrigger({
    name: `${getTableConfig(table).name}_member_references`,
    table,
    timing: 'before',
    events: ['insert', { updateOf: [...columns, organization] }],
    function: checkMemberReferences,
    arguments: references.flatMap(([column, role]) => [column.name, role === 'member' ? '*' : role, memberRule(column)]).map(quoteLiteral),
  });
}

/** Every user reference of the schema and the role it serves. */
export const memberReferenceDeclarations: readonly DdlObject[] = [
  memberReferences(students.organizationId, [[students.userId, 'student']]),
  memberReferences(guardians.organizationId, [[guardians.userId, 'guardian']]),
  memberReferences(supervisionAssignments.organizationId, [
    [supervisionAssignments.supervisorId, 'therapist'],
    [supervisionAssignments.superviseeId, 'therapist'],
  ]),
  memberReferences(caseloadAssignments.organizationId, [[caseloadAssignments.therapistId, 'therapist']]),
  memberReferences(servicePlans.organizationId, [[servicePlans.createdBy, 'member']]),
  memberReferences(consents.organizationId, [[consents.recordedBy, 'member']]),
  memberReferences(sessionSeries.organizationId, [
    [sessionSeries.therapistId, 'therapist'],
    [sessionSeries.createdBy, 'member'],
  ]),
  memberReferences(therapySessions.organizationId, [
    [therapySessions.therapistId, 'therapist'],
    [therapySessions.createdBy, 'member'],
    [therapySessions.cancelledBy, 'member'],
  ]),
  memberReferences(calendarBlackouts.organizationId, [[calendarBlackouts.therapistId, 'therapist']]),
  // The signer is the author, checked when the note is signed (protect_signed_notes).
  memberReferences(sessionNotes.organizationId, [
    [sessionNotes.authorId, 'therapist'],
    [sessionNotes.cosignedBy, 'therapist'],
  ]),
  memberReferences(goals.organizationId, [[goals.createdBy, 'member']]),
  memberReferences(goalObservations.organizationId, [[goalObservations.recordedBy, 'therapist']]),
  memberReferences(progressReports.organizationId, [[progressReports.authorId, 'therapist']]),
  memberReferences(conversations.organizationId, [[conversations.createdBy, 'member']]),
  memberReferences(conversationParticipants.organizationId, [[conversationParticipants.userId, 'member']]),
  memberReferences(messages.organizationId, [[messages.senderId, 'member']]),
  memberReferences(documents.organizationId, [[documents.uploadedBy, 'member']]),
  memberReferences(serviceCharges.organizationId, [
    [serviceCharges.renderingProviderId, 'therapist'],
    [serviceCharges.supervisingProviderId, 'therapist'],
  ]),
  memberReferences(webhookSubscriptions.organizationId, [[webhookSubscriptions.createdBy, 'member']]),
];

export const memberRules: readonly DdlObject[] = [isMember, requireMember, writerOutside, checkMemberReferences, ...memberReferenceDeclarations];
