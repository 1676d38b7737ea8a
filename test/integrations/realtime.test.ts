import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedFixture, type Fixture } from '../../src/demo';
import { conversationPeersTopic, conversationTopic, notificationsTopic, realtimeObjects, realtimeTables } from '../../src/integrations';
import { asAnon, asUser } from '../../src/testing';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { rolledBack, sqlState } from './support';

/**
 * Realtime against the shim's `realtime` schema, which mimics Supabase's: Realtime authorises a
 * private channel by running, as the user with `realtime.topic` set (set_config(…, true)), a
 * SELECT (receive) and an INSERT (send) on `realtime.messages`, then rolling back.
 */
describe('realtime: publication, private topics, broadcasts', () => {
  let db: TestDatabase;
  let f: Fixture;
  beforeAll(async () => {
    db = await createTestDatabase();
    f = await seedFixture(db.sql);
  });
  afterAll(() => db.close());

  /** Rows of realtime.messages on `topic` the user may read, with the topic set as Realtime sets it. */
  const receive = (user: string, topic: string, extension = 'broadcast') =>
    asUser(db.sql, { sub: user }, async (tx) => {
      await tx`select set_config('realtime.topic', ${topic}, true)`;
      const rows = await tx<{ n: number }[]>`select count(*)::int as n from realtime.messages where topic = ${topic} and extension = ${extension}`;
      return rows[0]!.n;
    });

  /** What Realtime does on join: insert a probe message on the topic as the user. */
  const send = (user: string, topic: string, extension = 'broadcast') =>
    sqlState(
      asUser(db.sql, { sub: user }, async (tx) => {
        await tx`select set_config('realtime.topic', ${topic}, true)`;
        await tx`insert into realtime.messages (topic, extension, event, payload, private)
                 values (${topic}, ${extension}, 'typing', '{}'::jsonb, true)`;
      }),
    );

  it('publishes the chat tables in supabase_realtime, and re-running the migration statement is a no-op', async () => {
    const tables = async () =>
      (await db.sql<{ t: string }[]>`select tablename as t from pg_publication_tables where pubname = 'supabase_realtime' and schemaname = 'public' order by 1`).map((r) => r.t);
    expect(await tables()).toEqual([...realtimeTables].sort());
    const publication = realtimeObjects.find((o) => o.kind === 'publication')!;
    for (const statement of publication.create) await db.sql.unsafe(statement);
    expect(await tables()).toEqual([...realtimeTables].sort());
  });

  it('the publication statement drops and re-adds the tables', async () => {
    const publication = realtimeObjects.find((o) => o.kind === 'publication')!;
    await db.sql.begin(async (tx) => {
      for (const statement of publication.drop) await tx.unsafe(statement);
      const [{ n }] = (await tx`select count(*)::int as n from pg_publication_tables where pubname = 'supabase_realtime' and schemaname = 'public'`) as unknown as [{ n: number }];
      expect(n).toBe(0);
      for (const statement of publication.drop) await tx.unsafe(statement); // idempotent too
      for (const statement of publication.create) await tx.unsafe(statement);
    });
  });

  it('a message insert broadcasts ids, never the body, on conversation:{id}', async () => {
    const topic = conversationTopic(f.a.conversationId);
    const rows = await db.sql<{ event: string; payload: Record<string, unknown>; private: boolean; extension: string }[]>`
      select event, payload, private, extension from realtime.messages where topic = ${topic} order by inserted_at`;
    // The fixture's two messages.
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row).toMatchObject({ event: 'message.created', private: true, extension: 'broadcast' });
      expect(Object.keys(row.payload).sort()).toEqual(['conversation_id', 'created_at', 'deleted_at', 'edited_at', 'id', 'sender_id']);
      expect(JSON.stringify(row.payload)).not.toContain('Great session');
    }
  });

  it('a participant sending through the API (RLS) broadcasts too, and receives the broadcast on the topic', async () => {
    const topic = conversationTopic(f.a.conversationId);
    const seen = await asUser(db.sql, { sub: f.a.users.guardian }, async (tx) => {
      const [m] = await tx<{ id: string }[]>`insert into public.messages (organization_id, conversation_id, sender_id, client_message_id, body)
        values (${f.a.organizationId}, ${f.a.conversationId}, ${f.a.users.guardian}, gen_random_uuid(), 'through the API') returning id`;
      await tx`select set_config('realtime.topic', ${topic}, true)`;
      return (await tx<{ event: string }[]>`select event from realtime.messages where topic = ${topic} and payload ->> 'id' = ${m!.id}`).map((r) => r.event);
    });
    expect(seen).toEqual(['message.created']);
  });

  it('an edit broadcasts message.updated, a soft delete message.deleted', async () => {
    const topic = conversationTopic(f.a.conversationId);
    const events = await rolledBack(db.sql, async (tx) => {
      const [m] = await tx<{ id: string }[]>`select id from public.messages where conversation_id = ${f.a.conversationId} order by created_at limit 1`;
      await tx`update public.messages set body = 'Edited', edited_at = now() where id = ${m!.id}`;
      await tx`update public.messages set deleted_at = now() where id = ${m!.id}`;
      return (await tx<{ event: string }[]>`select event from realtime.messages where topic = ${topic} and payload ->> 'id' = ${m!.id} order by event`).map((r) => r.event);
    });
    expect(events).toEqual(['message.created', 'message.deleted', 'message.updated']);
  });

  it('without realtime.send (plain PostgreSQL), a message insert still succeeds and broadcasts nothing', async () => {
    const counts = await rolledBack(db.sql, async (tx) => {
      await tx`alter function realtime.send(jsonb, text, text, boolean) rename to send_disabled`;
      const before = (await tx<{ n: number }[]>`select count(*)::int as n from realtime.messages`)[0]!.n;
      await tx`insert into public.messages (organization_id, conversation_id, sender_id, client_message_id, body)
               values (${f.a.organizationId}, ${f.a.conversationId}, ${f.a.users.therapist}, gen_random_uuid(), 'no realtime here')`;
      const after = (await tx<{ n: number }[]>`select count(*)::int as n from realtime.messages`)[0]!.n;
      return { before, after };
    });
    expect(counts.after).toBe(counts.before);
    expect((await db.sql`select to_regprocedure('realtime.send(jsonb,text,text,boolean)') is not null as present`)[0]?.present).toBe(true);
  });

  describe('conversation:{id}: participants only', () => {
    it('participants (therapist, guardian) receive broadcasts and presence on their conversation', async () => {
      const topic = conversationTopic(f.a.conversationId);
      expect(await receive(f.a.users.therapist, topic)).toBe(2);
      expect(await receive(f.a.users.guardian, topic)).toBe(2);
    });

    it('participants send broadcasts and track presence on the :peers topic, and receive there', async () => {
      const topic = conversationPeersTopic(f.a.conversationId);
      expect(await send(f.a.users.therapist, topic)).toBe('ok');
      expect(await send(f.a.users.guardian, topic, 'presence')).toBe('ok');
      expect(await receive(f.a.users.guardian, topic)).toBe(0); // nothing was left there (each send rolled back)
    });

    it('a participant cannot forge a system event: nobody sends on conversation:{id}, which carries the database\'s events only', async () => {
      const topic = conversationTopic(f.a.conversationId);
      expect(await send(f.a.users.therapist, topic)).toBe('42501');
      expect(await send(f.a.users.guardian, topic, 'presence')).toBe('42501');
      const forged = await sqlState(
        asUser(db.sql, { sub: f.a.users.guardian }, async (tx) => {
          await tx`select set_config('realtime.topic', ${topic}, true)`;
          await tx`insert into realtime.messages (topic, extension, event, payload, private)
                   values (${topic}, 'broadcast', 'message.deleted', ${JSON.stringify({ id: f.a.conversationId })}::jsonb, true)`;
        }),
      );
      expect(forged).toBe('42501');
    });

    it('a non-participant of the same organisation cannot receive or send', async () => {
      const topic = conversationTopic(f.a.conversationId);
      for (const user of [f.a.users.org_admin, f.a.users.supervisor, f.a.users.school_staff, f.a.users.student]) {
        expect(await receive(user, topic)).toBe(0);
        expect(await send(user, topic)).toBe('42501');
      }
    });

    it('another organisation cannot receive or send', async () => {
      const topic = conversationTopic(f.a.conversationId);
      for (const user of [f.b.users.therapist, f.b.users.guardian, f.b.users.org_admin]) {
        expect(await receive(user, topic)).toBe(0);
        expect(await send(user, topic)).toBe('42501');
      }
    });

    it('a participant who left loses the topic', async () => {
      const topic = conversationTopic(f.a.conversationId);
      const n = await asUser(db.sql, { sub: f.a.users.guardian }, async (tx) => {
        await tx.unsafe(`reset role`);
        await tx`update public.conversation_participants set left_at = now() where conversation_id = ${f.a.conversationId} and user_id = ${f.a.users.guardian}`;
        await tx`select set_config('role', 'authenticated', true), set_config('realtime.topic', ${topic}, true)`;
        return (await tx<{ n: number }[]>`select count(*)::int as n from realtime.messages where topic = ${topic}`)[0]!.n;
      });
      expect(n).toBe(0);
    });

    it('a student participant receives only with an active messaging consent, as for the messages table', async () => {
      const topic = conversationTopic(f.a.conversationId);
      const seen = await asUser(db.sql, { sub: f.a.users.student }, async (tx) => {
        const visible = async () => {
          await tx`select set_config('role', 'authenticated', true), set_config('realtime.topic', ${topic}, true)`;
          const [row] = await tx<{ n: number }[]>`select count(*)::int as n from realtime.messages where topic = ${topic}`;
          await tx.unsafe(`reset role`);
          return row!.n;
        };
        await tx.unsafe(`reset role`);
        await tx`insert into public.conversation_participants (organization_id, conversation_id, user_id)
                 values (${f.a.organizationId}, ${f.a.conversationId}, ${f.a.users.student})`;
        const withoutConsent = await visible();
        await tx`insert into public.consents (organization_id, student_id, consent_type, granted_at, signature_method, recorded_by)
                 values (${f.a.organizationId}, ${f.a.studentIds[0]}, 'messaging', now() - interval '1 day', 'e_signature', ${f.a.users.org_admin})`;
        return { withoutConsent, withConsent: await visible() };
      });
      expect(seen).toEqual({ withoutConsent: 0, withConsent: 2 });
    });

    it('a joined topic shows rows of that topic only, and a malformed topic matches nothing', async () => {
      const joined = conversationTopic(f.a.conversationId);
      const others = await asUser(db.sql, { sub: f.a.users.therapist }, async (tx) => {
        await tx`select set_config('realtime.topic', ${joined}, true)`;
        return (await tx<{ n: number }[]>`select count(*)::int as n from realtime.messages where topic <> ${joined}`)[0]!.n;
      });
      expect(others).toBe(0);
      const malformed = await asUser(db.sql, { sub: f.a.users.therapist }, async (tx) => {
        await tx`select set_config('realtime.topic', 'conversation:not-a-uuid', true)`;
        return (await tx<{ n: number }[]>`select count(*)::int as n from realtime.messages`)[0]!.n;
      });
      expect(malformed).toBe(0);
    });

    it('anon gets nothing', async () => {
      const topic = conversationTopic(f.a.conversationId);
      const n = await asAnon(db.sql, async (tx) => {
        await tx`select set_config('realtime.topic', ${topic}, true)`;
        return (await tx<{ n: number }[]>`select count(*)::int as n from realtime.messages`)[0]!.n;
      });
      expect(n).toBe(0);
    });
  });

  describe('user:{id}:notifications: that user only, receive only', () => {
    beforeAll(async () => {
      await db.sql`insert into public.notifications (user_id, organization_id, type, title, data)
                   values (${f.a.users.guardian}, ${f.a.organizationId}, 'session.cancelled', 'Session cancelled', '{}'::jsonb)`;
    });

    it('a new notification is announced (id and type) on the user topic', async () => {
      const rows = await db.sql<{ payload: Record<string, unknown>; event: string }[]>`
        select payload, event from realtime.messages
         where topic = ${notificationsTopic(f.a.users.guardian)} and payload ->> 'type' = 'session.cancelled'`;
      expect(rows).toHaveLength(1);
      expect(rows[0]!.event).toBe('notification.created');
      expect(Object.keys(rows[0]!.payload).sort()).toEqual(['created_at', 'id', 'organization_id', 'type']);
    });

    it('the user receives their notifications topic; nobody else does', async () => {
      const topic = notificationsTopic(f.a.users.guardian);
      // The fixture's notification and the one above.
      expect(await receive(f.a.users.guardian, topic)).toBe(2);
      for (const user of [f.a.users.therapist, f.a.users.org_admin, f.b.users.guardian]) expect(await receive(user, topic)).toBe(0);
    });

    it('nobody sends on a notifications topic, not even its user', async () => {
      const topic = notificationsTopic(f.a.users.guardian);
      expect(await send(f.a.users.guardian, topic)).toBe('42501');
      expect(await send(f.a.users.therapist, topic)).toBe('42501');
    });
  });

  it('policies call realtime.topic() and the app helpers wrapped in select, never a bare auth.uid()', async () => {
    const rows = await db.sql<{ policyname: string; cmd: string; qual: string | null; with_check: string | null }[]>`
      select policyname, cmd, qual, with_check from pg_policies where schemaname = 'realtime' and tablename = 'messages' order by policyname`;
    expect(rows.map((r) => `${r.policyname}:${r.cmd}`)).toEqual([
      'realtime_conversation_receive:SELECT',
      'realtime_conversation_send:INSERT',
      'realtime_notifications_receive:SELECT',
    ]);
    for (const row of rows) {
      const text = `${row.qual ?? ''} ${row.with_check ?? ''}`;
      expect(text).toContain('( SELECT realtime.topic()');
      expect(text.replace(/\( SELECT auth\.uid\(\)/g, '')).not.toMatch(/auth\.uid\(\)/);
      expect(text).toMatch(/extension = ANY/);
    }
  });
});

