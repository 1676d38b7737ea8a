import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionStatuses, type SessionStatus } from '../../src/schema';
import { at, createWorld, expectRefusal, insertSession, rolledBack, slot, type Sql, type World } from './helpers';

/** The session status machine of domain.md, as the BEFORE UPDATE trigger enforces it. */
const allowed: ReadonlySet<string> = new Set([
  'scheduled->confirmed',
  'scheduled->cancelled',
  'confirmed->in_progress',
  'confirmed->completed',
  'confirmed->cancelled',
  'confirmed->no_show',
  'in_progress->completed',
]);

const pairs = sessionStatuses.flatMap((from) => sessionStatuses.filter((to) => to !== from).map((to) => ({ from, to, ok: allowed.has(`${from}->${to}`) })));

describe('session status transitions', () => {
  let w: World;
  beforeAll(async () => {
    w = await createWorld();
  });
  afterAll(async () => {
    await w?.db.close();
  });

  /** A session of the therapist in `status`, written directly (inserts are not transitions). */
  const sessionIn = (tx: Sql, status: SessionStatus, start: Date) =>
    insertSession(tx, { org: w.fx.a, sessionTypeId: w.sessionTypeId.a, therapistId: w.fx.a.users.therapist, ...slot(start, 30), status });

  /** Moves a session to `to`, setting (or clearing) the cancellation fields the check constraint ties to `cancelled`. */
  const moveTo = (tx: Sql, id: string, to: SessionStatus) =>
    to === 'cancelled'
      ? tx`update public.therapy_sessions set status = ${to}, cancellation_reason = 'therapist_absent', cancelled_by = ${w.fx.a.users.org_admin}, cancelled_at = now() where id = ${id}`
      : tx`update public.therapy_sessions set status = ${to}, cancellation_reason = null, cancelled_by = null, cancelled_at = null where id = ${id}`;

  it('the table below covers every ordered pair of the six statuses', () => {
    expect(sessionStatuses).toHaveLength(6);
    expect(pairs).toHaveLength(30);
    expect(pairs.filter((p) => p.ok)).toHaveLength(allowed.size);
  });

  // A session that started yesterday, so only the transition table decides.
  it.each(pairs.filter((p) => p.ok))('$from → $to is allowed', async ({ from, to }) => {
    const status = await rolledBack(w.db.sql, async (tx) => {
      const id = await sessionIn(tx, from, at(-1, 9));
      await moveTo(tx, id, to);
      const [row] = await tx<{ status: string }[]>`select status from public.therapy_sessions where id = ${id}`;
      return row!.status;
    });
    expect(status).toBe(to);
  });

  it.each(pairs.filter((p) => !p.ok))('$from → $to is refused', async ({ from, to }) => {
    const refused = await expectRefusal(
      w.db.sql,
      { code: '23514', rule: 'therapy_sessions_status_transition', table: 'therapy_sessions', column: 'status' },
      async (tx) => {
        const id = await sessionIn(tx, from, at(-1, 9));
        await moveTo(tx, id, to);
      },
    );
    expect(refused.databaseMessage).toContain(`${from} -> ${to}`);
  });

  it.each(['completed', 'in_progress', 'no_show'] as const)('a session that has not started yet cannot be marked %s', async (to) => {
    await expectRefusal(w.db.sql, { code: '23514', rule: 'therapy_sessions_not_yet_started', table: 'therapy_sessions', column: 'status' }, async (tx) => {
      const id = await sessionIn(tx, 'confirmed', at(3, 9));
      await moveTo(tx, id, to);
    });
  });

  it('a future session can still be confirmed and cancelled', async () => {
    const statuses = await rolledBack(w.db.sql, async (tx) => {
      const id = await sessionIn(tx, 'scheduled', at(3, 9));
      await moveTo(tx, id, 'confirmed');
      await moveTo(tx, id, 'cancelled');
      return tx<{ status: string }[]>`select status from public.therapy_sessions where id = ${id}`;
    });
    expect(statuses).toEqual([{ status: 'cancelled' }]);
  });

  it.each(['completed', 'cancelled', 'no_show'] as const)('a %s session cannot be rescheduled', async (closed) => {
    await expectRefusal(w.db.sql, { code: '23514', rule: 'therapy_sessions_closed_no_reschedule', table: 'therapy_sessions' }, async (tx) => {
      const id = await sessionIn(tx, closed, at(-2, 9));
      const moved = slot(at(-2, 11), 30);
      await tx`update public.therapy_sessions set start_time = ${moved.start.toISOString()}, end_time = ${moved.end.toISOString()} where id = ${id}`;
    });
  });

  it('a closed session cannot be handed to another therapist', async () => {
    await expectRefusal(w.db.sql, { code: '23514', rule: 'therapy_sessions_closed_no_reschedule', table: 'therapy_sessions' }, async (tx) => {
      const id = await sessionIn(tx, 'completed', at(-2, 9));
      await tx`update public.therapy_sessions set therapist_id = ${w.fx.a.users.supervisor} where id = ${id}`;
    });
  });

  it('an open session can be rescheduled, and a closed one keeps its other fields editable', async () => {
    const rows = await rolledBack(w.db.sql, async (tx) => {
      const open = await sessionIn(tx, 'confirmed', at(5, 9));
      const moved = slot(at(5, 13), 45);
      await tx`update public.therapy_sessions set start_time = ${moved.start.toISOString()}, end_time = ${moved.end.toISOString()} where id = ${open}`;
      const closed = await sessionIn(tx, 'completed', at(-2, 9));
      await tx`update public.therapy_sessions set location = 'Room 12' where id = ${closed}`;
      return tx<{ minutes: number; location: string | null }[]>`
        select (extract(epoch from end_time - start_time) / 60)::int as minutes, location
          from public.therapy_sessions where id in (${open}, ${closed}) order by location nulls first`;
    });
    expect(rows).toEqual([{ minutes: 45, location: null }, { minutes: 30, location: 'Room 12' }]);
  });
});
