import { defineTriggerFunction, defineTrigger, type DdlObject } from '../../ddl';
import { sessionNotes } from '../documentation';

/**
 * Clinical notes are legal records. Notes are written as drafts; signing (draft → signed or
 * pending_cosign) stamps `signed_at`, `signed_by` and a sha256 `content_hash` of the clinical
 * content; after that the only changes are a co-signature by an active supervisor of the author
 * (supervising in the note's organisation; `cosigned_at` is stamped), voiding with a reason, and
 * the guardian-visibility toggle. Corrections are amendments (new notes with `amends_note_id`,
 * amending a signed note of the same session and student). Only notes of a session that took place
 * (`completed`, or `no_show` to document the absence) are signed; drafts can be prepared before.
 * Only drafts can be deleted. Through the API (a JWT is present) a note is signed only by its
 * author and co-signed only by the co-signer in person; server code (no JWT) is exempt.
 */
export const protectSignedNotes = defineTriggerFunction({
  name: 'protect_signed_notes',
  security: 'definer',
  body: `
declare
  v_uid constant uuid := (select auth.uid());
  v_fixed constant text[] := array['status', 'cosigned_by', 'cosigned_at', 'void_reason', 'visible_to_guardian', 'updated_at'];
  v_session_status text;
begin
  if tg_op = 'DELETE' then
    if old.status <> 'draft' then
      raise exception 'only draft notes can be deleted; note % is % (session_notes_delete_drafts_only)', old.id, old.status
        using errcode = 'check_violation', table = 'session_notes', constraint = 'session_notes_delete_drafts_only';
    end if;
    return old;
  end if;
  -- An amendment corrects a signed note of the same session and student.
  if new.amends_note_id is not null
     and (tg_op = 'INSERT' or (new.amends_note_id, new.session_id, new.student_id) is distinct from (old.amends_note_id, old.session_id, old.student_id))
     and not exists (
    select 1 from public.session_notes a
     where a.id = new.amends_note_id and a.session_id = new.session_id and a.student_id = new.student_id
       and a.status in ('signed', 'pending_cosign')
  ) then
    raise exception 'note % amends note %, which is not a signed note of the same session and student (session_notes_amends_signed_note)', new.id, new.amends_note_id
      using errcode = 'check_violation', table = 'session_notes', column = 'amends_note_id', constraint = 'session_notes_amends_signed_note';
  end if;
  if tg_op = 'INSERT' then
    if new.status <> 'draft' then
      raise exception 'notes are created as drafts and signed by an update, not inserted as % (session_notes_created_as_draft)', new.status
        using errcode = 'check_violation', table = 'session_notes', column = 'status', constraint = 'session_notes_created_as_draft';
    end if;
    -- Signature and co-signature are stamped by this trigger, never written by clients.
    new.signed_at := null; new.signed_by := null; new.content_hash := null;
    new.cosigned_at := null; new.cosigned_by := null;
    return new;
  end if;
  -- UPDATE
  if old.status = 'draft' then
    new.cosigned_at := null; new.cosigned_by := null;  -- only a supervisor co-signs, after signing
    if new.status in ('signed', 'pending_cosign') then
      if v_uid is not null and v_uid is distinct from new.author_id then
        raise exception 'only the author signs note %; % is not the author (session_notes_signed_by_author)', old.id, v_uid
          using errcode = 'check_violation', table = 'session_notes', column = 'status', constraint = 'session_notes_signed_by_author';
      end if;
      -- The signer is an active therapist of the note's organisation when signing (not merely a
      -- member in some other role, not suspended, not deactivated).
      perform app.require_member(new.organization_id, new.author_id, array['therapist'], 'session_notes', 'signed_by', 'session_notes_signed_by_member');
      -- A signed note documents a session that took place, or the student's no-show: never a
      -- planned or cancelled one (signed notes are what charges bill).
      select t.status into v_session_status
        from public.therapy_sessions t where t.id = new.session_id and t.deleted_at is null;
      if v_session_status is distinct from 'completed' and v_session_status is distinct from 'no_show' then
        raise exception 'note % documents session %, which is %; only notes of completed or no-show sessions are signed (session_notes_session_took_place)',
          old.id, new.session_id, coalesce(v_session_status, 'deleted')
          using errcode = 'check_violation', table = 'session_notes', column = 'status', constraint = 'session_notes_session_took_place';
      end if;
      -- An author under a supervision that requires co-signing cannot close the note alone.
      if new.status = 'signed' and exists (
        select 1 from public.supervision_assignments s
         where s.supervisee_id = new.author_id and s.organization_id = new.organization_id
           and s.requires_cosign and s.active_during @> current_date
      ) then
        raise exception 'note % needs a co-signature: its author is supervised with requires_cosign; sign it as pending_cosign (session_notes_cosign_required)', old.id
          using errcode = 'check_violation', table = 'session_notes', column = 'status', constraint = 'session_notes_cosign_required';
      end if;
      new.signed_at := pg_catalog.now();
      new.signed_by := new.author_id;
      -- jsonb text is canonical and keeps each section in its place (and nulls as null), so moving
      -- text from one section to another changes the hash.
      new.content_hash := pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(pg_catalog.jsonb_build_object(
        'note_format', new.note_format, 'subjective', new.subjective, 'objective', new.objective,
        'assessment', new.assessment, 'plan', new.plan, 'structured', new.structured,
        'billable_minutes', new.billable_minutes)::text, 'UTF8')), 'hex');
      return new;
    elsif new.status = 'draft' then
      new.signed_at := null; new.signed_by := null; new.content_hash := null;
      return new;
    end if;
  elsif (pg_catalog.to_jsonb(new) - v_fixed) is distinct from (pg_catalog.to_jsonb(old) - v_fixed) then
    raise exception 'note % is % and can no longer be changed; write an amendment with amends_note_id (session_notes_signed_immutable)', old.id, old.status
      using errcode = 'check_violation', table = 'session_notes', constraint = 'session_notes_signed_immutable';
  elsif old.status = 'pending_cosign' and new.status = 'signed' and new.cosigned_by is not null
        and old.void_reason is not distinct from new.void_reason then
    if v_uid is not null and v_uid is distinct from new.cosigned_by then
      raise exception 'note % can be co-signed only by the co-signer in person, not in their name (session_notes_cosigned_in_person)', old.id
        using errcode = 'check_violation', table = 'session_notes', column = 'cosigned_by', constraint = 'session_notes_cosigned_in_person';
    end if;
    -- The supervision of the note's organisation, between two active therapists of it
    -- (app.is_member: an assignment of another organisation, a suspended or deactivated supervisor,
    -- or a supervisee suspended, gone or deactivated, co-signs nothing — as the policies' supervisions).
    if not exists (
      select 1 from public.supervision_assignments s
       where s.supervisor_id = new.cosigned_by and s.supervisee_id = new.author_id
         and s.organization_id = new.organization_id
         and s.active_during @> current_date
         and app.is_member(s.organization_id, s.supervisor_id, array['therapist'])
         and app.is_member(s.organization_id, s.supervisee_id, array['therapist'])
    ) then
      raise exception 'therapist % does not actively supervise the author of note % as therapists of its organisation (session_notes_cosigner_supervises)', new.cosigned_by, old.id
        using errcode = 'check_violation', table = 'session_notes', column = 'cosigned_by', constraint = 'session_notes_cosigner_supervises';
    end if;
    new.cosigned_at := pg_catalog.now();
    return new;
  elsif old.status in ('signed', 'pending_cosign') and new.status = 'void'
        and (old.cosigned_by, old.cosigned_at) is not distinct from (new.cosigned_by, new.cosigned_at) then
    return new;  -- the void_reason check constraint requires the reason
  elsif old.status = new.status and old.status in ('signed', 'pending_cosign')
        and (old.cosigned_by, old.cosigned_at, old.void_reason) is not distinct from (new.cosigned_by, new.cosigned_at, new.void_reason) then
    return new;  -- only the guardian-visibility toggle changed
  end if;
  raise exception 'note % is %: % is not an allowed change; write an amendment with amends_note_id (session_notes_signed_immutable)', old.id, old.status, new.status
    using errcode = 'check_violation', table = 'session_notes', constraint = 'session_notes_signed_immutable';
end`,
  comment: 'Trigger: drafts only on insert; signing stamps and hashes; signed notes are immutable except co-sign, void and visibility.',
});

export const documentationRules: readonly DdlObject[] = [
  protectSignedNotes,
  defineTrigger({
    name: 'session_notes_signed_immutable',
    table: sessionNotes,
    timing: 'before',
    events: ['insert', 'update', 'delete'],
    function: protectSignedNotes,
  }),
];
