import { createHash } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { seedFixture } from '../../src/demo';
import { accessSetObjects, accessSetsBackfill } from '../../src/policies/access-sets';
import { silentLogger } from '../../src/log';
import { defaultMigrationsFolder, migrate, readJournalTags } from '../../src/migrate';
import { thisYear } from '../../src/rows';
import { createTestDatabase } from '../support/database';
import { asOwner } from './support/probe';
import { asOwnerDo, count, plant, signInAs } from './support/statements';
import { usePolicyWorld, type Tx } from './support/world';

/**
 * The access sets (src/policies/access-sets.ts): what the RLS helpers read instead of computing the
 * memberships, the students and the soft deletions at every statement. They are derived data, kept
 * by triggers on every table they are computed from; a set that lags behind its rows would let a
 * removed therapist, a suspended member or a deactivated account keep reading. These tests change
 * each of those rows, the ordinary way and as privileged code with the ordinary triggers off, and
 * after every change compare the stored sets with a fresh computation (`app.access_sets_drift()`).
 */

const world = usePolicyWorld();
const a = () => world().fx.a;
const b = () => world().fx.b;
const onServer = inject('testBackend').kind === 'server';

/** The rows in which the stored sets differ from a fresh computation. */
const drift = (tx: Tx) => asOwner(tx, () => tx<{ set_name: string; difference: string; entry: string }[]>`select * from app.access_sets_drift()`);

type Change = readonly [string, readonly unknown[]] | string;

/** One change of a source row, named as a test names it. */
interface SourceChange {
  readonly name: string;
  readonly statements: () => readonly Change[];
}

const today = 'current_date';
const changes: readonly SourceChange[] = [
  // memberships: what every set starts from
  { name: "org A's therapist is suspended", statements: () => [[`update public.organization_members set status = 'suspended' where user_id = $1 and organization_id = $2`, [a().users.therapist, a().organizationId]]] },
  { name: "org A's therapist leaves", statements: () => [[`update public.organization_members set status = 'left' where user_id = $1 and role = 'therapist'`, [a().users.therapist]]] },
  { name: "org A's SLPA (a supervisee) is suspended", statements: () => [[`update public.organization_members set status = 'suspended' where user_id = $1`, [a().users.supervisee]]] },
  { name: "org A's guardian membership is removed", statements: () => [[`delete from public.organization_members where user_id = $1`, [a().users.guardian]]] },
  { name: "org A's therapist is made a guardian too", statements: () => [[`insert into public.organization_members (organization_id, user_id, role) values ($1, $2, 'guardian')`, [a().organizationId, a().users.therapist]]] },
  { name: "org B's therapist is invited into org A", statements: () => [[`insert into public.organization_members (organization_id, user_id, role, status) values ($1, $2, 'therapist', 'invited')`, [a().organizationId, b().users.therapist]]] },
  // accounts
  { name: "org A's therapist's account is deactivated", statements: () => [[`update public.profiles set deactivated_at = now() where id = $1`, [a().users.therapist]]] },
  { name: "org A's SLPA's account is deactivated (their supervisor's set)", statements: () => [[`update public.profiles set deactivated_at = now() where id = $1`, [a().users.supervisee]]] },
  { name: 'a profile rename changes nothing', statements: () => [[`update public.profiles set display_name = 'Renamed' where id = $1`, [a().users.therapist]]] },
  // organisations
  { name: 'org A is soft-deleted', statements: () => [[`update public.organizations set deleted_at = now() where id = $1`, [a().organizationId]]] },
  // caseloads and supervisions, with their days
  { name: "org A's therapist's assignments ended yesterday", statements: () => [[`update public.caseload_assignments set ends_on = ${today} - 1, starts_on = least(starts_on, ${today} - 1) where therapist_id = $1`, [a().users.therapist]]] },
  { name: "org A's therapist's assignments start tomorrow", statements: () => [[`update public.caseload_assignments set starts_on = ${today} + 1, ends_on = null where therapist_id = $1`, [a().users.therapist]]] },
  { name: "org A's SLPA's assignments are deleted (their supervisor's set)", statements: () => [[`delete from public.caseload_assignments where therapist_id = $1`, [a().users.supervisee]]] },
  { name: "org A's therapist is assigned student 3", statements: () => [[`insert into public.caseload_assignments (organization_id, student_id, therapist_id, discipline, assignment_role, starts_on) values ($1, $2, $3, 'ot', 'secondary', ${today})`, [a().organizationId, a().studentIds[2], a().users.therapist]]] },
  { name: "org A's supervisions ended last year", statements: () => [[`update public.supervision_assignments set active_during = daterange(${today} - 400, ${today} - 300) where organization_id = $1`, [a().organizationId]]] },
  { name: "org A's supervisions are deleted", statements: () => [[`delete from public.supervision_assignments where organization_id = $1`, [a().organizationId]]] },
  { name: "org A's therapist is made to supervise the SLPA of org A from today", statements: () => [[`insert into public.supervision_assignments (organization_id, supervisor_id, supervisee_id, supervision_type, active_during) values ($1, $2, $3, 'slpa', ${thisYear().sql})`, [a().organizationId, a().users.therapist, a().users.supervisee]]] },
  // students and schools
  { name: "org A's student 1 is soft-deleted", statements: () => [[`update public.students set deleted_at = now() where id = $1`, [a().studentIds[0]]]] },
  { name: "org A's student 1 moves to school 2", statements: () => [[`update public.students set school_id = $2 where id = $1`, [a().studentIds[0], a().schoolIds[1]]]] },
  { name: "org A's student persona loses their record's login", statements: () => [[`update public.students set user_id = null where user_id = $1`, [a().users.student]]] },
  { name: "org A's school 1 is soft-deleted", statements: () => [[`update public.schools set deleted_at = now() where id = $1`, [a().schoolIds[0]]]] },
  { name: "org A's upcoming session is soft-deleted", statements: () => [[`update public.therapy_sessions set deleted_at = now() where id = $1`, [a().sessionIds.upcomingS1]]] },
  // guardians
  { name: "org A's guardian record is soft-deleted", statements: () => [[`update public.guardians set deleted_at = now() where id = $1`, [a().guardianId]]] },
  { name: "org A's guardian record loses its login", statements: () => [[`update public.guardians set user_id = null where id = $1`, [a().guardianId]]] },
  { name: "org A's guardian's portal access is withheld", statements: () => [[`update public.student_guardians set portal_access = false where guardian_id = $1`, [a().guardianId]]] },
  { name: "org A's guardian's links are deleted", statements: () => [[`delete from public.student_guardians where guardian_id = $1`, [a().guardianId]]] },
  // conversations
  { name: "org A's guardian leaves the conversation", statements: () => [[`update public.conversation_participants set left_at = now() where conversation_id = $1 and user_id = $2`, [a().conversationId, a().users.guardian]]] },
  { name: "org A's billing member is added to the conversation", statements: () => [[`insert into public.conversation_participants (organization_id, conversation_id, user_id, participant_role) values ($1, $2, $3, 'member') on conflict do nothing`, [a().organizationId, a().conversationId, a().users.billing]]] },
  { name: "org A's conversation is about student 3 instead", statements: () => [[`update public.conversations set student_id = $2 where id = $1`, [a().conversationId, a().studentIds[2]]]] },
  { name: "org A's billing member's participation is deleted", statements: () => [[`delete from public.conversation_participants where conversation_id = $1 and user_id = $2 and not exists (select 1 from public.messages m where m.conversation_id = $1 and m.sender_id = $2)`, [a().conversationId, a().users.billing]]] },
  { name: 'a message read marker changes nothing', statements: () => [[`update public.conversation_participants set last_read_at = now() where conversation_id = $1`, [a().conversationId]]] },
];

/** Runs `fn` in a transaction that is always rolled back, so each test starts from the world. */
async function inRolledBack(fn: (tx: Tx) => Promise<void>): Promise<void> {
  const rollback = new Error('rollback');
  await world()
    .db.sql.begin(async (tx) => {
      await fn(tx);
      throw rollback;
    })
    .catch((error: unknown) => {
      if (error !== rollback) throw error;
    });
}

describe('the access sets follow every row they are computed from', () => {
  it('start exact: the policy world (fixture, personas, every table) has no drift', async () => {
    await inRolledBack(async (tx) => {
      expect(await drift(tx)).toEqual([]);
      expect(await asOwner(tx, () => count(tx, 'select 1 from app.access_memberships'))).toBeGreaterThan(10);
      expect(await asOwner(tx, () => count(tx, 'select 1 from app.access_students'))).toBeGreaterThan(3);
      expect(await asOwner(tx, () => count(tx, 'select 1 from app.access_conversations'))).toBeGreaterThan(3);
    });
  });

  for (const change of changes) {
    it(`${change.name}: exact at the next statement`, async () => {
      await inRolledBack(async (tx) => {
        await asOwnerDo(tx, ...change.statements());
        expect(await drift(tx)).toEqual([]);
      });
    });

    it(`${change.name}, written with the ordinary triggers off (replica): still exact`, async () => {
      await inRolledBack(async (tx) => {
        await plant(tx, ...change.statements());
        expect(await drift(tx)).toEqual([]);
      });
    });
  }

  it('every change one after the other in one transaction (written with the ordinary triggers off, so no write rule refuses the later ones): exact after each', async () => {
    await inRolledBack(async (tx) => {
      for (const change of changes) {
        await plant(tx, ...change.statements());
        expect(await drift(tx), change.name).toEqual([]);
      }
    });
  });

  it('a truncate of a table the sets are computed from: every set again', async () => {
    await inRolledBack(async (tx) => {
      await asOwnerDo(tx, 'truncate public.student_guardians');
      expect(await drift(tx)).toEqual([]);
      expect(await asOwner(tx, () => count(tx, `select 1 from app.access_students where via = 'guardian'`))).toBe(0);
    });
  });

  it('triggers disabled outright (a restore with --disable-triggers) leave drift that refresh_access_sets() repairs', async () => {
    await inRolledBack(async (tx) => {
      await asOwnerDo(
        tx,
        'alter table public.caseload_assignments disable trigger all',
        [`delete from public.caseload_assignments where therapist_id = $1`, [a().users.therapist]],
        'alter table public.caseload_assignments enable trigger all',
      );
      expect((await drift(tx)).length).toBeGreaterThan(0);
      await asOwnerDo(tx, 'select app.refresh_access_sets()');
      expect(await drift(tx)).toEqual([]);
    });
  });
});

describe('a migration that changes how the sets are computed computes them again', () => {
  it('the backfill statement carries the digest of every other access-set object, so changing a rule, a source or a table reruns it', () => {
    const definitions = accessSetObjects.filter((o) => o !== accessSetsBackfill);
    const digest = createHash('sha256').update(definitions.flatMap((o) => o.create).join('\n')).digest('hex');
    expect(accessSetObjects.at(-1)).toBe(accessSetsBackfill);
    expect(accessSetsBackfill.create).toEqual([expect.stringContaining(digest)]);
  });
});

describe('the per-organisation locks replace the maintenance row without a window (0065–0067)', () => {
  it('writes between the prelude and the objects migration run the replaced trigger functions, and every set is exact after the last migration', async () => {
    const db = await createTestDatabase({ migrated: false });
    try {
      const tags = readJournalTags(defaultMigrationsFolder())!;
      const prelude = tags.find((t) => t.endsWith('_access_locks_per_organization_prelude'))!;
      await migrate({ client: db.sql, to: tags[tags.indexOf(prelude) - 1]!, log: silentLogger });
      const fx = await seedFixture(db.sql);
      await migrate({ client: db.sql, to: prelude, log: silentLogger });
      // the trigger functions of 0061 still run: they take the legacy row and call the two-argument refresh
      await db.sql`update public.organization_members set status = 'suspended' where user_id = ${fx.a.users.therapist}`;
      await db.sql`delete from public.caseload_assignments where therapist_id = ${fx.a.users.supervisee}`;
      expect(await db.sql`select * from app.access_sets_drift()`).toEqual([]);
      const rest = await migrate({ client: db.sql, log: silentLogger });
      expect(rest.applied.at(-1)).toBe(tags.at(-1));
      const legacy = await db.sql`select to_regclass('app.access_maintenance') as t, to_regprocedure('app.refresh_access(uuid[], uuid[])') as f`;
      expect(legacy).toEqual([{ t: null, f: null }]);
      await db.sql`update public.organization_members set status = 'active' where user_id = ${fx.a.users.therapist}`;
      expect(await db.sql`select * from app.access_sets_drift()`).toEqual([]);
      const [locks] = await db.sql<{ n: number }[]>`select count(*)::int as n from app.access_locks where key in (${fx.a.organizationId}, ${fx.a.users.therapist})`;
      expect(locks?.n).toBe(2);
    } finally {
      await db.close();
    }
  }, 120_000);
});

describe('a change reaches the reader at the next statement', () => {
  it("org A's therapist reads student 1; their assignment deleted, the next statement reads nothing of student 1", async () => {
    await inRolledBack(async (tx) => {
      await signInAs(tx, a().users.therapist);
      await tx`set local role authenticated`;
      const student1 = () => count(tx, 'select 1 from public.students where id = $1', [a().studentIds[0]]);
      expect(await student1()).toBe(1);
      await asOwnerDo(tx, [`delete from public.caseload_assignments where therapist_id = $1 and student_id = $2`, [a().users.therapist, a().studentIds[0]]]);
      expect(await student1()).toBe(0);
    });
  });

  it("org A's supervisor loses the SLPA's students the moment the SLPA's account is deactivated", async () => {
    await inRolledBack(async (tx) => {
      await signInAs(tx, a().users.supervisor);
      await tx`set local role authenticated`;
      const supervised = () => count(tx, 'select 1 from public.students where id = $1', [a().studentIds[1]]);
      expect(await supervised()).toBe(1);
      await plant(tx, [`update public.profiles set deactivated_at = now() where id = $1`, [a().users.supervisee]]);
      expect(await supervised()).toBe(0);
    });
  });
});

describe('no client holds the access sets', () => {
  for (const table of ['access_locks', 'access_memberships', 'access_students', 'access_conversations', 'access_soft_deleted']) {
    it(`anon, authenticated and service_role hold no privilege on app.${table}`, async () => {
      await inRolledBack(async (tx) => {
        const rows = await tx<{ role: string; privilege: string }[]>`
          select r.rolname as role, p.privilege_type as privilege
            from pg_catalog.pg_roles r
           cross join (values ('SELECT'), ('INSERT'), ('UPDATE'), ('DELETE'), ('TRUNCATE'), ('REFERENCES'), ('TRIGGER')) p(privilege_type)
           where r.rolname in ('anon', 'authenticated', 'service_role')
             and pg_catalog.has_table_privilege(r.rolname, ${`app.${table}`}, p.privilege_type)`;
        expect(rows).toEqual([]);
      });
    });
  }

  for (const fn of ['app.lock_access(uuid[])', 'app.refresh_access(uuid[], uuid[], uuid[])', 'app.refresh_access_sets()', 'app.access_sets_drift()']) {
    it(`anon, authenticated and service_role cannot execute ${fn}`, async () => {
      await inRolledBack(async (tx) => {
        const rows = await tx<{ role: string }[]>`
          select r.rolname as role from pg_catalog.pg_roles r
           where r.rolname in ('anon', 'authenticated', 'service_role') and pg_catalog.has_function_privilege(r.rolname, ${fn}, 'execute')`;
        expect(rows).toEqual([]);
      });
    });
  }
});

/**
 * Two sessions change rows of the same sets at once. The lock rows of their organisations (and of
 * an account and its memberships) serialise them; the later one reads with a fresh snapshot (READ
 * COMMITTED), or fails with 40001 instead of writing sets from a stale one (REPEATABLE READ). Two
 * organisations' writes do not wait for each other. PostgreSQL only (PGlite serves one session).
 */
describe.skipIf(!onServer)('concurrent changes (PostgreSQL)', () => {
  it('one session adds a supervision while another deletes the supervisee\'s assignments: the supervisor keeps none of them (READ COMMITTED)', async () => {
    const db = await createTestDatabase();
    try {
      const fx = await seedFixture(db.sql);
      const org = fx.a.organizationId;
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let added!: () => void;
      const hasAdded = new Promise<void>((resolve) => (added = resolve));
      // the first session makes the therapist the SLPA's supervisor and holds its transaction open …
      const first = db.sql.begin(async (tx) => {
        await tx`insert into public.supervision_assignments (organization_id, supervisor_id, supervisee_id, supervision_type, active_during)
                 values (${org}, ${fx.a.users.therapist}, ${fx.a.users.supervisee}, 'slpa', daterange(current_date - 1, current_date + 30))`;
        added();
        await held;
      });
      await hasAdded;
      // … while the second deletes the SLPA's assignments, waiting on the maintenance row
      const second = db.sql.begin(async (tx) => {
        await tx`delete from public.caseload_assignments where therapist_id = ${fx.a.users.supervisee}`;
      });
      await new Promise((r) => setTimeout(r, 200));
      release();
      await Promise.all([first, second]);
      const [supervised] = await db.sql<{ n: number }[]>`select count(*)::int as n from app.access_students where user_id = ${fx.a.users.therapist} and via = 'supervision'`;
      expect(supervised?.n).toBe(0);
      expect(await db.sql`select * from app.access_sets_drift()`).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it("org B's caseload write does not wait for org A's open transaction that changed a caseload", async () => {
    const db = await createTestDatabase();
    try {
      const fx = await seedFixture(db.sql);
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let changed!: () => void;
      const hasChanged = new Promise<void>((resolve) => (changed = resolve));
      // org A's session changes its therapist's assignments and holds its transaction open …
      const first = db.sql.begin(async (tx) => {
        await tx`delete from public.caseload_assignments where therapist_id = ${fx.a.users.supervisee}`;
        changed();
        await held;
      });
      await hasChanged;
      try {
        // … while org B's session changes its own: refused after 2 s if it waited on org A's locks
        const outcome = await db.sql
          .begin(async (tx) => {
            await tx`set local lock_timeout = '2s'`;
            await tx`delete from public.caseload_assignments where therapist_id = ${fx.b.users.therapist}`;
          })
          .then(
            () => 'committed',
            (error: { code?: string }) => error.code,
          );
        expect(outcome).toBe('committed');
      } finally {
        release();
        await first;
      }
      expect(await db.sql`select * from app.access_sets_drift()`).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it("an account deactivated while it is made a member of another organisation: the new membership does not count (READ COMMITTED)", async () => {
    const db = await createTestDatabase();
    try {
      const fx = await seedFixture(db.sql);
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let joined!: () => void;
      const hasJoined = new Promise<void>((resolve) => (joined = resolve));
      // one session makes org A's therapist an active member of org B and holds its transaction open …
      const first = db.sql.begin(async (tx) => {
        await tx`insert into public.organization_members (organization_id, user_id, role, status)
                 values (${fx.b.organizationId}, ${fx.a.users.therapist}, 'therapist', 'active')`;
        joined();
        await held;
      });
      await hasJoined;
      // … while another deactivates the account: it reads the account's organisations only after
      // the membership's session commits, so it recomputes the new organisation too
      const second = db.sql.begin(async (tx) => {
        await tx`update public.profiles set deactivated_at = now() where id = ${fx.a.users.therapist}`;
      });
      await new Promise((r) => setTimeout(r, 200));
      release();
      await Promise.all([first, second]);
      const [counting] = await db.sql<{ n: number }[]>`select count(*)::int as n from app.access_memberships where user_id = ${fx.a.users.therapist}`;
      expect(counting?.n).toBe(0);
      expect(await db.sql`select * from app.access_sets_drift()`).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it('under REPEATABLE READ, a maintainer whose snapshot misses a concurrent one fails with 40001 instead of writing stale sets', async () => {
    const db = await createTestDatabase();
    try {
      const fx = await seedFixture(db.sql);
      const outcome = await db.sql
        .begin('isolation level repeatable read', async (tx) => {
          await tx`select count(*) from public.students`; // the snapshot is taken here
          await db.sql`delete from public.caseload_assignments where therapist_id = ${fx.a.users.supervisee}`; // another session, committed
          await tx`update public.organization_members set status = 'suspended' where user_id = ${fx.a.users.therapist}`;
        })
        .then(
          () => ({ code: 'committed' }),
          (error: { code?: string }) => ({ code: error.code }),
        );
      expect(outcome).toEqual({ code: '40001' });
      expect(await db.sql`select * from app.access_sets_drift()`).toEqual([]);
    } finally {
      await db.close();
    }
  });
});
