import { stableId } from '../../src/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actAs, createWorld, expectRefusal, isoDate, at, rolledBack, type Sql, type World } from './helpers';

/**
 * Clinical notes are legal records: written as drafts, stamped when signed, immutable after that
 * except co-signature, voiding with a reason and the guardian-visibility toggle; corrections are
 * amendments; only drafts can be deleted.
 */
describe('session notes', () => {
  let w: World;
  beforeAll(async () => {
    w = await createWorld();
  });
  afterAll(async () => {
    await w?.db.close();
  });

  const immutable = { code: '23514', rule: 'session_notes_signed_immutable', table: 'session_notes' } as const;
  const signed = () => w.fx.a.noteIds.signedS1;
  /** The SLPA's draft note; the SLPA is supervised by the supervisor (fixture). */
  const draft = () => w.fx.a.noteIds.draftS2;

  interface NoteRow {
    status: string;
    signed_at_is_now: boolean;
    signed_by: string | null;
    author_id: string;
    content_hash: string | null;
    cosigned_by: string | null;
    cosigned_at_is_now: boolean;
  }
  const readNote = async (tx: Sql, id: string): Promise<NoteRow> => {
    const [row] = await tx<NoteRow[]>`
      select status, signed_at = now() as signed_at_is_now, signed_by, author_id, content_hash, cosigned_by,
             coalesce(cosigned_at = now(), false) as cosigned_at_is_now
        from public.session_notes where id = ${id}`;
    return row!;
  };

  /** Inserts an amendment of the signed note (a new draft of the same session and student). */
  const amend = async (tx: Sql, sections: { subjective?: string | null; objective?: string | null } = {}) => {
    const [row] = await tx<{ id: string }[]>`
      insert into public.session_notes (organization_id, session_id, student_id, author_id, amends_note_id, subjective, objective, billable_minutes)
      select organization_id, session_id, student_id, author_id, id, ${sections.subjective ?? null}, ${sections.objective ?? null}, billable_minutes
        from public.session_notes where id = ${signed()}
      returning id`;
    return row!.id;
  };

  describe('signing', () => {
    it('signing stamps signed_at, signed_by (the author) and a sha256 content hash', async () => {
      const note = await rolledBack(w.db.sql, async (tx) => {
        await tx`update public.session_notes set status = 'pending_cosign' where id = ${draft()}`;
        return readNote(tx, draft());
      });
      expect(note).toMatchObject({ status: 'pending_cosign', signed_at_is_now: true, signed_by: w.fx.a.users.supervisee, author_id: w.fx.a.users.supervisee });
      expect(note.content_hash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('an author supervised with requires_cosign cannot sign alone: the note waits for the co-signature', async () => {
      await expectRefusal(w.db.sql, { code: '23514', rule: 'session_notes_cosign_required', table: 'session_notes', column: 'status' }, (tx) =>
        tx`update public.session_notes set status = 'signed' where id = ${draft()}`,
      );
    });

    it('a supervision without requires_cosign (e.g. peer review) lets the author sign alone', async () => {
      const note = await rolledBack(w.db.sql, async (tx) => {
        await tx`update public.supervision_assignments set requires_cosign = false where supervisee_id = ${w.fx.a.users.supervisee}`;
        await tx`update public.session_notes set status = 'signed' where id = ${draft()}`;
        return readNote(tx, draft());
      });
      expect(note).toMatchObject({ status: 'signed', signed_by: w.fx.a.users.supervisee });
    });

    it('the signature cannot be forged: stamps written by the client are replaced', async () => {
      const note = await rolledBack(w.db.sql, async (tx) => {
        await tx`update public.session_notes
                    set status = 'pending_cosign', signed_at = '2001-01-01', signed_by = ${w.fx.a.users.therapist}, content_hash = 'forged',
                        cosigned_by = ${w.fx.a.users.supervisor}, cosigned_at = '2001-01-01'
                  where id = ${draft()}`;
        return readNote(tx, draft());
      });
      expect(note).toMatchObject({ status: 'pending_cosign', signed_at_is_now: true, signed_by: w.fx.a.users.supervisee, cosigned_by: null });
      expect(note.content_hash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('notes are created as drafts, never inserted signed', async () => {
      await expectRefusal(w.db.sql, { code: '23514', rule: 'session_notes_created_as_draft', table: 'session_notes', column: 'status' }, async (tx) => {
        await tx`insert into public.session_notes (organization_id, session_id, student_id, author_id, amends_note_id, status, subjective)
                 select organization_id, session_id, student_id, author_id, id, 'signed', 'Backdated.' from public.session_notes where id = ${signed()}`;
      });
    });

    it('the content hash tells apart notes whose text sits in different sections, and is the same for the same content', async () => {
      const hashes = await rolledBack(w.db.sql, async (tx) => {
        const inSubjective = await amend(tx, { subjective: 'Cried at drop-off.' });
        const inObjective = await amend(tx, { objective: 'Cried at drop-off.' });
        const again = await amend(tx, { subjective: 'Cried at drop-off.' });
        await tx`update public.session_notes set status = 'signed' where id in (${inSubjective}, ${inObjective}, ${again})`;
        return [(await readNote(tx, inSubjective)).content_hash, (await readNote(tx, inObjective)).content_hash, (await readNote(tx, again)).content_hash];
      });
      expect(hashes[0]).not.toBe(hashes[1]);
      expect(hashes[0]).toBe(hashes[2]);
    });

    it('through the API only the author signs a note', async () => {
      await expectRefusal(w.db.sql, { code: '23514', rule: 'session_notes_signed_by_author', table: 'session_notes', column: 'status' }, async (tx) => {
        await actAs(tx, w.fx.a.users.org_admin);
        await tx`update public.session_notes set status = 'signed' where id = ${draft()}`;
      });
      const note = await rolledBack(w.db.sql, async (tx) => {
        await actAs(tx, w.fx.a.users.supervisee);
        await tx`update public.session_notes set status = 'pending_cosign' where id = ${draft()}`;
        return readNote(tx, draft());
      });
      expect(note).toMatchObject({ status: 'pending_cosign', signed_by: w.fx.a.users.supervisee });
    });
  });

  describe('only a session that took place is documented by a signed note', () => {
    const tookPlace = { code: '23514', rule: 'session_notes_session_took_place', table: 'session_notes', column: 'status' } as const;
    /** A draft note of the therapist's upcoming session with s1 (the fixture's participant row). */
    const draftOfUpcoming = async (tx: Sql) => {
      const a = w.fx.a;
      const [row] = await tx<{ id: string }[]>`
        insert into public.session_notes (organization_id, session_id, student_id, author_id, subjective, billable_minutes)
        values (${a.organizationId}, ${a.sessionIds.upcomingS1}, ${a.studentIds[0]}, ${a.users.therapist}, 'Planned activities.', 30)
        returning id`;
      return row!.id;
    };
    /** A past session of the therapist with s1, moved to `status` (through confirmed). */
    const pastSession = async (tx: Sql, status: string) => {
      const a = w.fx.a;
      const [session] = await tx<{ id: string }[]>`
        insert into public.therapy_sessions (organization_id, therapist_id, session_type_id, school_id, start_time, end_time, created_by)
        select organization_id, therapist_id, session_type_id, school_id, start_time - interval '1 day', end_time - interval '1 day', created_by
          from public.therapy_sessions where id = ${a.sessionIds.pastS1}
        returning id`;
      await tx`insert into public.session_participants (organization_id, session_id, student_id) values (${a.organizationId}, ${session!.id}, ${a.studentIds[0]})`;
      await tx`update public.therapy_sessions set status = 'confirmed' where id = ${session!.id}`;
      await tx`update public.therapy_sessions set status = ${status}, cancellation_reason = ${status === 'cancelled' ? 'student_absent' : null},
                      cancelled_by = ${status === 'cancelled' ? a.users.therapist : null}, cancelled_at = ${status === 'cancelled' ? new Date().toISOString() : null}
                where id = ${session!.id}`;
      const [note] = await tx<{ id: string }[]>`
        insert into public.session_notes (organization_id, session_id, student_id, author_id, subjective, billable_minutes)
        values (${a.organizationId}, ${session!.id}, ${a.studentIds[0]}, ${a.users.therapist}, 'Documented.', 0)
        returning id`;
      return note!.id;
    };

    it('a draft can be prepared before the session, but not signed until it took place', async () => {
      const status = await rolledBack(w.db.sql, async (tx) => {
        const id = await draftOfUpcoming(tx);
        return (await readNote(tx, id)).status;
      });
      expect(status).toBe('draft');
      const error = await expectRefusal(w.db.sql, tookPlace, async (tx) => {
        const id = await draftOfUpcoming(tx);
        await tx`update public.session_notes set status = 'signed' where id = ${id}`;
      });
      expect(error.databaseMessage).toContain('which is scheduled');
    });

    it('a note of a cancelled session cannot be signed', async () => {
      const error = await expectRefusal(w.db.sql, tookPlace, async (tx) => {
        const id = await pastSession(tx, 'cancelled');
        await tx`update public.session_notes set status = 'signed' where id = ${id}`;
      });
      expect(error.databaseMessage).toContain('which is cancelled');
    });

    it("a no-show is documented: its note can be signed (it is never billed, see billing)", async () => {
      const note = await rolledBack(w.db.sql, async (tx) => {
        const id = await pastSession(tx, 'no_show');
        await tx`update public.session_notes set status = 'signed' where id = ${id}`;
        return readNote(tx, id);
      });
      expect(note).toMatchObject({ status: 'signed', signed_by: w.fx.a.users.therapist });
    });
  });

  describe('a signed note is immutable', () => {
    it.each([
      ['its clinical text', { subjective: 'Rewritten later.' }],
      ['its billable minutes', { billable_minutes: 45 }],
      ['its signature time', { signed_at: '2001-01-01T00:00:00Z' }],
      ['its content hash', { content_hash: 'f'.repeat(64) }],
      // another therapist of the organisation, so the immutability is what refuses (not membership)
      ['its author', { author_id: stableId('org-a:user:supervisor') }],
    ] as const)('a signed note cannot change %s', async (_what, change) => {
      await expectRefusal(w.db.sql, immutable, (tx) => tx`update public.session_notes set ${tx(change)} where id = ${signed()}`);
    });

    it('a signed note cannot go back to draft', async () => {
      await expectRefusal(w.db.sql, immutable, (tx) => tx`update public.session_notes set status = 'draft' where id = ${signed()}`);
    });

    it("a signed note's guardian visibility can still be toggled", async () => {
      const visible = await rolledBack(w.db.sql, async (tx) => {
        await tx`update public.session_notes set visible_to_guardian = false where id = ${signed()}`;
        return tx<{ visible_to_guardian: boolean }[]>`select visible_to_guardian from public.session_notes where id = ${signed()}`;
      });
      expect(visible).toEqual([{ visible_to_guardian: false }]);
    });

    it('a correction is an amendment: a new note with amends_note_id, signed in its own right', async () => {
      const notes = await rolledBack(w.db.sql, async (tx) => {
        const amendment = await amend(tx, { subjective: 'Correction: arrived 5 minutes late.' });
        await tx`update public.session_notes set status = 'signed' where id = ${amendment}`;
        return tx<{ status: string; amends_note_id: string | null }[]>`
          select status, amends_note_id from public.session_notes where id in (${signed()}, ${amendment}) order by amends_note_id nulls first`;
      });
      expect(notes).toEqual([
        { status: 'signed', amends_note_id: null },
        { status: 'signed', amends_note_id: signed() },
      ]);
    });

    it('an amendment must amend a signed note of the same session and student', async () => {
      const rule = { code: '23514', rule: 'session_notes_amends_signed_note', table: 'session_notes', column: 'amends_note_id' } as const;
      // Of another session and student: the SLPA's participant amending the therapist's signed note.
      await expectRefusal(w.db.sql, rule, (tx) =>
        tx`insert into public.session_notes (organization_id, session_id, student_id, author_id, amends_note_id, subjective)
           values (${w.fx.a.organizationId}, ${w.fx.a.sessionIds.pastS2}, ${w.fx.a.studentIds[1]}, ${w.fx.a.users.supervisee}, ${signed()}, 'Misfiled.')`,
      );
      // Of a draft: a draft is edited, not amended.
      await expectRefusal(w.db.sql, rule, async (tx) => {
        const amendment = await amend(tx, { subjective: 'Correction.' });
        await tx`insert into public.session_notes (organization_id, session_id, student_id, author_id, amends_note_id, subjective)
                 select organization_id, session_id, student_id, author_id, ${amendment}, 'Correction of a draft.' from public.session_notes where id = ${amendment}`;
      });
    });

    it('a second original note for the same student and session is refused (write an amendment)', async () => {
      await expectRefusal(w.db.sql, { code: '23505', rule: 'session_notes_one_original_key', table: 'session_notes' }, (tx) =>
        tx`insert into public.session_notes (organization_id, session_id, student_id, author_id, subjective)
           select organization_id, session_id, student_id, author_id, 'Second original.' from public.session_notes where id = ${signed()}`,
      );
    });
  });

  describe('voiding', () => {
    it('a signed note cannot be voided without a reason', async () => {
      await expectRefusal(w.db.sql, { code: '23514', rule: 'session_notes_void_reason_check', table: 'session_notes' }, (tx) =>
        tx`update public.session_notes set status = 'void' where id = ${signed()}`,
      );
    });

    it('a signed note can be voided with a reason, and a void note is then final', async () => {
      const status = await rolledBack(w.db.sql, async (tx) => {
        await tx`update public.session_notes set status = 'void', void_reason = 'Entered on the wrong student.' where id = ${signed()}`;
        return tx<{ status: string }[]>`select status from public.session_notes where id = ${signed()}`;
      });
      expect(status).toEqual([{ status: 'void' }]);
      await expectRefusal(w.db.sql, immutable, async (tx) => {
        await tx`update public.session_notes set status = 'void', void_reason = 'Entered on the wrong student.' where id = ${signed()}`;
        await tx`update public.session_notes set status = 'signed', void_reason = null where id = ${signed()}`;
      });
    });
  });

  describe('co-signing', () => {
    const pending = (tx: Sql) => tx`update public.session_notes set status = 'pending_cosign' where id = ${draft()}`;
    const cosign = (tx: Sql, by: string) => tx`update public.session_notes set status = 'signed', cosigned_by = ${by} where id = ${draft()}`;
    const supervises = { code: '23514', rule: 'session_notes_cosigner_supervises', table: 'session_notes', column: 'cosigned_by' } as const;

    it("the author's active supervisor co-signs a pending note, and cosigned_at is stamped", async () => {
      const note = await rolledBack(w.db.sql, async (tx) => {
        await pending(tx);
        await actAs(tx, w.fx.a.users.supervisor);
        await cosign(tx, w.fx.a.users.supervisor);
        return readNote(tx, draft());
      });
      expect(note).toMatchObject({ status: 'signed', cosigned_by: w.fx.a.users.supervisor, cosigned_at_is_now: true, signed_by: w.fx.a.users.supervisee });
    });

    it('a therapist who does not supervise the author cannot co-sign', async () => {
      await expectRefusal(w.db.sql, supervises, async (tx) => {
        await pending(tx);
        await cosign(tx, w.fx.a.users.therapist);
      });
    });

    it('a supervisor whose supervision has ended cannot co-sign', async () => {
      await expectRefusal(w.db.sql, supervises, async (tx) => {
        await pending(tx);
        await tx`update public.supervision_assignments set active_during = ${`[${isoDate(at(-300, 12))},${isoDate(at(-30, 12))})`}
                  where supervisee_id = ${w.fx.a.users.supervisee}`;
        await cosign(tx, w.fx.a.users.supervisor);
      });
    });

    it("a supervision recorded in another organisation does not let its supervisor co-sign this organisation's notes", async () => {
      await expectRefusal(w.db.sql, supervises, async (tx) => {
        await pending(tx);
        // both work for organisation B too, where the one supervises the other
        for (const user of [w.fx.a.users.therapist, w.fx.a.users.supervisee]) {
          await tx`insert into public.organization_members (organization_id, user_id, role) values (${w.fx.b.organizationId}, ${user}, 'therapist')`;
        }
        await tx`insert into public.supervision_assignments (organization_id, supervisor_id, supervisee_id, supervision_type, active_during)
                 values (${w.fx.b.organizationId}, ${w.fx.a.users.therapist}, ${w.fx.a.users.supervisee}, 'slpa', ${`[${isoDate(at(-10, 12))},)`})`;
        await cosign(tx, w.fx.a.users.therapist);
      });
    });

    it("through the API nobody co-signs in the supervisor's name, not even the author", async () => {
      await expectRefusal(w.db.sql, { code: '23514', rule: 'session_notes_cosigned_in_person', table: 'session_notes', column: 'cosigned_by' }, async (tx) => {
        await pending(tx);
        await actAs(tx, w.fx.a.users.supervisee);
        await cosign(tx, w.fx.a.users.supervisor);
      });
    });

    it('a draft cannot carry a co-signature: co-signature fields written before signing are cleared', async () => {
      const note = await rolledBack(w.db.sql, async (tx) => {
        await tx`update public.session_notes set cosigned_by = ${w.fx.a.users.supervisor}, cosigned_at = now() where id = ${draft()}`;
        await tx`update public.session_notes set status = 'pending_cosign' where id = ${draft()}`;
        return readNote(tx, draft());
      });
      expect(note).toMatchObject({ status: 'pending_cosign', cosigned_by: null });
    });

    it('a signed note cannot be co-signed afterwards', async () => {
      await expectRefusal(w.db.sql, immutable, (tx) =>
        tx`update public.session_notes set cosigned_by = ${w.fx.a.users.supervisor}, cosigned_at = now() where id = ${signed()}`,
      );
    });
  });

  describe('deleting', () => {
    it.each([
      ['signed', (tx: Sql, id: string) => tx`select ${id}`],
      ['pending co-signature', (tx: Sql, id: string) => tx`update public.session_notes set status = 'pending_cosign' where id = ${id}`],
      ['void', (tx: Sql, id: string) => tx`update public.session_notes set status = 'pending_cosign' where id = ${id}`.then(() =>
        tx`update public.session_notes set status = 'void', void_reason = 'Duplicate.' where id = ${id}`)],
    ] as const)('a %s note cannot be deleted', async (what, prepare) => {
      await expectRefusal(w.db.sql, { code: '23514', rule: 'session_notes_delete_drafts_only', table: 'session_notes' }, async (tx) => {
        const id = what === 'signed' ? signed() : draft();
        await prepare(tx, id);
        await tx`delete from public.session_notes where id = ${id}`;
      });
    });

    it('a draft note can be deleted', async () => {
      const left = await rolledBack(w.db.sql, async (tx) => {
        await tx`delete from public.session_notes where id = ${draft()}`;
        return tx`select 1 from public.session_notes where id = ${draft()}`;
      });
      expect(left).toHaveLength(0);
    });
  });
});
