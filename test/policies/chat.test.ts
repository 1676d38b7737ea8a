import { describe, expect, it } from 'vitest';
import { stableId } from '../../src/demo';
import { conversationPeersTopic, conversationTopic } from '../../src/integrations';
import { asUser } from '../../src/testing';
import { GUARDIAN_CUT_OFF, guardianCutOffProbes, type GuardianCutOff } from '../../src/probes';
import { asOwner, attempt, describeOutcome, newId, problemWith, runProbe, type Outcome } from './support/probe';
import { affected, asOwnerDo, count, plant, refused, refusedOrNotMember, signInAs, tryStatement } from './support/statements';
import { policyWorldIds, usePolicyWorld, type Tx } from './support/world';

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
  // The declared probes (src/probes/plan.ts, GUARDIAN_CUT_OFF), which `therapy-db export pgtap` writes too:
  // every way of cutting the guardian off, alone and while also school staff, against the team
  // conversation, its messages and both topics.
  const probes = guardianCutOffProbes({ world: policyWorldIds(), newId });
  for (const way of Object.keys(GUARDIAN_CUT_OFF) as GuardianCutOff[]) {
    for (const staff of [false, true]) {
      const label = `${way}${staff ? ', also school staff' : ''}`;
      it(`${label}: no conversation, no messages, no sending, no topic`, async () => {
        const mine = probes.filter((p) => p.id.startsWith(`guardian cut off (${label}) › `));
        const problems = await asUser(world().db.sql, { sub: a().users.guardian }, async (tx) => {
          const found: string[] = [];
          for (const probe of mine) {
            const problem = problemWith(probe, await runProbe(tx, probe));
            if (problem !== undefined) found.push(problem);
          }
          return found;
        });
        expect({ probes: mine.length, problems }).toEqual({ probes: 7, problems: [] });
      });
    }
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

describe("a guardian whose link to the child is deleted outright loses the child's team chat, whatever other role they hold (issue 12 follow-up e)", () => {
  /** A chat attachment in the child's team conversation, and what the guardian sees of it and of their own past message. */
  async function teamChatAndFiles(tx: Tx) {
    const own = stableId(`org-a:msg:2`); // "Thank you, we practise at home." — the guardian's own message
    return {
      ...(await teamChat(tx)),
      attachments: await count(tx, `select 1 from public.documents where conversation_id = $1`, [a().conversationId]),
      mute: await tryStatement(tx, `update public.conversation_participants set muted_until = now() + interval '1 day' where conversation_id = $1 and user_id = (select auth.uid())`, [a().conversationId]),
      editOwn: await tryStatement(tx, `update public.messages set body = 'Never said that.' where id in (select id from public.messages where client_message_id = $1)`, [own]),
    };
  }
  const attachment = () =>
    [
      `insert into public.documents (organization_id, conversation_id, bucket_id, storage_path, category, file_name, mime_type, size_bytes, visibility, uploaded_by)
       values ($1, $2, 'chat-attachments', $3, 'chat_attachment', 'report-card.png', 'image/png', 1000, 'participants', $4)`,
      [a().organizationId, a().conversationId, `${a().organizationId}/conversations/${a().conversationId}/report-card.png`, a().users.therapist],
    ] as const;

  /** How the link disappears, as the owner (an org admin's delete, a data clean-up, a court order carried out as a deletion). */
  const cuts: Record<string, (tx: Tx) => Promise<void>> = {
    'the link row deleted': (tx) => asOwnerDo(tx, ['delete from public.student_guardians where guardian_id = $1', [a().guardianId]]),
    'the guardian record deleted': async (tx) => {
      // consents rest on the guardian (restrict, append-only): a guardian without any is the one a clean-up deletes
      await plant(tx, ['delete from public.consents where guardian_id = $1', [a().guardianId]]);
      await asOwnerDo(tx, ['delete from public.guardians where id = $1', [a().guardianId]]);
    },
    "the guardian record's login unlinked": (tx) => asOwnerDo(tx, ['update public.guardians set user_id = null where id = $1', [a().guardianId]]),
    'the link moved to another child': (tx) => asOwnerDo(tx, ['update public.student_guardians set student_id = $1 where guardian_id = $2', [a().studentIds[2], a().guardianId]]),
  };
  /** The parent's other membership of the organisation (school staff at the other campus, or in the billing office). */
  const otherRoles = {
    school_staff: () => [`insert into public.organization_members (organization_id, user_id, role, school_id) values ($1, $2, 'school_staff', $3)`, [a().organizationId, a().users.guardian, a().schoolIds[1]]] as const,
    billing: () => [`insert into public.organization_members (organization_id, user_id, role) values ($1, $2, 'billing')`, [a().organizationId, a().users.guardian]] as const,
  };

  for (const [role, membership] of Object.entries(otherRoles)) {
    for (const [cut, cutOff] of Object.entries(cuts)) {
      it(`${cut}, while also ${role} of the organisation: no conversation, messages, sending, topics, attachments or own-message edits`, async () => {
        const seen = await asUser(world().db.sql, { sub: a().users.guardian }, async (tx) => {
          await asOwnerDo(tx, membership(), attachment());
          const before = await teamChatAndFiles(tx);
          await cutOff(tx);
          return { before, after: await teamChatAndFiles(tx) };
        });
        // the control: the parent was in the conversation before
        expect({ messages: seen.before.messages > 0, attachments: seen.before.attachments, send: describeOutcome(seen.before.send) }).toEqual({ messages: true, attachments: 1, send: '1 row(s)' });
        shutOut(seen.after);
        expect({ attachments: seen.after.attachments, mute: describeOutcome(seen.after.mute), editOwn: describeOutcome(seen.after.editOwn) }).toEqual({ attachments: 0, mute: '0 row(s)', editOwn: '0 row(s)' });
      });
    }
  }

  it("a former guardian who started the child's conversation no longer manages it: no renaming, no adding a colleague (who would read it as staff), no re-adding", async () => {
    const conversation = newId();
    const seen = await asUser(world().db.sql, { sub: a().users.guardian }, async (tx) => {
      await asOwnerDo(tx, otherRoles.school_staff());
      // as the guardian: a conversation about their child with the child's therapist, and a message in it
      await tx.unsafe(`insert into public.conversations (id, organization_id, kind, student_id, title, created_by) values ($1, $2, 'student_team', $3, 'Home situation', $4)`, [
        conversation,
        a().organizationId,
        a().studentIds[0],
        a().users.guardian,
      ]);
      for (const user of [a().users.guardian, a().users.therapist]) {
        await tx.unsafe('insert into public.conversation_participants (organization_id, conversation_id, user_id) values ($1, $2, $3)', [a().organizationId, conversation, user]);
      }
      await tx.unsafe(`insert into public.messages (organization_id, conversation_id, sender_id, client_message_id, body) values ($1, $2, $3, gen_random_uuid(), 'About the custody hearing …')`, [
        a().organizationId,
        conversation,
        a().users.guardian,
      ]);
      await cuts['the link row deleted']!(tx);
      const outcomes = {
        sees: await count(tx, 'select 1 from public.conversations where id = $1', [conversation]),
        rename: await tryStatement(tx, `update public.conversations set title = 'Renamed' where id = $1`, [conversation]),
        addColleague: await tryStatement(tx, 'insert into public.conversation_participants (organization_id, conversation_id, user_id) values ($1, $2, $3)', [
          a().organizationId,
          conversation,
          a().users.school_staff,
        ]),
      };
      // had the colleague been added, they would read the family's messages as school staff
      await asOwnerDo(tx, ['insert into public.conversation_participants (organization_id, conversation_id, user_id) values ($1, $2, $3)', [a().organizationId, conversation, a().users.school_staff]]);
      await signInAs(tx, a().users.therapist);
      await tx.unsafe('update public.conversation_participants set left_at = now() where conversation_id = $1 and user_id = $2', [conversation, a().users.therapist]);
      await signInAs(tx, a().users.guardian);
      return { ...outcomes, readdTherapist: await tryStatement(tx, 'update public.conversation_participants set left_at = null where conversation_id = $1 and user_id = $2', [conversation, a().users.therapist]) };
    });
    expect({ sees: seen.sees, rename: describeOutcome(seen.rename), readdTherapist: describeOutcome(seen.readdTherapist) }).toEqual({ sees: 0, rename: '0 row(s)', readdTherapist: '0 row(s)' });
    refused(seen.addColleague);
  });

  it("an org admin who was the child's guardian keeps the conversation's metadata (every admin does), not its messages or topics", async () => {
    const seen = await asUser(world().db.sql, { sub: a().users.guardian }, async (tx) => {
      await asOwnerDo(tx, [`insert into public.organization_members (organization_id, user_id, role) values ($1, $2, 'org_admin')`, [a().organizationId, a().users.guardian]]);
      await cuts['the link row deleted']!(tx);
      return teamChat(tx);
    });
    expect({ conversation: seen.conversation, messages: seen.messages, topic: seen.topic.receive, peers: seen.peers.receive }).toEqual({ conversation: 1, messages: 0, topic: 0, peers: 0 });
    refusedOrNotMember(seen.send);
    refused(seen.peers.send);
  });

  it("the child's other guardian and the team keep the conversation; a guardian linked again is added back by the conversation's starter, not by themselves", async () => {
    const seen = await asUser(world().db.sql, { sub: a().users.guardian }, async (tx) => {
      await cuts['the link row deleted']!(tx);
      await asOwnerDo(tx, [`insert into public.student_guardians (organization_id, student_id, guardian_id, relationship) values ($1, $2, $3, 'parent')`, [a().organizationId, a().studentIds[0], a().guardianId]]);
      const relinked = await teamChat(tx);
      const rejoin = await tryStatement(tx, `update public.conversation_participants set left_at = null where conversation_id = $1 and user_id = (select auth.uid())`, [a().conversationId]);
      await signInAs(tx, a().users.therapist); // the starter
      const team = await teamChat(tx);
      const readd = await tryStatement(tx, `update public.conversation_participants set left_at = null where conversation_id = $1 and user_id = $2`, [a().conversationId, a().users.guardian]);
      await tx.unsafe(`update public.conversation_participants set left_at = null where conversation_id = $1 and user_id = $2`, [a().conversationId, a().users.guardian]);
      await signInAs(tx, a().users.guardian);
      return { relinked, rejoin, team, readd, back: await teamChat(tx) };
    });
    shutOut(seen.relinked);
    expect(seen.rejoin.kind === 'error' || (seen.rejoin.kind === 'ok' && seen.rejoin.rows === 0), describeOutcome(seen.rejoin)).toBe(true);
    expect(seen.team.messages).toBeGreaterThan(0);
    affected(seen.readd, 1);
    expect(seen.back.messages).toBeGreaterThan(0);
    affected(seen.back.send, 1);
  });
});

describe("a guardian whose guardian record for the child has portal access withheld, or is soft-deleted, keeps their participation row but reads nothing of the child's team chat", () => {
  // Neither change ends the link, so end_guardian_participation spares the participation (left_at
  // stays null: a court order can be lifted); the conversation helpers' barred-guardian test is
  // what shuts the parent out, whatever other role they hold.
  const orders = {
    'portal access withheld': { impose: 'update public.student_guardians set portal_access = false where guardian_id = $1', lift: 'update public.student_guardians set portal_access = true where guardian_id = $1' },
    'guardian record soft-deleted': { impose: 'update public.guardians set deleted_at = now() where id = $1', lift: 'update public.guardians set deleted_at = null where id = $1' },
  } as const;
  /** The participation as the database owner reads it. */
  const participation = (tx: Tx) =>
    asOwner(tx, () =>
      tx.unsafe<{ left_at: string | null }[]>('select left_at from public.conversation_participants where conversation_id = $1 and user_id = $2', [a().conversationId, a().users.guardian]),
    );
  const ownSettings = async (tx: Tx) => ({
    mute: await tryStatement(tx, `update public.conversation_participants set muted_until = now() + interval '1 day' where conversation_id = $1 and user_id = (select auth.uid())`, [a().conversationId]),
    readMarker: await tryStatement(tx, `update public.conversation_participants set last_read_at = now() where conversation_id = $1 and user_id = (select auth.uid())`, [a().conversationId]),
  });

  for (const [order, sql] of Object.entries(orders)) {
    for (const staff of [false, true]) {
      it(`${order}${staff ? ', while also school staff of the organisation' : ''}: the row stays, nothing of the conversation, its messages, topics or own settings is reachable; lifting the order gives it back without re-adding`, async () => {
        const seen = await asUser(world().db.sql, { sub: a().users.guardian }, async (tx) => {
          if (staff) {
            await asOwnerDo(tx, [`insert into public.organization_members (organization_id, user_id, role, school_id) values ($1, $2, 'school_staff', $3)`, [a().organizationId, a().users.guardian, a().schoolIds[1]]]);
          }
          await asOwnerDo(tx, [sql.impose, [a().guardianId]]);
          const during = { row: await participation(tx), chat: await teamChat(tx), ...(await ownSettings(tx)) };
          await asOwnerDo(tx, [sql.lift, [a().guardianId]]);
          return { during, after: await teamChat(tx) };
        });
        expect(seen.during.row).toEqual([{ left_at: null }]);
        shutOut(seen.during.chat);
        expect({ mute: describeOutcome(seen.during.mute), readMarker: describeOutcome(seen.during.readMarker) }).toEqual({ mute: '0 row(s)', readMarker: '0 row(s)' });
        // the order lifted, the same participation counts again
        expect(seen.after.messages).toBeGreaterThan(0);
        affected(seen.after.send, 1);
      });
    }
  }
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

describe('a starter who left a conversation manages it no more', () => {
  it('the therapist who started a conversation and left it cannot rename it, add anyone, or add back someone who left', async () => {
    const conversation = newId();
    const outcomes = await asUser(world().db.sql, { sub: a().users.therapist }, async (tx) => {
      await tx.unsafe(`insert into public.conversations (id, organization_id, kind, title, created_by) values ($1, $2, 'group', 'Speech group', $3)`, [conversation, a().organizationId, a().users.therapist]);
      for (const user of [a().users.therapist, a().users.guardian]) {
        await tx.unsafe('insert into public.conversation_participants (organization_id, conversation_id, user_id) values ($1, $2, $3)', [a().organizationId, conversation, user]);
      }
      await asOwnerDo(tx, ['update public.conversation_participants set left_at = now() where conversation_id = $1 and user_id = $2', [conversation, a().users.guardian]]);
      const beforeLeaving = await tryStatement(tx, `update public.conversations set title = 'Speech group (spring)' where id = $1`, [conversation]);
      await tx.unsafe('update public.conversation_participants set left_at = now() where conversation_id = $1 and user_id = $2', [conversation, a().users.therapist]);
      return {
        beforeLeaving,
        rename: await tryStatement(tx, `update public.conversations set title = 'Renamed' where id = $1`, [conversation]),
        add: await tryStatement(tx, 'insert into public.conversation_participants (organization_id, conversation_id, user_id) values ($1, $2, $3)', [a().organizationId, conversation, a().users.school_staff]),
        readd: await tryStatement(tx, 'update public.conversation_participants set left_at = null where conversation_id = $1 and user_id = $2', [conversation, a().users.guardian]),
      };
    });
    affected(outcomes.beforeLeaving, 1);
    affected(outcomes.rename, 0);
    refused(outcomes.add);
    affected(outcomes.readd, 0);
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
