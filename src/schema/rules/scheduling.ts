import { columnName as c, defineFunction, defineTriggerFunction, defineTrigger, exclusionConstraint, quoteLiteral, type DdlObject } from '../../ddl';
import { absentCodes, activeSessionStatuses } from '../codes';
import { sessionParticipants as sp, therapySessions as ts } from '../scheduling';

/** `'scheduled', 'confirmed', …`: the statuses that occupy a slot. */
const active = activeSessionStatuses.map(quoteLiteral).join(', ');
/** `'absent_excused', 'absent_unexcused'`. */
const absent = absentCodes.map(quoteLiteral).join(', ');

/**
 * The session status machine. Allowed: scheduled → confirmed | cancelled; confirmed →
 * in_progress | completed | cancelled | no_show; in_progress → completed. A session that has not
 * started cannot be started, completed or marked a no-show — whether it is updated to that status
 * or inserted with it (an insert enters the machine at any status it can reach, so only the clock
 * rule applies) — and a closed session cannot be rescheduled. Each refusal names its rule in the
 * error's `constraint` field.
 */
export const enforceSessionTransition = defineTriggerFunction({
  name: 'enforce_session_transition',
  body: `
begin
  if tg_op = 'INSERT' then
    if new.status in ('in_progress', 'completed', 'no_show') and new.start_time > pg_catalog.now() then
      raise exception 'a session that has not started cannot be inserted as % (therapy_sessions_not_yet_started)', new.status
        using errcode = 'check_violation', table = 'therapy_sessions', column = 'status',
              constraint = 'therapy_sessions_not_yet_started';
    end if;
    return new;
  end if;
  if new.status is distinct from old.status and not (
       (old.status = 'scheduled'   and new.status in ('confirmed', 'cancelled'))
    or (old.status = 'confirmed'   and new.status in ('in_progress', 'completed', 'cancelled', 'no_show'))
    or (old.status = 'in_progress' and new.status = 'completed')
  ) then
    raise exception 'illegal session status transition % -> % (therapy_sessions_status_transition)', old.status, new.status
      using errcode = 'check_violation', table = 'therapy_sessions', column = 'status',
            constraint = 'therapy_sessions_status_transition';
  end if;
  if new.status is distinct from old.status and new.status in ('in_progress', 'completed', 'no_show') and new.start_time > pg_catalog.now() then
    raise exception 'a session that has not started cannot be marked % (therapy_sessions_not_yet_started)', new.status
      using errcode = 'check_violation', table = 'therapy_sessions', column = 'status',
            constraint = 'therapy_sessions_not_yet_started';
  end if;
  if old.status in ('completed', 'cancelled', 'no_show')
     and (new.start_time, new.end_time, new.therapist_id) is distinct from (old.start_time, old.end_time, old.therapist_id) then
    raise exception 'a % session cannot be rescheduled (therapy_sessions_closed_no_reschedule)', old.status
      using errcode = 'check_violation', table = 'therapy_sessions', constraint = 'therapy_sessions_closed_no_reschedule';
  end if;
  return new;
end`,
  comment: 'Trigger: the session status machine (allowed transitions, no future completion, closed sessions keep their time).',
});

/** SQL: whether `student` has a treatment consent in force at `at` (both SQL expressions). */
const treatmentConsentAt = (student: string, at: string) => `exists (
      select 1 from public.consents c
       where c.student_id = ${student}
         and c.consent_type = 'treatment'
         and c.granted_at <= ${at}
         and (c.expires_at is null or c.expires_at > ${at})
         and (c.revoked_at is null or c.revoked_at > ${at}))`;

/**
 * Copies the session's time range and activity onto each participant (so the student exclusion
 * constraint can see them); on insert checks capacity, and on insert or when an active session
 * moves, the student's treatment consent at the session's start. Security definer: the rules hold
 * whatever the writer is allowed to read.
 */
export const syncParticipantFromSession = defineTriggerFunction({
  name: 'sync_participant_from_session',
  security: 'definer',
  body: `
declare
  s record;
  v_count integer;
begin
  -- Lock the session row so concurrent inserts count participants one at a time.
  select pg_catalog.tstzrange(ts.start_time, ts.end_time, '[)') as time_range, ts.status, ts.deleted_at, ts.start_time,
         st.max_participants
    into s
    from public.therapy_sessions ts
    join public.session_types st on st.id = ts.session_type_id
   where ts.id = new.session_id
     for no key update of ts;
  if not found then
    return new;  -- the foreign key reports the missing session
  end if;
  new.time_range := s.time_range;
  new.is_active := s.status in (${active}) and s.deleted_at is null;
  if tg_op = 'INSERT' then
    select pg_catalog.count(*) into v_count from public.session_participants p where p.session_id = new.session_id;
    if v_count >= s.max_participants then
      raise exception 'session % is full: % participants at most (session_participants_capacity)', new.session_id, s.max_participants
        using errcode = 'check_violation', table = 'session_participants', constraint = 'session_participants_capacity';
    end if;
  end if;
  -- Consent is needed at the session's start: when the student is booked, and again whenever an
  -- active session moves (a reschedule may fall after the consent expired or was revoked).
  if tg_op = 'INSERT' or (new.is_active and (new.time_range is distinct from old.time_range or new.student_id is distinct from old.student_id)) then
    if not ${treatmentConsentAt('new.student_id', 's.start_time')} then
      raise exception 'student % has no active treatment consent at the session''s start (session_participants_treatment_consent)', new.student_id
        using errcode = 'check_violation', table = 'session_participants', column = 'student_id',
              constraint = 'session_participants_treatment_consent';
    end if;
  end if;
  return new;
end`,
  comment: 'Trigger: participant time_range/is_active follow the session; capacity on insert; treatment consent on insert and reschedule.',
});

/**
 * A consent revoked (or expired) after a student was booked leaves a future participation without
 * consent; it is caught when the session is started or completed, before any service is
 * delivered or billed: every participant not recorded absent needs the consent at the session's
 * start. The family's revocation itself is never refused. Security definer: the
 * rule holds whatever consents the writer may read.
 */
export const checkParticipantsConsented = defineTriggerFunction({
  name: 'check_participants_consented',
  security: 'definer',
  body: `
declare
  v_student uuid;
begin
  if new.status in ('in_progress', 'completed') and new.status is distinct from old.status then
    select p.student_id into v_student
      from public.session_participants p
     where p.session_id = new.id and p.attendance not in (${absent})
       and not ${treatmentConsentAt('p.student_id', 'new.start_time')}
     limit 1;
    if found then
      raise exception 'student % has no treatment consent at the start of session % (revoked or expired since the booking): record them absent, or take them off the session, before marking it % (therapy_sessions_participants_consented)', v_student, new.id, new.status
        using errcode = 'check_violation', table = 'therapy_sessions', column = 'status', constraint = 'therapy_sessions_participants_consented';
    end if;
  end if;
  return new;
end`,
  comment: 'Trigger: a session is started or completed only when every participant not recorded absent has treatment consent at its start.',
});

/** When a session moves, is cancelled or soft-deleted, its participants follow. */
export const propagateSessionToParticipants = defineTriggerFunction({
  name: 'propagate_session_to_participants',
  security: 'definer',
  body: `
begin
  update public.session_participants p
     set time_range = pg_catalog.tstzrange(new.start_time, new.end_time, '[)'),
         is_active = new.status in (${active}) and new.deleted_at is null
   where p.session_id = new.id;
  return null;
end`,
  comment: 'Trigger: keeps session_participants.time_range and is_active in step with the session.',
});

const availabilityArgs = [
  { name: 'p_organization_id', type: 'uuid' },
  { name: 'p_therapist_id', type: 'uuid' },
  { name: 'p_start_time', type: 'timestamptz' },
  { name: 'p_end_time', type: 'timestamptz' },
  { name: 'p_ignore_session_id', type: 'uuid', default: 'null' },
] as const;

/**
 * Is the therapist free in the organisation in `[p_start_time, p_end_time)`? Null for an empty or
 * inverted range. Per organisation, as the exclusion constraint is: a therapist who works for two
 * organisations keeps one calendar in each (neither sees, nor is blocked by, the other's). Security
 * invoker (it sees what the caller may see) with a pinned search path; a hint for forms only — the
 * exclusion constraint is what guarantees no overlap under concurrency (SQLSTATE 23P01).
 */
export const checkTherapistAvailability = defineFunction({
  schema: 'public',
  name: 'check_therapist_availability',
  args: availabilityArgs,
  returns: 'boolean',
  language: 'sql',
  volatility: 'stable',
  security: 'invoker',
  searchPath: '',
  executableBy: ['authenticated', 'service_role'],
  body: `
select case
  when p_start_time is null or p_end_time is null or p_end_time <= p_start_time then null
  else not exists (
    select 1
      from public.therapy_sessions s
     where s.organization_id = p_organization_id
       and s.therapist_id = p_therapist_id
       and s.status in (${active})
       and s.deleted_at is null
       and s.id is distinct from p_ignore_session_id
       and pg_catalog.tstzrange(s.start_time, s.end_time, '[)') operator(pg_catalog.&&) pg_catalog.tstzrange(p_start_time, p_end_time, '[)')
  )
end`,
  comment: 'True when the therapist has no active session of the organisation overlapping [start, end); pass p_ignore_session_id when rescheduling.',
});

/**
 * Every reason a slot of the organisation is taken, by kind: the therapist's sessions, the
 * students' sessions, blackouts — each of the organisation only, as the exclusion constraints are.
 */
export const findConflicts = defineFunction({
  schema: 'public',
  name: 'find_conflicts',
  args: [
    { name: 'p_organization_id', type: 'uuid' },
    { name: 'p_therapist_id', type: 'uuid' },
    { name: 'p_start_time', type: 'timestamptz' },
    { name: 'p_end_time', type: 'timestamptz' },
    { name: 'p_student_ids', type: 'uuid[]', default: "'{}'" },
    { name: 'p_school_id', type: 'uuid', default: 'null' },
    { name: 'p_ignore_session_id', type: 'uuid', default: 'null' },
  ],
  returns: 'table (kind text, id uuid, student_id uuid, starts_at timestamptz, ends_at timestamptz)',
  language: 'sql',
  volatility: 'stable',
  security: 'invoker',
  searchPath: '',
  executableBy: ['authenticated', 'service_role'],
  body: `
with slot as (select pg_catalog.tstzrange(p_start_time, p_end_time, '[)') as r)
select 'therapist'::text, s.id, null::uuid, s.start_time, s.end_time
  from public.therapy_sessions s, slot
 where s.organization_id = p_organization_id
   and s.therapist_id = p_therapist_id
   and s.status in (${active}) and s.deleted_at is null
   and s.id is distinct from p_ignore_session_id
   and pg_catalog.tstzrange(s.start_time, s.end_time, '[)') operator(pg_catalog.&&) slot.r
union all
select 'student'::text, p.session_id, p.student_id, pg_catalog.lower(p.time_range), pg_catalog.upper(p.time_range)
  from public.session_participants p, slot
 where p.organization_id = p_organization_id
   and p.student_id operator(pg_catalog.=) any (p_student_ids)
   and p.is_active
   and p.session_id is distinct from p_ignore_session_id
   and p.time_range operator(pg_catalog.&&) slot.r
union all
select 'blackout'::text, b.id, null::uuid, pg_catalog.lower(b.during), pg_catalog.upper(b.during)
  from public.calendar_blackouts b, slot
 where b.organization_id = p_organization_id
   and b.during operator(pg_catalog.&&) slot.r
   and (b.therapist_id = p_therapist_id
        or (b.therapist_id is null and (b.school_id is null or b.school_id is not distinct from p_school_id)))
order by 4, 1`,
  comment: 'The conflicts of a proposed slot in the organisation, by kind (therapist, student, blackout), as far as the caller may see them.',
});

export const schedulingRules: readonly DdlObject[] = [
  // No two active sessions of one therapist overlap in one organisation; back-to-back is fine
  // ('[)'). Per organisation: a constraint across organisations would answer org A's insert with
  // 23P01 when org B holds the slot (A reads B's calendar from it) and let A block B's bookings.
  exclusionConstraint(ts, {
    name: 'therapy_sessions_therapist_overlap_excl',
    elements: `${c(ts.organizationId)} with =, ${c(ts.therapistId)} with =, tstzrange(${c(ts.startTime)}, ${c(ts.endTime)}, '[)') with &&`,
    where: `${c(ts.status)} in (${active}) and ${c(ts.deletedAt)} is null`,
    lockedBuild: 'an exclusion constraint cannot be built concurrently; the per-organisation rule replaces the cross-tenant one, and the build reads therapy_sessions once',
  }),
  // No student is double-booked across sessions (ranges copied from the session by trigger).
  exclusionConstraint(sp, {
    name: 'session_participants_student_overlap_excl',
    elements: `${c(sp.studentId)} with =, ${c(sp.timeRange)} with &&`,
    where: `${c(sp.isActive)}`,
  }),
  enforceSessionTransition,
  checkParticipantsConsented,
  defineTrigger({ name: 'therapy_sessions_status_transition', table: ts, timing: 'before', events: ['insert', 'update'], function: enforceSessionTransition }),
  defineTrigger({
    name: 'therapy_sessions_participants_consented',
    table: ts,
    timing: 'before',
    events: [{ updateOf: [ts.status] }],
    function: checkParticipantsConsented,
  }),
  syncParticipantFromSession,
  defineTrigger({ name: 'session_participants_sync', table: sp, timing: 'before', events: ['insert', 'update'], function: syncParticipantFromSession }),
  propagateSessionToParticipants,
  defineTrigger({
    name: 'therapy_sessions_propagate_to_participants',
    table: ts,
    timing: 'after',
    events: [{ updateOf: [ts.startTime, ts.endTime, ts.status, ts.deletedAt] }],
    function: propagateSessionToParticipants,
  }),
  checkTherapistAvailability,
  findConflicts,
];
