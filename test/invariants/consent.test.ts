import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addParticipant, at, createWorld, expectRefusal, insertSession, rolledBack, slot, type Sql, type World } from './helpers';

/**
 * A student is seen only with an active `treatment` consent at the session's start; consents are
 * legal records, append-only except a single revocation.
 */
describe('consent', () => {
  let w: World;
  beforeAll(async () => {
    w = await createWorld();
  });
  afterAll(async () => {
    await w?.db.close();
  });

  const noConsent = { code: '23514', rule: 'session_participants_treatment_consent', table: 'session_participants', column: 'student_id' } as const;
  const appendOnly = { code: '23514', rule: 'consents_append_only', table: 'consents' } as const;

  const sessionAt = (tx: Sql, start: Date, therapistId = w.fx.a.users.therapist) =>
    insertSession(tx, { org: w.fx.a, sessionTypeId: w.sessionTypeId.a, therapistId, ...slot(start, 30) });

  /** A new student of organisation A with no consent at all. */
  const newStudent = async (tx: Sql) => {
    const [s] = await tx<{ id: string }[]>`
      insert into public.students (organization_id, school_id, first_name, last_name, date_of_birth)
      values (${w.fx.a.organizationId}, ${w.fx.a.schoolIds[0]}, 'Noor', 'New', '2014-02-02') returning id`;
    return s!.id;
  };

  const grant = (tx: Sql, studentId: string, grantedAt: Date, expiresAt: Date | null = null, type = 'treatment') =>
    tx<{ id: string }[]>`
      insert into public.consents (organization_id, student_id, consent_type, granted_at, expires_at, signature_method, recorded_by)
      values (${w.fx.a.organizationId}, ${studentId}, ${type}, ${grantedAt.toISOString()}, ${expiresAt?.toISOString() ?? null}, 'e_signature', ${w.fx.a.users.org_admin})
      returning id`.then((rows) => rows[0]!.id);

  describe('treatment consent before a session', () => {
    it('a student without treatment consent cannot be added to a session', async () => {
      await expectRefusal(w.db.sql, noConsent, async (tx) => {
        const student = await newStudent(tx);
        await addParticipant(tx, w.fx.a, await sessionAt(tx, at(20, 15)), student);
      });
    });

    it('another kind of consent is not treatment consent', async () => {
      await expectRefusal(w.db.sql, noConsent, async (tx) => {
        const student = await newStudent(tx);
        await grant(tx, student, at(-10, 12), null, 'evaluation');
        await addParticipant(tx, w.fx.a, await sessionAt(tx, at(20, 15)), student);
      });
    });

    it('a consent granted today covers sessions from today, not last week', async () => {
      const booked = await rolledBack(w.db.sql, async (tx) => {
        const student = await newStudent(tx);
        await grant(tx, student, new Date());
        await addParticipant(tx, w.fx.a, await sessionAt(tx, at(20, 15)), student);
        return tx`select 1 from public.session_participants where student_id = ${student}`;
      });
      expect(booked).toHaveLength(1);
      await expectRefusal(w.db.sql, noConsent, async (tx) => {
        const student = await newStudent(tx);
        await grant(tx, student, new Date());
        await addParticipant(tx, w.fx.a, await sessionAt(tx, at(-5, 15)), student);
      });
    });

    it('an expired consent does not cover sessions after its expiry', async () => {
      await expectRefusal(w.db.sql, noConsent, async (tx) => {
        const student = await newStudent(tx);
        await grant(tx, student, at(-100, 12), at(10, 12));
        await addParticipant(tx, w.fx.a, await sessionAt(tx, at(20, 15)), student);
      });
    });

    it('a revoked consent does not cover sessions after the revocation, but still covers those before it', async () => {
      const s3 = w.fx.a.studentIds[2];
      await expectRefusal(w.db.sql, noConsent, async (tx) => {
        await tx`update public.consents set revoked_at = ${at(-1, 12).toISOString()}, revoked_reason = 'Family moved.'
                  where student_id = ${s3} and consent_type = 'treatment'`;
        await addParticipant(tx, w.fx.a, await sessionAt(tx, at(20, 15)), s3);
      });
      const booked = await rolledBack(w.db.sql, async (tx) => {
        await tx`update public.consents set revoked_at = ${at(-1, 12).toISOString()}, revoked_reason = 'Family moved.'
                  where student_id = ${s3} and consent_type = 'treatment'`;
        await addParticipant(tx, w.fx.a, await sessionAt(tx, at(-3, 15)), s3);
        return tx`select 1 from public.session_participants where student_id = ${s3}`;
      });
      expect(booked).toHaveLength(1);
    });

    it('a consent revoked after the booking stops the session from being started or completed, not the revocation', async () => {
      const consented = { code: '23514', rule: 'therapy_sessions_participants_consented', table: 'therapy_sessions', column: 'status' } as const;
      const s3 = w.fx.a.studentIds[2];
      /** A session of yesterday with s3 booked, then the consent revoked an hour before it started. */
      const bookedThenRevoked = async (tx: Sql) => {
        const start = at(-1, 15);
        const session = await sessionAt(tx, start);
        await addParticipant(tx, w.fx.a, session, s3);
        await tx`update public.consents set revoked_at = ${new Date(start.getTime() - 3_600_000).toISOString()}, revoked_reason = 'Family moved.'
                  where student_id = ${s3} and consent_type = 'treatment'`;
        await tx`update public.therapy_sessions set status = 'confirmed' where id = ${session}`;
        return session;
      };
      for (const status of ['in_progress', 'completed']) {
        await expectRefusal(w.db.sql, consented, async (tx) => {
          const session = await bookedThenRevoked(tx);
          await tx`update public.therapy_sessions set status = ${status} where id = ${session}`;
        });
      }
      // recorded absent, the rest of the session goes ahead; or the session is recorded as a no-show
      const closeAs = (status: 'completed' | 'no_show', markAbsent: boolean) =>
        rolledBack(w.db.sql, async (tx) => {
          const session = await bookedThenRevoked(tx);
          if (markAbsent) await tx`update public.session_participants set attendance = 'absent_excused' where session_id = ${session} and student_id = ${s3}`;
          await tx`update public.therapy_sessions set status = ${status} where id = ${session}`;
          const [row] = await tx<{ status: string }[]>`select status from public.therapy_sessions where id = ${session}`;
          return row!.status;
        });
      expect(await closeAs('completed', true)).toBe('completed');
      expect(await closeAs('no_show', false)).toBe('no_show');
    });

    it("rescheduling a session past a student's consent expiry is refused", async () => {
      await expectRefusal(w.db.sql, noConsent, async (tx) => {
        const student = await newStudent(tx);
        await grant(tx, student, at(-100, 12), at(10, 12));
        const session = await sessionAt(tx, at(5, 15));
        await addParticipant(tx, w.fx.a, session, student);
        const moved = slot(at(12, 15), 30);
        await tx`update public.therapy_sessions set start_time = ${moved.start.toISOString()}, end_time = ${moved.end.toISOString()} where id = ${session}`;
      });
    });
  });

  describe('consents are append-only except one revocation', () => {
    const s1Treatment = async (tx: Sql) => {
      const [c] = await tx<{ id: string }[]>`select id from public.consents where student_id = ${w.fx.a.studentIds[0]} and consent_type = 'treatment'`;
      return c!.id;
    };

    it('a consent cannot be deleted', async () => {
      await expectRefusal(w.db.sql, appendOnly, async (tx) => tx`delete from public.consents where id = ${await s1Treatment(tx)}`);
    });

    it.each([
      ['its type', { consent_type: 'media' }],
      ['when it was granted', { granted_at: '2020-01-01T00:00:00Z' }],
      ['its expiry', { expires_at: '2099-01-01T00:00:00Z' }],
      ['its scope', { scope: '{"sessions": "group only"}' }],
    ] as const)('a consent cannot change %s', async (_what, change) => {
      await expectRefusal(w.db.sql, appendOnly, async (tx) => {
        const id = await s1Treatment(tx);
        await tx`update public.consents set ${tx(change as Record<string, unknown>)} where id = ${id}`;
      });
    });

    it('a consent can be revoked once, with a reason', async () => {
      const revoked = await rolledBack(w.db.sql, async (tx) => {
        const id = await s1Treatment(tx);
        await tx`update public.consents set revoked_at = now(), revoked_reason = 'Guardian withdrew consent.' where id = ${id}`;
        return tx<{ revoked: boolean }[]>`select revoked_at is not null as revoked from public.consents where id = ${id}`;
      });
      expect(revoked).toEqual([{ revoked: true }]);
    });

    it('a revocation needs a reason', async () => {
      await expectRefusal(w.db.sql, { code: '23514', rule: 'consents_revocation_fields_check', table: 'consents' }, async (tx) => {
        await tx`update public.consents set revoked_at = now() where id = ${await s1Treatment(tx)}`;
      });
    });

    it('a revocation cannot be changed or undone', async () => {
      for (const change of [{ revoked_reason: 'Another reason.' }, { revoked_at: null, revoked_reason: null }]) {
        await expectRefusal(w.db.sql, appendOnly, async (tx) => {
          const id = await s1Treatment(tx);
          await tx`update public.consents set revoked_at = now(), revoked_reason = 'Guardian withdrew consent.' where id = ${id}`;
          await tx`update public.consents set ${tx(change)} where id = ${id}`;
        });
      }
    });
  });
});
