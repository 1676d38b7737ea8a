import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, dbErrorOf, expectRefusal, rolledBack, type Sql, type World } from './helpers';

/**
 * Charges: units are derived by the database (15-minute rule), a charge bills a signed note of a
 * completed session the student attended, and a Medicaid charge needs the student's
 * `medicaid_billing` consent on the service date.
 */
describe('billing', () => {
  let w: World;
  /** A timed code of organisation A no fixture charge uses yet. */
  let timedCodeId: string;
  beforeAll(async () => {
    w = await createWorld();
    const [code] = await w.db.sql<{ id: string }[]>`
      insert into public.billing_codes (organization_id, code, description, discipline, unit_rule)
      values (${w.fx.a.organizationId}, '92508', 'Treatment of speech, language, voice, communication disorder; group', 'slp', 'timed_15min')
      returning id`;
    timedCodeId = code!.id;
  });
  afterAll(async () => {
    await w?.db.close();
  });

  interface ChargeInput {
    readonly minutes?: number;
    readonly unitRule?: string;
    readonly payer?: string;
    readonly status?: string;
    /** `s1`: the therapist's past session with its signed note; `s2`: the SLPA's past session with a draft note. */
    readonly of?: 's1' | 's2';
  }

  /** The fixture bills s1's past session (status `ready`); voiding it frees the participation. */
  const voidFixtureCharge = (tx: Sql) =>
    tx`update public.service_charges set status = 'void' where session_id = ${w.fx.a.sessionIds.pastS1} and student_id = ${w.fx.a.studentIds[0]}`;
  /** Records s1's attendance of the past session. */
  const setAttendance = (tx: Sql, attendance: string, minutes: number | null) =>
    tx`update public.session_participants set attendance = ${attendance}, minutes_attended = ${minutes}
        where session_id = ${w.fx.a.sessionIds.pastS1} and student_id = ${w.fx.a.studentIds[0]}`;

  /** Inserts a charge of a past session's participant and returns its units. */
  const charge = async (tx: Sql, c: ChargeInput = {}) => {
    const a = w.fx.a;
    const of = c.of ?? 's1';
    const [sessionId, studentId, noteId, provider] =
      of === 's1' ? [a.sessionIds.pastS1, a.studentIds[0], a.noteIds.signedS1, a.users.therapist] : [a.sessionIds.pastS2, a.studentIds[1], a.noteIds.draftS2, a.users.supervisee];
    const [row] = await tx<{ units: number }[]>`
      insert into public.service_charges (organization_id, session_id, student_id, note_id, billing_code_id, unit_rule, rendering_provider_id,
                                          service_date, billable_minutes, payer, status)
      select ${a.organizationId}, ${sessionId}, ${studentId}, ${noteId}, ${timedCodeId}, ${c.unitRule ?? 'timed_15min'}, ${provider},
             (s.start_time at time zone 'UTC')::date, ${c.minutes ?? 30}, ${c.payer ?? 'medicaid'}, ${c.status ?? 'pending'}
        from public.therapy_sessions s where s.id = ${sessionId}
      returning units`;
    return row!.units;
  };

  describe('units by the 15-minute rule (timed_15min)', () => {
    it.each([
      [7, 0],
      [8, 1],
      [22, 1],
      [23, 2],
      [37, 2],
      [38, 3],
      [52, 3],
      [53, 4],
    ])('%i billable minutes are %i unit(s)', async (minutes, units) => {
      expect(await rolledBack(w.db.sql, (tx) => charge(tx, { minutes }))).toBe(units);
    });

    it('a per-session code is one unit whatever the minutes', async () => {
      expect(await rolledBack(w.db.sql, (tx) => charge(tx, { minutes: 7, unitRule: 'per_session' }))).toBe(1);
    });

    it('units cannot be written by a client (a generated column)', async () => {
      const refused = await dbErrorOf(w.db.sql, async (tx) => {
        await charge(tx);
        await tx`update public.service_charges set units = 9 where billing_code_id = ${timedCodeId}`;
      });
      expect(refused.code).toBe('428C9');
      expect(refused.databaseMessage).toMatch(/column "units" can only be updated to DEFAULT/);
    });

    it('a charge worth no unit cannot go forward', async () => {
      await expectRefusal(w.db.sql, { code: '23514', rule: 'service_charges_units_check', table: 'service_charges' }, (tx) =>
        charge(tx, { minutes: 7, status: 'ready' }),
      );
    });
  });

  describe('what a charge needs', () => {
    it('a charge bills a session the student attended: an absent student is not billed', async () => {
      const rendered = { code: '23514', rule: 'service_charges_service_rendered', table: 'service_charges', column: 'session_id' } as const;
      await expectRefusal(w.db.sql, rendered, async (tx) => {
        await voidFixtureCharge(tx);
        await setAttendance(tx, 'absent_excused', null);
        await charge(tx, { payer: 'district' });
      });
      // late or leaving early still counts as attended
      const units = await rolledBack(w.db.sql, async (tx) => {
        await setAttendance(tx, 'left_early', 20);
        return charge(tx, { payer: 'district', minutes: 20 });
      });
      expect(units).toBe(1);
    });

    it('a billed attendance stays an attendance: the charge is voided before recording an absence', async () => {
      await expectRefusal(w.db.sql, { code: '23514', rule: 'session_participants_billed_attendance', table: 'session_participants', column: 'attendance' }, (tx) =>
        setAttendance(tx, 'absent_unexcused', null),
      );
      const attendance = await rolledBack(w.db.sql, async (tx) => {
        await voidFixtureCharge(tx);
        await setAttendance(tx, 'absent_unexcused', null);
        const [row] = await tx<{ attendance: string }[]>`
          select attendance from public.session_participants where session_id = ${w.fx.a.sessionIds.pastS1} and student_id = ${w.fx.a.studentIds[0]}`;
        return row!.attendance;
      });
      expect(attendance).toBe('absent_unexcused');
    });

    it('a billed session is not soft-deleted until its charges are voided', async () => {
      await expectRefusal(w.db.sql, { code: '23514', rule: 'therapy_sessions_billed_not_deleted', table: 'therapy_sessions', column: 'deleted_at' }, (tx) =>
        tx`update public.therapy_sessions set deleted_at = now() where id = ${w.fx.a.sessionIds.pastS1}`,
      );
      const deleted = await rolledBack(w.db.sql, async (tx) => {
        await voidFixtureCharge(tx);
        const result = await tx`update public.therapy_sessions set deleted_at = now() where id = ${w.fx.a.sessionIds.pastS1}`;
        return result.count;
      });
      expect(deleted).toBe(1);
    });

    it('a charge bills a signed note, not a draft', async () => {
      await expectRefusal(w.db.sql, { code: '23514', rule: 'service_charges_signed_note', table: 'service_charges', column: 'note_id' }, (tx) =>
        charge(tx, { of: 's2', payer: 'district' }),
      );
    });

    it('a Medicaid charge needs the medicaid_billing consent', async () => {
      await expectRefusal(w.db.sql, { code: '23514', rule: 'service_charges_medicaid_consent', table: 'service_charges', column: 'payer' }, async (tx) => {
        await signBySupervision(tx, w.fx.a.noteIds.draftS2);
        await charge(tx, { of: 's2', payer: 'medicaid' });
      });
    });

    it('the same charge to another payer needs no Medicaid consent', async () => {
      const units = await rolledBack(w.db.sql, async (tx) => {
        await signBySupervision(tx, w.fx.a.noteIds.draftS2);
        return charge(tx, { of: 's2', payer: 'district' });
      });
      expect(units).toBe(2);
    });

    it('a Medicaid consent revoked before the service date does not cover it', async () => {
      await expectRefusal(w.db.sql, { code: '23514', rule: 'service_charges_medicaid_consent', table: 'service_charges', column: 'payer' }, async (tx) => {
        await tx`update public.consents set revoked_at = now() - interval '20 days', revoked_reason = 'Guardian withdrew Medicaid billing consent.'
                  where student_id = ${w.fx.a.studentIds[0]} and consent_type = 'medicaid_billing'`;
        await charge(tx, { of: 's1', payer: 'medicaid' });
      });
    });

    it('a student with medicaid_billing consent can be billed to Medicaid', async () => {
      expect(await rolledBack(w.db.sql, (tx) => charge(tx, { of: 's1', payer: 'medicaid', status: 'ready' }))).toBe(2);
    });

    it('switching an existing charge to Medicaid is checked too', async () => {
      await expectRefusal(w.db.sql, { code: '23514', rule: 'service_charges_medicaid_consent', table: 'service_charges', column: 'payer' }, async (tx) => {
        await signBySupervision(tx, w.fx.a.noteIds.draftS2);
        await charge(tx, { of: 's2', payer: 'district' });
        await tx`update public.service_charges set payer = 'medicaid' where student_id = ${w.fx.a.studentIds[1]}`;
      });
    });
  });
});

/** The SLPA's note: signed by her as pending co-signature, then co-signed by her supervisor. */
async function signBySupervision(tx: Sql, noteId: string): Promise<void> {
  await tx`update public.session_notes set status = 'pending_cosign' where id = ${noteId}`;
  await tx`update public.session_notes n set status = 'signed', cosigned_by = s.supervisor_id
             from public.supervision_assignments s
            where n.id = ${noteId} and s.supervisee_id = n.author_id and s.organization_id = n.organization_id`;
}
