import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asUser } from '../../src/testing';
import { at, createWorld, expectRefusal, insertSession, rolledBack, slot, type Sql, type World } from './helpers';

/**
 * Issue 12, item 8 and the facts-of-record decision: every state rule holds on insert as on update
 * (a session could be inserted `completed` a month ahead, then attended, signed and billed), and the
 * times that record what happened — revoked, cancelled, deleted, edited, submitted, shared,
 * created — are the server's, whatever an API client sends.
 */
describe('state rules hold on insert', () => {
  let w: World;
  beforeAll(async () => {
    w = await createWorld();
  });
  afterAll(async () => {
    await w?.db.close();
  });

  const sessionIn = (tx: Sql, status: string, start: Date) =>
    insertSession(tx, { org: w.fx.a, sessionTypeId: w.sessionTypeId.a, therapistId: w.fx.a.users.therapist, ...slot(start, 30), status });

  it.each(['completed', 'in_progress', 'no_show'])('a session cannot be inserted %s a month ahead', async (status) => {
    await expectRefusal(w.db.sql, { code: '23514', rule: 'therapy_sessions_not_yet_started', table: 'therapy_sessions', column: 'status' }, (tx) =>
      sessionIn(tx, status, at(30, 9)),
    );
  });

  it('so the chain "inserted completed ahead, attended, signed, billed" breaks at its first link; a past session is still recorded completed', async () => {
    const statuses = await rolledBack(w.db.sql, async (tx) => {
      const past = await sessionIn(tx, 'completed', at(-3, 9));
      const ahead = await sessionIn(tx, 'confirmed', at(30, 9));
      const cancelled = await sessionIn(tx, 'cancelled', at(30, 11));
      return tx<{ status: string }[]>`select status from public.therapy_sessions where id in (${past}, ${ahead}, ${cancelled}) order by start_time`;
    });
    expect(statuses.map((s) => s.status)).toEqual(['completed', 'confirmed', 'cancelled']);
  });

  it('through the API too: an org admin cannot insert a future session as completed', async () => {
    const a = w.fx.a;
    const outcome = await asUser(w.db.sql, { sub: a.users.org_admin }, async (tx) => {
      try {
        await tx`insert into public.therapy_sessions (organization_id, therapist_id, session_type_id, start_time, end_time, status, created_by)
                 values (${a.organizationId}, ${a.users.therapist}, ${w.sessionTypeId.a}, now() + interval '30 days', now() + interval '30 days 30 minutes', 'completed', ${a.users.org_admin})`;
        return 'accepted';
      } catch (error) {
        return (error as { constraint_name?: string }).constraint_name;
      }
    });
    expect(outcome).toBe('therapy_sessions_not_yet_started');
  });
});

describe("facts of record are the server's time, never the client's", () => {
  let w: World;
  beforeAll(async () => {
    w = await createWorld();
  });
  afterAll(async () => {
    await w?.db.close();
  });

  const LONG_AGO = '2001-02-03T04:05:06Z';
  /** Whether a stored time is the transaction's (`now()`). */
  const isNow = (tx: Sql, table: string, column: string, id: string) =>
    tx.unsafe<{ now: boolean }[]>(`select ${column} = now() as now from public.${table} where id = $1`, [id]).then((r) => r[0]?.now);

  it('a sender cannot backdate a message, its edit or its soft delete', async () => {
    const a = w.fx.a;
    const stamped = await asUser(w.db.sql, { sub: a.users.therapist }, async (tx) => {
      const [m] = await tx<{ id: string }[]>`
        insert into public.messages (organization_id, conversation_id, sender_id, client_message_id, body, created_at)
        values (${a.organizationId}, ${a.conversationId}, ${a.users.therapist}, gen_random_uuid(), 'Hello', ${LONG_AGO}) returning id`;
      const created = await isNow(tx, 'messages', 'created_at', m!.id);
      await tx`update public.messages set body = 'Hello!', edited_at = ${LONG_AGO} where id = ${m!.id}`;
      const edited = await isNow(tx, 'messages', 'edited_at', m!.id);
      await tx`update public.messages set deleted_at = ${LONG_AGO} where id = ${m!.id}`;
      return { created, edited, deleted: await isNow(tx, 'messages', 'deleted_at', m!.id) };
    });
    expect(stamped).toEqual({ created: true, edited: true, deleted: true });
  });

  it('a guardian cannot backdate the revocation of a consent (revoked_at is stamped)', async () => {
    const a = w.fx.a;
    const stamped = await asUser(w.db.sql, { sub: a.users.guardian }, async (tx) => {
      const [consent] = await tx<{ id: string }[]>`select id from public.consents where student_id = ${a.studentIds[0]} and consent_type = 'medicaid_billing'`;
      await tx`update public.consents set revoked_at = ${LONG_AGO}, revoked_reason = 'No more Medicaid billing.' where id = ${consent!.id}`;
      return isNow(tx, 'consents', 'revoked_at', consent!.id);
    });
    expect(stamped).toBe(true);
  });

  it('an org admin cannot record a consent as revoked at a chosen time', async () => {
    const a = w.fx.a;
    const stamped = await asUser(w.db.sql, { sub: a.users.org_admin }, async (tx) => {
      const [consent] = await tx<{ id: string }[]>`
        insert into public.consents (organization_id, student_id, consent_type, granted_at, revoked_at, revoked_reason, signature_method, recorded_by, created_at)
        values (${a.organizationId}, ${a.studentIds[1]}, 'telehealth', '2000-01-01', ${LONG_AGO}, 'Paper withdrawal.', 'wet_ink_scanned', ${a.users.org_admin}, ${LONG_AGO})
        returning id`;
      return { revoked: await isNow(tx, 'consents', 'revoked_at', consent!.id), created: await isNow(tx, 'consents', 'created_at', consent!.id) };
    });
    expect(stamped).toEqual({ revoked: true, created: true });
  });

  it('an org admin cannot backdate a cancellation', async () => {
    const a = w.fx.a;
    const stamped = await asUser(w.db.sql, { sub: a.users.org_admin }, async (tx) => {
      await tx`update public.therapy_sessions
                  set status = 'cancelled', cancellation_reason = 'weather', cancelled_by = ${a.users.org_admin}, cancelled_at = ${LONG_AGO}
                where id = ${a.sessionIds.upcomingS1}`;
      return isNow(tx, 'therapy_sessions', 'cancelled_at', a.sessionIds.upcomingS1);
    });
    expect(stamped).toBe(true);
  });

  it('billing cannot choose when a claim was submitted', async () => {
    const a = w.fx.a;
    const stamped = await asUser(w.db.sql, { sub: a.users.billing }, async (tx) => {
      const [charge] = await tx<{ id: string }[]>`
        update public.service_charges set status = 'submitted', submitted_at = ${LONG_AGO} where organization_id = ${a.organizationId} returning id`;
      return isNow(tx, 'service_charges', 'submitted_at', charge!.id);
    });
    expect(stamped).toBe(true);
  });

  /** The participation's times as the database owner reads them (a participant who left reads their row no more). */
  const participation = async (tx: Sql, conversation: string, user: string) => {
    await tx.unsafe('reset role');
    const [row] = await tx.unsafe<{ left_now: boolean | null; joined_now: boolean; left_at: string | null }[]>(
      `select left_at = now() as left_now, joined_at = now() as joined_now, left_at::text from public.conversation_participants where conversation_id = $1 and user_id = $2`,
      [conversation, user],
    );
    return row;
  };

  it.each([
    ['a past time (before they joined)', LONG_AGO],
    ['a future time', '2999-01-01T00:00:00Z'],
  ])("a participant who leaves a conversation gets the server's time in left_at, whatever they send: %s", async (_, sent) => {
    const a = w.fx.a;
    const seen = await asUser(w.db.sql, { sub: a.users.guardian }, async (tx) => {
      const left = await tx`update public.conversation_participants set left_at = ${sent}
                             where conversation_id = ${a.conversationId} and user_id = (select auth.uid())`;
      return { rows: left.count, ...(await participation(tx, a.conversationId, a.users.guardian)) };
    });
    expect(seen).toMatchObject({ rows: 1, left_now: true });
  });

  it('a participant who left cannot move their left_at afterwards (no row of theirs is writable once they left)', async () => {
    const a = w.fx.a;
    const seen = await asUser(w.db.sql, { sub: a.users.guardian }, async (tx) => {
      await tx`update public.conversation_participants set left_at = now() where conversation_id = ${a.conversationId} and user_id = (select auth.uid())`;
      const moved = await tx`update public.conversation_participants set left_at = ${LONG_AGO}
                              where conversation_id = ${a.conversationId} and user_id = (select auth.uid())`;
      return { rows: moved.count, ...(await participation(tx, a.conversationId, a.users.guardian)) };
    });
    expect(seen).toMatchObject({ rows: 0, left_now: true });
  });

  it("a conversation's starter cannot add someone as having joined or left at a chosen time", async () => {
    const a = w.fx.a;
    const seen = await asUser(w.db.sql, { sub: a.users.therapist }, async (tx) => {
      await tx`insert into public.conversation_participants (organization_id, conversation_id, user_id, joined_at, left_at)
               values (${a.organizationId}, ${a.conversationId}, ${a.users.org_admin}, ${LONG_AGO}, ${LONG_AGO})`;
      return participation(tx, a.conversationId, a.users.org_admin);
    });
    expect(seen).toMatchObject({ joined_now: true, left_now: true });
  });

  it('server code (no API role) keeps the times it writes: imports carry history over', async () => {
    const kept = await rolledBack(w.db.sql, async (tx) => {
      const [m] = await tx<{ created: string }[]>`
        insert into public.messages (organization_id, conversation_id, sender_id, client_message_id, body, created_at)
        values (${w.fx.a.organizationId}, ${w.fx.a.conversationId}, ${w.fx.a.users.therapist}, gen_random_uuid(), 'Imported', ${LONG_AGO})
        returning created_at::text as created`;
      return m!.created;
    });
    expect(new Date(kept).toISOString()).toBe(new Date(LONG_AGO).toISOString());
  });
});
