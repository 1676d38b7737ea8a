import { describe, expect, it } from 'vitest';
import { conversationPeersTopic, conversationTopic } from '../../src/integrations';
import { asUser } from '../../src/testing';
import { attempt, describeOutcome, type Outcome } from './support/probe';
import { affected, asOwnerDo, count, refused, refusedOrNotMember, signInAs, tryStatement } from './support/statements';
import { usePolicyWorld, type Tx } from './support/world';

/**
 * Issue 12, item 5 (realtime without membership) and the chat decisions: a conversation counts only
 * for active members of its organisation; a guardian whose link to the child is removed, or whose
 * portal access is withdrawn, loses the child's team chat; guardians start conversations only about
 * their own children, with that child's team; a participant who left cannot rejoin by themselves,
 * and nobody forges the database's events on a conversation topic.
 */

const world = usePolicyWorld();

const a = () => world().fx.a;

/** What Realtime does when the user joins `topic`: reads the topic's rows (receive) and writes one (send). */
async function realtime(tx: Tx, topic: string): Promise<{ receive: number; send: Outcome }> {
  await tx`select set_config('realtime.topic', ${topic}, true)`;
  const receive = await count(tx, 'select 1 from realtime.messages where topic = $1', [topic]);
  const send = await attempt(tx, async (sp) => (await sp.unsafe(`insert into realtime.messages (topic, extension, event, payload, private) values ($1, 'broadcast', 'typing', '{}', true)`, [topic])).count);
  await tx`select set_config('realtime.topic', '', true)`;
  return { receive, send };
}

/** The guardian's view of their child's team conversation: the messages table and both topics. */
async function teamChat(tx: Tx) {
  return {
    conversation: await count(tx, 'select 1 from public.conversations where id = $1', [a().conversationId]),
    messages: await count(tx, 'select 1 from public.messages where conversation_id = $1', [a().conversationId]),
    send: await tryStatement(tx, `insert into public.messages (organization_id, conversation_id, sender_id, client_message_id, body) values ($1, $2, (select auth.uid()), gen_random_uuid(), 'Hello?')`, [
      a().organizationId,
      a().conversationId,
    ]),
    topic: await realtime(tx, conversationTopic(a().conversationId)),
    peers: await realtime(tx, conversationPeersTopic(a().conversationId)),
  };
}

function shutOut(chat: Awaited<ReturnType<typeof teamChat>>) {
  expect({ conversation: chat.conversation, messages: chat.messages, topic: chat.topic.receive, peers: chat.peers.receive }).toEqual({ conversation: 0, messages: 0, topic: 0, peers: 0 });
  refusedOrNotMember(chat.send);
  refused(chat.topic.send);
  refused(chat.peers.send);
}

describe('item 5: realtime without membership', () => {
  it('a participant receives the database events and sends on :peers while an active member', async () => {
    const chat = await asUser(world().db.sql, { sub: a().users.guardian }, teamChat);
    expect(chat.topic.receive).toBeGreaterThan(0);
    affected(chat.send, 1);
    refused(chat.topic.send); // the database's topic: nobody sends there
    affected(chat.peers.send, 1);
  });

  for (const [label, change] of [
    ['suspended', `update public.organization_members set status = 'suspended' where user_id = $1`],
    ['removed from the organisation', 'delete from public.organization_members where user_id = $1'],
    ['deactivated', 'update public.profiles set deactivated_at = now() where id = $1'],
  ] as const) {
    it(`a ${label} guardian neither receives nor sends on the conversation's topics, nor reads or writes its messages`, async () => {
      const chat = await asUser(world().db.sql, { sub: a().users.guardian }, async (tx) => {
        await asOwnerDo(tx, [change, [a().users.guardian]]);
        return teamChat(tx);
      });
      shutOut(chat);
    });
  }

  it('a suspended therapist neither receives nor sends either (every role, not only guardians)', async () => {
    const chat = await asUser(world().db.sql, { sub: a().users.therapist }, async (tx) => {
      await asOwnerDo(tx, [`update public.organization_members set status = 'suspended' where user_id = $1`, [a().users.therapist]]);
      return teamChat(tx);
    });
    shutOut(chat);
  });
});

describe("a guardian whose link to the child is removed, or whose portal access is withdrawn, loses the child's team chat", () => {
  for (const [label, change] of [
    ['link removed', 'delete from public.student_guardians where guardian_id = $1'],
    ['portal access withdrawn', 'update public.student_guardians set portal_access = false where guardian_id = $1'],
  ] as const) {
    it(`${label}: no messages, no sending, no topic`, async () => {
      const chat = await asUser(world().db.sql, { sub: a().users.guardian }, async (tx) => {
        await asOwnerDo(tx, [change, [a().guardianId]]);
        return teamChat(tx);
      });
      shutOut(chat);
    });
  }

  it('…while staff of the organisation keep it', async () => {
    const chat = await asUser(world().db.sql, { sub: a().users.therapist }, async (tx) => {
      await asOwnerDo(tx, ['delete from public.student_guardians where guardian_id = $1', [a().guardianId]]);
      return teamChat(tx);
    });
    expect(chat.messages).toBeGreaterThan(0);
    affected(chat.send, 1);
  });
});

describe('guardians start conversations only about their own children, with that child’s team', () => {
  const start = (tx: Tx, id: string, student: string | null) =>
    tryStatement(tx, `insert into public.conversations (id, organization_id, kind, student_id, title, created_by) values ($1, $2, $3, $4, 'Question', (select auth.uid()))`, [
      id,
      a().organizationId,
      student === null ? 'direct' : 'student_team',
      student,
    ]);

  it('not about no child, not about another child; about their own child yes', async () => {
    const outcomes = await asUser(world().db.sql, { sub: a().users.guardian }, async (tx) => ({
      noChild: await start(tx, 'c0ffee00-0000-4000-8000-0000000000a1', null),
      otherChild: await start(tx, 'c0ffee00-0000-4000-8000-0000000000a2', a().studentIds[1]),
      ownChild: await start(tx, 'c0ffee00-0000-4000-8000-0000000000a3', a().studentIds[0]),
    }));
    refused(outcomes.noChild);
    refused(outcomes.otherChild);
    affected(outcomes.ownChild, 1);
  });

  it("adds themselves and the child's current therapists, nobody else of the organisation and nobody of another", async () => {
    const conversation = 'c0ffee00-0000-4000-8000-0000000000b1';
    const outcomes = await asUser(world().db.sql, { sub: a().users.guardian }, async (tx) => {
      await tx.unsafe(`insert into public.conversations (id, organization_id, kind, student_id, title, created_by) values ($1, $2, 'student_team', $3, 'Homework', $4)`, [
        conversation,
        a().organizationId,
        a().studentIds[0],
        a().users.guardian,
      ]);
      const add = (user: string) =>
        tryStatement(tx, 'insert into public.conversation_participants (organization_id, conversation_id, user_id) values ($1, $2, $3)', [a().organizationId, conversation, user]);
      return {
        self: await add(a().users.guardian),
        therapist: await add(a().users.therapist), // s1's therapist
        slpa: await add(a().users.supervisee), // consults on s1
        supervisor: await add(a().users.supervisor), // serves s3, not s1
        billing: await add(a().users.billing),
        admin: await add(a().users.org_admin),
        otherOrg: await add(world().fx.b.users.therapist),
      };
    });
    affected(outcomes.self, 1);
    affected(outcomes.therapist, 1);
    affected(outcomes.slpa, 1);
    for (const key of ['supervisor', 'billing', 'admin'] as const) refused(outcomes[key]);
    refusedOrNotMember(outcomes.otherOrg);
  });
});

describe('a participant who left cannot rejoin without being added again', () => {
  const leftAt = (tx: Tx, value: 'now()' | 'null') =>
    tryStatement(tx, `update public.conversation_participants set left_at = ${value} where conversation_id = $1 and user_id = $2`, [a().conversationId, a().users.guardian]);

  it('the guardian leaves, then cannot clear left_at; the starter (the therapist) adds them back', async () => {
    const outcomes = await asUser(world().db.sql, { sub: a().users.guardian }, async (tx) => {
      const leave = await leftAt(tx, 'now()');
      await tx.unsafe('update public.conversation_participants set left_at = now() where conversation_id = $1 and user_id = $2', [a().conversationId, a().users.guardian]);
      const rejoin = await leftAt(tx, 'null');
      const mute = await tryStatement(tx, `update public.conversation_participants set muted_until = now() + interval '1 day' where conversation_id = $1 and user_id = $2`, [
        a().conversationId,
        a().users.guardian,
      ]);
      // past the policies (the owner), the JWT still says who is asking
      await tx`select set_config('role', 'none', true)`;
      const trigger = await leftAt(tx, 'null');
      await tx`select set_config('role', 'authenticated', true)`;
      await signInAs(tx, a().users.therapist);
      const setsTheirMute = await tryStatement(tx, `update public.conversation_participants set left_at = null, muted_until = now() + interval '9 days' where conversation_id = $1 and user_id = $2`, [
        a().conversationId,
        a().users.guardian,
      ]);
      const readd = await leftAt(tx, 'null');
      return { leave, rejoin, mute, trigger, setsTheirMute, readd };
    });
    affected(outcomes.leave, 1);
    affected(outcomes.rejoin, 0);
    affected(outcomes.mute, 0);
    expect(outcomes.trigger, describeOutcome(outcomes.trigger)).toMatchObject({ kind: 'error', code: '42501', message: expect.stringMatching(/conversation_participants_no_rejoin/) });
    expect(outcomes.setsTheirMute, describeOutcome(outcomes.setsTheirMute)).toMatchObject({ kind: 'error', code: '42501', message: expect.stringMatching(/conversation_participants_own_settings/) });
    affected(outcomes.readd, 1);
  });
});

describe('a participant cannot forge system events on a topic', () => {
  it('no participant inserts message.deleted (or anything) on conversation:{id}; the database does, through realtime.send', async () => {
    const outcomes = await asUser(world().db.sql, { sub: a().users.therapist }, async (tx) => {
      await tx`select set_config('realtime.topic', ${conversationTopic(a().conversationId)}, true)`;
      const forged = await tryStatement(tx, `insert into realtime.messages (topic, extension, event, payload, private) values ($1, 'broadcast', 'message.deleted', $2::jsonb, true)`, [
        conversationTopic(a().conversationId),
        JSON.stringify({ id: a().conversationId }),
      ]);
      const presence = await tryStatement(tx, `insert into realtime.messages (topic, extension, event, payload, private) values ($1, 'presence', 'presence', '{}', true)`, [
        conversationTopic(a().conversationId),
      ]);
      return { forged, presence };
    });
    refused(outcomes.forged);
    refused(outcomes.presence);
  });
});
