import { columnName as c, defineTriggerFunction, defineTrigger, exclusionConstraint, statement, type DdlObject } from '../../ddl';
import { caseloadAssignments as ca, consents, serviceMandates as sm, servicePlans as sp } from '../caseload';

/** A consent is a legal record: after it is written only its revocation may be added, once. */
export const protectConsents = defineTriggerFunction({
  name: 'protect_consents',
  body: `
begin
  if tg_op = 'DELETE' then
    raise exception 'consents are append-only: revoke consent % instead of deleting it (consents_append_only)', old.id
      using errcode = 'check_violation', table = 'consents', constraint = 'consents_append_only';
  end if;
  if old.revoked_at is not null
     or (pg_catalog.to_jsonb(new) - array['revoked_at', 'revoked_reason']) is distinct from (pg_catalog.to_jsonb(old) - array['revoked_at', 'revoked_reason']) then
    raise exception 'consents are append-only: only revoked_at and revoked_reason may be set, once; consent % (consents_append_only)', old.id
      using errcode = 'check_violation', table = 'consents', constraint = 'consents_append_only';
  end if;
  return new;
end`,
  comment: 'Trigger: consents are append-only except a single revocation.',
});

/**
 * A mandate's student is its plan's: the database copies it (whatever the writer sends), so that
 * a session participant's mandate can be keyed on the participant's own student
 * (`session_participants_mandate_of_student_fkey`) and served minutes are never counted towards
 * another student's mandate. A plan the writer cannot name is refused as a missing one (the
 * foreign key's name, SQLSTATE and message), so the answer tells nothing about plans the writer
 * may not read; an API client outside the organisation is left to row level security
 * (`app.writer_outside`).
 *
 * Security invoker, on purpose: the plan is looked up with the writer's own rights. Row level
 * security shows an API client (a JWT, `authenticated`) exactly the plans its `service_plans`
 * policies let it read, so a plan of its organisation that it cannot read (a therapist's
 * colleague's student) answers word for word as an id that exists nowhere, and a plan of another
 * organisation as well; the policies are the one statement of who reads a plan, not a copy of them
 * here. Server code (no JWT: `service_role`, the owner) bypasses row level security and sees every
 * plan, as before. The foreign key `service_mandates_plan_of_student_fkey` holds the student for
 * every writer whatever this trigger sees.
 */
export const mandateStudentOfPlan = defineTriggerFunction({
  name: 'mandate_student_of_plan',
  security: 'invoker',
  body: `
begin
  -- Without an organisation or a plan the NOT NULL constraints have the clearer answer.
  if new.organization_id is null or new.service_plan_id is null or app.writer_outside(new.organization_id) then
    return new;
  end if;
  -- Under the writer's row level security: a plan they cannot read is not found.
  new.student_id := (select p.student_id from public.service_plans p where p.organization_id = new.organization_id and p.id = new.service_plan_id);
  if new.student_id is null then
    raise exception 'service_mandates.service_plan_id: % is not a service plan of organisation % (service_mandates_plan_of_student_fkey)', new.service_plan_id, new.organization_id
      using errcode = 'foreign_key_violation', table = 'service_mandates', column = 'service_plan_id', constraint = 'service_mandates_plan_of_student_fkey';
  end if;
  return new;
end`,
  comment: "Trigger: a mandate's student_id is its plan's student, copied by the database; a plan the writer cannot read (row level security) is refused as a missing one.",
});

export const caseloadRules: readonly DdlObject[] = [
  // One primary therapist per student and discipline at a time; ends_on is inclusive.
  exclusionConstraint(ca, {
    name: 'caseload_assignments_one_primary_excl',
    elements: `${c(ca.studentId)} with =, ${c(ca.discipline)} with =, daterange(${c(ca.startsOn)}, ${c(ca.endsOn)}, '[]') with &&`,
    where: `${c(ca.assignmentRole)} = 'primary'`,
  }),
  // One active plan of each type per student at a time.
  exclusionConstraint(sp, {
    name: 'service_plans_one_active_excl',
    elements: `${c(sp.studentId)} with =, ${c(sp.planType)} with =, ${c(sp.effectiveDuring)} with &&`,
    where: `${c(sp.status)} = 'active'`,
  }),
  protectConsents,
  defineTrigger({ name: 'consents_append_only', table: consents, timing: 'before', events: ['update', 'delete'], function: protectConsents }),
  mandateStudentOfPlan,
  defineTrigger({
    name: 'service_mandates_student_of_plan',
    table: sm,
    timing: 'before',
    events: ['insert', { updateOf: [sm.organizationId, sm.servicePlanId, sm.studentId] }],
    function: mandateStudentOfPlan,
  }),
  // The mandates written before student_id existed get their plan's student (the trigger above
  // keeps every later write in step), before the keys that need it are added and validated: a
  // migration of its own, after the trigger's (which locks the table while it is created), so
  // the scan holds no lock that blocks writes. An upgrade runs it once; a fresh database updates
  // nothing.
  statement({
    key: 'backfill service_mandates.student_id',
    create: [
      `update public.service_mandates m set student_id = p.student_id from public.service_plans p
 where m.student_id is null and p.organization_id = m.organization_id and p.id = m.service_plan_id`,
    ],
    drop: [],
  }),
];
