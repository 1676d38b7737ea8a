import { defineTriggerFunction, defineTrigger, quoteLiteral, type DdlObject } from '../../ddl';
import { serviceCharges } from '../billing';
import { attendedCodes } from '../codes';
import { sessionParticipants, therapySessions } from '../scheduling';

/** `'present', 'tardy', 'left_early'`: the attendance a charge may bill. */
const attended = attendedCodes.map(quoteLiteral).join(', ');

/**
 * A charge bills a signed note of the same session and student, for a completed session the student
 * attended; a Medicaid charge also needs the student's active `medicaid_billing` consent on the
 * service date.
 */
export const checkChargeEligibility = defineTriggerFunction({
  name: 'check_charge_eligibility',
  security: 'definer',
  body: `
begin
  if not exists (
    select 1 from public.session_notes n
     where n.id = new.note_id and n.session_id = new.session_id and n.student_id = new.student_id and n.status = 'signed'
  ) then
    raise exception 'a charge needs a signed note of the same session and student; note % is not (service_charges_signed_note)', new.note_id
      using errcode = 'check_violation', table = 'service_charges', column = 'note_id', constraint = 'service_charges_signed_note';
  end if;
  -- Only services rendered are billed: a completed session the student attended (a no-show or a
  -- cancelled session may have a note, never a charge).
  if new.status <> 'void' and not exists (
    select 1 from public.therapy_sessions t
      join public.session_participants p on p.session_id = t.id and p.student_id = new.student_id
     where t.id = new.session_id and t.status = 'completed' and t.deleted_at is null
       and p.attendance in (${attended})
  ) then
    raise exception 'a charge bills a completed session the student attended; student % did not attend session % as completed (service_charges_service_rendered)', new.student_id, new.session_id
      using errcode = 'check_violation', table = 'service_charges', column = 'session_id', constraint = 'service_charges_service_rendered';
  end if;
  if new.payer = 'medicaid' and new.status <> 'void' and not exists (
    select 1 from public.consents c
     where c.student_id = new.student_id and c.consent_type = 'medicaid_billing'
       and c.granted_at::date <= new.service_date
       and (c.expires_at is null or c.expires_at::date >= new.service_date)
       and (c.revoked_at is null or c.revoked_at::date > new.service_date)
  ) then
    raise exception 'student % has no medicaid_billing consent on % (service_charges_medicaid_consent)', new.student_id, new.service_date
      using errcode = 'check_violation', table = 'service_charges', column = 'payer', constraint = 'service_charges_medicaid_consent';
  end if;
  return new;
end`,
  comment: 'Trigger: charges bill signed notes of completed sessions the student attended; Medicaid charges need medicaid_billing consent.',
});

/**
 * The other side of "only services rendered are billed": once a charge (not void) bills a
 * participation, its attendance cannot be changed to an absence; the charge is voided first.
 */
export const protectBilledAttendance = defineTriggerFunction({
  name: 'protect_billed_attendance',
  security: 'definer',
  body: `
begin
  if new.attendance not in (${attended}) and exists (
    select 1 from public.service_charges c
     where c.session_id = old.session_id and c.student_id = old.student_id and c.status <> 'void'
  ) then
    raise exception 'student % was billed for session %: void the charge before recording % (session_participants_billed_attendance)', old.student_id, old.session_id, new.attendance
      using errcode = 'check_violation', table = 'session_participants', column = 'attendance', constraint = 'session_participants_billed_attendance';
  end if;
  return new;
end`,
  comment: 'Trigger: the attendance of a billed participation (a charge that is not void) stays an attendance; void the charge first.',
});

/** Likewise, a billed session is not soft-deleted while a charge (not void) bills it. */
export const protectBilledSession = defineTriggerFunction({
  name: 'protect_billed_session',
  security: 'definer',
  body: `
begin
  if new.deleted_at is not null and old.deleted_at is null and exists (
    select 1 from public.service_charges c where c.session_id = old.id and c.status <> 'void'
  ) then
    raise exception 'session % is billed: void its charges before deleting it (therapy_sessions_billed_not_deleted)', old.id
      using errcode = 'check_violation', table = 'therapy_sessions', column = 'deleted_at', constraint = 'therapy_sessions_billed_not_deleted';
  end if;
  return new;
end`,
  comment: 'Trigger: a session that a charge (not void) bills is not soft-deleted; void the charges first.',
});

export const billingRules: readonly DdlObject[] = [
  checkChargeEligibility,
  defineTrigger({
    name: 'service_charges_eligibility',
    table: serviceCharges,
    timing: 'before',
    events: ['insert', { updateOf: [serviceCharges.noteId, serviceCharges.sessionId, serviceCharges.payer, serviceCharges.status, serviceCharges.serviceDate, serviceCharges.studentId] }],
    function: checkChargeEligibility,
  }),
  protectBilledAttendance,
  defineTrigger({
    name: 'session_participants_billed_attendance',
    table: sessionParticipants,
    timing: 'before',
    events: [{ updateOf: [sessionParticipants.attendance] }],
    function: protectBilledAttendance,
  }),
  protectBilledSession,
  defineTrigger({
    name: 'therapy_sessions_billed_not_deleted',
    table: therapySessions,
    timing: 'before',
    events: [{ updateOf: [therapySessions.deletedAt] }],
    function: protectBilledSession,
  }),
];
