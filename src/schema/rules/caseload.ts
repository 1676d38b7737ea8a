import { columnName as c, defineTriggerFunction, defineTrigger, exclusionConstraint, type DdlObject } from '../../ddl';
import { caseloadAssignments as ca, consents, servicePlans as sp } from '../caseload';

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
];
