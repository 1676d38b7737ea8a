import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUser } from '../../src/testing';
import { addParticipant, at, createWorld, dbErrorOf, expectRefusal, insertSession, rolledBack, slot, type Sql, type World } from './helpers';

/**
 * `check_therapist_availability` and `find_conflicts`: hints for scheduling forms (the exclusion
 * constraints are what guarantee no overlap). Security invoker, pinned search path, not for anon.
 */
describe('availability functions', () => {
  let w: World;
  beforeAll(async () => {
    w = await createWorld();
  });
  afterAll(async () => {
    await w?.db.close();
  });

  const availabilitySignature = 'public.check_therapist_availability(uuid, uuid, timestamptz, timestamptz, uuid)';
  const conflictsSignature = 'public.find_conflicts(uuid, uuid, timestamptz, timestamptz, uuid[], uuid, uuid)';

  /** A booked 15:00–15:30 session of the therapist 60 days out. */
  const book = (tx: Sql, start = at(60, 15), therapistId = w.fx.a.users.therapist, status?: string) =>
    insertSession(tx, { org: w.fx.a, sessionTypeId: w.sessionTypeId.a, therapistId, ...slot(start, 30), ...(status ? { status } : {}) });

  const available = async (tx: Sql, start: Date | null, end: Date | null, ignore: string | null = null, therapistId = w.fx.a.users.therapist, organizationId = w.fx.a.organizationId) => {
    const [row] = await tx<{ free: boolean | null }[]>`
      select public.check_therapist_availability(${organizationId}, ${therapistId}, ${start?.toISOString() ?? null}::timestamptz, ${end?.toISOString() ?? null}::timestamptz, ${ignore}::uuid) as free`;
    return row!.free;
  };

  describe('check_therapist_availability', () => {
    it('is true for a free slot, false for an overlapping one, true back-to-back', async () => {
      const answers = await rolledBack(w.db.sql, async (tx) => {
        await book(tx);
        return {
          free: await available(tx, at(60, 10), at(60, 11)),
          overlapping: await available(tx, at(60, 15, 15), at(60, 16)),
          around: await available(tx, at(60, 14), at(60, 17)),
          before: await available(tx, at(60, 14, 30), at(60, 15)),
          after: await available(tx, at(60, 15, 30), at(60, 16)),
          otherTherapist: await available(tx, at(60, 15), at(60, 15, 30), null, w.fx.a.users.supervisor),
        };
      });
      expect(answers).toEqual({ free: true, overlapping: false, around: false, before: true, after: true, otherTherapist: true });
    });

    it('is null for an inverted, empty or open range', async () => {
      const answers = await rolledBack(w.db.sql, async (tx) => [
        await available(tx, at(60, 11), at(60, 10)),
        await available(tx, at(60, 11), at(60, 11)),
        await available(tx, null, at(60, 11)),
      ]);
      expect(answers).toEqual([null, null, null]);
    });

    it('ignores the session being rescheduled (p_ignore_session_id)', async () => {
      const answers = await rolledBack(w.db.sql, async (tx) => {
        const id = await book(tx);
        return [await available(tx, at(60, 15, 10), at(60, 15, 40)), await available(tx, at(60, 15, 10), at(60, 15, 40), id)];
      });
      expect(answers).toEqual([false, true]);
    });

    it('does not count cancelled sessions', async () => {
      const free = await rolledBack(w.db.sql, async (tx) => {
        await book(tx, at(60, 15), w.fx.a.users.therapist, 'cancelled');
        return available(tx, at(60, 15), at(60, 15, 30));
      });
      expect(free).toBe(true);
    });

    it('agrees with the exclusion constraint: a slot it calls taken is refused on insert', async () => {
      await expectRefusal(w.db.sql, { code: '23P01', rule: 'therapy_sessions_therapist_overlap_excl', table: 'therapy_sessions' }, async (tx) => {
        await book(tx);
        expect(await available(tx, at(60, 15, 15), at(60, 15, 45))).toBe(false);
        await book(tx, at(60, 15, 15));
      });
    });

    it('is security invoker with an empty search path, executable by authenticated and not by anon', async () => {
      const [fn] = await w.db.sql<{ secdef: boolean; config: string[]; anon: boolean; authenticated: boolean; pub: boolean }[]>`
        select p.prosecdef as secdef, p.proconfig as config,
               has_function_privilege('anon', p.oid, 'execute') as anon,
               has_function_privilege('authenticated', p.oid, 'execute') as authenticated,
               exists (select 1 from aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a where a.grantee = 0 and a.privilege_type = 'EXECUTE') as pub
          from pg_proc p where p.oid = ${availabilitySignature}::regprocedure`;
      expect(fn).toEqual({ secdef: false, config: ['search_path=""'], anon: false, authenticated: true, pub: false });
    });

    it('anon calling it is refused for want of EXECUTE', async () => {
      const refused = await dbErrorOf(w.db.sql, async (tx) => {
        await tx`select set_config('role', 'anon', true)`;
        await tx`select public.check_therapist_availability(${w.fx.a.organizationId}, ${w.fx.a.users.therapist}, now(), now() + interval '1 hour')`;
      });
      expect(refused).toMatchObject({ code: '42501', kind: 'permission', databaseMessage: 'permission denied for function check_therapist_availability' });
      expect(refused.message).toContain('check_therapist_availability');
    });

    it('a therapist sees their own bookings through it', async () => {
      const free = await asUser(w.db.sql, { sub: w.fx.a.users.therapist }, (tx) => available(tx, at(7, 16, 10), at(7, 16, 20)));
      expect(free).toBe(false);
    });
  });

  describe('find_conflicts', () => {
    interface Conflict {
      kind: string;
      id: string;
      student_id: string | null;
    }
    const conflicts = (tx: Sql, start: Date, end: Date, students: string[], ignore: string | null = null, schoolId: string | null = w.fx.a.schoolIds[0]) =>
      tx<Conflict[]>`
        select kind, id, student_id from public.find_conflicts(
          ${w.fx.a.organizationId}, ${w.fx.a.users.therapist}, ${start.toISOString()}::timestamptz, ${end.toISOString()}::timestamptz,
          ${students}::uuid[], ${schoolId}::uuid, ${ignore}::uuid)`;

    it('reports the therapist\'s own sessions, the students\' other sessions and blackouts, by kind', async () => {
      const [s1] = w.fx.a.studentIds;
      const found = await rolledBack(w.db.sql, async (tx) => {
        // Day 30 is the fixture's organisation-wide holiday; book the therapist and, with the SLPA, student s1.
        const mine = await book(tx, at(30, 15));
        const theirs = await book(tx, at(30, 15, 15), w.fx.a.users.supervisee);
        await addParticipant(tx, w.fx.a, theirs, s1);
        const [blackout] = await tx<{ id: string }[]>`select id from public.calendar_blackouts where organization_id = ${w.fx.a.organizationId}`;
        return { mine, theirs, blackout: blackout!.id, rows: await conflicts(tx, at(30, 15), at(30, 16), [s1]) };
      });
      expect(found.rows).toEqual(
        expect.arrayContaining([
          { kind: 'therapist', id: found.mine, student_id: null },
          { kind: 'student', id: found.theirs, student_id: s1 },
          { kind: 'blackout', id: found.blackout, student_id: null },
        ]),
      );
      expect(found.rows).toHaveLength(3);
    });

    it('reports nothing for a free slot, and skips the session being rescheduled', async () => {
      const found = await rolledBack(w.db.sql, async (tx) => {
        const mine = await book(tx, at(61, 15));
        await addParticipant(tx, w.fx.a, mine, w.fx.a.studentIds[0]);
        return {
          free: await conflicts(tx, at(61, 10), at(61, 11), [w.fx.a.studentIds[0]]),
          ignored: await conflicts(tx, at(61, 15), at(61, 15, 30), [w.fx.a.studentIds[0]], mine),
          notIgnored: await conflicts(tx, at(61, 15), at(61, 15, 30), [w.fx.a.studentIds[0]]),
        };
      });
      expect(found.free).toEqual([]);
      expect(found.ignored).toEqual([]);
      expect(found.notIgnored.map((c) => c.kind).sort()).toEqual(['student', 'therapist']);
    });

    it('counts only blackouts of the organisation, of this school or of this therapist', async () => {
      const found = await rolledBack(w.db.sql, async (tx) => {
        const during = `[${at(62, 0).toISOString()},${at(63, 0).toISOString()})`;
        const add = (organizationId: string, schoolId: string | null, therapistId: string | null, kind: string) =>
          tx<{ id: string }[]>`insert into public.calendar_blackouts (organization_id, school_id, therapist_id, kind, during)
                               values (${organizationId}, ${schoolId}, ${therapistId}, ${kind}, ${during}) returning id`.then((r) => r[0]!.id);
        const ids = {
          thisSchool: await add(w.fx.a.organizationId, w.fx.a.schoolIds[0], null, 'closure'),
          otherSchool: await add(w.fx.a.organizationId, w.fx.a.schoolIds[1], null, 'closure'),
          myLeave: await add(w.fx.a.organizationId, null, w.fx.a.users.therapist, 'therapist_leave'),
          colleagueLeave: await add(w.fx.a.organizationId, null, w.fx.a.users.supervisor, 'therapist_leave'),
          otherOrg: await add(w.fx.b.organizationId, null, null, 'holiday'),
        };
        return { ids, rows: await conflicts(tx, at(62, 15), at(62, 16), []) };
      });
      expect(found.rows.map((r) => r.id).sort()).toEqual([found.ids.thisSchool, found.ids.myLeave].sort());
    });

    it('is not executable by anon', async () => {
      const [row] = await w.db.sql<{ anon: boolean; authenticated: boolean }[]>`
        select has_function_privilege('anon', ${conflictsSignature}, 'execute') as anon,
               has_function_privilege('authenticated', ${conflictsSignature}, 'execute') as authenticated`;
      expect(row).toEqual({ anon: false, authenticated: true });
    });
  });
});
